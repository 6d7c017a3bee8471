// Core host. The outbox repository: every batch (later 取下げ and 補正 too) is recorded here with
// its exact request bytes before it is sent, and every step of its life is one IMMEDIATE SQLite
// transaction that re-reads the state it moves from and asks src/main/sync/outbox-states.ts
// whether the move is legal. Nothing here talks to e-Gov: the sender (later) calls
// beginAttempt() → sends the bytes it returned → markAccepted()/markRefused()/… .
//
// Request bytes: inline in the row up to INLINE_REQUEST_LIMIT (1 MiB), in a file beside the
// database above it. The observed requests are a few KB to a few hundred KB (base64 of a ZIP of
// XML): inline, the bytes and the row are one commit, no second file can go missing. A batch with
// large PDF attachments can be tens of MB: written through the WAL that would be written twice
// (WAL, then checkpoint) and would swell the WAL file; so it goes to
// <profile>/outbox/<id>.request through writeFileDurably (fsynced, renamed, folder fsynced) BEFORE
// the row that points at it is committed. A crash between the two leaves an unreferenced file,
// never a row without its bytes. Either way the SHA-256 is in the row and checked on every read.
import { createHash, randomUUID } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { WithdrawalReceipt } from '../../shared/case.js';
import type { AmendmentKind, AmendmentReceipt } from '../../shared/documents.js';
import type { ArrivedApplication, SendReceipt } from '../../shared/filing.js';
import { TodokeError } from '../../shared/errors.js';
import { isOutboxState, nextState, type OutboxEvent, type OutboxState } from '../sync/outbox-states.js';
import type { ReconcileDecision, ReconcileSubject } from '../sync/reconcile.js';
import { applicationValues, toApplication, type ApplicationRow } from './application-rows.js';
import { writeFileDurably } from './durable-file.js';
import type { SqliteDatabase, Store } from './db.js';

export const INLINE_REQUEST_LIMIT = 1024 * 1024;
const REQUEST_FOLDER = 'outbox';
const SHA256_HEX = /^[0-9a-f]{64}$/;

export type OutboxKind = 'batch' | 'withdrawal' | 'amendment';

export type OutboxErrorCode =
  | 'OUTBOX_NOT_FOUND'
  | 'OUTBOX_INVALID'
  | 'OUTBOX_REQUEST_CORRUPT'
  | 'OUTBOX_SAME_DATA_UNCONFIRMED'
  | 'OUTBOX_SAME_DATA_IN_FLIGHT'
  | 'OUTBOX_SEND_NUMBER_CLAIMED'
  | 'OUTBOX_CONFLICT'
  /** a 取下げ of the case is recorded, in flight, unsettled or delivered already */
  | 'OUTBOX_WITHDRAWAL_EXISTS'
  /** a 補正 of the case is recorded, in flight or unsettled */
  | 'OUTBOX_AMENDMENT_EXISTS';

export class OutboxError extends TodokeError<OutboxErrorCode> {
  constructor(code: OutboxErrorCode, messages: { ja: string; en: string }, options: { cause?: unknown; detail?: Record<string, unknown> } = {}) {
    super(code, messages, options);
    this.name = 'OutboxError';
  }
}

export interface NewOutboxEntry {
  userId: string;
  kind: OutboxKind;
  /** the exact body that will be POSTed */
  request: Uint8Array;
  /** the application data folders / files the request was built from */
  sourcePaths: readonly string[];
  /** SHA-256 (lowercase hex) of the application data: equal for the same data sent again */
  contentSha256: string;
  applicationCount: number;
  /** one per application folder in the ZIP */
  folderNames: readonly string[];
  applicantNames: readonly string[];
  /**
   * 送信番号 of every earlier send of the same data (findEarlierSend), named by the user who
   * confirmed sending it again on purpose. Without them, the same data is refused.
   */
  confirmedEarlierSends?: readonly string[];
  /** 取下げ / 補正: the 到達番号 of the case acted on (required for kinds 'withdrawal' and 'amendment') */
  targetArriveId?: string;
  /** 補正: the API that carries it (required for kind 'amendment') */
  amendmentKind?: AmendmentKind;
}

/** What a 補正 case is stored as, beside the 202 (the rest comes from the receipt). */
export interface AmendmentCaseFacts {
  /** the 補正 package's folder, e.g. `900A010200001000(1)` */
  folderName: string;
}

/** What a 取下げ case is stored as, beside the 202 (the rest comes from the receipt). */
export interface WithdrawalCaseFacts {
  /** the 取下げ package's folder, e.g. `9990000000000008(1)` */
  folderName: string;
  corporationName: string;
  departmentName: string;
}

export interface OutboxFailure {
  /** a stable code (an EgovError's code, or the server's Code) */
  code: string;
  message: string;
}

export interface OutboxEntry {
  id: string;
  profile: string;
  userId: string;
  kind: OutboxKind;
  state: OutboxState;
  requestSize: number;
  requestSha256: string;
  /** true when the bytes live in a file beside the database rather than in the row */
  requestInFile: boolean;
  sourcePaths: string[];
  contentSha256: string;
  applicationCount: number;
  folderNames: string[];
  applicantNames: string[];
  /** epoch ms */
  createdAt: number;
  updatedAt: number;
  attemptStartedAt: number | null;
  attemptCount: number;
  sendNumber: string | null;
  sendDate: string | null;
  sendApplyCount: number | null;
  sendErrorCount: number | null;
  workStatus: string | null;
  failure: OutboxFailure | null;
  /** 送信番号 that fit when the state is `ambiguous` */
  candidates: string[];
  /** the 形式チェック's counts once the batch is done (null before, and for entries done before they were kept) */
  formatCheck: { normalCount: number; errorCount: number; hasErrorFile: boolean } | null;
  /** 取下げ: the 到達番号 of the case withdrawn; null for a batch */
  targetArriveId: string | null;
  /** 取下げ: the 取下げ's own 到達番号 once e-Gov gave it (null after a reconciliation that found it without its number) */
  newArriveId: string | null;
  /** 取下げ: e-Gov's answer, when it came */
  withdrawalReceipt: WithdrawalReceipt | null;
  /** 補正: the API that carries it; null for any other kind */
  amendmentKind: AmendmentKind | null;
  /** 補正: e-Gov's answer, when it came */
  amendmentReceipt: AmendmentReceipt | null;
}

/** What 送信案件一覧 / 申請案件一覧 tell about a batch whose 形式チェック is done. */
export interface FormatCheckResult {
  normalCount: number;
  errorCount: number;
  /** the ErrorFile HTML bytes (base64-decoded), or null when e-Gov sent none */
  errorFile: Buffer | null;
}

/** An earlier entry with the same application data. */
export interface EarlierSend {
  entryId: string;
  state: OutboxState;
  /** null while not known (ready, sending, unknown, ambiguous) */
  sendNumber: string | null;
  sendDate: string | null;
  createdAt: number;
}

export interface OutboxTransition {
  seq: number;
  from: OutboxState | null;
  to: OutboxState;
  event: string;
  at: number;
  detail: Record<string, unknown> | null;
}

interface EntryRow {
  id: string;
  profile: string;
  user_id: string;
  kind: OutboxKind;
  state: string;
  request_path: string | null;
  request_size: number;
  request_sha256: string;
  source_paths: string;
  content_sha256: string;
  application_count: number;
  folder_names: string;
  applicant_names: string;
  created_at: number;
  updated_at: number;
  attempt_started_at: number | null;
  attempt_count: number;
  send_number: string | null;
  send_date: string | null;
  send_apply_count: number | null;
  send_error_count: number | null;
  work_status: string | null;
  failure_code: string | null;
  failure_message: string | null;
  candidates: string | null;
  format_normal_count: number | null;
  format_error_count: number | null;
  has_error_file: number;
  target_arrive_id: string | null;
  new_arrive_id: string | null;
  reply: string | null;
  amendment_kind: AmendmentKind | null;
}

const ENTRY_COLUMNS = `id, profile, user_id, kind, state, request_path, request_size, request_sha256, source_paths,
  content_sha256, application_count, folder_names, applicant_names, created_at, updated_at, attempt_started_at,
  attempt_count, send_number, send_date, send_apply_count, send_error_count, work_status, failure_code,
  failure_message, candidates, format_normal_count, format_error_count, (error_file IS NOT NULL) AS has_error_file,
  target_arrive_id, new_arrive_id, reply, amendment_kind`;

/** Column values a transition may set, besides state and updated_at. */
type EntryUpdate = Partial<{
  attempt_started_at: number;
  attempt_count: number;
  send_number: string;
  send_date: string | null;
  send_apply_count: number | null;
  send_error_count: number | null;
  work_status: string | null;
  failure_code: string | null;
  failure_message: string | null;
  candidates: string | null;
  format_normal_count: number;
  format_error_count: number;
  error_file: Buffer | null;
  new_arrive_id: string | null;
  reply: string;
}>;

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export interface OutboxOptions {
  now?: () => number;
  /** bytes above this go to a file; default INLINE_REQUEST_LIMIT */
  inlineLimit?: number;
}

export class Outbox {
  private readonly db: SqliteDatabase;
  private readonly now: () => number;
  private readonly inlineLimit: number;

  constructor(
    private readonly store: Store,
    options: OutboxOptions = {},
  ) {
    this.db = store.db;
    this.now = options.now ?? Date.now;
    this.inlineLimit = options.inlineLimit ?? INLINE_REQUEST_LIMIT;
  }

  // ------------------------------------------------------------------------------ recording

  /**
   * Records a new entry in `ready` with its exact bytes and their SHA-256. Refuses the same
   * application data while an earlier entry of it is unsettled, and, once earlier sends of it have
   * a 送信番号, unless `confirmedEarlierSends` names every one of them.
   */
  async record(input: NewOutboxEntry): Promise<OutboxEntry> {
    checkNewEntry(input);
    this.checkSameData(input);
    this.checkNoWithdrawal(input);
    this.checkNoOpenAmendment(input);
    const id = randomUUID();
    const bytes = Buffer.from(input.request.buffer, input.request.byteOffset, input.request.byteLength);
    const sha = sha256Hex(bytes);
    let requestPath: string | null = null;
    if (bytes.byteLength > this.inlineLimit) {
      requestPath = `${REQUEST_FOLDER}/${id}.request`;
      await writeFileDurably(join(this.store.dir, requestPath), bytes, { makeFolders: true, noReplace: true });
    }
    const at = this.now();
    try {
      this.db
        .transaction(() => {
          this.checkSameData(input);
          this.checkNoWithdrawal(input);
          this.checkNoOpenAmendment(input);
          this.db
            .prepare(
              `INSERT INTO outbox_entries (id, profile, user_id, kind, state, request_bytes, request_path, request_size,
                 request_sha256, source_paths, content_sha256, application_count, folder_names, applicant_names,
                 created_at, updated_at, target_arrive_id, amendment_kind)
               VALUES (?, ?, ?, ?, 'ready', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            )
            .run(
              id,
              this.store.profile,
              input.userId,
              input.kind,
              requestPath === null ? bytes : null,
              requestPath,
              bytes.byteLength,
              sha,
              JSON.stringify(input.sourcePaths),
              input.contentSha256,
              input.applicationCount,
              JSON.stringify(input.folderNames),
              JSON.stringify(input.applicantNames),
              at,
              at,
              input.kind === 'batch' ? null : input.targetArriveId!,
              input.kind === 'amendment' ? input.amendmentKind! : null,
            );
          this.log(id, null, 'ready', 'recorded', at, { requestSha256: sha, requestSize: bytes.byteLength, ...(input.targetArriveId ? { targetArriveId: input.targetArriveId } : {}) });
        })
        .immediate();
    } catch (e) {
      if (requestPath !== null) await rm(join(this.store.dir, requestPath), { force: true });
      throw e;
    }
    return this.require(id);
  }

  /** Earlier entries carrying the same application data, oldest first; refused ones (`failed`) left out. */
  findEarlierSend(contentSha256: string): EarlierSend[] {
    const rows = this.db
      .prepare(
        `SELECT id, state, send_number, send_date, created_at FROM outbox_entries
         WHERE content_sha256 = ? AND state <> 'failed' ORDER BY created_at, rowid`,
      )
      .all(contentSha256) as { id: string; state: string; send_number: string | null; send_date: string | null; created_at: number }[];
    return rows.map((r) => ({ entryId: r.id, state: stateOf(r.state), sendNumber: r.send_number, sendDate: r.send_date, createdAt: r.created_at }));
  }

  /**
   * Refuses data sent before (OUTBOX_SAME_DATA_UNCONFIRMED, naming the 送信番号 not confirmed) or
   * still unsettled (OUTBOX_SAME_DATA_IN_FLIGHT), as record() does: asked before signing, so nobody
   * types a PIN for a batch that will be refused. record() asks again in its transaction.
   */
  assertNewData(contentSha256: string, confirmedEarlierSends?: readonly string[]): void {
    this.checkSameData({ contentSha256, ...(confirmedEarlierSends ? { confirmedEarlierSends } : {}) });
  }

  /**
   * The 取下げ of one case, oldest first, refused ones (`failed`) included: what a screen shows and
   * what decides whether another may be made.
   */
  withdrawalsOf(arriveId: string): OutboxEntry[] {
    const rows = this.db
      .prepare(`SELECT ${ENTRY_COLUMNS} FROM outbox_entries WHERE kind = 'withdrawal' AND target_arrive_id = ? ORDER BY created_at, rowid`)
      .all(arriveId) as EntryRow[];
    return rows.map(toEntry);
  }

  /**
   * Refuses a 取下げ of a case that has one not refused by e-Gov (`failed`): recorded, being sent,
   * unknown, ambiguous or delivered. Asked before signing (no PIN for a 取下げ that goes nowhere) and
   * again inside record()'s transaction; the partial unique index of migration 4 holds it too.
   */
  assertNoWithdrawal(arriveId: string): void {
    this.checkNoWithdrawal({ kind: 'withdrawal', targetArriveId: arriveId });
  }

  private checkNoWithdrawal(input: Pick<NewOutboxEntry, 'kind' | 'targetArriveId'>): void {
    if (input.kind !== 'withdrawal') return;
    const open = this.withdrawalsOf(input.targetArriveId ?? '').filter((e) => e.state !== 'failed');
    if (!open.length) return;
    const e = open[open.length - 1]!;
    const what: Record<OutboxState, string> = {
      ready: '送信前（e-Gov に届いていないことが分かっています）',
      'ready-for-resend': '照合の結果 e-Gov に届いていないことが分かっています',
      sending: '送信中',
      unknown: '届いたかどうか照合を待っています',
      ambiguous: '届いたかどうか判断できず、確認を待っています',
      sent: '届いています',
      following: '届いています',
      done: e.newArriveId ? `届いています（取下げの到達番号 ${e.newArriveId}）` : '届いています',
      failed: '',
    };
    throw new OutboxError(
      'OUTBOX_WITHDRAWAL_EXISTS',
      {
        ja: `到達番号 ${input.targetArriveId ?? ''} の取下げはすでに記録されています（${what[e.state]}）。同じ案件を二重に取り下げないよう、新しい取下げは作りません。`,
        en: `a withdrawal of ${input.targetArriveId ?? ''} is already recorded (${e.state})`,
      },
      { detail: { arriveId: input.targetArriveId, entryId: e.id, state: e.state, newArriveId: e.newArriveId } },
    );
  }

  /**
   * The 補正 of one case, oldest first, refused and replaced ones (`failed`) included: what a screen
   * shows and what decides whether another may be made.
   */
  amendmentsOf(arriveId: string): OutboxEntry[] {
    const rows = this.db
      .prepare(`SELECT ${ENTRY_COLUMNS} FROM outbox_entries WHERE kind = 'amendment' AND target_arrive_id = ? ORDER BY created_at, rowid`)
      .all(arriveId) as EntryRow[];
    return rows.map(toEntry);
  }

  /**
   * Refuses a 補正 of a case that has one still open: recorded, being sent, unknown or ambiguous. One
   * delivered (`done`) or refused (`failed`) leaves room: a ministry may ask for a correction again.
   * Asked before signing and again in record()'s transaction; the partial unique index of migration 6
   * holds it too.
   */
  assertNoOpenAmendment(arriveId: string): void {
    this.checkNoOpenAmendment({ kind: 'amendment', targetArriveId: arriveId });
  }

  private checkNoOpenAmendment(input: Pick<NewOutboxEntry, 'kind' | 'targetArriveId'>): void {
    if (input.kind !== 'amendment') return;
    const open = this.amendmentsOf(input.targetArriveId ?? '').filter((e) => e.state !== 'failed' && e.state !== 'done');
    if (!open.length) return;
    const e = open[open.length - 1]!;
    const what: Partial<Record<OutboxState, string>> = {
      ready: '送信前（e-Gov に届いていないことが分かっています）',
      'ready-for-resend': '照合の結果 e-Gov に届いていないことが分かっています',
      sending: '送信中',
      unknown: '届いたかどうか照合を待っています',
      ambiguous: '届いたかどうか判断できず、確認を待っています',
    };
    throw new OutboxError(
      'OUTBOX_AMENDMENT_EXISTS',
      {
        ja: `到達番号 ${input.targetArriveId ?? ''} の補正はすでに記録されています（${what[e.state] ?? e.state}）。同じ案件に二重に補正を送らないよう、新しい補正は作りません。`,
        en: `an amendment of ${input.targetArriveId ?? ''} is already open (${e.state})`,
      },
      { detail: { arriveId: input.targetArriveId, entryId: e.id, state: e.state } },
    );
  }

  private checkSameData(input: Pick<NewOutboxEntry, 'contentSha256' | 'confirmedEarlierSends'> & { kind?: OutboxKind }): void {
    // a 取下げ or 補正 is never "the same data" as another (it has no 送信番号 to settle by):
    // checkNoWithdrawal / checkNoOpenAmendment judge it by its case
    if (input.kind === 'withdrawal' || input.kind === 'amendment') return;
    const earlier = this.findEarlierSend(input.contentSha256);
    const unsettled = earlier.filter((e) => e.sendNumber === null);
    if (unsettled.length) {
      throw new OutboxError(
        'OUTBOX_SAME_DATA_IN_FLIGHT',
        {
          ja: '同じ申請データの送信がまだ終わっていません（送信前、送信中、または送信結果の確認待ち）。その送信の結果が分かるまで、同じデータは送信できません。',
          en: 'the same application data is already in the outbox without a 送信番号',
        },
        { detail: { entries: unsettled.map((e) => ({ entryId: e.entryId, state: e.state })) } },
      );
    }
    const confirmed = new Set(input.confirmedEarlierSends ?? []);
    const missing = earlier.filter((e) => e.sendNumber !== null && !confirmed.has(e.sendNumber)).map((e) => e.sendNumber!);
    if (missing.length) {
      throw new OutboxError(
        'OUTBOX_SAME_DATA_UNCONFIRMED',
        {
          ja: `同じ申請データは送信済みです（送信番号 ${missing.join('、')}）。もう一度送信するときは、この送信番号を確かめたうえで再送信を確認してください。`,
          en: `the same application data was sent before as ${missing.join(', ')}`,
        },
        { detail: { earlierSendNumbers: missing } },
      );
    }
  }

  // ------------------------------------------------------------------------------ reading

  get(id: string): OutboxEntry | null {
    const row = this.db.prepare(`SELECT ${ENTRY_COLUMNS} FROM outbox_entries WHERE id = ?`).get(id) as EntryRow | undefined;
    return row ? toEntry(row) : null;
  }

  /** Entries in `states` (all when none), of `kind` (all when absent), oldest first. */
  list(states?: readonly OutboxState[], kind?: OutboxKind): OutboxEntry[] {
    const where: string[] = [];
    const params: string[] = [];
    if (states?.length) {
      where.push(`state IN (${states.map(() => '?').join(', ')})`);
      params.push(...states);
    }
    if (kind) {
      where.push('kind = ?');
      params.push(kind);
    }
    const rows = this.db
      .prepare(`SELECT ${ENTRY_COLUMNS} FROM outbox_entries ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at, rowid`)
      .all(...params) as EntryRow[];
    return rows.map(toEntry);
  }

  history(id: string): OutboxTransition[] {
    const rows = this.db
      .prepare('SELECT seq, from_state, to_state, event, at, detail FROM outbox_transitions WHERE entry_id = ? ORDER BY seq')
      .all(id) as { seq: number; from_state: string | null; to_state: string; event: string; at: number; detail: string | null }[];
    return rows.map((r) => ({
      seq: r.seq,
      from: r.from_state === null ? null : stateOf(r.from_state),
      to: stateOf(r.to_state),
      event: r.event,
      at: r.at,
      detail: r.detail === null ? null : (JSON.parse(r.detail) as Record<string, unknown>),
    }));
  }

  /** The recorded request bytes, checked against their size and SHA-256. */
  async requestBytes(id: string): Promise<Buffer> {
    const row = this.db.prepare('SELECT request_bytes, request_path, request_size, request_sha256 FROM outbox_entries WHERE id = ?').get(id) as
      | { request_bytes: Buffer | null; request_path: string | null; request_size: number; request_sha256: string }
      | undefined;
    if (!row) throw notFound(id);
    let bytes: Buffer;
    if (row.request_bytes !== null) bytes = row.request_bytes;
    else {
      const path = join(this.store.dir, row.request_path!);
      try {
        bytes = await readFile(path);
      } catch (cause) {
        throw requestCorrupt(id, `cannot read ${path}`, cause);
      }
    }
    if (bytes.byteLength !== row.request_size || sha256Hex(bytes) !== row.request_sha256) throw requestCorrupt(id, 'size or SHA-256 differs');
    return bytes;
  }

  /** What reconcile() needs of an entry. */
  reconcileSubject(id: string): ReconcileSubject {
    const e = this.require(id);
    if (e.attemptStartedAt === null) throw invalid(`entry ${id} has no attempt to reconcile`);
    return { attemptStartedAt: e.attemptStartedAt, applicationCount: e.applicationCount, folderNames: e.folderNames, applicantNames: e.applicantNames };
  }

  /** 送信番号 already recorded for entries other than `exceptId`. */
  claimedSendNumbers(exceptId?: string): Set<string> {
    const rows = this.db.prepare('SELECT send_number FROM outbox_entries WHERE send_number IS NOT NULL AND id <> ?').all(exceptId ?? '') as {
      send_number: string;
    }[];
    return new Set(rows.map((r) => r.send_number));
  }

  applications(id: string): ArrivedApplication[] {
    const rows = this.db.prepare('SELECT * FROM arrived_applications WHERE entry_id = ? ORDER BY arrive_id DESC').all(id) as ApplicationRow[];
    return rows.map(toApplication);
  }

  // ------------------------------------------------------------------------------ sending

  /**
   * Reads and checks the recorded bytes, then records `sending` (attempt time, attempt count) and
   * returns those bytes: the caller sends exactly these, and only after this returned.
   */
  async beginAttempt(id: string): Promise<{ entry: OutboxEntry; request: Buffer }> {
    const request = await this.requestBytes(id);
    const at = this.now();
    const entry = this.transition(id, 'attempt', (row) => ({
      set: { attempt_started_at: at, attempt_count: row.attempt_count + 1, failure_code: null, failure_message: null, candidates: null },
      detail: { attempt: row.attempt_count + 1 },
    }));
    return { entry, request };
  }

  /** The 202 arrived: records the 送信番号 and the rest of the answer. */
  markAccepted(id: string, receipt: SendReceipt): OutboxEntry {
    if (!receipt.sendNumber) throw invalid('a receipt without a 送信番号');
    return this.transition(id, 'accepted', () => {
      this.assertSendNumberFree(id, receipt.sendNumber);
      return {
        set: {
          send_number: receipt.sendNumber,
          send_date: receipt.sendDate,
          send_apply_count: receipt.sendApplyCount,
          send_error_count: receipt.errorCount,
        },
        detail: { sendNumber: receipt.sendNumber },
      };
    });
  }

  /** e-Gov answered and did not accept the request. */
  markRefused(id: string, failure: OutboxFailure): OutboxEntry {
    return this.transition(id, 'refused', () => ({ set: { failure_code: failure.code, failure_message: failure.message }, detail: { ...failure } }));
  }

  /** The request provably never left (delivery `not-sent`): back to `ready`. */
  markNotDelivered(id: string, failure: OutboxFailure): OutboxEntry {
    return this.transition(id, 'not-delivered', () => ({ set: { failure_code: failure.code, failure_message: failure.message }, detail: { ...failure } }));
  }

  /** The request may have reached e-Gov and no answer came: `unknown`, to be reconciled. */
  markDeliveryUnknown(id: string, failure: OutboxFailure): OutboxEntry {
    return this.transition(id, 'delivery-unknown', () => ({ set: { failure_code: failure.code, failure_message: failure.message }, detail: { ...failure } }));
  }

  /**
   * After a crash: every entry left `sending` becomes `unknown` (never `ready`: the request may
   * have left). Call once, when the core host opens the store, before anything is sent.
   */
  recoverInterrupted(): OutboxEntry[] {
    const ids = (this.db.prepare("SELECT id FROM outbox_entries WHERE state = 'sending' ORDER BY created_at, rowid").all() as { id: string }[]).map(
      (r) => r.id,
    );
    return ids.map((id) =>
      this.transition(id, 'delivery-unknown', () => ({
        set: { failure_code: 'INTERRUPTED', failure_message: 'アプリが送信の途中で終了しました（届いたかどうかは e-Gov の一覧と照合します）' },
        detail: { reason: 'interrupted' },
      })),
    );
  }

  // ------------------------------------------------------------------------------ 取下げ

  /**
   * The 202 of a 取下げ arrived: its own 到達番号 and the answer recorded, and the 取下げ stored as a
   * case of its own linked to the case it withdraws — one transaction, so a crash leaves either
   * `sending` (reconciled at start) or both.
   */
  markWithdrawalArrived(id: string, receipt: WithdrawalReceipt, facts: WithdrawalCaseFacts): OutboxEntry {
    if (!receipt.newArriveId) throw invalid('a 取下げ receipt without its 到達番号');
    return this.transition(id, 'withdrawal-arrived', (row) => {
      if (row.kind !== 'withdrawal' || row.target_arrive_id === null) throw invalid(`entry ${id} is not a 取下げ`);
      if (receipt.arriveId !== row.target_arrive_id) throw invalid(`the receipt is for ${receipt.arriveId}, the entry for ${row.target_arrive_id}`);
      const target = this.db.prepare('SELECT arrive_id FROM arrived_applications WHERE arrive_id = ?').get(row.target_arrive_id);
      // a case Todoke does not hold (withdrawn by 到達番号 alone) has nothing to link to; the entry
      // keeps the 到達番号. A row of that number already there (a sync saw it first) is linked, not lost.
      if (target) {
        this.db
          .prepare(
            `INSERT INTO arrived_applications (arrive_id, entry_id, send_number, withdrawal_of, ministry_name, procedure_name, procedure_folder_name,
               applicant_name, corporation_name, department_name, status, status_date, pay_status, pay_wait_count, correct_status,
               comment_count_not_read, comment_count, doc_count_not_download, doc_count, updated_at, arrive_date, needs_reference)
             VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', 0, '', 0, 0, 0, 0, ?, ?, 1)
             ON CONFLICT(arrive_id) DO UPDATE SET entry_id = excluded.entry_id, withdrawal_of = excluded.withdrawal_of`,
          )
          .run(
            receipt.newArriveId,
            id,
            row.target_arrive_id,
            receipt.ministryName,
            receipt.procedureName,
            facts.folderName,
            receipt.applicantName,
            facts.corporationName,
            facts.departmentName,
            receipt.arriveResult,
            receipt.arriveDate,
            this.now(),
            receipt.arriveDate,
          );
      }
      return { set: { new_arrive_id: receipt.newArriveId, reply: JSON.stringify(receipt) }, detail: { newArriveId: receipt.newArriveId } };
    });
  }

  /** 状況照会 of the case showed the 取下げ at e-Gov (its own 到達番号 is not told there). */
  markWithdrawalFound(id: string, evidence: Record<string, unknown>): OutboxEntry {
    return this.transition(id, 'reconciled-withdrawal-arrived', (row) => {
      if (row.kind !== 'withdrawal') throw invalid(`entry ${id} is not a 取下げ`);
      return { set: { candidates: null }, detail: evidence };
    });
  }

  /** 状況照会 of the case could not tell whether the 取下げ arrived: `ambiguous`, waiting for the person. */
  markWithdrawalUndecided(id: string, reason: string): OutboxEntry {
    return this.transition(id, 'reconciled-ambiguous', (row) => {
      if (row.kind !== 'withdrawal') throw invalid(`entry ${id} is not a 取下げ`);
      return { set: { failure_code: 'WITHDRAWAL_UNDECIDED', failure_message: reason, candidates: null }, detail: { reason } };
    });
  }

  /** A 取下げ or 補正 that provably is not at e-Gov (`ready`, `ready-for-resend`) gives way to a new one of the same case. */
  markReplaced(id: string): OutboxEntry {
    return this.transition(id, 'replaced', (row) => {
      if (row.kind === 'withdrawal') return { set: { failure_code: 'WITHDRAWAL_REPLACED', failure_message: '新しい取下げに置き換えました（この取下げは e-Gov に届いていません）' }, detail: {} };
      if (row.kind === 'amendment') return { set: { failure_code: 'AMENDMENT_REPLACED', failure_message: '新しい補正に置き換えました（この補正は e-Gov に届いていません）' }, detail: {} };
      throw invalid(`entry ${id} is neither a 取下げ nor a 補正`);
    });
  }

  // ------------------------------------------------------------------------------ 補正

  /**
   * The 202 of a 補正 arrived: its answer recorded and, when e-Gov gave the 補正 a 到達番号 of its own
   * (補正申請, 再提出), the 補正 stored as a case linked to the case it corrects — one transaction,
   * as for a 取下げ. A 部分補正 keeps its case (NewArriveID empty, A.19): nothing new to store.
   */
  markAmendmentArrived(id: string, receipt: AmendmentReceipt, facts: AmendmentCaseFacts): OutboxEntry {
    return this.transition(id, 'amendment-arrived', (row) => {
      if (row.kind !== 'amendment' || row.target_arrive_id === null) throw invalid(`entry ${id} is not a 補正`);
      if (receipt.arriveId !== row.target_arrive_id) throw invalid(`the receipt is for ${receipt.arriveId}, the entry for ${row.target_arrive_id}`);
      if (!receipt.newArriveId && row.amendment_kind !== 'partamend') throw invalid('a 補正 receipt without its 到達番号');
      const target = this.db.prepare('SELECT arrive_id FROM arrived_applications WHERE arrive_id = ?').get(row.target_arrive_id);
      if (receipt.newArriveId && target) {
        this.db
          .prepare(
            `INSERT INTO arrived_applications (arrive_id, entry_id, send_number, amendment_of, ministry_name, procedure_name, procedure_folder_name,
               applicant_name, corporation_name, department_name, status, status_date, pay_status, pay_wait_count, correct_status,
               comment_count_not_read, comment_count, doc_count_not_download, doc_count, updated_at, arrive_date, needs_reference)
             VALUES (?, ?, NULL, ?, ?, ?, ?, ?, '', '', ?, ?, '', 0, '', 0, 0, 0, 0, ?, ?, 1)
             ON CONFLICT(arrive_id) DO UPDATE SET entry_id = excluded.entry_id, amendment_of = excluded.amendment_of`,
          )
          .run(
            receipt.newArriveId,
            id,
            row.target_arrive_id,
            receipt.ministryName,
            receipt.procedureName,
            facts.folderName,
            receipt.applicantName,
            receipt.arriveResult,
            receipt.arriveDate,
            this.now(),
            receipt.arriveDate,
          );
      }
      // the original owes a 状況照会: its CorrectStatus and history move with the 補正
      this.db.prepare('UPDATE arrived_applications SET needs_reference = 1 WHERE arrive_id = ?').run(row.target_arrive_id);
      return { set: { new_arrive_id: receipt.newArriveId || null, reply: JSON.stringify(receipt) }, detail: { newArriveId: receipt.newArriveId } };
    });
  }

  /** 状況照会 of the case showed the 補正 at e-Gov (its own 到達番号 is not told there). */
  markAmendmentFound(id: string, evidence: Record<string, unknown>): OutboxEntry {
    return this.transition(id, 'reconciled-amendment-arrived', (row) => {
      if (row.kind !== 'amendment') throw invalid(`entry ${id} is not a 補正`);
      return { set: { candidates: null }, detail: evidence };
    });
  }

  /** 状況照会 of the case could not tell whether the 補正 arrived: `ambiguous`, waiting for the person. */
  markAmendmentUndecided(id: string, reason: string): OutboxEntry {
    return this.transition(id, 'reconciled-ambiguous', (row) => {
      if (row.kind !== 'amendment') throw invalid(`entry ${id} is not a 補正`);
      return { set: { failure_code: 'AMENDMENT_UNDECIDED', failure_message: reason, candidates: null }, detail: { reason } };
    });
  }

  // ------------------------------------------------------------------------------ reconciliation

  /** Records what reconcile() decided. `too-early` changes nothing and returns the entry as it is. */
  applyReconciliation(id: string, decision: ReconcileDecision): OutboxEntry {
    if (decision.kind === 'matched' && this.requireRow(id).kind !== 'batch') throw invalid('a 取下げ or 補正 has no 送信番号 to match');
    switch (decision.kind) {
      case 'too-early':
        return this.require(id);
      case 'matched':
        return this.transition(id, 'reconciled-matched', () => {
          this.assertSendNumberFree(id, decision.sendNumber);
          return { set: { send_number: decision.sendNumber, candidates: null }, detail: { sendNumber: decision.sendNumber } };
        });
      case 'not-found':
        return this.transition(id, 'reconciled-not-found', () => ({ set: { candidates: null }, detail: {} }));
      case 'ambiguous':
        if (!decision.candidates.length) throw invalid('an ambiguous decision without candidates');
        return this.transition(id, 'reconciled-ambiguous', () => ({
          set: { candidates: JSON.stringify(decision.candidates) },
          detail: { candidates: decision.candidates },
        }));
    }
  }

  /** The user picked one of the candidates of an `ambiguous` entry as the batch it sent. */
  chooseCandidate(id: string, sendNumber: string): OutboxEntry {
    return this.transition(id, 'user-chose-send', (row) => {
      const candidates = parseList(row.candidates ?? '[]');
      if (!candidates.includes(sendNumber)) throw invalid(`${sendNumber} is not a candidate of entry ${id}`);
      this.assertSendNumberFree(id, sendNumber);
      return { set: { send_number: sendNumber, candidates: null }, detail: { sendNumber } };
    });
  }

  /** The user confirmed that none of the candidates of an `ambiguous` entry is theirs. */
  confirmResend(id: string): OutboxEntry {
    return this.transition(id, 'user-confirmed-resend', (row) => ({ set: { candidates: null }, detail: { rejected: parseList(row.candidates ?? '[]') } }));
  }

  // ------------------------------------------------------------------------------ following

  /** 送信案件一覧 shows a WorkStatus (処理待ち …) for the entry's batch. */
  markProcessing(id: string, workStatus: string): OutboxEntry {
    if (!workStatus) throw invalid('an empty WorkStatus means the batch is done: use markCompleted');
    return this.transition(id, 'processing', () => ({ set: { work_status: workStatus }, detail: { workStatus } }));
  }

  /** Stores the arrived applications of the entry's batch as far as they are known (sent/following/done). */
  storeApplications(id: string, applications: readonly ArrivedApplication[]): void {
    this.db
      .transaction(() => {
        const row = this.requireRow(id);
        if (!row.send_number) throw invalid(`entry ${id} has no 送信番号 yet`);
        this.upsertApplications(row, applications);
      })
      .immediate();
  }

  /** WorkStatus is empty: stores the applications and moves the entry to `done`, in one transaction. */
  markCompleted(id: string, applications: readonly ArrivedApplication[], result?: FormatCheckResult): OutboxEntry {
    return this.transition(id, 'completed', (row) => {
      this.upsertApplications(row, applications);
      const counts = result
        ? { format_normal_count: result.normalCount, format_error_count: result.errorCount, error_file: result.errorFile }
        : {};
      return { set: { work_status: '', ...counts }, detail: { applications: applications.length, ...(result ? { errorCount: result.errorCount } : {}) } };
    });
  }

  /** The 形式チェック's ErrorFile as e-Gov sent it, or null. */
  errorFile(id: string): Buffer | null {
    const row = this.db.prepare('SELECT error_file FROM outbox_entries WHERE id = ?').get(id) as { error_file: Buffer | null } | undefined;
    if (!row) throw notFound(id);
    return row.error_file;
  }

  /** How many arrived applications one entry has stored. */
  arrivedCount(id: string): number {
    return (this.db.prepare('SELECT count(*) AS n FROM arrived_applications WHERE entry_id = ?').get(id) as { n: number }).n;
  }

  /** How many arrived applications each entry has stored. */
  arrivedCounts(): Map<string, number> {
    const rows = this.db.prepare('SELECT entry_id, count(*) AS n FROM arrived_applications WHERE entry_id IS NOT NULL GROUP BY entry_id').all() as {
      entry_id: string;
      n: number;
    }[];
    return new Map(rows.map((r) => [r.entry_id, r.n]));
  }

  private upsertApplications(row: EntryRow, applications: readonly ArrivedApplication[]): void {
    const at = this.now();
    const owner = this.db.prepare('SELECT entry_id, send_number FROM arrived_applications WHERE arrive_id = ?');
    const upsert = this.db.prepare(
      `INSERT INTO arrived_applications (arrive_id, entry_id, send_number, ministry_name, procedure_name, procedure_folder_name,
         applicant_name, corporation_name, department_name, status, status_date, pay_status, pay_wait_count, correct_status,
         comment_count_not_read, comment_count, doc_count_not_download, doc_count, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(arrive_id) DO UPDATE SET entry_id = excluded.entry_id, send_number = excluded.send_number,
         ministry_name = excluded.ministry_name, procedure_name = excluded.procedure_name,
         procedure_folder_name = excluded.procedure_folder_name, applicant_name = excluded.applicant_name,
         corporation_name = excluded.corporation_name, department_name = excluded.department_name, status = excluded.status,
         status_date = excluded.status_date, pay_status = excluded.pay_status, pay_wait_count = excluded.pay_wait_count,
         correct_status = excluded.correct_status, comment_count_not_read = excluded.comment_count_not_read,
         comment_count = excluded.comment_count, doc_count_not_download = excluded.doc_count_not_download,
         doc_count = excluded.doc_count, updated_at = excluded.updated_at`,
    );
    for (const a of applications) {
      const existing = owner.get(a.arriveId) as { entry_id: string | null; send_number: string } | undefined;
      if (existing && (existing.send_number !== row.send_number || (existing.entry_id !== null && existing.entry_id !== row.id))) {
        throw new OutboxError(
          'OUTBOX_CONFLICT',
          { ja: `到達番号 ${a.arriveId} は別の送信（${existing.send_number}）のものとして記録されています。`, en: `arriveId ${a.arriveId} belongs to another batch` },
          { detail: { arriveId: a.arriveId, sendNumber: existing.send_number } },
        );
      }
      upsert.run(
        a.arriveId,
        row.id,
        row.send_number,
        ...applicationValues(a),
        at,
      );
    }
  }

  // ------------------------------------------------------------------------------ machinery

  private require(id: string): OutboxEntry {
    const entry = this.get(id);
    if (!entry) throw notFound(id);
    return entry;
  }

  private requireRow(id: string): EntryRow {
    const row = this.db.prepare(`SELECT ${ENTRY_COLUMNS} FROM outbox_entries WHERE id = ?`).get(id) as EntryRow | undefined;
    if (!row) throw notFound(id);
    return row;
  }

  /** A 送信番号 is one entry's: refuses one already recorded for another entry (inside the transition). */
  private assertSendNumberFree(id: string, sendNumber: string): void {
    const other = this.db.prepare('SELECT id FROM outbox_entries WHERE send_number = ? AND id <> ?').get(sendNumber, id) as { id: string } | undefined;
    if (other) {
      throw new OutboxError(
        'OUTBOX_SEND_NUMBER_CLAIMED',
        { ja: `送信番号 ${sendNumber} は別の送信の記録に使われています。`, en: `${sendNumber} is the 送信番号 of entry ${other.id}` },
        { detail: { sendNumber, entryId: other.id } },
      );
    }
  }

  /**
   * One state change, in one IMMEDIATE transaction: re-reads the entry, asks the state machine,
   * writes the new state with `set`, logs the transition. Throws OutboxTransitionError when illegal.
   */
  private transition(id: string, event: OutboxEvent, change: (row: EntryRow) => { set: EntryUpdate; detail: Record<string, unknown> }): OutboxEntry {
    this.db
      .transaction(() => {
        const row = this.requireRow(id);
        const from = stateOf(row.state);
        const to = nextState(from, event, id);
        const { set, detail } = change(row);
        const at = this.now();
        const columns = Object.keys(set) as (keyof EntryUpdate)[];
        const assignments = ['state = ?', 'updated_at = ?', ...columns.map((c) => `${c} = ?`)].join(', ');
        const result = this.db
          .prepare(`UPDATE outbox_entries SET ${assignments} WHERE id = ? AND state = ?`)
          .run(to, at, ...columns.map((c) => set[c]), id, from);
        if (result.changes !== 1) throw new OutboxError('OUTBOX_CONFLICT', { ja: '送信箱の記録が同時に変更されました。やり直してください。', en: `entry ${id} changed meanwhile` });
        this.log(id, from, to, event, at, detail);
      })
      .immediate();
    return this.require(id);
  }

  private log(id: string, from: OutboxState | null, to: OutboxState, event: string, at: number, detail: Record<string, unknown>): void {
    const { seq } = this.db.prepare('SELECT coalesce(max(seq), 0) + 1 AS seq FROM outbox_transitions WHERE entry_id = ?').get(id) as { seq: number };
    this.db
      .prepare('INSERT INTO outbox_transitions (entry_id, seq, from_state, to_state, event, at, detail) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(id, seq, from, to, event, at, JSON.stringify(detail));
  }
}

// ---------------------------------------------------------------------------------------------

function toEntry(r: EntryRow): OutboxEntry {
  return {
    id: r.id,
    profile: r.profile,
    userId: r.user_id,
    kind: r.kind,
    state: stateOf(r.state),
    requestSize: r.request_size,
    requestSha256: r.request_sha256,
    requestInFile: r.request_path !== null,
    sourcePaths: parseList(r.source_paths),
    contentSha256: r.content_sha256,
    applicationCount: r.application_count,
    folderNames: parseList(r.folder_names),
    applicantNames: parseList(r.applicant_names),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    attemptStartedAt: r.attempt_started_at,
    attemptCount: r.attempt_count,
    sendNumber: r.send_number,
    sendDate: r.send_date,
    sendApplyCount: r.send_apply_count,
    sendErrorCount: r.send_error_count,
    workStatus: r.work_status,
    failure: r.failure_code === null ? null : { code: r.failure_code, message: r.failure_message ?? '' },
    candidates: r.candidates === null ? [] : parseList(r.candidates),
    formatCheck:
      r.format_normal_count === null || r.format_error_count === null
        ? null
        : { normalCount: r.format_normal_count, errorCount: r.format_error_count, hasErrorFile: r.has_error_file === 1 },
    targetArriveId: r.target_arrive_id,
    newArriveId: r.new_arrive_id,
    withdrawalReceipt: r.reply === null || r.kind !== 'withdrawal' ? null : (JSON.parse(r.reply) as WithdrawalReceipt),
    amendmentKind: r.amendment_kind,
    amendmentReceipt: r.reply === null || r.kind !== 'amendment' ? null : (JSON.parse(r.reply) as AmendmentReceipt),
  };
}

function stateOf(value: string): OutboxState {
  // the CHECK constraint makes anything else impossible short of a foreign writer
  if (!isOutboxState(value)) throw invalid(`unknown outbox state ${value}`);
  return value;
}

function parseList(json: string): string[] {
  const value: unknown = JSON.parse(json);
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw invalid('a stored list is not a list of strings');
  return value as string[];
}

function checkNewEntry(input: NewOutboxEntry): void {
  if (!(['batch', 'withdrawal', 'amendment'] as const).includes(input.kind)) throw invalid(`unknown kind ${String(input.kind)}`);
  if (!input.userId) throw invalid('no 利用者ID');
  if (!SHA256_HEX.test(input.contentSha256)) throw invalid('contentSha256 is not a lowercase hex SHA-256');
  if (!Number.isInteger(input.applicationCount) || input.applicationCount < 0) throw invalid('applicationCount is not a count');
  if (input.folderNames.length !== input.applicationCount) throw invalid('one folder name per application is needed');
  if (input.request.byteLength === 0) throw invalid('an empty request');
  if (input.kind !== 'batch' && !/^\d{16,18}$/.test(input.targetArriveId ?? '')) throw invalid('a 取下げ or 補正 without the 到達番号 of its case');
  if (input.kind === 'batch' && input.targetArriveId !== undefined) throw invalid('only a 取下げ or 補正 names a case');
  if (input.kind === 'amendment' && !(['amendapply', 'reamend', 'partamend'] as const).includes(input.amendmentKind!)) throw invalid('a 補正 without its API');
  if (input.kind !== 'amendment' && input.amendmentKind !== undefined) throw invalid('only a 補正 has an API kind');
}

function notFound(id: string): OutboxError {
  return new OutboxError('OUTBOX_NOT_FOUND', { ja: '送信箱にその記録がありません。', en: `no outbox entry ${id}` }, { detail: { entryId: id } });
}

function invalid(reason: string): OutboxError {
  return new OutboxError('OUTBOX_INVALID', { ja: `送信箱への指示が正しくありません（${reason}）。`, en: `outbox: ${reason}` });
}

function requestCorrupt(id: string, reason: string, cause?: unknown): OutboxError {
  return new OutboxError(
    'OUTBOX_REQUEST_CORRUPT',
    {
      ja: '送信箱に記録した送信データが読めないか、記録したときと内容が違います。この送信は行えません。申請データから作り直してください。',
      en: `outbox entry ${id}: recorded request unusable (${reason})`,
    },
    { cause, detail: { entryId: id } },
  );
}
