// Core host. The 取下げ use case (issue #9 item 4): a case Todoke tracks → the 取下げ申請書 built and
// signed in memory (./withdrawal-package.ts) → the exact request recorded in the outbox (kind
// 'withdrawal', naming the case) → `sending` committed → sent once → the answer recorded, and the
// 取下げ stored as a case of its own linked to the case it withdraws, in the same transaction.
// ARCHITECTURE.md "Data that must never be lost", as for a batch (./send-batch.ts):
//
//   202 with the 取下げ's 到達番号            → markWithdrawalArrived            → `done`
//   never left (not-sent, login failed,
//     access key refused)                   → markNotDelivered                 → `ready`
//   e-Gov answered 4xx Code 1 / 401          → markRefused                      → `failed`
//   anything else (reset, timeout, 5xx …)    → markDeliveryUnknown              → `unknown`
//
// and NEVER a second 取下げ of the same case: one that is recorded, in flight, unknown, ambiguous or
// delivered refuses the next (the outbox checks it in record()'s transaction and a unique index holds
// it); only one e-Gov refused (`failed`) or one that provably never left (`ready`, reconciled
// `ready-for-resend`, which the new one replaces) leaves room. An `unknown` 取下げ is reconciled by
// 状況照会 of its case (../sync/reconcile-withdrawal.ts), never against 送信案件一覧 and never resent
// blindly; what the reconciliation cannot decide waits for the person (settle()).
import type { CaseStatus, WithdrawalReceipt } from '../../shared/case.js';
import { isTodokeError } from '../../shared/errors.js';
import { isEgovError } from '../egov/errors.js';
import type { EgovGateway } from '../session/gateway.js';
import type { EgovSession } from '../session/session.js';
import type { Signer } from '../signing/signer.js';
import type { CaseRecord, CaseStore } from '../store/cases.js';
import type { Outbox, OutboxEntry } from '../store/outbox.js';
import { reconcileWithdrawal, WITHDRAWAL_PENDING_STATUS, type WithdrawalReconcileDecision, type WithdrawalReconcileOptions } from '../sync/reconcile-withdrawal.js';
import {
  buildWithdrawalPackage,
  procedureIdOfFolder,
  withdrawalKouseiXml,
  WithdrawalError,
  type WithdrawalInput,
  type WithdrawalKind,
  type BuiltWithdrawal,
  type WithdrawalPerson,
} from './withdrawal-package.js';
import { failureOf, isRefusal, messageJa } from './send-failure.js';

export interface WithdrawalSenderOptions {
  outbox: Outbox;
  cases: CaseStore;
  session: Pick<EgovSession, 'userId' | 'withAccessKey'>;
  gateway: Pick<EgovGateway, 'prepareWithdrawal' | 'sendWithdrawal' | 'isCredentialRefusal' | 'caseStatus'>;
  /** the form's date, Signature/@Id, ZIP entry times and the reconciliation's clock */
  now?: () => Date;
  /** the windows of reconcileWithdrawal() (defaults there) */
  windows?: Pick<WithdrawalReconcileOptions, 'earlyMs' | 'settleMs'>;
}

export interface WithdrawInput {
  /** 到達番号 of the case to withdraw (a case Todoke tracks) */
  arriveId: string;
  kind: WithdrawalKind;
  reason: string;
  remarks?: string;
  applicant: WithdrawalPerson;
  contact?: WithdrawalPerson;
  /** 提出先 of the 取下げ申請書 (the original kousei's 提出先名称); default '' */
  submitTo?: string;
  /** opened only once everything is checked (no PIN for a 取下げ that is refused anyway); closed here */
  openSigner: () => Promise<Signer>;
}

export interface WithdrawResult {
  entry: OutboxEntry;
  receipt: WithdrawalReceipt;
  /** ids of earlier 取下げ of the case that provably never left, set aside for this one */
  replaced: string[];
}

export type WithdrawalRecoveryOutcome =
  | { entryId: string; decision: WithdrawalReconcileDecision; entry: OutboxEntry }
  /** 状況照会 could not be asked: the entry stays `unknown` */
  | { entryId: string; error: unknown; entry: OutboxEntry };

/** States in which a 取下げ provably is not at e-Gov: a new one of the same case replaces it. */
const REPLACEABLE = new Set(['ready', 'ready-for-resend']);

export class WithdrawalSender {
  readonly #o: WithdrawalSenderOptions;
  readonly #now: () => Date;

  constructor(options: WithdrawalSenderOptions) {
    this.#o = options;
    this.#now = options.now ?? (() => new Date());
  }

  /**
   * Why a new 取下げ of the case cannot be made now (Japanese and English, for the form), or null
   * when it can. Throws WITHDRAWAL_CASE_NOT_FOUND for a case Todoke does not hold.
   */
  blockedReason(arriveId: string): { ja: string; en: string } | null {
    try {
      this.assertAllowed(arriveId);
      return null;
    } catch (e) {
      if (e instanceof WithdrawalError && (e.code === 'WITHDRAWAL_EXISTS' || e.code === 'WITHDRAWAL_NOT_ALLOWED')) return { ja: e.messageJa, en: e.message };
      throw e;
    }
  }

  /** Checks, signs, records and sends one 取下げ; see the head of this file for what each failure leaves. */
  async withdraw(input: WithdrawInput): Promise<WithdrawResult> {
    const original = this.assertAllowed(input.arriveId);
    const at = this.#now();
    const packageInput: WithdrawalInput = {
      kind: input.kind,
      target: {
        arriveId: original.arriveId,
        procedureId: procedureIdOfFolder(original.procedureFolderName),
        procedureName: original.procedureName,
        submitTo: input.submitTo ?? '',
      },
      applicant: input.applicant,
      ...(input.contact ? { contact: input.contact } : {}),
      reason: input.reason,
      ...(input.remarks !== undefined ? { remarks: input.remarks } : {}),
    };
    // every field checked (and refused with its name and position) before the PIN is asked
    withdrawalKouseiXml(packageInput);
    const signer = await input.openSigner();
    let built: BuiltWithdrawal;
    try {
      built = await buildWithdrawalPackage(packageInput, { signer, at });
    } finally {
      await signer.close().catch(() => undefined);
    }
    const prepared = this.#o.gateway.prepareWithdrawal({ arriveId: original.arriveId, zip: built.zip });
    // checked again: another 取下げ may have been made while the PIN was typed
    this.assertAllowed(original.arriveId);
    const replaced: string[] = [];
    for (const e of this.#o.outbox.withdrawalsOf(original.arriveId)) {
      if (REPLACEABLE.has(e.state)) replaced.push(this.#o.outbox.markReplaced(e.id).id);
    }
    const entry = await this.#recordOrExplain(original.arriveId, () =>
      this.#o.outbox.record({
        userId: this.#o.session.userId,
        kind: 'withdrawal',
        targetArriveId: original.arriveId,
        request: prepared.body,
        sourcePaths: [],
        contentSha256: built.zipSha256,
        applicationCount: 1,
        folderNames: [built.folderName],
        applicantNames: [input.applicant.name],
      }),
    );
    const sent = await this.sendRecorded(entry.id, { corporationName: input.applicant.corporationName ?? '', departmentName: input.applicant.departmentName ?? '' });
    return { ...sent, replaced };
  }

  /**
   * Sends a recorded `ready` / `ready-for-resend` 取下げ: exactly the bytes the outbox holds, once.
   * Throws a WithdrawalError saying what became of it when it did not arrive.
   */
  async sendRecorded(entryId: string, person: { corporationName: string; departmentName: string } = { corporationName: '', departmentName: '' }): Promise<{ entry: OutboxEntry; receipt: WithdrawalReceipt }> {
    const recorded = this.#o.outbox.get(entryId);
    if (!recorded || recorded.kind !== 'withdrawal') throw wrongState(entryId, recorded?.state ?? null);
    const { request } = await this.#o.outbox.beginAttempt(entryId);
    // `sending` is committed: from here on the 取下げ may reach e-Gov
    let calls = 0;
    let lastCallError: unknown = null;
    let receipt: WithdrawalReceipt;
    try {
      receipt = await this.#o.session.withAccessKey(async (key) => {
        calls++;
        try {
          return await this.#o.gateway.sendWithdrawal(key, request);
        } catch (e) {
          lastCallError = e;
          throw e;
        }
      });
    } catch (e) {
      throw this.#recordFailure(entryId, recorded.targetArriveId ?? '', e, calls, lastCallError);
    }
    const entry = this.#o.outbox.markWithdrawalArrived(entryId, receipt, { folderName: recorded.folderNames[0] ?? '', ...person });
    return { entry, receipt };
  }

  /**
   * At start and when the person asks: each `unknown` 取下げ is reconciled by 状況照会 of its case,
   * the answer stored with the case as well. Nothing is sent. A 取下げ a crash left `sending` became
   * `unknown` when the outbox was opened (Outbox.recoverInterrupted, run once at start by the batch
   * recovery — never here, where a send of this very process may be under way).
   */
  async reconcile(): Promise<WithdrawalRecoveryOutcome[]> {
    const outcomes: WithdrawalRecoveryOutcome[] = [];
    for (const pending of this.#o.outbox.list(['unknown'], 'withdrawal')) {
      const id = pending.id;
      try {
        const target = pending.targetArriveId!;
        const status = await this.#o.session.withAccessKey((key) => this.#o.gateway.caseStatus(key, target));
        this.#o.cases.storeReference(status);
        const decision = reconcileWithdrawal({ arriveId: target, attemptStartedAt: pending.attemptStartedAt ?? pending.createdAt }, status, {
          ...this.#o.windows,
          now: this.#now().getTime(),
        });
        outcomes.push({ entryId: id, decision, entry: this.#apply(id, decision, status) });
      } catch (error) {
        outcomes.push({ entryId: id, error, entry: this.#o.outbox.get(id) ?? pending });
      }
    }
    return outcomes;
  }

  /**
   * The person decides an `ambiguous` 取下げ: it reached e-Gov (`arrived`: done), or it did not
   * (`not-arrived`: may be replaced by a new one).
   */
  settle(entryId: string, decision: 'arrived' | 'not-arrived'): OutboxEntry {
    const entry = this.#o.outbox.get(entryId);
    if (!entry || entry.kind !== 'withdrawal' || entry.state !== 'ambiguous') throw wrongState(entryId, entry?.state ?? null);
    return decision === 'arrived' ? this.#o.outbox.markWithdrawalFound(entryId, { decidedBy: 'person' }) : this.#o.outbox.confirmResend(entryId);
  }

  #apply(id: string, decision: WithdrawalReconcileDecision, status: CaseStatus): OutboxEntry {
    switch (decision.kind) {
      case 'arrived':
        return this.#o.outbox.markWithdrawalFound(id, { status: status.status, event: decision.event });
      case 'not-found':
        return this.#o.outbox.applyReconciliation(id, { kind: 'not-found' });
      case 'ambiguous':
        return this.#o.outbox.markWithdrawalUndecided(id, decision.reason);
      case 'too-early':
        return this.#o.outbox.get(id)!;
    }
  }

  #case(arriveId: string): CaseRecord {
    const c = this.#o.cases.get(arriveId);
    if (!c) {
      throw new WithdrawalError(
        'WITHDRAWAL_CASE_NOT_FOUND',
        {
          ja: `到達番号 ${arriveId} の案件は Todoke にありません。案件の同期（todoke sync）のあとでやり直してください。`,
          en: `no case ${arriveId} in Todoke`,
        },
        { detail: { arriveId } },
      );
    }
    return c;
  }

  /** The case, when a new 取下げ of it may be made now; else the WithdrawalError that says why. */
  assertAllowed(arriveId: string): CaseRecord {
    const c = this.#case(arriveId);
    if (c.withdrawalOf !== null) {
      throw new WithdrawalError(
        'WITHDRAWAL_NOT_ALLOWED',
        { ja: `到達番号 ${c.arriveId} は取下げそのものの案件です。取下げは元の案件（到達番号 ${c.withdrawalOf}）について行ってください。`, en: `${c.arriveId} is itself a withdrawal` },
        { detail: { arriveId: c.arriveId, withdrawalOf: c.withdrawalOf } },
      );
    }
    const blocking = this.#o.outbox.withdrawalsOf(c.arriveId).filter((e) => e.state !== 'failed' && !REPLACEABLE.has(e.state));
    if (blocking.length) {
      try {
        this.#o.outbox.assertNoWithdrawal(c.arriveId);
      } catch (e) {
        throw existsError(c.arriveId, e);
      }
    }
    if (c.status === WITHDRAWAL_PENDING_STATUS) {
      throw new WithdrawalError(
        'WITHDRAWAL_NOT_ALLOWED',
        {
          ja: `到達番号 ${c.arriveId} の案件はすでに「${WITHDRAWAL_PENDING_STATUS}」です（別の PC などから取下げが送られています）。二重に取り下げないよう、送信しません。`,
          en: `${c.arriveId} already has a withdrawal pending`,
        },
        { detail: { arriveId: c.arriveId, status: c.status } },
      );
    }
    return c;
  }

  async #recordOrExplain(arriveId: string, record: () => Promise<OutboxEntry>): Promise<OutboxEntry> {
    try {
      return await record();
    } catch (e) {
      if (isTodokeError(e, 'OUTBOX_WITHDRAWAL_EXISTS')) throw existsError(arriveId, e);
      // the unique index of migration 4: a second writer recorded one between the check and the insert
      if (e instanceof Error && /UNIQUE constraint failed: outbox_entries\.target_arrive_id/.test(e.message)) throw existsError(arriveId, e);
      throw e;
    }
  }

  #recordFailure(entryId: string, arriveId: string, error: unknown, calls: number, lastCallError: unknown): WithdrawalError {
    const failure = failureOf(error);
    const keyRefused = calls > 0 && this.#o.gateway.isCredentialRefusal(lastCallError);
    if (calls === 0 || keyRefused || (isEgovError(error) && error.delivery === 'not-sent')) {
      const entry = this.#o.outbox.markNotDelivered(entryId, failure);
      return new WithdrawalError(
        'WITHDRAWAL_NOT_SENT',
        {
          ja: `到達番号 ${arriveId} の取下げは e-Gov に届いていません（${messageJa(error)}）。原因を確かめてから、もう一度取下げを行ってください（記録した取下げは新しい取下げに置き換わります）。`,
          en: `the withdrawal of ${arriveId} did not reach e-Gov: ${failure.message}`,
        },
        { cause: error, detail: { entryId, arriveId, state: entry.state, failureCode: failure.code } },
      );
    }
    if (isRefusal(error)) {
      const entry = this.#o.outbox.markRefused(entryId, failure);
      return new WithdrawalError(
        'WITHDRAWAL_REFUSED',
        {
          ja: `e-Gov は到達番号 ${arriveId} の取下げを受け付けませんでした（HTTP ${error.status ?? '?'}: ${error.serverMessage?.trim() || 'メッセージなし'}）。内容を直してから、新しく取下げを行ってください。`,
          en: `e-Gov refused the withdrawal of ${arriveId} (HTTP ${error.status ?? '?'}): ${error.serverMessage ?? ''}`,
        },
        { cause: error, detail: { entryId, arriveId, state: entry.state, status: error.status, serverMessage: error.serverMessage } },
      );
    }
    const entry = this.#o.outbox.markDeliveryUnknown(entryId, failure);
    return new WithdrawalError(
      'WITHDRAWAL_DELIVERY_UNKNOWN',
      {
        ja:
          `到達番号 ${arriveId} の取下げが e-Gov に届いたかどうか分かりません（${messageJa(error)}）。` +
          'Todoke は取下げを自動では送り直しません。次の起動時または更新時に、この案件の状況照会で届いたかどうかを確かめます。それまで同じ案件の取下げはできません。',
        en: `delivery of the withdrawal of ${arriveId} is unknown: ${failure.message}`,
      },
      { cause: error, detail: { entryId, arriveId, state: entry.state, failureCode: failure.code } },
    );
  }
}

function existsError(arriveId: string, cause: unknown): WithdrawalError {
  const detail = isTodokeError(cause) ? cause.detail : undefined;
  return new WithdrawalError(
    'WITHDRAWAL_EXISTS',
    {
      ja: isTodokeError(cause) && cause.code === 'OUTBOX_WITHDRAWAL_EXISTS' ? cause.messageJa : `到達番号 ${arriveId} の取下げはすでに記録されています。二重に取り下げないよう、新しい取下げは作りません。`,
      en: `a withdrawal of ${arriveId} is already recorded`,
    },
    { cause, detail: { arriveId, ...(detail ?? {}) } },
  );
}

function wrongState(entryId: string, state: string | null): WithdrawalError {
  return new WithdrawalError(
    'WITHDRAWAL_WRONG_STATE',
    { ja: state === null ? 'その取下げは送信箱にありません。画面を開き直してください。' : `この取下げ（状態 ${state}）には、その操作を行えません。画面を開き直してください。`, en: `withdrawal ${entryId}: wrong state ${state ?? 'none'}` },
    { detail: { entryId, state } },
  );
}
