// Core host. The 補正 use case (issue #10 item 6): a case Todoke tracks and its corrected application →
// compared with the filed one (nothing changed: not sent) → checked, then signed in memory
// (./amendment-package.ts) → the exact request recorded in the outbox (kind 'amendment', naming the
// case) → `sending` committed → sent once → the answer recorded, and the 補正 stored as a case of its
// own linked to the case it corrects, in the same transaction. As for a 取下げ (./withdraw.ts):
//
//   202                                       → markAmendmentArrived             → `done`
//   never left (not-sent, login failed,
//     access key refused)                     → markNotDelivered                 → `ready`
//   e-Gov answered 4xx Code 1 / 401            → markRefused                      → `failed`
//   HTTP 500, and 状況照会 right after shows
//     the case unchanged and not open to a 補正 → markRefused (AMENDMENT_INELIGIBLE) → `failed`
//   HTTP 500 with the 補正 in the history       → markAmendmentFound               → `done`
//   anything else (reset, timeout, 5xx …)      → markDeliveryUnknown              → `unknown`
//
// and NEVER a second 補正 of the same case while one is open: recorded, in flight, unknown or
// ambiguous (the outbox checks it in record()'s transaction and a unique index holds it). An `unknown`
// 補正 is reconciled by 状況照会 of its case (../sync/reconcile-amendment.ts), never resent blindly;
// what the reconciliation cannot decide waits for the person (settle()).
import type { CaseStatus } from '../../shared/case.js';
import type { AmendmentKind, AmendmentReceipt } from '../../shared/documents.js';
import { isTodokeError } from '../../shared/errors.js';
import { checkApplicationData } from '../application/check.js';
import { parseFolderName } from '../application/model.js';
import { isEgovError } from '../egov/errors.js';
import type { EgovDocumentsGateway, EgovGateway } from '../session/gateway.js';
import type { EgovSession } from '../session/session.js';
import type { Signer } from '../signing/signer.js';
import type { CaseRecord, CaseStore } from '../store/cases.js';
import type { Outbox, OutboxEntry } from '../store/outbox.js';
import { judgeAmendmentServerError, reconcileAmendment, type AmendmentReconcileDecision, type AmendmentReconcileOptions } from '../sync/reconcile-amendment.js';
import { DEFAULT_EARLY_MS } from '../sync/reconcile.js';
import { assertCheckPassed } from './build-batch.js';
import { amendmentChanges, assertSomethingChanged } from './amendment-changes.js';
import { AmendmentError } from './amendment-errors.js';
import { amendmentData, buildAmendmentPackage, type AmendmentFolder, type BuiltAmendment } from './amendment-package.js';
import { failureOf, isRefusal, messageJa } from './send-failure.js';
import type { FileComparison } from './xml-diff.js';

export interface AmendmentSenderOptions {
  outbox: Outbox;
  cases: CaseStore;
  session: Pick<EgovSession, 'userId' | 'withAccessKey'>;
  gateway: Pick<EgovGateway & EgovDocumentsGateway, 'prepareAmendment' | 'sendAmendment' | 'isCredentialRefusal' | 'caseStatus'>;
  /** Signature/@Id, ZIP entry times and the reconciliation's clock */
  now?: () => Date;
  /** the windows of reconcileAmendment() (defaults there) */
  windows?: Pick<AmendmentReconcileOptions, 'earlyMs' | 'settleMs'>;
}

export interface AmendInput {
  /** 到達番号 of the case to correct (a case Todoke tracks) */
  arriveId: string;
  kind: AmendmentKind;
  /** the corrected application */
  folder: AmendmentFolder;
  /** the filed application, when known (the outbox's copy): a draft identical to it is refused */
  filed: AmendmentFolder | null;
  /** 部分補正 only (§4.10) */
  target?: { basicForm: boolean; attached: boolean };
  /** opened only once everything is checked (no PIN for a 補正 that is refused anyway); closed here */
  openSigner: () => Promise<Signer>;
}

export interface AmendResult {
  entry: OutboxEntry;
  receipt: AmendmentReceipt | null;
  /** the files compared with the filed ones ([] when the filed application was not known) */
  changes: FileComparison[];
  /** ids of earlier 補正 of the case that provably never left, set aside for this one */
  replaced: string[];
}

export type AmendmentRecoveryOutcome =
  | { entryId: string; decision: AmendmentReconcileDecision; entry: OutboxEntry }
  /** 状況照会 could not be asked: the entry stays `unknown` */
  | { entryId: string; error: unknown; entry: OutboxEntry };

/** States in which a 補正 provably is not at e-Gov: a new one of the same case replaces it. */
const REPLACEABLE = new Set(['ready', 'ready-for-resend']);

export class AmendmentSender {
  readonly #o: AmendmentSenderOptions;
  readonly #now: () => Date;

  constructor(options: AmendmentSenderOptions) {
    this.#o = options;
    this.#now = options.now ?? (() => new Date());
  }

  /** The case, when a new 補正 of it may be made now; else the AmendmentError that says why. */
  assertAllowed(arriveId: string): CaseRecord {
    return assertAmendmentAllowed(this.#o, arriveId);
  }

  /** Compares, checks, signs, records and sends one 補正; see the head of this file for what each failure leaves. */
  async amend(input: AmendInput): Promise<AmendResult> {
    const original = this.assertAllowed(input.arriveId);
    const procedureId = parseFolderName(original.procedureFolderName)?.procedureId;
    if (procedureId === undefined) {
      throw new AmendmentError(
        'AMENDMENT_NOT_ALLOWED',
        { ja: `この案件のフォルダー名「${original.procedureFolderName.slice(0, 40)}」から手続IDが分からないため、補正の申請データを確かめられません。`, en: `no procedure ID in the case's folder name` },
        { detail: { arriveId: original.arriveId } },
      );
    }
    const packageInput = { kind: input.kind, arriveId: original.arriveId, procedureId, folder: input.folder };
    const changes = input.filed ? amendmentChanges(input.filed, input.folder, packageInput) : [];
    if (input.filed) assertSomethingChanged(changes);
    // everything checked before the PIN is asked: the kousei rewrite, the procedure, the 申請データ check
    assertCheckPassed(checkApplicationData(amendmentData(packageInput).data));
    const signer = await input.openSigner();
    let built: BuiltAmendment;
    try {
      built = await buildAmendmentPackage(packageInput, { signer, at: this.#now() });
    } finally {
      await signer.close().catch(() => undefined);
    }
    const prepared = this.#o.gateway.prepareAmendment({ kind: input.kind, arriveId: original.arriveId, zip: built.zip, ...(input.target ? { target: input.target } : {}) });
    // checked again: another 補正 may have been made while the PIN was typed
    this.assertAllowed(original.arriveId);
    const replaced: string[] = [];
    for (const e of this.#o.outbox.amendmentsOf(original.arriveId)) {
      if (REPLACEABLE.has(e.state)) replaced.push(this.#o.outbox.markReplaced(e.id).id);
    }
    const entry = await this.#recordOrExplain(original.arriveId, () =>
      this.#o.outbox.record({
        userId: this.#o.session.userId,
        kind: 'amendment',
        amendmentKind: input.kind,
        targetArriveId: original.arriveId,
        request: prepared.body,
        sourcePaths: [],
        contentSha256: built.contentSha256,
        applicationCount: 1,
        folderNames: [built.folderName],
        applicantNames: [built.applicantName],
      }),
    );
    const sent = await this.sendRecorded(entry.id);
    return { ...sent, changes, replaced };
  }

  /**
   * Sends a recorded `ready` / `ready-for-resend` 補正: exactly the bytes the outbox holds, once.
   * Throws an AmendmentError saying what became of it when it did not arrive.
   */
  async sendRecorded(entryId: string): Promise<{ entry: OutboxEntry; receipt: AmendmentReceipt | null }> {
    const recorded = this.#o.outbox.get(entryId);
    if (!recorded || recorded.kind !== 'amendment') throw wrongState(entryId, recorded?.state ?? null);
    const target = recorded.targetArriveId!;
    // the API is part of the record: 補正申請 and 再提出 bodies are byte-identical in form
    const kind = recorded.amendmentKind ?? 'amendapply';
    const statusBefore = this.#o.cases.get(target)?.status ?? null;
    const { request, entry: sending } = await this.#o.outbox.beginAttempt(entryId);
    // `sending` is committed: from here on the 補正 may reach e-Gov
    let calls = 0;
    let lastCallError: unknown = null;
    let receipt: AmendmentReceipt;
    try {
      receipt = await this.#o.session.withAccessKey(async (key) => {
        calls++;
        try {
          return await this.#o.gateway.sendAmendment(key, kind, request);
        } catch (e) {
          lastCallError = e;
          throw e;
        }
      });
    } catch (e) {
      const outcome = await this.#recordFailure(entryId, target, e, calls, lastCallError, { attemptStartedAt: sending.attemptStartedAt ?? this.#now().getTime(), statusBefore });
      // a 500 after which 状況照会 showed the 補正 at e-Gov: arrived, its answer (and new 到達番号) unknown
      if (!(outcome instanceof AmendmentError)) return { entry: outcome, receipt: null };
      throw outcome;
    }
    let entry: OutboxEntry;
    try {
      entry = this.#o.outbox.markAmendmentArrived(entryId, receipt, { folderName: recorded.folderNames[0] ?? '' });
    } catch (e) {
      // a 202 that does not fit (another 到達番号 echoed, no NewArriveID): it reached e-Gov in some form,
      // so it is `unknown` — reconciled by 状況照会, never resent — rather than left `sending`
      if (!isTodokeError(e, 'OUTBOX_INVALID')) throw e;
      const left = this.#o.outbox.markDeliveryUnknown(entryId, { code: 'AMENDMENT_RECEIPT_INVALID', message: e.message });
      throw new AmendmentError(
        'AMENDMENT_DELIVERY_UNKNOWN',
        {
          ja: `e-Gov は到達番号 ${target} の補正に応答しましたが、その内容が補正の受付として読めません。Todoke は補正を自動では送り直しません。次の起動時または更新時に、この案件の状況照会で届いたかどうかを確かめます。`,
          en: `the answer to the amendment of ${target} does not fit: ${e.message}`,
        },
        { cause: e, detail: { entryId, arriveId: target, state: left.state } },
      );
    }
    return { entry, receipt };
  }

  /**
   * At start and when the person asks: each `unknown` 補正 is reconciled by 状況照会 of its case, the
   * answer stored with the case as well. Nothing is sent. (A 補正 a crash left `sending` became
   * `unknown` when the outbox was opened: Outbox.recoverInterrupted, run once at start.)
   */
  async reconcile(): Promise<AmendmentRecoveryOutcome[]> {
    const outcomes: AmendmentRecoveryOutcome[] = [];
    for (const pending of this.#o.outbox.list(['unknown'], 'amendment')) {
      const id = pending.id;
      try {
        const target = pending.targetArriveId!;
        const attemptStartedAt = pending.attemptStartedAt ?? pending.createdAt;
        const statusBefore = this.#statusAt(target, attemptStartedAt);
        const status = await this.#o.session.withAccessKey((key) => this.#o.gateway.caseStatus(key, target));
        this.#o.cases.storeReference(status);
        const accountedFor = this.#accountedFor(target, id, attemptStartedAt);
        const decision = reconcileAmendment({ arriveId: target, attemptStartedAt, statusBefore, accountedFor }, status, { ...this.#o.windows, now: this.#now().getTime() });
        outcomes.push({ entryId: id, decision, entry: this.#apply(id, decision) });
      } catch (error) {
        outcomes.push({ entryId: id, error, entry: this.#o.outbox.get(id) ?? pending });
      }
    }
    return outcomes;
  }

  /**
   * The person decides an `ambiguous` 補正: it reached e-Gov (`arrived`: done), or it did not
   * (`not-arrived`: may be replaced by a new one).
   */
  settle(entryId: string, decision: 'arrived' | 'not-arrived'): OutboxEntry {
    return settleAmendment(this.#o.outbox, entryId, decision);
  }

  /** The case's status as Todoke last saw it at or before `at` (epoch ms). */
  #statusAt(arriveId: string, at: number): string | null {
    const seen = this.#o.cases.observations(arriveId).filter((o) => o.at <= at);
    return seen.length ? seen[seen.length - 1]!.to : null;
  }

  #apply(id: string, decision: AmendmentReconcileDecision): OutboxEntry {
    switch (decision.kind) {
      case 'arrived':
        return this.#o.outbox.markAmendmentFound(id, { event: decision.event });
      case 'not-found':
        return this.#o.outbox.applyReconciliation(id, { kind: 'not-found' });
      case 'ambiguous':
        return this.#o.outbox.markAmendmentUndecided(id, decision.reason);
      case 'too-early':
        return this.#o.outbox.get(id)!;
    }
  }

  async #recordOrExplain(arriveId: string, record: () => Promise<OutboxEntry>): Promise<OutboxEntry> {
    try {
      return await record();
    } catch (e) {
      if (isTodokeError(e, 'OUTBOX_AMENDMENT_EXISTS')) throw existsError(arriveId, e);
      // the unique index of migration 6: a second writer recorded one between the check and the insert
      if (e instanceof Error && /UNIQUE constraint failed: outbox_entries\.target_arrive_id/.test(e.message)) throw existsError(arriveId, e);
      throw e;
    }
  }

  async #recordFailure(
    entryId: string,
    arriveId: string,
    error: unknown,
    calls: number,
    lastCallError: unknown,
    before: { attemptStartedAt: number; statusBefore: string | null },
  ): Promise<AmendmentError | OutboxEntry> {
    const failure = failureOf(error);
    const keyRefused = calls > 0 && this.#o.gateway.isCredentialRefusal(lastCallError);
    if (calls === 0 || keyRefused || (isEgovError(error) && error.delivery === 'not-sent')) {
      const entry = this.#o.outbox.markNotDelivered(entryId, failure);
      return new AmendmentError(
        'AMENDMENT_NOT_SENT',
        {
          ja: `到達番号 ${arriveId} の補正は e-Gov に届いていません（${messageJa(error)}）。原因を確かめてから、もう一度補正を送信してください（記録した補正は新しい補正に置き換わります）。`,
          en: `the amendment of ${arriveId} did not reach e-Gov: ${failure.message}`,
        },
        { cause: error, detail: { entryId, arriveId, state: entry.state, failureCode: failure.code } },
      );
    }
    if (isRefusal(error)) {
      const entry = this.#o.outbox.markRefused(entryId, failure);
      return new AmendmentError(
        'AMENDMENT_REFUSED',
        {
          ja: `e-Gov は到達番号 ${arriveId} の補正を受け付けませんでした（HTTP ${error.status ?? '?'}: ${error.serverMessage?.trim() || 'メッセージなし'}）。内容を直してから、新しく補正を送信してください。`,
          en: `e-Gov refused the amendment of ${arriveId} (HTTP ${error.status ?? '?'}): ${error.serverMessage ?? ''}`,
        },
        { cause: error, detail: { entryId, arriveId, state: entry.state, status: error.status, serverMessage: error.serverMessage } },
      );
    }
    if (isEgovError(error) && error.status === 500) {
      const judged = await this.#judgeServerError(entryId, arriveId, error, before);
      if (judged) return judged;
    }
    const entry = this.#o.outbox.markDeliveryUnknown(entryId, failure);
    return new AmendmentError(
      'AMENDMENT_DELIVERY_UNKNOWN',
      {
        ja:
          `到達番号 ${arriveId} の補正が e-Gov に届いたかどうか分かりません（${messageJa(error)}）。` +
          'Todoke は補正を自動では送り直しません。次の起動時または更新時に、この案件の状況照会で届いたかどうかを確かめます。それまで同じ案件の補正はできません。',
        en: `delivery of the amendment of ${arriveId} is unknown: ${failure.message}`,
      },
      { cause: error, detail: { entryId, arriveId, state: entry.state, failureCode: failure.code } },
    );
  }

  /**
   * After an HTTP 500, the entry still `sending`: one 状況照会 of the case decides whether e-Gov refused
   * a case not open to a 補正 (A.21: `failed`, the error explaining it) or took the 補正 after all (the
   * entry, `done`). Null when it cannot tell: the caller leaves it `unknown`. A crash meanwhile leaves
   * `sending`, which the next start turns `unknown`: never a resend.
   */
  /** Other 補正 of the case that arrived and were attempted within this attempt's window (see AmendmentReconcileSubject). */
  #accountedFor(arriveId: string, entryId: string, attemptStartedAt: number): number {
    const from = attemptStartedAt - (this.#o.windows?.earlyMs ?? DEFAULT_EARLY_MS);
    return this.#o.outbox.amendmentsOf(arriveId).filter((e) => e.id !== entryId && e.state === 'done' && (e.attemptStartedAt ?? e.createdAt) >= from).length;
  }

  async #judgeServerError(entryId: string, arriveId: string, error: unknown, before: { attemptStartedAt: number; statusBefore: string | null }): Promise<AmendmentError | OutboxEntry | null> {
    let status: CaseStatus;
    try {
      status = await this.#o.session.withAccessKey((key) => this.#o.gateway.caseStatus(key, arriveId));
      this.#o.cases.storeReference(status);
    } catch {
      // 状況照会 failed as well: nothing to judge by, the entry stays `unknown`
      return null;
    }
    const verdict = judgeAmendmentServerError({ arriveId, ...before, accountedFor: this.#accountedFor(arriveId, entryId, before.attemptStartedAt) }, status, this.#o.windows);
    if (verdict.kind === 'arrived') {
      this.#o.outbox.markDeliveryUnknown(entryId, failureOf(error));
      return this.#o.outbox.markAmendmentFound(entryId, { event: verdict.event, after: 'HTTP 500' });
    }
    if (verdict.kind === 'unclear') return null;
    // the stored message is what the case screen shows: the person's words; the flags stay in the history's detail
    const entry = this.#o.outbox.markRefused(entryId, {
      code: 'AMENDMENT_INELIGIBLE',
      message: `e-Gov は補正を受け付けませんでした（HTTP 500）。状況照会では案件は「${verdict.status}」のままで、補正待ちでも再提出ができる状態でもありません。補正通知が届いているか確かめてください。`,
    });
    return new AmendmentError(
      'AMENDMENT_INELIGIBLE',
      {
        ja:
          `e-Gov は到達番号 ${arriveId} の補正を受け付けませんでした（HTTP 500 システムエラー）。` +
          `状況照会では補正は届いておらず、案件は「${verdict.status}」のままです。この案件は補正待ちでも再提出ができる状態でもないため、e-Gov が補正を断ったものと考えられます。補正通知が届いているか、案件の状況を確かめてください。`,
        en: `e-Gov refused the amendment of ${arriveId} with HTTP 500; the case (${verdict.status}) is not open to an amendment`,
      },
      { cause: error, detail: { entryId, arriveId, state: entry.state, status: verdict.status, reintroductionFlag: verdict.reintroductionFlag } },
    );
  }
}

/** The case, when a new 補正 of it may be made now; else the AmendmentError that says why (reads the store only). */
export function assertAmendmentAllowed(o: { outbox: Outbox; cases: CaseStore }, arriveId: string): CaseRecord {
  const c = o.cases.get(arriveId);
  if (!c) {
    throw new AmendmentError(
      'AMENDMENT_CASE_NOT_FOUND',
      { ja: `到達番号 ${arriveId} の案件は Todoke にありません。案件の同期（todoke sync）のあとでやり直してください。`, en: `no case ${arriveId} in Todoke` },
      { detail: { arriveId } },
    );
  }
  if (c.withdrawalOf !== null) {
    throw new AmendmentError(
      'AMENDMENT_NOT_ALLOWED',
      { ja: `到達番号 ${c.arriveId} は取下げの案件です。補正は元の案件（到達番号 ${c.withdrawalOf}）について行ってください。`, en: `${c.arriveId} is a withdrawal` },
      { detail: { arriveId: c.arriveId, withdrawalOf: c.withdrawalOf } },
    );
  }
  // one that provably never left (ready, ready-for-resend) does not block: the new one replaces it
  const blocking = o.outbox.amendmentsOf(c.arriveId).filter((e) => e.state !== 'failed' && e.state !== 'done' && !REPLACEABLE.has(e.state));
  if (blocking.length) {
    try {
      o.outbox.assertNoOpenAmendment(c.arriveId);
    } catch (e) {
      throw existsError(c.arriveId, e);
    }
  }
  return c;
}

/** The person decides an `ambiguous` 補正 (the store only: nothing is asked of e-Gov, nothing sent). */
export function settleAmendment(outbox: Outbox, entryId: string, decision: 'arrived' | 'not-arrived'): OutboxEntry {
  const entry = outbox.get(entryId);
  if (!entry || entry.kind !== 'amendment' || entry.state !== 'ambiguous') throw wrongState(entryId, entry?.state ?? null);
  return decision === 'arrived' ? outbox.markAmendmentFound(entryId, { decidedBy: 'person' }) : outbox.confirmResend(entryId);
}

function existsError(arriveId: string, cause: unknown): AmendmentError {
  const detail = isTodokeError(cause) ? cause.detail : undefined;
  return new AmendmentError(
    'AMENDMENT_EXISTS',
    {
      ja: isTodokeError(cause) && cause.code === 'OUTBOX_AMENDMENT_EXISTS' ? cause.messageJa : `到達番号 ${arriveId} の補正はすでに記録されています。二重に送らないよう、新しい補正は作りません。`,
      en: `an amendment of ${arriveId} is already open`,
    },
    { cause, detail: { arriveId, ...(detail ?? {}) } },
  );
}

function wrongState(entryId: string, state: string | null): AmendmentError {
  return new AmendmentError(
    'AMENDMENT_WRONG_STATE',
    { ja: state === null ? 'その補正は送信箱にありません。画面を開き直してください。' : `この補正（状態 ${state}）には、その操作を行えません。画面を開き直してください。`, en: `amendment ${entryId}: wrong state ${state ?? 'none'}` },
    { detail: { entryId, state } },
  );
}
