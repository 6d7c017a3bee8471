// The 補正 workbench's store (src/renderer/stores/amendment.ts) over a fake core: opening lays out the
// draft, the newest 補正通知 and whether the case may be filed again; a picked file reaches the core as
// the path the host staged, one change at a time; a failure stays with the file it concerns and leaves
// the draft as it was; an answer for a case the person left is dropped; a folder, an attachment and
// starting over go to the right operations; sending carries a fresh job id and ends done, cancelled
// (PIN refused) or failed with the draft read again; a draft that changes nothing is never sent.
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type { AmendmentDraftView, AmendmentFileView, AmendmentView } from '../../src/shared/amendment.js';
import type { NoticeDetailView, NoticeSummaryView } from '../../src/shared/documents.js';
import type { ErrorPayload } from '../../src/shared/errors.js';
import { arrivedApplication } from '../support/arrived.js';

const ARRIVE = '9002026000000001';
const OTHER = '9002026000000002';
const DRAFT = '0f8fad5b-d9cb-469f-a165-70867728950e';
const FORM = '900A01020000100001_01.xml';

interface Call {
  op: string;
  args: Record<string, unknown>;
}

const calls: Call[] = [];
let files: AmendmentFileView[] = [];
let notices: NoticeSummaryView[] = [];
let reintroductionFlag = '0';
/** what the next call of an op answers instead of the usual (once) */
const failNext = new Map<string, ErrorPayload>();
/** holds an op's answer until released */
const gates = new Map<string, Promise<void>>();
let stagedPaths: string[] | null = null;

function error(code: string): ErrorPayload {
  return { code, message: code, messageJa: `${code} の説明` };
}

function file(name: string, over: Partial<AmendmentFileView> = {}): AmendmentFileView {
  return { name, size: 100, filedSize: 100, replaced: false, change: 'same', fields: null, fieldsError: null, ...over };
}

function draftView(arriveId: string, draftId: string | null = DRAFT): AmendmentDraftView {
  const changed = files.some((f) => f.change !== 'same');
  return {
    case: { ...arrivedApplication(arriveId, { status: '審査中（補正待ち）', correctStatus: 'あり' }), sendNumber: null, entryId: null, updatedAt: '2026-11-30T00:00:00.000Z', needsReference: false, withdrawalOf: null, amendmentOf: null },
    draftId,
    source: draftId ? 'outbox' : null,
    files: draftId ? files.map((f) => ({ ...f })) : [],
    changed,
    allowed: draftId !== null,
    blockedReason: null,
    blockedReasonEn: null,
    amendments: [],
  };
}

function notice(id: number, issueDate: string): NoticeSummaryView {
  return { id, arriveId: ARRIVE, kind: 'amend', noticeSubId: id, title: `補正通知 ${id}`, issueDate, deadline: '20261210', completedDate: '', procedureName: '', applicantName: '', stage: 'done', egovState: '', readAt: null, verdict: null, remoteOk: null, fileNames: [], lastError: null };
}

async function answer<T>(op: string, args: Record<string, unknown>, value: () => T): Promise<{ ok: true; value: T } | { ok: false; error: ErrorPayload }> {
  calls.push({ op, args });
  const gate = gates.get(op);
  if (gate) await gate;
  const failure = failNext.get(op);
  if (failure) {
    failNext.delete(op);
    return { ok: false, error: failure };
  }
  return { ok: true, value: value() };
}

const api = {
  'case.amendmentDraft': (args: Record<string, unknown>) => answer('case.amendmentDraft', args, () => draftView(args.arriveId as string, args.fresh ? '11111111-2222-4333-8444-555555555555' : DRAFT)),
  'case.amendmentReplace': (args: Record<string, unknown>) =>
    answer('case.amendmentReplace', args, () => {
      const name = args.fileName as string;
      const at = files.findIndex((f) => f.name === name);
      const replaced = file(name, { replaced: true, change: at >= 0 ? 'changed' : 'added', filedSize: at >= 0 ? 100 : null, size: 120 });
      files = at >= 0 ? files.map((f, i) => (i === at ? replaced : f)) : [...files, replaced];
      return draftView(args.arriveId as string);
    }),
  'case.amendmentRestore': (args: Record<string, unknown>) =>
    answer('case.amendmentRestore', args, () => {
      files = files.filter((f) => !(f.name === args.fileName && f.change === 'added')).map((f) => (f.name === args.fileName ? file(f.name) : f));
      return draftView(args.arriveId as string);
    }),
  'case.amend': (args: Record<string, unknown>) =>
    answer<AmendmentView>('case.amend', args, () => ({ entryId: 'e', kind: 'amendapply', state: 'done', newArriveId: '9002026000000099', status: null, createdAt: '', updatedAt: '', attemptCount: 1, failure: null, arriveId: args.arriveId as string, replaced: [] })),
  'case.get': (args: Record<string, unknown>) => answer('case.get', args, () => ({ ...draftView(args.arriveId as string).case, reference: { reintroductionFlag } })),
  'notice.inbox': (args: Record<string, unknown>) => answer('notice.inbox', args, () => ({ items: notices, next: null, total: notices.length, unread: 0 })),
  'notice.get': (args: Record<string, unknown>) => answer('notice.get', args, () => ({ ...notices.find((n) => n.id === args.id)!, text: `本文 ${String(args.id)}` }) as unknown as NoticeDetailView),
  stageFiles: async (picked: File[]) => {
    calls.push({ op: 'stageFiles', args: { names: picked.map((f) => f.name) } });
    const failure = failNext.get('stageFiles');
    if (failure) {
      failNext.delete('stageFiles');
      return { ok: false, error: failure };
    }
    return { ok: true, value: { paths: stagedPaths ?? picked.map((f) => `/staged/${f.name}`) } };
  },
};
(globalThis as unknown as { window: unknown }).window = { todoke: api };

const { useAmendmentStore } = await import('../../src/renderer/stores/amendment.js');

const ops = (op: string) => calls.filter((c) => c.op === op);
const picked = (name: string) => new File(['<年>60</年>'], name, { type: 'text/xml' });
const store = () => useAmendmentStore.getState();
function draft(): AmendmentDraftView {
  const d = store().draft;
  assert.equal(d.status, 'ready');
  return (d as { draft: AmendmentDraftView }).draft;
}

beforeEach(async () => {
  files = [file('kousei.xml'), file(FORM), file('tenpu.txt')];
  notices = [notice(1, '20261101090000'), notice(3, '20261120090000'), notice(2, '20261110090000')];
  reintroductionFlag = '0';
  failNext.clear();
  gates.clear();
  stagedPaths = null;
  await store().open(ARRIVE);
  calls.length = 0;
});

void describe('the 補正 workbench store', () => {
  void it('opens the draft, the newest 補正通知 of the case, and whether it may be filed again', async () => {
    reintroductionFlag = '1';
    await store().open(ARRIVE);
    assert.equal(draft().draftId, DRAFT);
    assert.deepEqual(ops('notice.inbox')[0]?.args, { arriveId: ARRIVE, kind: 'amend', limit: 20 });
    assert.deepEqual(ops('notice.get').map((c) => c.args.id), [3]);
    const n = store().notice;
    assert.equal(n.status === 'ready' && n.notice.text, '本文 3');
    assert.equal(store().reintroduction, true);
  });

  void it('no 補正通知 yet, or the inbox failing: said as such, the draft still opens', async () => {
    notices = [];
    await store().open(ARRIVE);
    assert.equal(store().notice.status, 'none');
    failNext.set('notice.inbox', error('NOTICE_STORE_FAILED'));
    await store().open(ARRIVE);
    assert.equal(store().notice.status, 'error');
    assert.equal(draft().draftId, DRAFT);
    failNext.set('case.amendmentDraft', error('CASE_NOT_FOUND'));
    await store().open(ARRIVE);
    assert.equal(store().draft.status, 'error');
  });

  void it('a picked file reaches the core as the staged path, and the answer is the draft shown', async () => {
    stagedPaths = ['/home/staging/abc/corrected.xml'];
    await store().replace(FORM, [picked('corrected.xml')]);
    assert.deepEqual(ops('stageFiles')[0]?.args, { names: ['corrected.xml'] });
    assert.deepEqual(ops('case.amendmentReplace')[0]?.args, { arriveId: ARRIVE, draftId: DRAFT, fileName: FORM, path: '/home/staging/abc/corrected.xml' });
    assert.equal(draft().changed, true);
    assert.equal(draft().files.find((f) => f.name === FORM)?.change, 'changed');
    assert.equal(store().step, null);
    await store().restore(FORM);
    assert.deepEqual(ops('case.amendmentRestore')[0]?.args, { arriveId: ARRIVE, draftId: DRAFT, fileName: FORM });
    assert.equal(draft().changed, false);
  });

  void it('an empty pick (a dialog cancelled) or a host that staged nothing changes nothing', async () => {
    await store().replace(FORM, []);
    await store().add([]);
    await store().chooseFolder([]);
    assert.equal(calls.length, 0);
    stagedPaths = [];
    await store().replace(FORM, [picked('x.xml')]);
    assert.equal(ops('case.amendmentReplace').length, 0);
    assert.equal(store().stepError, null);
    assert.equal(store().step, null);
  });

  void it('a failure stays with the file it concerns; the draft is left as it was', async () => {
    failNext.set('case.amendmentReplace', error('AMENDMENT_DRAFT_INVALID'));
    await store().replace(FORM, [picked('broken.xml')]);
    assert.deepEqual(store().stepError, { step: { kind: 'replace', fileName: FORM }, error: error('AMENDMENT_DRAFT_INVALID') });
    assert.equal(draft().changed, false);
    // a host that could not stage the file: the core is never asked
    failNext.set('stageFiles', error('FILES_NOT_STAGED'));
    await store().replace('tenpu.txt', [picked('tenpu.txt')]);
    assert.equal(store().stepError?.step.fileName, 'tenpu.txt');
    assert.equal(store().stepError?.error.code, 'FILES_NOT_STAGED');
    assert.equal(ops('case.amendmentReplace').length, 1);
    // the next change clears it
    await store().replace(FORM, [picked('ok.xml')]);
    assert.equal(store().stepError, null);
  });

  void it('one change at a time: a second while the first is under way is ignored', async () => {
    let release = () => {};
    gates.set('case.amendmentReplace', new Promise<void>((r) => (release = r)));
    const first = store().replace(FORM, [picked('a.xml')]);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(store().step, { kind: 'replace', fileName: FORM });
    await store().restore('tenpu.txt');
    await store().replace('tenpu.txt', [picked('b.txt')]);
    release();
    await first;
    assert.equal(ops('case.amendmentReplace').length, 1);
    assert.equal(ops('case.amendmentRestore').length, 0);
    assert.equal(store().step, null);
  });

  void it('an answer for a case the person left is dropped', async () => {
    let release = () => {};
    gates.set('case.amendmentReplace', new Promise<void>((r) => (release = r)));
    const late = store().replace(FORM, [picked('a.xml')]);
    await new Promise((r) => setImmediate(r));
    gates.clear();
    await store().open(OTHER);
    release();
    await late;
    assert.equal(draft().case.arriveId, OTHER);
    assert.equal(store().step, null);
    assert.equal(store().stepError, null);
  });

  void it('an attachment is added under its own name; a folder and starting over make a new draft', async () => {
    await store().add([picked('ガイド.pdf'.normalize('NFD'))]);
    assert.equal(ops('case.amendmentReplace')[0]?.args.fileName, 'ガイド.pdf');
    assert.equal(draft().files.at(-1)?.change, 'added');
    stagedPaths = ['/staged/900A010200001000(1)'];
    await store().chooseFolder([picked('kousei.xml'), picked(FORM)]);
    assert.deepEqual(ops('case.amendmentDraft').at(-1)?.args, { arriveId: ARRIVE, folder: '/staged/900A010200001000(1)' });
    await store().startOver();
    assert.deepEqual(ops('case.amendmentDraft').at(-1)?.args, { arriveId: ARRIVE, fresh: true });
    assert.equal(draft().draftId, '11111111-2222-4333-8444-555555555555');
  });

  void it('a draft that changes nothing is never sent', async () => {
    await store().sendAmendment();
    assert.equal(ops('case.amend').length, 0);
    assert.equal(store().send.status, 'idle');
  });

  void it('sent: a fresh job id each time, the result kept', async () => {
    await store().replace(FORM, [picked('a.xml')]);
    await store().sendAmendment();
    const args = ops('case.amend')[0]?.args;
    assert.equal(args?.arriveId, ARRIVE);
    assert.equal(args?.draftId, DRAFT);
    assert.match(String(args?.jobId), /^amend-[0-9a-f-]{36}$/);
    const s = store().send;
    assert.equal(s.status === 'done' && s.result.newArriveId, '9002026000000099');
    store().dismissSend();
    await store().sendAmendment();
    assert.notEqual(ops('case.amend')[1]?.args.jobId, args?.jobId);
  });

  void it('the PIN refused: cancelled, nothing failed; e-Gov refusing: failed, and the draft read again', async () => {
    await store().replace(FORM, [picked('a.xml')]);
    failNext.set('case.amend', error('CREDENTIAL_CANCELLED'));
    await store().sendAmendment();
    assert.equal(store().send.status, 'cancelled');
    calls.length = 0;
    failNext.set('case.amend', error('AMENDMENT_INELIGIBLE'));
    await store().sendAmendment();
    const s = store().send;
    assert.equal(s.status === 'failed' && s.error.code, 'AMENDMENT_INELIGIBLE');
    assert.deepEqual(ops('case.amendmentDraft').map((c) => c.args), [{ arriveId: ARRIVE }]);
  });

  void it('refresh reads the draft again in place: no loading state, the notice kept, the send failure dropped', async () => {
    await store().replace(FORM, [picked('a.xml')]);
    failNext.set('case.amend', error('AMENDMENT_DELIVERY_UNKNOWN'));
    await store().sendAmendment();
    calls.length = 0;
    let release = () => {};
    gates.set('case.amendmentDraft', new Promise<void>((r) => (release = r)));
    const refreshed = store().refresh();
    await new Promise((r) => setImmediate(r));
    assert.equal(store().draft.status, 'ready', 'the screen keeps showing the draft meanwhile');
    release();
    await refreshed;
    assert.deepEqual(calls.map((c) => c.op), ['case.amendmentDraft']);
    assert.equal(store().notice.status, 'ready');
    assert.equal(store().send.status, 'idle');
  });
});
