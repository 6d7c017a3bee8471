// Core host. Fetching what the government sent about a case, in the order that loses nothing:
// list (公文書・コメント一覧, 補正通知一覧) → record what was listed → download each new ZIP → keep it in the
// vault (durable) → record it kept (SQLite) → only then 取得完了. A crash between any two steps leaves a
// state the next run continues from: listed-not-kept is downloaded again (e-Gov's 公文書取得 does not
// mark anything, REFERENCE §4.13), kept-not-done gets its 取得完了 (NoticeStore.toComplete), and a ZIP
// kept twice costs nothing (the vault is content-addressed).
//
// A 公文書 is verified by Todoke when kept, and by e-Gov (公文書署名検証) right after; each verdict is
// stored beside the other. One notice that fails (a refused ZIP, a 500 on one download) is recorded on
// that notice and the others go on; a refused access key ends the whole fetch (the session's rule).
import type { X509Certificate } from 'node:crypto';
import type { LocalVerificationView, NoticeChangedEvent, NoticeKind, NoticeReceipt, NoticeSummary, RemoteVerification } from '../../shared/documents.js';
import { isTodokeError } from '../../shared/errors.js';
import { parseJstTimestamp } from '../egov/dates.js';
import type { EgovDocumentsGateway } from '../session/gateway.js';
import type { EgovSession } from '../session/session.js';
import { listedAmend, listedEntry, type NoticeStore } from '../store/notices.js';
import { verifyOfficialDocument } from './verify-document.js';
import type { KeptFile, Vault } from './vault.js';

export type NoticeGateway = Pick<EgovDocumentsGateway, 'notices' | 'amendNotices' | 'getDocument' | 'getComment' | 'completeDocument' | 'completeComment' | 'verifyDocument'>;

export interface NoticeFetchDeps {
  gateway: NoticeGateway;
  session: Pick<EgovSession, 'withAccessKey'>;
  vault: Pick<Vault, 'keep' | 'readFile' | 'readZip'>;
  notices: NoticeStore;
  /** the 官職 CA certificates documents are judged against */
  anchors: () => Promise<X509Certificate[]>;
  now?: () => Date;
  onChange?: (event: NoticeChangedEvent) => void;
}

export interface FetchOptions {
  /** ask 補正通知一覧 too (the case has or had a 補正) */
  amend: boolean;
}

export interface NoticeFetchReport {
  arriveId: string;
  listed: number;
  kept: number;
  completed: number;
  /** notices that failed this time (recorded on the notice; tried again next time) */
  failed: { id: number; code: string; message: string }[];
}

/** The XML a notice is about: the first listed name that is an XML file of the ZIP, else the first XML by name. */
export function mainXmlOf(files: readonly KeptFile[], listedFileNames: readonly string[]): KeptFile | null {
  const xml = files.filter((f) => f.media === 'xml');
  for (const name of listedFileNames) {
    const hit = xml.find((f) => f.name === name);
    if (hit) return hit;
  }
  return xml[0] ?? null;
}

function failure(e: unknown): { code: string; message: string } {
  if (isTodokeError(e)) return { code: e.code, message: e.messageJa };
  return { code: 'UNEXPECTED', message: `予期しないエラーが起きました（${e instanceof Error ? e.message : String(e)}）。次の確認でもう一度試します。` };
}

// e-Gov refused the key, or the person declined to log in: every next call would fail the same way,
// so the fetch stops and says so once. A network failure on one download or 取得完了 is recorded on
// that notice instead (the list call before them has shown e-Gov answers), and the next notice is tried.
const FETCH_ENDING: ReadonlySet<string> = new Set([
  'EGOV_AUTH_FAILED',
  'EGOV_CONFIG_INVALID',
  'IDENTITY_NOT_SET_UP',
  'CREDENTIAL_CANCELLED',
  'CREDENTIAL_TIMEOUT',
  'SANDBOX_UNAVAILABLE',
  'NOTICE_NEEDS_LOGIN',
]);

/** A failure that belongs to the whole fetch, not to one notice. */
function endsTheFetch(e: unknown): boolean {
  if (!isTodokeError(e)) return false;
  return FETCH_ENDING.has(e.code);
}

export class NoticeFetcher {
  readonly #d: NoticeFetchDeps;
  readonly #now: () => Date;

  constructor(deps: NoticeFetchDeps) {
    this.#d = deps;
    this.#now = deps.now ?? (() => new Date());
  }

  /** Lists, keeps and completes the notices of one case. Throws only what ends the fetch (see endsTheFetch). */
  async fetchCase(arriveId: string, options: FetchOptions): Promise<NoticeFetchReport> {
    const report: NoticeFetchReport = { arriveId, listed: 0, kept: 0, completed: 0, failed: [] };
    const { gateway, session, notices } = this.#d;
    const list = await session.withAccessKey((key) => gateway.notices(key, arriveId));
    report.listed += notices.recordListed(arriveId, [...list.documents, ...list.comments].map(listedEntry)).length;
    if (options.amend) {
      // 補正通知一覧 carries each notice's ZIP inline: nothing to download afterwards
      const amend = await session.withAccessKey((key) => gateway.amendNotices(key, arriveId));
      report.listed += notices.recordListed(arriveId, amend.notices.map(listedAmend)).length;
      for (const notice of amend.notices) {
        const stored = notices.find(arriveId, 'amend', notice.noticeSubId);
        if (!stored || stored.keptAt !== null) continue;
        await this.#keep(stored.id, 'amend', notice.zip, report);
      }
    }
    for (const n of notices.toFetch(arriveId)) {
      if (n.kind === 'amend') continue; // kept from the list above; fetched again with the next list
      let zip: Uint8Array;
      try {
        const download = await session.withAccessKey((key) => (n.kind === 'document' ? gateway.getDocument(key, arriveId, n.noticeSubId) : gateway.getComment(key, arriveId, n.noticeSubId)));
        zip = download.zip;
      } catch (e) {
        if (endsTheFetch(e)) throw e;
        this.#fail(n.id, e, report);
        continue;
      }
      await this.#keep(n.id, n.kind, zip, report);
    }
    await this.completePending(arriveId, report);
    await this.#verifyRemotely(arriveId, report);
    return report;
  }

  /**
   * 取得完了 of every notice kept but not confirmed — of one case, or of all (at start: what a crash
   * between the vault write and 取得完了 left). Never before the notice is recorded kept.
   */
  async completePending(arriveId?: string, report?: NoticeFetchReport): Promise<number> {
    const { gateway, session, notices } = this.#d;
    let completed = 0;
    for (const n of notices.toComplete()) {
      if (arriveId !== undefined && n.arriveId !== arriveId) continue;
      let receipt: NoticeReceipt;
      try {
        receipt = await session.withAccessKey((key) =>
          n.kind === 'document' ? gateway.completeDocument(key, n.arriveId, n.noticeSubId) : gateway.completeComment(key, n.arriveId, n.noticeSubId),
        );
      } catch (e) {
        if (endsTheFetch(e)) throw e;
        if (report) this.#fail(n.id, e, report);
        else this.#d.notices.recordError(n.id, failure(e));
        continue;
      }
      if (notices.markDone(n.id, receipt)) {
        completed += 1;
        if (report) report.completed += 1;
        this.#changed(n.id);
      }
    }
    return completed;
  }

  /** Todoke's own check of a kept 公文書 again (at the person's request, or after anchors changed). */
  async verifyLocally(id: number): Promise<LocalVerificationView | null> {
    const n = this.#d.notices.get(id);
    if (!n || n.kind !== 'document' || n.keptAt === null || n.refusal) return null;
    const main = mainXmlOf(n.files, n.listedFileNames);
    if (!main) return null;
    const local = await verifyOfficialDocument({
      xml: await this.#d.vault.readFile(main.sha256),
      fileName: main.name,
      issuedAt: parseJstTimestamp(n.issueDate) ?? new Date(n.firstSeenAt),
      anchors: await this.#d.anchors(),
      now: this.#now(),
    });
    this.#d.notices.saveVerification(id, local, n.remoteVerification);
    return local;
  }

  /** e-Gov's 公文書署名検証 of a kept 公文書: the ZIP exactly as it came, naming its main XML. */
  async verifyRemotely(id: number): Promise<RemoteVerification | null> {
    const n = this.#d.notices.get(id);
    if (!n || n.kind !== 'document' || !n.zip || n.refusal) return null;
    const main = mainXmlOf(n.files, n.listedFileNames);
    if (!main) return null;
    const zip = await this.#d.vault.readZip(n.zip.sha256);
    const remote = await this.#d.session.withAccessKey((key) =>
      this.#d.gateway.verifyDocument(key, { arriveId: n.arriveId, fileName: `officialdocument_${n.noticeSubId}.zip`, zip, xmlFileName: main.name }),
    );
    this.#d.notices.saveVerification(id, n.localVerification, remote);
    this.#changed(id);
    return remote;
  }

  async #keep(id: number, kind: NoticeKind, zip: Uint8Array, report: NoticeFetchReport): Promise<void> {
    try {
      const kept = await this.#d.vault.keep(zip);
      // the vault's writes are durable before this record says so: only now may 取得完了 follow
      this.#d.notices.recordKept(id, kept);
      report.kept += 1;
      if (kind === 'document' && kept.files) await this.verifyLocally(id);
      this.#changed(id);
    } catch (e) {
      this.#fail(id, e, report);
    }
  }

  async #verifyRemotely(arriveId: string, report: NoticeFetchReport): Promise<void> {
    for (const n of this.#d.notices.forCase(arriveId)) {
      if (n.kind !== 'document' || n.keptAt === null || n.refusal) continue;
      const record = this.#d.notices.get(n.id);
      if (!record || record.remoteVerification) continue;
      try {
        await this.verifyRemotely(n.id);
      } catch (e) {
        if (endsTheFetch(e)) throw e;
        this.#fail(n.id, e, report);
      }
    }
  }

  #fail(id: number, e: unknown, report: NoticeFetchReport): void {
    const f = failure(e);
    this.#d.notices.recordError(id, f);
    report.failed.push({ id, ...f });
  }

  #changed(id: number): void {
    const n = this.#d.notices.get(id);
    if (!n || !this.#d.onChange) return;
    const local = n.localVerification as LocalVerificationView | null;
    this.#d.onChange({ id, arriveId: n.arriveId, kind: n.kind, stage: stageOf(n), title: n.title, verdict: local?.verdict ?? null });
  }
}

export function stageOf(n: Pick<NoticeSummary, 'keptAt' | 'doneAt' | 'refusal'>): NoticeChangedEvent['stage'] {
  if (n.keptAt === null) return 'listed';
  if (n.refusal) return 'refused';
  return n.doneAt === null ? 'kept' : 'done';
}

