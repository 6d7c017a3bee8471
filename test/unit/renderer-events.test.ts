// Unit: the renderer's event routing for an OS notification the person chose (case.open, sent by
// Electron's main process): the case it names is shown, or the case list for several cases.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { routeEvent } from '../../src/renderer/events.js';
import { useRouterStore } from '../../src/renderer/stores/router.js';

void describe('routeEvent: case.open', () => {
  void it('shows the named case, as a new history entry', () => {
    const before = useRouterStore.getState().navigations;
    routeEvent({ name: 'case.open', payload: { arriveId: '2026113000000042' } });
    assert.deepEqual(useRouterStore.getState().route, { name: 'case', arriveId: '2026113000000042' });
    assert.equal(useRouterStore.getState().navigations, before + 1);
  });

  void it('several cases: the case list', () => {
    routeEvent({ name: 'case.open', payload: { arriveId: null } });
    assert.deepEqual(useRouterStore.getState().route, { name: 'cases' });
    assert.equal(useRouterStore.getState().back(), true, 'the case before is one step back');
  });
});
