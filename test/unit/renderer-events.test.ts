// Unit: the renderer's event routing for an OS notification the person chose (case.open, sent by
// Electron's main process): the case it names is shown, or the case list for several cases; and
// the notice events reaching the 公文書 inbox store (notice.changed, and the case sync's findings).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { routeEvent } from '../../src/renderer/events.js';
import { useInboxStore } from '../../src/renderer/stores/inbox.js';
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

void describe('routeEvent: notices', () => {
  void it('hands notice.changed to the inbox store, by notice and by case', () => {
    const payload = { id: 5, arriveId: '2026113000000042', kind: 'document' as const, stage: 'done' as const, title: '公文書', verdict: 'invalid' as const };
    routeEvent({ name: 'notice.changed', payload });
    assert.deepEqual(useInboxStore.getState().seen[5]?.event, payload);
    assert.equal(useInboxStore.getState().caseRevisions['2026113000000042'], 1);
  });

  void it('counts a 公文書 the case sync found against its case', () => {
    routeEvent({ name: 'case.changed', payload: { type: 'case.document', arriveId: '2026113000000043', docCount: 1, docCountNotDownload: 1, added: 1 } });
    assert.equal(useInboxStore.getState().caseRevisions['2026113000000043'], 1);
  });
});
