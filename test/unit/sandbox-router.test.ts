// Unit (Node): the sandbox's route table matcher — literals, path parameters, matrix parameters
// (`;id=`, `;date=`), percent-encoding, unknown routes, wrong methods — and the routes the sandbox
// serves through it (authentication family and 一括申請 family), including the 404 answers of today.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePath, Router, type Route } from '../../src/sandbox/http/router.js';
import { AUTHENTICATION_ROUTES } from '../../src/sandbox/routes/authentication.js';
import { startTestSandbox, SOFTWARE_ID, rawRequest } from '../integration/sandbox-support.js';

const routes: Array<Route<string>> = [
  { method: 'POST', pattern: '/shinsei/1/access/apply', api: 'apply', handler: 'apply' },
  { method: 'GET', pattern: '/shinsei/1/access/apply;id={sendNumber}', api: 'sends', handler: 'byId' },
  { method: 'GET', pattern: '/shinsei/1/access/apply;date={range}', api: 'sends', handler: 'byDate' },
  { method: 'GET', pattern: '/shinsei/1/access/apply/{sendNumber}', api: 'applies', handler: 'applies' },
  { method: 'GET', pattern: '/shinsei/1/access/officialdocument/{arriveId}/{noticeSubId}', api: 'doc', handler: 'doc' },
  { method: 'PUT', pattern: '/shinsei/1/access/officialdocument', api: 'done', handler: 'done' },
];
const router = new Router(routes);

function found(method: string, path: string): { handler: string; params: Record<string, string> } {
  const m = router.match(method, path);
  assert.equal(m.kind, 'found', `${method} ${path}`);
  if (m.kind !== 'found') throw new Error('unreachable');
  return { handler: m.route.handler, params: { ...m.params } };
}

void describe('Router', () => {
  void it('matches literals, path parameters and matrix parameters, and binds them', () => {
    assert.deepEqual(found('POST', '/shinsei/1/access/apply'), { handler: 'apply', params: {} });
    assert.deepEqual(found('GET', '/shinsei/1/access/apply;id=201503090951504109'), { handler: 'byId', params: { sendNumber: '201503090951504109' } });
    assert.deepEqual(found('GET', '/shinsei/1/access/apply;date=20150301-20150310'), { handler: 'byDate', params: { range: '20150301-20150310' } });
    assert.deepEqual(found('GET', '/shinsei/1/access/apply/201503090951504109'), { handler: 'applies', params: { sendNumber: '201503090951504109' } });
    assert.deepEqual(found('GET', '/shinsei/1/access/officialdocument/9002015000243931/2'), { handler: 'doc', params: { arriveId: '9002015000243931', noticeSubId: '2' } });
    assert.deepEqual(found('PUT', '/shinsei/1/access/officialdocument'), { handler: 'done', params: {} });
  });

  void it('decodes each part after splitting: %3B and %2F are data, %61 is a letter', () => {
    assert.deepEqual(found('GET', '/shinsei/1/%61ccess/apply;%69d=12%33'), { handler: 'byId', params: { sendNumber: '123' } });
    assert.deepEqual(found('GET', '/shinsei/1/access/apply/a%2Fb'), { handler: 'applies', params: { sendNumber: 'a/b' } });
    assert.equal(router.match('GET', '/shinsei/1/access/apply%3Bid=1').kind, 'notFound');
    assert.equal(router.match('GET', '/shinsei/1/access/apply/%E3%81').kind, 'notFound', 'broken percent-encoding');
    assert.deepEqual(found('GET', '/shinsei/1/access/apply;date=%E4%BB%8A%E6%97%A5'), { handler: 'byDate', params: { range: '今日' } });
  });

  void it('refuses other matrix keys, several, repeated or missing values, trailing slashes, extra or missing segments, other case', () => {
    for (const path of [
      '/shinsei/1/access/apply;x=1',
      '/shinsei/1/access/apply;id=1;date=20150101-20150101',
      '/shinsei/1/access/apply;id=1;id=2',
      '/shinsei/1/access/apply;id',
      '/shinsei/1/access/apply;id=',
      '/shinsei/1/access/apply/',
      '/shinsei/1/access/apply//',
      '/shinsei/1/access/apply/1/2',
      '/shinsei/1/access/apply/1;id=2',
      '/shinsei/1/access/Apply;id=1',
      '/shinsei/1/access;id=1/apply',
      '/shinsei/1/access/officialdocument/1',
      'shinsei/1/access/apply',
      '/',
    ]) {
      assert.equal(router.match('GET', path).kind, 'notFound', path);
    }
  });

  void it('a known path with another method: methodNotAllowed listing the methods it has', () => {
    const m = router.match('DELETE', '/shinsei/1/access/apply');
    assert.equal(m.kind, 'methodNotAllowed');
    if (m.kind === 'methodNotAllowed') {
      assert.deepEqual(m.allow, ['POST']);
      assert.equal(m.route.api, 'apply');
    }
    const get = router.match('POST', '/shinsei/1/access/apply;id=1');
    assert.equal(get.kind, 'methodNotAllowed');
    if (get.kind === 'methodNotAllowed') assert.deepEqual(get.allow, ['GET']);
    assert.equal(router.routeOf('/shinsei/1/access/officialdocument')?.handler, 'done');
    assert.equal(router.routeOf('/nothing'), null);
  });

  void it('parsePath keeps empty segments and matrix values', () => {
    assert.deepEqual(
      parsePath('/a;k=v/b/')?.map((s) => [s.name, [...s.matrix]]),
      [
        ['a', [['k', 'v']]],
        ['b', []],
        ['', []],
      ],
    );
    assert.equal(parsePath('no-slash'), null);
  });

  void it('refuses malformed patterns when the table is built', () => {
    assert.throws(() => new Router([{ method: 'GET', pattern: 'x', api: 'x', handler: 1 }]));
    assert.throws(() => new Router([{ method: 'GET', pattern: '/a;k', api: 'x', handler: 1 }]));
    assert.throws(() => new Router([{ method: 'GET', pattern: '/a{b}', api: 'x', handler: 1 }]));
  });

  void it('the authentication table is the five signed APIs, POST only', () => {
    const auth = new Router(AUTHENTICATION_ROUTES);
    assert.equal(AUTHENTICATION_ROUTES.length, 5);
    for (const r of AUTHENTICATION_ROUTES) assert.equal(auth.match('POST', r.pattern).kind, 'found');
    assert.equal(auth.match('POST', '/shinsei/1/authentication/login;x=1').kind, 'notFound');
    assert.equal(auth.match('GET', '/shinsei/1/authentication/login').kind, 'methodNotAllowed');
  });
});

void describe('sandbox routing through the tables', () => {
  void it('unknown URIs stay 404 in the family of the sub-tree; a wrong method on an access API is 405 with Allow', async () => {
    const t = await startTestSandbox();
    try {
      const headers = { 'x-eGovAPI-SoftwareID': SOFTWARE_ID };
      const authUnknown = await rawRequest(t.sandbox.url, '/shinsei/1/authentication/nothing', { method: 'POST', headers, body: 'x' });
      assert.equal(authUnknown.status, 404);
      assert.ok(!authUnknown.text.startsWith('<?xml'), 'authentication family error: no declaration');
      const other = await rawRequest(t.sandbox.url, '/shinsei/1/nothing', { method: 'GET', headers });
      assert.equal(other.status, 404);
      assert.ok(other.text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\r\n'));
      // the key guard comes before the route table: an unknown /access/ URI without a key is 401
      assert.equal((await rawRequest(t.sandbox.url, '/shinsei/1/access/nothing', { method: 'GET', headers })).status, 401);
    } finally {
      await t.close();
    }
  });
});
