// Unit: the 公文書 inbox store (src/renderer/stores/inbox.ts) over a fake core: pages asked for with
// the filter as notice.inbox takes it, a burst of notice.changed gathered into one refresh of as
// many rows as were shown, the case sync's 公文書 / コメント / 補正 events counted per case, an answer
// to an older filter dropped, a failed next page keeping the rows, and the viewer asking again only
// when an event moved the notice on (not for the read mark its own opening caused).
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type { CaseSyncEvent } from '../../src/shared/case.js';
import type { NoticeChangedEvent, NoticePageView, NoticeSummaryView } from '../../src/shared/documents.js';

const calls: Record<string, unknown>[] = [];
let notices: NoticeSummaryView[] = [];
let gate: Promise<void> | null = null;
let failNext = false;

function notice(id: number, over: Partial<NoticeSummaryView> = {}): NoticeSummaryView {
  return {
    id,
    arriveId: String(9002026000000000 + (id % 7)),
    kind: (['document', 'comment', 'amend'] as const)[id % 3]!,
    noticeSubId: id,
    title: `通知 ${id}`,
    issueDate: `202611${String(10 + (id % 20)).padStart(2, '0')}100500`,
    deadline: '',
    completedDate: '',
    procedureName: '健康保険・厚生年金保険被保険者資格取得届',
    applicantName: '山田 太郎',
    stage: 'done',
    egovState: '',
    readAt: id % 2 === 0 ? '2026-11-30T00:00:00.000Z' : null,
    verdict: null,
    remoteOk: null,
    fileNames: [],
    lastError: null,
    ...over,
  };
}

const api = {
  'notice.inbox': async (args: Record<string, unknown>) => {
    calls.push(args);
    if (failNext) {
      failNext = false;
      return { ok: false as const, error: { code: 'CORE_FAILED', message: 'failed', messageJa: '失敗しました。' } };
    }
    const matching = notices.filter((n) => (args.kind === undefined || n.kind === args.kind) && (!args.unreadOnly || n.readAt === null));
    const start = typeof args.after === 'string' ? Number(args.after) : 0;
    const limit = args.limit as number;
    const items = matching.slice(start, start + limit).map((n) => ({ ...n }));
    if (gate) await gate;
    const value: NoticePageView = { items, next: start + limit < matching.length ? String(start + limit) : null, total: matching.length, unread: matching.filter((n) => n.readAt === null).length };
    return { ok: true as const, value };
  },
};
(globalThis as unknown as { window: unknown }).window = { todoke: api };

const { useInboxStore, inboxArgs, isNoticeCaseEvent, eventChangesShown, FIRST_PAGE_SIZE, PAGE_SIZE, REFRESH_DELAY_MS } = await import('../../src/renderer/stores/inbox.js');

const settle = () => new Promise((r) => setTimeout(r, REFRESH_DELAY_MS + 50));
const changed = (id: number, over: Partial<NoticeChangedEvent> = {}): NoticeChangedEvent => ({ id, arriveId: notice(id).arriveId, kind: notice(id).kind, stage: 'done', title: `通知 ${id}`, verdict: null, ...over });

beforeEach(() => {
  calls.length = 0;
  notices = Array.from({ length: 1200 }, (_, i) => notice(i + 1));
  gate = null;
  failNext = false;
  useInboxStore.setState({ filter: {}, list: { status: 'idle', rows: [], total: 0, unread: 0, next: null, loadingMore: false, error: null }, seen: {}, caseRevisions: {} });
});

void describe('inbox store', () => {
  void it('asks for a small first page, then full pages with `after`, up to the end', async () => {
    await useInboxStore.getState().reopen();
    assert.deepEqual(calls, [{ limit: FIRST_PAGE_SIZE }]);
    let list = useInboxStore.getState().list;
    assert.equal(list.rows.length, FIRST_PAGE_SIZE);
    assert.equal(list.total, 1200);
    assert.equal(list.unread, 600);
    while (useInboxStore.getState().list.next !== null) await useInboxStore.getState().loadMore();
    list = useInboxStore.getState().list;
    assert.equal(list.rows.length, 1200);
    assert.deepEqual(calls.slice(1), [
      { limit: PAGE_SIZE, after: '100' },
      { limit: PAGE_SIZE, after: '600' },
      { limit: PAGE_SIZE, after: '1100' },
    ]);
    await useInboxStore.getState().loadMore();
    assert.equal(calls.length, 4, 'nothing asked past the end');
  });

  void it('passes the filter as notice.inbox takes it; unreadOnly false is left out', async () => {
    assert.deepEqual(inboxArgs({ kind: 'comment', unreadOnly: false }), { kind: 'comment' });
    assert.deepEqual(inboxArgs({ unreadOnly: true }), { unreadOnly: true });
    assert.deepEqual(inboxArgs({ kind: undefined }), {});
    // the search as typed, its blanks around it dropped; a blank search is no search
    assert.deepEqual(inboxArgs({ text: '  山田　' }), { text: '山田' });
    assert.deepEqual(inboxArgs({ text: ' \u3000 ' }), {});
    assert.deepEqual(inboxArgs({ kind: 'document', text: '' }), { kind: 'document' });
    await useInboxStore.getState().setFilter({ kind: 'document', unreadOnly: true });
    assert.deepEqual(calls, [{ kind: 'document', unreadOnly: true, limit: FIRST_PAGE_SIZE }]);
    const { rows } = useInboxStore.getState().list;
    assert.ok(rows.length > 0 && rows.every((r) => r.kind === 'document' && r.readAt === null));
  });

  void it('keeps a preset filter for the screen to open with, asking nothing until then', async () => {
    useInboxStore.getState().presetFilter({ kind: 'comment', unreadOnly: true });
    assert.equal(calls.length, 0);
    await useInboxStore.getState().reopen();
    assert.deepEqual(calls, [{ kind: 'comment', unreadOnly: true, limit: FIRST_PAGE_SIZE }]);
  });

  void it('drops the answer to an older filter', async () => {
    let release: () => void = () => undefined;
    gate = new Promise((r) => (release = r));
    const first = useInboxStore.getState().setFilter({ kind: 'amend' });
    gate = null;
    await useInboxStore.getState().setFilter({ kind: 'comment' });
    release();
    await first;
    const { rows } = useInboxStore.getState().list;
    assert.ok(rows.length > 0 && rows.every((r) => r.kind === 'comment'));
  });

  void it('shows an error for a failed first page, and keeps the rows when a next page fails', async () => {
    failNext = true;
    await useInboxStore.getState().reload();
    assert.equal(useInboxStore.getState().list.status, 'error');
    assert.equal(useInboxStore.getState().list.error?.code, 'CORE_FAILED');
    await useInboxStore.getState().reload();
    assert.equal(useInboxStore.getState().list.rows.length, FIRST_PAGE_SIZE);
    failNext = true;
    await useInboxStore.getState().loadMore();
    const list = useInboxStore.getState().list;
    assert.equal(list.status, 'ready');
    assert.equal(list.rows.length, FIRST_PAGE_SIZE);
    assert.equal(list.error?.code, 'CORE_FAILED');
    assert.equal(list.loadingMore, false);
  });

  void it('gathers a burst of notice.changed into one refresh of as many rows as were shown, up to a full page', async () => {
    await useInboxStore.getState().reload();
    await useInboxStore.getState().loadMore();
    calls.length = 0;
    notices[0] = { ...notices[0]!, title: '差し替え後' };
    for (let id = 1; id <= 50; id += 1) useInboxStore.getState().applyNoticeEvent(changed(id));
    assert.equal(calls.length, 0, 'nothing asked during the burst');
    await settle();
    assert.deepEqual(calls, [{ limit: PAGE_SIZE }]);
    assert.equal(useInboxStore.getState().list.rows[0]?.title, '差し替え後');
    // at most the contract's largest page: what lies beyond follows again with `after`
    assert.equal(useInboxStore.getState().list.rows.length, PAGE_SIZE);
    assert.equal(useInboxStore.getState().list.next, String(PAGE_SIZE));
  });

  void it('asks nothing for a screen never opened, but remembers each event per notice and case', async () => {
    useInboxStore.getState().applyNoticeEvent(changed(3, { stage: 'kept' }));
    useInboxStore.getState().applyNoticeEvent(changed(3, { stage: 'done' }));
    await settle();
    assert.equal(calls.length, 0);
    const seen = useInboxStore.getState().seen[3];
    assert.equal(seen?.event.stage, 'done');
    assert.equal(useInboxStore.getState().caseRevisions[notice(3).arriveId], 2);
  });

  void it('counts the case sync findings of 公文書, コメント and 補正 against their case, and nothing else', async () => {
    const arriveId = '9002026000000001';
    const events: CaseSyncEvent[] = [
      { type: 'case.document', arriveId, docCount: 1, docCountNotDownload: 1, added: 1 },
      { type: 'case.comment', arriveId, commentCount: 1, commentCountNotRead: 1, added: 1 },
      { type: 'case.correction', arriveId, correctStatus: '補正待ち', before: 'なし' },
      { type: 'case.payment-due', arriveId, payWaitCount: 1, payStatus: '納付待ち', before: 0 },
      { type: 'case.changed', arriveId, isNew: false, changes: [], status: '審査中', newHistory: [], referenced: true },
    ];
    assert.deepEqual(events.map(isNoticeCaseEvent), [true, true, true, false, false]);
    for (const e of events) useInboxStore.getState().applyCaseEvent(e);
    assert.equal(useInboxStore.getState().caseRevisions[arriveId], 3);
    await settle();
  });
});

void describe('eventChangesShown', () => {
  void it('asks again when the stage or the verdict moved, not for a read mark', () => {
    const shown = { stage: 'kept' as const, verdict: null };
    assert.equal(eventChangesShown(shown, { stage: 'kept', verdict: null }), false, 'read: same stage and verdict');
    assert.equal(eventChangesShown(shown, { stage: 'done', verdict: null }), true);
    assert.equal(eventChangesShown(shown, { stage: 'kept', verdict: 'invalid' }), true);
    assert.equal(eventChangesShown({ stage: 'done', verdict: 'valid' }, { stage: 'done', verdict: 'invalid' }), true);
  });
});
