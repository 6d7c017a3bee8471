// Integration: the 補正 workbench through the core's one door (createApp().dispatch) against a real
// in-process sandbox. A batch sent with batch.send becomes two cases; case.amendmentDraft lays out the
// application Todoke sent (found in the outbox's recorded request) and reopens it; a replacement picked
// by path shows as a field-level diff and is undone by case.amendmentRestore; a case's draft can be
// made from a folder instead; hostile paths and names are refused at the door or by the core, and the
// picked file changing afterwards does not change the draft. Then the 補正 is sent: refused by e-Gov
// (the recorded HTTP 500) while the case is neither 補正待ち nor re-submittable, and explained as such;
// accepted once the ministry asked for a correction, with its own 到達番号 linked to the original.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { AmendmentDraftView, AmendmentView, CaseAmendmentView } from '../../src/shared/amendment.js';
import type { CasePageView, CaseDetailView } from '../../src/shared/case.js';
import type { BatchView } from '../../src/shared/filing.js';
import { createApp, type App } from '../../src/main/app/create-app.js';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/server.js';
import { makeBatchFolders } from '../support/application-folders.js';
import { scratchHome } from '../support/home.js';
import { egovDir, repoRoot } from '../support/paths.js';
import { dispatchFails, dispatchOk, until as waitUntil } from '../support/app-calls.js';

const pki = join(repoRoot, 'assets', 'sandbox-pki');
const PASSWORD = 'todoke';
const FORM = '900A01020000100001_01.xml';

let sandbox: SandboxHandle;
let home: string;
let app: App;
let prompts = 0;

before(async () => {
  sandbox = await startSandbox({ dataDir: scratchHome('todoke-sandbox-am-'), formatCheckDelayMs: 0 });
  home = scratchHome('todoke-app-am-');
  app = createApp({
    host: 'harness',
    version: 'test',
    home,
    sandbox: async () => ({ baseUrl: sandbox.apiBaseUrl, softwareId: sandbox.softwareIds[0] ?? '', caPem: null }),
    follow: { schedule: [50, 100, 200], intervalMs: 200, backoffMaxMs: 400 },
    poll: { intervalMs: 3_600_000, firstDelayMs: 3_600_000 },
    onUnexpected: (op, e) => {
      throw new Error(`unexpected failure in ${op}: ${String(e)}`);
    },
  });
  app.events.subscribe((event) => {
    if (event.name === 'credential.request') {
      prompts++;
      setImmediate(() => void app.dispatch('credential.answer', { requestId: event.payload.requestId, secret: PASSWORD }));
    }
  });
  await ok('identity.setup', {
    environment: { kind: 'sandbox' },
    signer: { kind: 'file', fileName: 'yamada-taro.p12', dataBase64: readFileSync(join(pki, 'yamada-taro.p12')).toString('base64'), password: PASSWORD },
    userId: `todoke-am-${process.pid}`,
    mode: 'register',
  });
});

after(async () => {
  app?.close();
  await sandbox?.close();
});

const ok = <T>(name: string, args: unknown = {}): Promise<T> => dispatchOk<T>(app, name, args);

// these waits are 10 s (500 asks), as they were
const until = <T>(find: () => T | undefined | false | Promise<T | undefined | false>): Promise<T> => waitUntil(find, 500);
const fails = (name: string, args: unknown) => dispatchFails(app, name, args);

let first = '';
let second = '';

void describe('the 補正 workbench through the core', () => {
  test('a batch sent through batch.send arrives as two cases', async () => {
    const sent = await ok<BatchView>('batch.send', { jobId: `job-am-${process.pid}`, paths: makeBatchFolders(join(home, 'data')) });
    await until(async () => (await ok<BatchView[]>('batch.list')).find((b) => b.id === sent.id && b.state === 'done'));
    const page = await ok<CasePageView>('case.list', {});
    first = page.cases.find((c) => c.procedureFolderName.startsWith('900A010200001000'))!.arriveId;
    second = page.cases.find((c) => c.arriveId !== first)!.arriveId;
    for (const c of page.cases) assert.equal(c.amendmentOf, null);
  });

  test('case.amendmentDraft lays out the application Todoke sent, and reopens the same draft', async () => {
    const asked = prompts;
    // the case screen peeks: the 補正 listed, no working copy made
    const peeked = await ok<AmendmentDraftView>('case.amendmentDraft', { arriveId: first, peek: true });
    assert.deepEqual([peeked.draftId, peeked.files, peeked.allowed, peeked.amendments], [null, [], false, []]);
    assert.equal((await ok<AmendmentDraftView>('case.amendmentDraft', { arriveId: first, peek: true })).draftId, null, 'still none after a second look');
    const draft = await ok<AmendmentDraftView>('case.amendmentDraft', { arriveId: first });
    assert.equal(draft.source, 'outbox');
    assert.match(draft.draftId ?? '', /^[0-9a-f-]{36}$/);
    assert.deepEqual(draft.files.map((f) => [f.name, f.replaced, f.change]), [['kousei.xml', false, 'same'], [FORM, false, 'same'], ['tenpu.txt', false, 'same']]);
    assert.equal(draft.files[1]!.size, readFileSync(join(egovDir, 'samples', FORM)).length);
    assert.deepEqual([draft.changed, draft.allowed, draft.blockedReason, draft.amendments], [false, true, null, []]);
    assert.equal((await ok<AmendmentDraftView>('case.amendmentDraft', { arriveId: first })).draftId, draft.draftId);
    assert.equal((await ok<AmendmentDraftView>('case.amendmentDraft', { arriveId: first, peek: true })).draftId, draft.draftId, 'a peek shows the draft once made');
    assert.notEqual((await ok<AmendmentDraftView>('case.amendmentDraft', { arriveId: first, fresh: true })).draftId, draft.draftId);
    assert.equal(prompts, asked, 'no PIN for a draft');
    assert.equal((await fails('case.amendmentDraft', { arriveId: '9002099000000001' })).code, 'CASE_NOT_FOUND');
  });

  test('a replacement shows as a field diff, survives the picked file changing, and is undone by restore', async () => {
    const { draftId } = await ok<AmendmentDraftView>('case.amendmentDraft', { arriveId: first });
    const picked = join(scratchHome(), 'corrected.xml');
    writeFileSync(picked, readFileSync(join(egovDir, 'samples', FORM), 'utf8').replace('<年>59</年>', '<年>60</年>'));
    const replaced = await ok<AmendmentDraftView>('case.amendmentReplace', { arriveId: first, draftId, fileName: FORM, path: picked });
    writeFileSync(picked, 'changed after it was picked');
    const form = replaced.files.find((f) => f.name === FORM)!;
    assert.deepEqual([form.replaced, form.change, replaced.changed], [true, 'changed', true]);
    assert.deepEqual(form.fields?.changes.map((c) => [c.path.endsWith('/年'), c.before, c.after, c.change]), [[true, '59', '60', 'changed']]);
    const reopened = await ok<AmendmentDraftView>('case.amendmentDraft', { arriveId: first });
    assert.deepEqual(reopened.files.find((f) => f.name === FORM)?.fields?.changes.length, 1);
    const restored = await ok<AmendmentDraftView>('case.amendmentRestore', { arriveId: first, draftId, fileName: FORM });
    assert.deepEqual([restored.changed, restored.files.find((f) => f.name === FORM)!.replaced], [false, false]);
  });

  test('hostile paths and names are refused at the door or by the core', async () => {
    const { draftId } = await ok<AmendmentDraftView>('case.amendmentDraft', { arriveId: first });
    assert.equal((await fails('case.amendmentReplace', { arriveId: first, draftId, fileName: FORM, path: 'relative.xml' })).code, 'INVALID_ARGUMENT');
    assert.equal((await fails('case.amendmentReplace', { arriveId: first, draftId, fileName: '../kousei.xml', path: '/tmp/x' })).code, 'INVALID_ARGUMENT');
    assert.equal((await fails('case.amendmentReplace', { arriveId: first, draftId, fileName: FORM, path: join(home, 'missing.xml') })).code, 'AMENDMENT_DRAFT_INVALID');
    assert.equal((await fails('case.amendmentReplace', { arriveId: first, draftId, fileName: FORM, path: home })).code, 'AMENDMENT_DRAFT_INVALID');
    assert.equal((await fails('case.amendmentReplace', { arriveId: first, draftId: '00000000-0000-4000-8000-000000000000', fileName: FORM, path: '/tmp/x' })).code, 'AMENDMENT_DRAFT_INVALID');
    assert.equal((await fails('case.amendmentRestore', { arriveId: first, draftId, fileName: 'tenpu.txt' })).code, 'AMENDMENT_DRAFT_INVALID');
    assert.equal((await fails('case.amendmentRefresh', { entryId: '00000000-0000-4000-8000-000000000000' })).code, 'AMENDMENT_WRONG_STATE');
  });

  test('a draft from a folder the person gives (a case filed elsewhere, or to start over)', async () => {
    const folder = join(scratchHome(), '900A010002008000(1)');
    mkdirSync(folder);
    writeFileSync(join(folder, 'kousei.xml'), readFileSync(join(egovDir, 'samples', '900A010002008000_base_kousei.xml')));
    writeFileSync(join(folder, '900A01000200800001_01.xml'), readFileSync(join(egovDir, 'samples', '900A01000200800001_01.xml')));
    const draft = await ok<AmendmentDraftView>('case.amendmentDraft', { arriveId: second, folder });
    assert.equal(draft.source, 'folder');
    assert.deepEqual(draft.files.map((f) => f.name), ['kousei.xml', '900A01000200800001_01.xml']);
    assert.equal((await fails('case.amendmentDraft', { arriveId: second, folder: join(folder, 'missing') })).code.length > 0, true);
    const detail = await ok<CaseDetailView>('case.get', { arriveId: second });
    assert.equal(detail.amendmentOf, null);
    const none: CaseAmendmentView[] = draft.amendments;
    assert.deepEqual(none, []);
  });

  test('case.amend on a case that is not 補正待ち: e-Gov answers 500, 状況照会 decides it was refused, nothing is resent', async () => {
    const { draftId } = await ok<AmendmentDraftView>('case.amendmentDraft', { arriveId: first, fresh: true });
    const picked = join(scratchHome(), 'corrected.xml');
    writeFileSync(picked, readFileSync(join(egovDir, 'samples', FORM), 'utf8').replace('<年>59</年>', '<年>60</年>'));
    await ok<AmendmentDraftView>('case.amendmentReplace', { arriveId: first, draftId, fileName: FORM, path: picked });
    const e = await fails('case.amend', { arriveId: first, draftId: draftId! });
    assert.equal(e.code, 'AMENDMENT_INELIGIBLE', e.messageJa);
    assert.match(e.messageJa, /補正待ち/);
    const draft = await ok<AmendmentDraftView>('case.amendmentDraft', { arriveId: first });
    assert.equal(draft.amendments.length, 1);
    assert.equal(draft.amendments[0]!.state, 'failed');
    // what the case screen shows of it: Japanese words, not the protocol
    assert.equal(draft.amendments[0]!.failure?.code, 'AMENDMENT_INELIGIBLE');
    assert.match(draft.amendments[0]!.failure?.message ?? '', /^e-Gov は補正を受け付けませんでした（HTTP 500）。状況照会では案件は「[^」]+」のままで/);
    assert.doesNotMatch(draft.amendments[0]!.failure?.message ?? '', /ReintroductionFlag/);
  });

  test('case.amend once the ministry asked for a correction: sent once, the new 到達番号 linked both ways', async () => {
    await sandbox.issueNotice({ action: 'issue-correction', arriveId: first, text: '年を修正してください。' });
    const { draftId } = await ok<AmendmentDraftView>('case.amendmentDraft', { arriveId: first });
    assert.equal((await ok<AmendmentDraftView>('case.amendmentDraft', { arriveId: first })).changed, true, 'the replacement is still in the draft');
    const asked = prompts;
    const sent = await ok<AmendmentView>('case.amend', { arriveId: first, draftId: draftId! });
    assert.equal(sent.state, 'done');
    assert.match(sent.newArriveId ?? '', /^\d{16,18}$/);
    assert.notEqual(sent.newArriveId, first);
    assert.equal(prompts, asked + 1, 'one PIN for the re-signed kousei.xml');
    const created = await ok<CaseDetailView>('case.get', { arriveId: sent.newArriveId! });
    assert.equal(created.amendmentOf, first);
    const original = await ok<AmendmentDraftView>('case.amendmentDraft', { arriveId: first });
    assert.ok(original.amendments.some((a) => a.entryId === sent.entryId && a.newArriveId === sent.newArriveId));
    // the sent draft is spent: the workbench now starts from what the 補正 sent, nothing shown as changed
    assert.notEqual(original.draftId, draftId);
    assert.deepEqual([original.source, original.changed], ['amendment', false]);
    assert.match(readFileSync(join(home, 'profiles', 'default', 'amendments', first, original.draftId!, 'filed', FORM), 'utf8'), /<年>60<\/年>/, 'the corrected form is now the filed one');
    assert.equal((await ok<AmendmentDraftView>('case.amendmentDraft', { arriveId: first })).draftId, original.draftId, 'laid out once');
    // the ministry's side: the original is no longer waiting for a correction
    const status = await ok<CaseDetailView>('case.refresh', { arriveId: first });
    assert.notEqual(status.status, '審査中（補正待ち）');
    // a second 補正 minutes later, the case no longer 補正待ち: e-Gov's 500 is judged a refusal — the
    // first 補正's event in the history is not taken for this one's
    const again = await fails('case.amend', { arriveId: first, draftId: draftId! });
    assert.equal(again.code, 'AMENDMENT_INELIGIBLE', again.messageJa);
    const after = await ok<AmendmentDraftView>('case.amendmentDraft', { arriveId: first });
    assert.equal(after.amendments.filter((a) => a.state === 'done').length, 1);
  });
});
