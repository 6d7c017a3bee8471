// Unit: the renderer's router — the route table (paths ⇄ typed routes), the in-memory history
// stack, and which keys and mouse buttons move through it. Pure functions; no DOM.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { canGoBack, canGoForward, createHistory, currentRoute, goBack, goForward, MAX_ENTRIES, pushRoute, replaceRoute } from '../../src/renderer/router/history.js';
import { keyMove, mouseMove, type KeyLike } from '../../src/renderer/router/input.js';
import { formatRoute, normalizeArriveId, parseRoute, sameRoute, sectionOf, type Route } from '../../src/renderer/router/routes.js';

const ARRIVE = '9002015000243931';

const EVERY_ROUTE: Route[] = [
  { name: 'home' },
  { name: 'identity' },
  { name: 'applications' },
  { name: 'sends' },
  { name: 'batch', entryId: '0f8fad5b-d9cb-469f-a165-70867728950e' },
  { name: 'cases' },
  { name: 'case', arriveId: ARRIVE },
  { name: 'withdraw', arriveId: ARRIVE },
  { name: 'amend', arriveId: ARRIVE },
  { name: 'document', arriveId: ARRIVE, n: 1 },
  { name: 'document', arriveId: ARRIVE, n: 12 },
  { name: 'documents' },
  { name: 'notice', id: 1 },
  { name: 'notice', id: Number.MAX_SAFE_INTEGER },
  { name: 'amend', arriveId: ARRIVE },
  { name: 'certificates' },
  { name: 'settings' },
];

void describe('route table', () => {
  void test('formats each route as its path', () => {
    assert.equal(formatRoute({ name: 'home' }), '/');
    assert.equal(formatRoute({ name: 'certificates' }), '/certificates');
    assert.equal(formatRoute({ name: 'case', arriveId: ARRIVE }), `/cases/${ARRIVE}`);
    assert.equal(formatRoute({ name: 'document', arriveId: ARRIVE, n: 3 }), `/cases/${ARRIVE}/documents/3`);
    assert.equal(formatRoute({ name: 'withdraw', arriveId: ARRIVE }), `/cases/${ARRIVE}/withdraw`);
    assert.equal(formatRoute({ name: 'notice', id: 42 }), '/notices/42');
    assert.equal(formatRoute({ name: 'amend', arriveId: ARRIVE }), `/cases/${ARRIVE}/amend`);
  });

  void test('parses every path it formats back into the same route', () => {
    for (const route of EVERY_ROUTE) assert.deepEqual(parseRoute(formatRoute(route)), route, formatRoute(route));
  });

  void test('gives parameters their types', () => {
    const route = parseRoute(`/cases/${ARRIVE}/documents/2`);
    assert.deepEqual(route, { name: 'document', arriveId: ARRIVE, n: 2 });
    assert.equal(typeof (route as { n: unknown }).n, 'number');
  });

  void test('tolerates trailing slashes, a query or a fragment', () => {
    assert.deepEqual(parseRoute('/settings/'), { name: 'settings' });
    assert.deepEqual(parseRoute(`/cases/${ARRIVE}?tab=1`), { name: 'case', arriveId: ARRIVE });
    assert.deepEqual(parseRoute('/identity#top'), { name: 'identity' });
    assert.deepEqual(parseRoute(''), { name: 'home' });
  });

  void test('refuses unknown paths and invalid parameters', () => {
    for (const path of ['/nope', '/cases/abc', '/cases//documents/1', `/cases/${ARRIVE}/documents/0`, `/cases/${ARRIVE}/documents/01`, `/cases/${ARRIVE}/documents/x`, `/cases/${ARRIVE}/extra`, '/cases/%E0%A4%A', `/cases/${'1'.repeat(25)}`, '/Settings', '/applications/sends/..', '/applications/sends/0F8FAD5B-D9CB-469F-A165-70867728950E', '/applications/sends/0f8fad5b', '/notices/0', '/notices/01', '/notices/-1', '/notices/1.5', '/notices/1e3', '/notices/x', '/notices/9007199254740992', `/notices/${'9'.repeat(400)}`, '/notices', '/notices/1/2', `/cases/${ARRIVE}/amend/1`, '/cases/abc/amend']) {
      assert.equal(parseRoute(path), null, path);
    }
  });

  void test('compares routes by what they name', () => {
    assert.ok(sameRoute({ name: 'case', arriveId: ARRIVE }, { name: 'case', arriveId: ARRIVE }));
    assert.ok(!sameRoute({ name: 'case', arriveId: ARRIVE }, { name: 'case', arriveId: '1' }));
    assert.ok(!sameRoute({ name: 'document', arriveId: ARRIVE, n: 1 }, { name: 'document', arriveId: ARRIVE, n: 2 }));
  });

  void test('puts a case and its documents under 案件 in the menu', () => {
    assert.equal(sectionOf({ name: 'case', arriveId: ARRIVE }), 'cases');
    assert.equal(sectionOf({ name: 'document', arriveId: ARRIVE, n: 1 }), 'cases');
    assert.equal(sectionOf({ name: 'withdraw', arriveId: ARRIVE }), 'cases');
    assert.equal(sectionOf({ name: 'amend', arriveId: ARRIVE }), 'cases');
    assert.equal(sectionOf({ name: 'sends' }), 'applications');
    assert.equal(sectionOf({ name: 'batch', entryId: '0f8fad5b-d9cb-469f-a165-70867728950e' }), 'applications');
    assert.equal(sectionOf({ name: 'documents' }), 'documents');
    assert.equal(sectionOf({ name: 'notice', id: 7 }), 'documents', 'a notice is under 公文書');
    assert.equal(sectionOf({ name: 'amend', arriveId: ARRIVE }), 'cases', 'the 補正 workbench is under its case');
    assert.equal(sectionOf({ name: 'settings' }), 'settings');
  });

  void test('reads a 到達番号 as a person types it', () => {
    assert.equal(normalizeArriveId(ARRIVE), ARRIVE);
    assert.equal(normalizeArriveId('９００２０１５０００２４３９３１'), ARRIVE);
    assert.equal(normalizeArriveId(' 9002-0150-0024-3931 '), ARRIVE);
    assert.equal(normalizeArriveId(''), null);
    assert.equal(normalizeArriveId('90020A'), null);
    assert.equal(normalizeArriveId('1'.repeat(25)), null);
  });
});

void describe('history', () => {
  const home: Route = { name: 'home' };
  const settings: Route = { name: 'settings' };
  const certificates: Route = { name: 'certificates' };
  const aCase: Route = { name: 'case', arriveId: ARRIVE };

  void test('starts with one entry and nowhere to go', () => {
    const h = createHistory(home);
    assert.deepEqual(currentRoute(h), home);
    assert.ok(!canGoBack(h));
    assert.ok(!canGoForward(h));
    assert.equal(goBack(h), h);
    assert.equal(goForward(h), h);
  });

  void test('moves one step back and forward at a time', () => {
    let h = pushRoute(pushRoute(pushRoute(createHistory(home), settings), certificates), aCase);
    assert.deepEqual(currentRoute(h), aCase);
    h = goBack(h);
    assert.deepEqual(currentRoute(h), certificates);
    h = goBack(h);
    assert.deepEqual(currentRoute(h), settings);
    h = goForward(h);
    assert.deepEqual(currentRoute(h), certificates);
    assert.ok(canGoBack(h) && canGoForward(h));
  });

  void test('going somewhere new drops the entries ahead', () => {
    let h = pushRoute(pushRoute(createHistory(home), settings), certificates);
    h = goBack(goBack(h));
    h = pushRoute(h, aCase);
    assert.deepEqual(h.entries, [home, aCase]);
    assert.ok(!canGoForward(h));
  });

  void test('the route already shown adds no entry', () => {
    const h = pushRoute(createHistory(home), settings);
    assert.equal(pushRoute(h, { name: 'settings' }), h);
    assert.equal(h.entries.length, 2);
  });

  void test('replacing changes the current entry only', () => {
    const h = replaceRoute(pushRoute(createHistory(home), settings), certificates);
    assert.deepEqual(h.entries, [home, certificates]);
    assert.equal(h.index, 1);
  });

  void test('keeps at most MAX_ENTRIES, forgetting the oldest', () => {
    let h = createHistory(home);
    for (let i = 1; i <= MAX_ENTRIES + 10; i++) h = pushRoute(h, { name: 'case', arriveId: String(i) });
    assert.equal(h.entries.length, MAX_ENTRIES);
    assert.equal(h.index, MAX_ENTRIES - 1);
    assert.deepEqual(currentRoute(h), { name: 'case', arriveId: String(MAX_ENTRIES + 10) });
    assert.deepEqual(h.entries[0], { name: 'case', arriveId: '11' });
  });

  void test('never changes the state it is given', () => {
    const h = pushRoute(createHistory(home), settings);
    const copy = structuredClone(h);
    goBack(h);
    pushRoute(goBack(h), aCase);
    replaceRoute(h, aCase);
    assert.deepEqual(h, copy);
  });
});

void describe('history keys and mouse buttons', () => {
  const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({ key: k, altKey: false, ctrlKey: false, metaKey: false, shiftKey: false, ...mods });
  const pc = { mac: false, editing: false };
  const mac = { mac: true, editing: false };

  void test('Alt+← goes back and Alt+→ forward', () => {
    assert.equal(keyMove(key('ArrowLeft', { altKey: true }), pc), 'back');
    assert.equal(keyMove(key('ArrowRight', { altKey: true }), pc), 'forward');
    // in a text field too: on Windows and Linux Alt+arrow does not edit text
    assert.equal(keyMove(key('ArrowLeft', { altKey: true }), { mac: false, editing: true }), 'back');
  });

  void test('arrows alone or with other modifiers do nothing', () => {
    assert.equal(keyMove(key('ArrowLeft'), pc), null);
    assert.equal(keyMove(key('ArrowLeft', { altKey: true, shiftKey: true }), pc), null);
    assert.equal(keyMove(key('ArrowLeft', { altKey: true, ctrlKey: true }), pc), null);
    assert.equal(keyMove(key('ArrowUp', { altKey: true }), pc), null);
  });

  void test('the keyboard’s own Back and Forward keys work', () => {
    assert.equal(keyMove(key('BrowserBack'), pc), 'back');
    assert.equal(keyMove(key('BrowserForward'), pc), 'forward');
  });

  void test('on a Mac ⌘[ / ⌘] work, and ⌥← in a text field stays word movement', () => {
    assert.equal(keyMove(key('[', { metaKey: true }), mac), 'back');
    assert.equal(keyMove(key(']', { metaKey: true }), mac), 'forward');
    assert.equal(keyMove(key('ArrowLeft', { altKey: true }), mac), 'back');
    assert.equal(keyMove(key('ArrowLeft', { altKey: true }), { mac: true, editing: true }), null);
    assert.equal(keyMove(key('[', { metaKey: true }), pc), null);
  });

  void test('mouse buttons 3 and 4 are back and forward', () => {
    assert.equal(mouseMove(3), 'back');
    assert.equal(mouseMove(4), 'forward');
    for (const button of [0, 1, 2]) assert.equal(mouseMove(button), null);
  });
});
