// Main process (core). The notice operations of the 公文書 screens (notice.*) and the background
// fetch that brings 補正通知, コメント and 公文書 in by themselves. After every case sync cycle the cases
// whose counters say something waits (CaseStore.withNotices) are fetched — once per new issue: a
// case is fetched again only when a total grows (DocCount, CommentCount) or its 補正 state changes,
// or while one of its notices is still listed-not-kept (a download that failed). At start, 取得完了
// owed from before a crash is sent first. Like the case sync, the background never logs in.
//
// The use cases are src/main/documents/ (vault, fetch, verification, rendering, exports) and
// src/main/store/notices.ts; this module wires them to the contract and the events.
import type { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import type { NoticeChangedEvent, NoticeDetailView, NoticeInboxItem, NoticeSummary, NoticeSummaryView, RenderedNoticeView, LocalVerificationView, RemoteVerificationView } from '../../shared/documents.js';
import { MAX_NOTICE_PDF_BYTES } from '../../shared/documents.js';
import { isTodokeError } from '../../shared/errors.js';
import { officialAnchors } from '../documents/anchors.js';
import { exportBytes, exportFiles, caseExportFolder } from '../documents/exports.js';
import { keptFilesOf } from '../documents/kept-files.js';
import { mainXmlOf, NoticeFetcher, stageOf } from '../documents/notice-fetch.js';
import { NoticeError } from '../documents/notice-errors.js';
import { noticeText } from '../documents/notice-text.js';
import { renderNotice, stopRenderWorkers } from '../documents/render/render-notice.js';
import { remoteVerdict } from '../documents/verify-document.js';
import { Vault } from '../documents/vault.js';
import { notSetUp } from '../identity/errors.js';
import type { IdentityService } from '../identity/service.js';
import type { ProfileStore } from '../profiles/profile-store.js';
import type { EgovDocumentsGateway } from '../session/gateway.js';
import type { EgovSession } from '../session/session.js';
import { CaseStore } from '../store/cases.js';
import { NoticeStore, type InboxFilter, type NoticeRecord } from '../store/notices.js';
import { oneAtATime } from '../sync/one-at-a-time.js';
import type { Handlers } from './dispatch.js';
import type { EventHub } from './events.js';
import type { ProfileDatabase } from './profile-database.js';

type NoticeOperation = 'notice.inbox' | 'notice.unread' | 'notice.get' | 'notice.fetch' | 'notice.verify' | 'notice.page' | 'notice.pdf' | 'notice.export' | 'notice.exportCase';

export interface NoticesDeps {
  home: string;
  profileName: string;
  profiles: ProfileStore;
  identity: IdentityService;
  database: ProfileDatabase;
  events: EventHub;
  /** the sandbox's test PKI (its 官職 CA is trusted while the profile's endpoint is the sandbox) */
  sandboxPkiDir: string | null;
  printPdf?: (html: string) => Promise<Buffer>;
  now: () => Date;
  onUnexpected: (what: string, error: unknown) => void;
}

export interface Notices {
  readonly handlers: Pick<Handlers, NoticeOperation>;
  /** 取得完了 owed from before a crash, then a first look at the cases with something waiting. Never throws. */
  start(): Promise<void>;
  close(): void;
}

interface Opened {
  notices: NoticeStore;
  cases: CaseStore;
  vault: Vault;
  /** the person's calls: may log in */
  fetcher: NoticeFetcher;
  /** the background's: never logs in */
  quietFetcher: NoticeFetcher;
}

const notFound = (id: number) =>
  new NoticeError('NOTICE_NOT_FOUND', { ja: `通知（番号 ${id}）が見つかりません。一覧を開き直してください。`, en: `notice ${id} not found` });
const notKept = (id: number) =>
  new NoticeError('NOTICE_NOT_KEPT', {
    ja: 'この通知はまだ e-Gov から取得できていません。「e-Gov から取得」を押すか、次の自動確認をお待ちください。',
    en: `notice ${id} is not in the vault yet`,
  });

export function createNotices(deps: NoticesDeps): Notices {
  let opened: Opened | null = null;
  let closed = false;
  /** what each case's counters were when its notices were last fetched (in memory: a restart fetches once more) */
  const fetchedAt = new Map<string, string>();

  const session: Pick<EgovSession, 'withAccessKey'> = {
    withAccessKey: async (call) => (await deps.identity.session()).withAccessKey(call),
  };
  const quietSession: Pick<EgovSession, 'withAccessKey'> = {
    withAccessKey: async (call) => {
      const s = await deps.identity.session();
      if (!(await s.snapshot()).hasKey) {
        throw new NoticeError('NOTICE_NEEDS_LOGIN', { ja: 'ログインしていないため、通知の取得を中断しました。', en: 'no access key: the background does not log in' });
      }
      return s.withAccessKey(call);
    },
  };
  const gate = async (): Promise<EgovDocumentsGateway> => deps.identity.gateway();
  // one request in flight per endpoint, as the case sync (the person's and the background's share it)
  const gateway: ConstructorParameters<typeof NoticeFetcher>[0]['gateway'] = {
    notices: oneAtATime(async (k, a) => (await gate()).notices(k, a)),
    amendNotices: oneAtATime(async (k, a) => (await gate()).amendNotices(k, a)),
    getDocument: oneAtATime(async (k, a, n) => (await gate()).getDocument(k, a, n)),
    getComment: oneAtATime(async (k, a, n) => (await gate()).getComment(k, a, n)),
    completeDocument: oneAtATime(async (k, a, n) => (await gate()).completeDocument(k, a, n)),
    completeComment: oneAtATime(async (k, a, n) => (await gate()).completeComment(k, a, n)),
    verifyDocument: oneAtATime(async (k, u) => (await gate()).verifyDocument(k, u)),
  };

  let anchorProblemsShown = false;
  async function anchors(): Promise<X509Certificate[]> {
    const profile = await deps.profiles.load(deps.profileName);
    const found = await officialAnchors({ home: deps.home, sandboxPkiDir: profile?.environment.kind === 'sandbox' ? deps.sandboxPkiDir : null });
    if (found.problems.length && !anchorProblemsShown) {
      anchorProblemsShown = true;
      deps.events.emit({ name: 'app.notice', payload: { level: 'warning', code: 'OFFICIAL_CA_UNREADABLE', message: found.problems.join('\n'), messageJa: found.problems.join('\n') } });
    }
    return found.certificates;
  }

  const onChange = (event: NoticeChangedEvent) => {
    if (!closed) deps.events.emit({ name: 'notice.changed', payload: event });
  };

  function open(): Opened {
    if (closed) throw new Error('notices are closed');
    if (opened) return opened;
    const store = deps.database.get();
    const notices = new NoticeStore(store);
    const vault = new Vault(join(deps.profiles.dir(deps.profileName), 'vault'));
    const base = { gateway, vault, notices, anchors, now: deps.now, onChange };
    opened = {
      notices,
      cases: new CaseStore(store),
      vault,
      fetcher: new NoticeFetcher({ ...base, session }),
      quietFetcher: new NoticeFetcher({ ...base, session: quietSession }),
    };
    return opened;
  }

  async function readable(): Promise<Opened | null> {
    if (opened) return opened;
    return (await deps.profiles.load(deps.profileName)) ? open() : null;
  }

  async function ready(): Promise<Opened> {
    if (!(await deps.profiles.load(deps.profileName))) throw notSetUp(deps.profileName);
    return open();
  }

  /** The background's turn: owed 取得完了, then every case whose counters grew since it was last fetched. */
  const catchUp = oneAtATime(async (): Promise<void> => {
    const o = await readable();
    if (!o || closed) return;
    try {
      await o.quietFetcher.completePending();
      const retry = new Set(o.notices.toFetch().map((n) => n.arriveId));
      for (const c of o.cases.withNotices()) {
        if (closed) return;
        const amend = c.correctStatus !== '' && c.correctStatus !== 'なし';
        const fingerprint = `${c.docCount}|${c.commentCount}|${c.correctStatus}`;
        if (fetchedAt.get(c.arriveId) === fingerprint && !retry.has(c.arriveId)) continue;
        await o.quietFetcher.fetchCase(c.arriveId, { amend });
        fetchedAt.set(c.arriveId, fingerprint);
        retry.delete(c.arriveId);
      }
      for (const arriveId of retry) {
        if (closed) return;
        await o.quietFetcher.fetchCase(arriveId, { amend: o.notices.forCase(arriveId).some((n) => n.kind === 'amend') });
      }
    } catch (e) {
      // not logged in, e-Gov unreachable: the next cycle tries again; anything else is a bug to hear about
      if (!isTodokeError(e)) deps.onUnexpected('fetching notices', e);
    }
  });

  // after each case sync cycle (background or 今すぐ確認): the counters it stored say what to fetch
  const unsubscribe = deps.events.subscribe((event) => {
    if (closed || event.name !== 'sync.status' || !event.payload.lastCycle) return;
    void catchUp();
  });

  function summaryOf(o: Opened, n: NoticeRecord | NoticeSummary | NoticeInboxItem): NoticeSummaryView {
    const record = 'files' in n ? n : o.notices.get(n.id);
    // an inbox item carries its case's names from the store's join: no second read per row
    const c = 'applicantName' in n ? { procedureName: n.procedureName, applicantName: n.applicantName } : o.cases.get(n.arriveId);
    const local = (record?.localVerification ?? null) as LocalVerificationView | null;
    const remote = record?.remoteVerification ?? null;
    return {
      id: n.id,
      arriveId: n.arriveId,
      kind: n.kind,
      noticeSubId: n.noticeSubId,
      title: n.title,
      issueDate: n.issueDate,
      deadline: n.deadline,
      completedDate: n.completedDate,
      procedureName: c?.procedureName ?? '',
      applicantName: c?.applicantName ?? '',
      stage: stageOf(n),
      egovState: n.egovState,
      readAt: n.readAt === null ? null : new Date(n.readAt).toISOString(),
      verdict: n.kind === 'document' ? (local?.verdict ?? null) : null,
      remoteOk: n.kind === 'document' && remote ? remoteVerdict(remote) : null,
      fileNames: n.listedFileNames,
      lastError: n.lastError ? { code: n.lastError.code, message: n.lastError.message, at: new Date(n.lastError.at).toISOString() } : null,
    };
  }

  const filesOf = (o: Opened, record: NoticeRecord) => keptFilesOf(o.vault, record.files);

  async function detailOf(o: Opened, record: NoticeRecord): Promise<NoticeDetailView> {
    const summary = summaryOf(o, record);
    let rendered: RenderedNoticeView | null = null;
    let renderError: NoticeDetailView['renderError'] = null;
    let text = '';
    const main = record.keptAt !== null && !record.refusal ? mainXmlOf(record.files, record.listedFileNames) : null;
    if (main) {
      const files = await filesOf(o, record);
      try {
        const r = await renderNotice({ xmlName: main.name, files }, {}, { fallbackToBuiltin: true });
        rendered = { fileName: main.name, title: r.title, html: r.html, stylesheet: r.stylesheet, warnings: r.warnings };
      } catch (e) {
        if (!isTodokeError(e)) throw e;
        renderError = { code: e.code, message: e.messageJa };
      }
      try {
        text = noticeText(files.get(main.name)!);
      } catch {
        text = '';
      }
    }
    const remote = record.remoteVerification;
    return {
      ...summary,
      files: record.files,
      rendered,
      renderError,
      text,
      refusal: record.refusal ? { code: record.refusal.code, message: record.refusal.message } : null,
      verification:
        record.kind === 'document'
          ? {
              local: (record.localVerification ?? null) as LocalVerificationView | null,
              remote: remote ? ({ ok: remoteVerdict(remote), checkedAt: record.verifiedAt ? new Date(record.verifiedAt).toISOString() : '', result: remote } satisfies RemoteVerificationView) : null,
              remoteError: record.lastError && record.lastError.code.startsWith('EGOV_') ? { code: record.lastError.code, message: record.lastError.message } : null,
            }
          : null,
    };
  }

  function recordOf(o: Opened, id: number): NoticeRecord {
    const record = o.notices.get(id);
    if (!record) throw notFound(id);
    return record;
  }

  function keptRecord(o: Opened, id: number): NoticeRecord {
    const record = recordOf(o, id);
    if (record.keptAt === null || !record.zip) throw notKept(id);
    return record;
  }

  function exported(record: NoticeRecord) {
    return { arriveId: record.arriveId, kind: record.kind, noticeSubId: record.noticeSubId, title: record.title };
  }

  const handlers: Notices['handlers'] = {
    'notice.inbox': async (args) => {
      const o = await readable();
      if (!o) return { items: [], next: null, total: 0, unread: 0 };
      const page = o.notices.inbox({ ...(args.after ? { cursor: args.after } : {}), ...(args.limit ? { limit: args.limit } : {}), ...filterOf(args) });
      const counts = o.notices.counts(filterOf(args));
      return { items: page.items.map((n) => summaryOf(o, n)), next: page.next, total: counts.total, unread: counts.unread };
    },
    'notice.unread': async () => {
      const o = await readable();
      return o ? o.notices.unreadCounts() : { total: 0, byKind: { amend: 0, document: 0, comment: 0 } };
    },
    'notice.get': async ({ id }) => {
      const o = await ready();
      const record = recordOf(o, id);
      if (record.readAt === null && record.keptAt !== null) {
        o.notices.markRead(id);
        const after = recordOf(o, id);
        onChange({ id, arriveId: after.arriveId, kind: after.kind, stage: stageOf(after), title: after.title, verdict: ((after.localVerification ?? null) as LocalVerificationView | null)?.verdict ?? null });
        return detailOf(o, after);
      }
      return detailOf(o, record);
    },
    'notice.fetch': async ({ arriveId }) => {
      const o = await ready();
      const c = o.cases.get(arriveId);
      const amend = (c !== null && c.correctStatus !== '' && c.correctStatus !== 'なし') || o.notices.forCase(arriveId).some((n) => n.kind === 'amend');
      await o.fetcher.fetchCase(arriveId, { amend });
      if (c) fetchedAt.set(arriveId, `${c.docCount}|${c.commentCount}|${c.correctStatus}`);
      return o.notices.forCase(arriveId).map((n) => summaryOf(o, n));
    },
    'notice.verify': async ({ id }) => {
      const o = await ready();
      const record = keptRecord(o, id);
      if (record.kind !== 'document') {
        throw new NoticeError('NOTICE_NOT_A_DOCUMENT', { ja: '署名を検証できるのは公文書だけです。', en: `notice ${id} is not a 公文書` });
      }
      await o.fetcher.verifyLocally(id);
      try {
        await o.fetcher.verifyRemotely(id);
      } catch (e) {
        if (!isTodokeError(e)) throw e;
        o.notices.recordError(id, { code: e.code, message: e.messageJa });
      }
      return detailOf(o, recordOf(o, id));
    },
    'notice.page': async ({ id }) => {
      const o = await ready();
      const detail = await detailOf(o, keptRecord(o, id));
      if (!detail.rendered) throw notKept(id);
      return { html: detail.rendered.html };
    },
    'notice.pdf': async ({ id, name }) => {
      const o = await ready();
      const record = keptRecord(o, id);
      const file = record.files.find((f) => f.name === name && f.media === 'pdf');
      if (!file) throw new NoticeError('NOTICE_NO_PDF', { ja: `この通知に PDF「${name}」はありません。`, en: `notice ${id} has no PDF ${name}` });
      if (file.size > MAX_NOTICE_PDF_BYTES) {
        throw new NoticeError('NOTICE_PDF_TOO_LARGE', { ja: 'PDF が大きすぎるため画面に表示できません。「ファイルを保存」で保存してから開いてください。', en: `PDF of ${file.size} bytes` });
      }
      return { name, base64: (await o.vault.readFile(file.sha256)).toString('base64') };
    },
    'notice.export': async ({ id, format }) => {
      const o = await ready();
      const record = keptRecord(o, id);
      if (format === 'zip') return { path: await exportBytes(deps.home, exported(record), 'zip', await o.vault.readZip(record.zip!.sha256)) };
      if (format === 'files') {
        const files = [...(await filesOf(o, record)).entries()].map(([name, bytes]) => ({ name, bytes }));
        return { path: await exportFiles(deps.home, exported(record), files) };
      }
      if (!deps.printPdf) {
        throw new NoticeError('NOTICE_PRINT_UNAVAILABLE', { ja: 'この環境では PDF に出力できません。元の ZIP かファイルを保存してください。', en: 'no printer in this host' });
      }
      const detail = await detailOf(o, record);
      if (!detail.rendered) throw notKept(id);
      return { path: await exportBytes(deps.home, exported(record), 'pdf', await deps.printPdf(detail.rendered.html)) };
    },
    'notice.exportCase': async ({ arriveId }) => {
      const o = await ready();
      let count = 0;
      for (const n of o.notices.forCase(arriveId)) {
        const record = o.notices.get(n.id);
        if (!record || record.keptAt === null || !record.zip) continue;
        await exportBytes(deps.home, exported(record), 'zip', await o.vault.readZip(record.zip.sha256));
        await exportFiles(deps.home, exported(record), [...(await filesOf(o, record)).entries()].map(([name, bytes]) => ({ name, bytes })));
        count += 1;
      }
      return { path: caseExportFolder(deps.home, arriveId), count };
    },
  };

  return {
    handlers,
    start: () => catchUp().catch(() => undefined),
    close: () => {
      closed = true;
      unsubscribe();
      void stopRenderWorkers();
    },
  };
}

function filterOf(args: InboxFilter): InboxFilter {
  return {
    ...(args.kind ? { kind: args.kind } : {}),
    ...(args.unreadOnly ? { unreadOnly: true } : {}),
    ...(args.arriveId ? { arriveId: args.arriveId } : {}),
    ...(args.text ? { text: args.text } : {}),
  };
}
