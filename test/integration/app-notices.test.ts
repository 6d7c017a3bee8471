// Integration: 補正通知, コメント and 公文書 through the core's one door (createApp().dispatch), against a
// real in-process sandbox behind a forwarding proxy that counts requests (and, when asked, drops the
// connection after the sandbox answered a 取得完了). The operator issues notices on a case Todoke
// filed; a sync cycle finds them and the background fetch keeps them in the vault, verifies the
// 公文書 (Todoke's check and e-Gov's), then confirms 取得完了 — and a 取得完了 whose answer was lost is
// sent again at the next start, after the ZIP was already kept. A tampered 公文書, one from an unknown
// CA and one from an expired 官職 certificate are kept and never shown as valid.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CasePageView, SyncCycleView } from '../../src/shared/case.js';
import type { NoticeDetailView, NoticePageView, NoticeSummaryView } from '../../src/shared/documents.js';
import type { BatchView } from '../../src/shared/filing.js';
import { createApp, type App } from '../../src/main/app/create-app.js';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/server.js';
import { makeBatchFolders } from '../support/application-folders.js';
import { startFaultServer, type FaultServer } from '../support/fault-server.js';
import { scratchHome } from '../support/home.js';
import { repoRoot } from '../support/paths.js';
import { rawRequest } from './sandbox-support.js';
import { dispatchFails, dispatchOk, until } from '../support/app-calls.js';

const pki = join(repoRoot, 'assets', 'sandbox-pki');
const PASSWORD = 'todoke';
const DONE_PATHS = new Set(['/shinsei/1/access/officialdocument', '/shinsei/1/access/comment']);

let sandbox: SandboxHandle;
let proxy: FaultServer;
/** the proxy drops the connection after the sandbox answered a 取得完了 */
let dropDone = false;
let home: string;
let app: App;
const apps: App[] = [];
const printed: string[] = [];

function makeApp(): App {
  const a = createApp({
    host: 'harness',
    version: 'test',
    home,
    sandbox: async () => ({ baseUrl: proxy.baseUrl, softwareId: sandbox.softwareIds[0] ?? '', caPem: null }),
    trainingCertificatesDir: pki,
    follow: { schedule: [50, 100, 200], intervalMs: 200, backoffMaxMs: 400 },
    poll: { intervalMs: 3_600_000, firstDelayMs: 3_600_000 },
    printPdf: async (html) => {
      printed.push(html);
      return Buffer.from('%PDF-1.4 printed by the test host');
    },
    onUnexpected: (op, e) => {
      throw new Error(`unexpected failure in ${op}: ${String(e)}`);
    },
  });
  a.events.subscribe((event) => {
    if (event.name === 'credential.request') setImmediate(() => void a.dispatch('credential.answer', { requestId: event.payload.requestId, secret: PASSWORD }));
  });
  apps.push(a);
  return a;
}

const ok = <T>(name: string, args: unknown = {}, on: App = app): Promise<T> => dispatchOk<T>(on, name, args);

const fails = (name: string, args: unknown, on: App = app) => dispatchFails(on, name, args);

const posts = (method: string, path: string) => proxy.requests.filter((r) => r.method === method && r.url === path).length;
const doneCalls = () => proxy.requests.filter((r) => r.method === 'PUT' && DONE_PATHS.has(r.url)).length;

async function inboxOf(arriveId: string, on: App = app): Promise<NoticeSummaryView[]> {
  return (await ok<NoticePageView>('notice.inbox', { arriveId }, on)).items;
}

let arriveId = '';
let other = '';

before(async () => {
  sandbox = await startSandbox({ dataDir: scratchHome('todoke-sandbox-nt-'), formatCheckDelayMs: 0 });
  proxy = await startFaultServer();
  proxy.handle(async (req) => {
    const headers: Record<string, string> = {};
    for (const name of ['x-egovapi-softwareid', 'x-egovapi-accesskey', 'content-type']) {
      const v = req.headers[name];
      if (typeof v === 'string') headers[name] = v;
    }
    const res = await rawRequest(sandbox.url, req.url, { method: req.method, headers, ...(req.body.length ? { body: req.body } : {}) });
    if (dropDone && req.method === 'PUT' && DONE_PATHS.has(req.url)) return { kind: 'drop' };
    return { kind: 'respond', status: res.status, body: res.body };
  });
  home = scratchHome('todoke-app-nt-');
  app = makeApp();
  await ok('identity.setup', {
    environment: { kind: 'sandbox' },
    signer: { kind: 'file', fileName: 'yamada-taro.p12', dataBase64: readFileSync(join(pki, 'yamada-taro.p12')).toString('base64'), password: PASSWORD },
    userId: `todoke-nt-${process.pid}`,
    mode: 'register',
  });
  const sent = await ok<BatchView>('batch.send', { jobId: `job-nt-${process.pid}`, paths: makeBatchFolders(join(home, 'data')) });
  await until(async () => (await ok<BatchView[]>('batch.list')).find((b) => b.id === sent.id && b.state === 'done'));
  const page = await ok<CasePageView>('case.list', {});
  arriveId = page.cases[0]!.arriveId;
  other = page.cases[1]!.arriveId;
});

after(async () => {
  for (const a of apps) a.close();
  await proxy?.close();
  await sandbox?.close();
});

void describe('notices through the core', () => {
  test('before anything is issued the inbox is empty, and a case without notices fetches nothing new', async () => {
    assert.deepEqual(await ok<NoticePageView>('notice.inbox', {}), { items: [], next: null, total: 0, unread: 0 });
    assert.deepEqual(await ok('notice.unread', {}), { total: 0, byKind: { amend: 0, document: 0, comment: 0 } });
    assert.deepEqual(await ok<NoticeSummaryView[]>('notice.fetch', { arriveId }), []);
  });

  test('issued by the operator, found by a sync cycle: kept, verified twice, rendered, confirmed 取得完了', async () => {
    await sandbox.issueNotice({ action: 'issue-document', arriveId, title: '雇用保険被保険者資格取得確認通知書', text: '確認しました。', pdf: true });
    await sandbox.issueNotice({ action: 'issue-comment', arriveId, text: '添付書類を確認しています。' });
    await sandbox.issueNotice({ action: 'issue-correction', arriveId, text: '氏名のフリガナを修正してください。', deadline: '20991231' });
    const changed: string[] = [];
    app.events.subscribe((e) => {
      if (e.name === 'notice.changed') changed.push(`${e.payload.kind}:${e.payload.stage}`);
    });
    await ok<SyncCycleView>('sync.now');
    const items = await until(async () => {
      const list = await inboxOf(arriveId);
      return list.length === 3 && list.every((n) => n.stage === 'done') && list;
    });
    assert.deepEqual(items.map((n) => n.kind).sort(), ['amend', 'comment', 'document']);
    const doc = items.find((n) => n.kind === 'document')!;
    assert.equal(doc.title, '雇用保険被保険者資格取得確認通知書');
    assert.equal(doc.verdict, 'valid');
    await until(async () => (await inboxOf(arriveId)).find((n) => n.kind === 'document')?.remoteOk === true);
    const amend = items.find((n) => n.kind === 'amend')!;
    assert.equal(amend.deadline, '20991231');
    assert.ok(items.every((n) => n.readAt === null && n.procedureName.length > 0));
    assert.ok(changed.includes('document:done') && changed.includes('comment:done') && changed.includes('amend:done'), changed.join(' '));
    // e-Gov was told: the next list shows nothing left to download or read
    await ok<SyncCycleView>('sync.now');
    const c = await ok<{ docCountNotDownload: number; commentCountNotRead: number; correctStatus: string }>('case.get', { arriveId });
    assert.equal(c.docCountNotDownload, 0);
    assert.equal(c.commentCountNotRead, 0);
    assert.equal(c.correctStatus, 'あり');
  });

  test('notice.get shows the rendered document, its files, its text and both verifications, and marks it read', async () => {
    const doc = (await inboxOf(arriveId)).find((n) => n.kind === 'document')!;
    const detail = await ok<NoticeDetailView>('notice.get', { id: doc.id });
    assert.ok(detail.rendered);
    assert.match(detail.rendered.html, /雇用保険被保険者資格取得確認通知書/);
    assert.doesNotMatch(detail.rendered.html, /<script/i);
    assert.ok(detail.files.some((f) => f.media === 'pdf'));
    assert.ok(detail.files.some((f) => f.media === 'xml'));
    assert.match(detail.text, /確認しました。/);
    assert.equal(detail.verification?.local?.verdict, 'valid');
    assert.ok(detail.verification?.local?.checks.every((c) => c.ok === true));
    assert.equal(detail.verification?.remote?.ok, true);
    assert.match(detail.verification?.remote?.result.official?.validationResult ?? '', /正常/);
    assert.notEqual(detail.readAt, null);
    // the page the host serves for the frame: the same sanitised document
    assert.equal((await ok<{ html: string }>('notice.page', { id: doc.id })).html, detail.rendered.html);
    assert.equal((await fails('notice.page', { id: 999_999 })).code, 'NOTICE_NOT_FOUND');
    const after = (await inboxOf(arriveId)).find((n) => n.id === doc.id)!;
    assert.notEqual(after.readAt, null);
    const page = await ok<NoticePageView>('notice.inbox', { arriveId });
    assert.equal(page.unread, 2);
    // unread first
    assert.equal(page.items.at(-1)?.id, doc.id);
    const comment = page.items.find((n) => n.kind === 'comment')!;
    const commentDetail = await ok<NoticeDetailView>('notice.get', { id: comment.id });
    assert.equal(commentDetail.verification, null);
    assert.match(commentDetail.text, /添付書類を確認しています。/);
    assert.ok(commentDetail.rendered?.html.includes('添付書類を確認しています。'));
    // the search: by title, and through the case's 手続名称; the counts follow it
    const byTitle = await ok<NoticePageView>('notice.inbox', { text: '雇用保険被保険者資格取得確認通知書' });
    assert.deepEqual([byTitle.items.map((n) => n.id), byTitle.total], [[doc.id], 1]);
    assert.equal((await ok<NoticePageView>('notice.inbox', { text: arriveId.slice(-8) })).total, page.total);
    assert.deepEqual(await ok<NoticePageView>('notice.inbox', { text: 'どの通知にもない言葉' }), { items: [], next: null, total: 0, unread: 0 });
    // the unread counts ホーム shows: one count, the same as the inbox's per kind
    const unread = await ok<{ total: number; byKind: Record<'amend' | 'document' | 'comment', number> }>('notice.unread', {});
    for (const kind of ['amend', 'document', 'comment'] as const) {
      assert.equal(unread.byKind[kind], (await ok<NoticePageView>('notice.inbox', { kind, unreadOnly: true })).total, kind);
    }
    assert.equal(unread.total, unread.byKind.amend + unread.byKind.document + unread.byKind.comment);
  });

  test('PDF, exports of the ZIP, the files and the rendered PDF, and a whole case', async () => {
    const doc = (await inboxOf(arriveId)).find((n) => n.kind === 'document')!;
    const detail = await ok<NoticeDetailView>('notice.get', { id: doc.id });
    const pdfName = detail.files.find((f) => f.media === 'pdf')!.name;
    const pdf = await ok<{ name: string; base64: string }>('notice.pdf', { id: doc.id, name: pdfName });
    assert.equal(Buffer.from(pdf.base64, 'base64').subarray(0, 5).toString('latin1'), '%PDF-');
    assert.equal((await fails('notice.pdf', { id: doc.id, name: detail.rendered!.fileName })).code, 'NOTICE_NO_PDF');
    const zip = await ok<{ path: string }>('notice.export', { id: doc.id, format: 'zip' });
    assert.equal(readFileSync(zip.path).subarray(0, 4).toString('latin1'), 'PK\u0003\u0004');
    const files = await ok<{ path: string }>('notice.export', { id: doc.id, format: 'files' });
    assert.deepEqual(readdirSync(files.path).sort(), detail.files.map((f) => f.name).sort());
    const printedPdf = await ok<{ path: string }>('notice.export', { id: doc.id, format: 'pdf' });
    assert.ok(printedPdf.path.endsWith('.pdf'));
    assert.match(printed.at(-1) ?? '', /雇用保険被保険者資格取得確認通知書/);
    const whole = await ok<{ path: string; count: number }>('notice.exportCase', { arriveId });
    assert.equal(whole.count, 3);
    assert.ok(existsSync(whole.path));
  });

  test('bad arguments are refused at the door; unknown notices are named', async () => {
    for (const args of [{}, { id: 0 }, { id: -1 }, { id: 1.5 }, { id: '1' }, { id: Number.MAX_SAFE_INTEGER + 2 }, { id: 1, extra: true }]) {
      assert.equal((await fails('notice.get', args)).code, 'INVALID_ARGUMENT', JSON.stringify(args));
    }
    assert.equal((await fails('notice.get', { id: 999_999 })).code, 'NOTICE_NOT_FOUND');
    assert.equal((await fails('notice.export', { id: 1, format: 'exe' })).code, 'INVALID_ARGUMENT');
    assert.equal((await fails('notice.pdf', { id: 1, name: '' })).code, 'INVALID_ARGUMENT');
    assert.equal((await fails('notice.inbox', { kind: 'letter' })).code, 'INVALID_ARGUMENT');
    assert.equal((await fails('notice.inbox', { after: '../../x' })).code, 'INVALID_ARGUMENT');
    for (const text of ['', 'x'.repeat(129), 42, null, ['a']]) assert.equal((await fails('notice.inbox', { text })).code, 'INVALID_ARGUMENT', JSON.stringify(text));
    assert.equal((await fails('notice.unread', { kind: 'document' })).code, 'INVALID_ARGUMENT');
    assert.equal((await fails('notice.fetch', { arriveId: '../etc' })).code, 'INVALID_ARGUMENT');
    const comment = (await inboxOf(arriveId)).find((n) => n.kind === 'comment')!;
    assert.equal((await fails('notice.verify', { id: comment.id })).code, 'NOTICE_NOT_A_DOCUMENT');
  });

  test('a tampered 公文書, one from an unknown CA and one from an expired 官職 certificate are kept, never valid', async () => {
    await sandbox.issueNotice({ action: 'issue-document', arriveId: other, title: '改ざん', tamper: true });
    await sandbox.issueNotice({ action: 'issue-document', arriveId: other, title: '未知の認証局', unknownCa: true });
    await sandbox.issueNotice({ action: 'issue-document', arriveId: other, title: '期限切れ', expiredSigner: true });
    await ok<NoticeSummaryView[]>('notice.fetch', { arriveId: other });
    const items = await inboxOf(other);
    const by = (title: string) => items.find((n) => n.title === title)!;
    assert.equal(by('改ざん').verdict, 'invalid');
    assert.equal(by('改ざん').remoteOk, false);
    assert.equal(by('未知の認証局').verdict, 'untrusted');
    assert.equal(by('未知の認証局').remoteOk, false);
    assert.equal(by('期限切れ').verdict, 'untrusted');
    assert.ok(items.every((n) => n.stage === 'done'), 'kept and confirmed all the same');
    const detail = await ok<NoticeDetailView>('notice.get', { id: by('改ざん').id });
    assert.ok(detail.verification?.local?.problems.some((p) => p.includes('変更されています')));
    assert.ok(detail.rendered, 'still shown, marked');
  });

  test('a 取得完了 whose answer was lost: the ZIP is kept, and 完了 is sent again at the next start', async () => {
    await sandbox.issueNotice({ action: 'issue-comment', arriveId, text: '二通目のコメント' });
    dropDone = true;
    const before = doneCalls();
    await ok<NoticeSummaryView[]>('notice.fetch', { arriveId });
    const kept = (await inboxOf(arriveId)).find((n) => n.kind === 'comment' && n.stage !== 'done')!;
    assert.equal(kept.stage, 'kept');
    assert.ok(kept.lastError, 'the failure is shown on the notice');
    assert.equal(doneCalls(), before + 1);
    app.close();
    dropDone = false;
    app = makeApp();
    await app.started;
    await until(async () => (await inboxOf(arriveId)).find((n) => n.id === kept.id)?.stage === 'done');
    assert.equal(doneCalls(), before + 2);
    const detail = await ok<NoticeDetailView>('notice.get', { id: kept.id });
    assert.match(detail.text, /二通目のコメント/);
    assert.equal(posts('GET', `/shinsei/1/access/comment/${arriveId}/2`), 1, 'downloaded once: the restart only confirmed');
  });
});
