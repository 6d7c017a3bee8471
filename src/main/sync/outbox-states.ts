// Core host (pure). The outbox's state machine: which event may move an entry from which state to
// which. The repository (src/main/store/outbox.ts) asks this before every write; nothing else
// decides a state. The rule it exists for (ARCHITECTURE.md "Data that must never be lost"): a
// request that may have reached e-Gov is never sent again unless a reconciliation against
// 送信案件一覧 found nothing, or the user said so.
import { TodokeError } from '../../shared/errors.js';

export const OUTBOX_STATES = [
  'ready', // recorded with its exact bytes, not sent yet
  'sending', // recorded BEFORE the request leaves: from here on it may have reached e-Gov
  'sent', // 202 arrived (or a reconciliation found it): 送信番号 known
  'following', // 送信案件一覧 shows a WorkStatus (処理待ち …): the 形式チェック is running
  'done', // WorkStatus empty, the arrived applications stored
  'unknown', // a failure or a crash while `sending`: whether e-Gov has it is not known
  'ready-for-resend', // reconciliation found nothing (or the user decided): may be sent again
  'ambiguous', // reconciliation found more than one batch that fits: waits for the user
  'failed', // e-Gov answered and did not accept the request (e.g. 4xx, Code 1)
] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

export type OutboxEvent =
  /** about to send: set BEFORE the first byte leaves */
  | 'attempt'
  /** the 202 with a 送信番号 arrived */
  | 'accepted'
  /** e-Gov answered and refused; the request was not accepted */
  | 'refused'
  /** the request provably never left (connection refused, DNS, TLS before sending: delivery `not-sent`) */
  | 'not-delivered'
  /** a failure after the request may have left, or the crash recovery of an entry left `sending` */
  | 'delivery-unknown'
  /** reconciliation: exactly one batch of 送信案件一覧 fits */
  | 'reconciled-matched'
  /** reconciliation: nothing fits once the window has passed */
  | 'reconciled-not-found'
  /** reconciliation: more than one batch fits (or one fits only loosely) */
  | 'reconciled-ambiguous'
  /** the user picked one of the candidates as theirs */
  | 'user-chose-send'
  /** the user confirmed that none of the candidates is theirs: send again */
  | 'user-confirmed-resend'
  /** 送信案件一覧 shows a WorkStatus that is not empty */
  | 'processing'
  /** WorkStatus empty and the applications stored */
  | 'completed'
  /** 取下げ: the 202 arrived with the 取下げ's own 到達番号 (synchronous: nothing to follow) */
  | 'withdrawal-arrived'
  /** 取下げ: 状況照会 of the case shows the 取下げ arrived (its own 到達番号 stays unknown) */
  | 'reconciled-withdrawal-arrived'
  /** 補正: the 202 arrived (synchronous like a 取下げ; its own 到達番号 unless it is a 部分補正) */
  | 'amendment-arrived'
  /** 補正: 状況照会 of the case shows the 補正 arrived */
  | 'reconciled-amendment-arrived'
  /** 取下げ or 補正 that provably is not at e-Gov, replaced by a new one the person made for the same case */
  | 'replaced';

/** event → (from → to). What is not here is illegal. */
export const TRANSITIONS: Readonly<Record<OutboxEvent, Readonly<Partial<Record<OutboxState, OutboxState>>>>> = {
  attempt: { ready: 'sending', 'ready-for-resend': 'sending' },
  accepted: { sending: 'sent' },
  refused: { sending: 'failed' },
  'not-delivered': { sending: 'ready' },
  'delivery-unknown': { sending: 'unknown' },
  'reconciled-matched': { unknown: 'sent', ambiguous: 'sent' },
  // never from `ambiguous`: once more than one batch fitted, only the user may say "send again"
  'reconciled-not-found': { unknown: 'ready-for-resend' },
  'reconciled-ambiguous': { unknown: 'ambiguous', ambiguous: 'ambiguous' },
  'user-chose-send': { ambiguous: 'sent' },
  'user-confirmed-resend': { ambiguous: 'ready-for-resend' },
  processing: { sent: 'following', following: 'following' },
  completed: { sent: 'done', following: 'done' },
  // A 取下げ arrives synchronously (REFERENCE §4.7): it has no 送信番号 and no 形式チェック to follow.
  'withdrawal-arrived': { sending: 'done' },
  'reconciled-withdrawal-arrived': { unknown: 'done', ambiguous: 'done' },
  // A 補正 arrives synchronously too (REFERENCE §4.9–§4.11)
  'amendment-arrived': { sending: 'done' },
  'reconciled-amendment-arrived': { unknown: 'done', ambiguous: 'done' },
  // only from states in which the request provably is not at e-Gov
  replaced: { ready: 'failed', 'ready-for-resend': 'failed' },
};

export class OutboxTransitionError extends TodokeError<'OUTBOX_ILLEGAL_TRANSITION'> {
  readonly from: OutboxState;
  readonly event: OutboxEvent;

  constructor(from: OutboxState, event: OutboxEvent, entryId?: string) {
    super(
      'OUTBOX_ILLEGAL_TRANSITION',
      {
        ja: `送信箱の状態「${from}」では「${event}」を行えません。画面を更新して、送信の状態を確かめてください。`,
        en: `outbox: ${event} is not allowed in state ${from}`,
      },
      { detail: { from, event, ...(entryId ? { entryId } : {}) } },
    );
    this.name = 'OutboxTransitionError';
    this.from = from;
    this.event = event;
  }
}

export function isOutboxState(value: unknown): value is OutboxState {
  return typeof value === 'string' && (OUTBOX_STATES as readonly string[]).includes(value);
}

export function canTransition(from: OutboxState, event: OutboxEvent): boolean {
  return TRANSITIONS[event][from] !== undefined;
}

/** The state `event` moves `from` to; throws OutboxTransitionError when the move is illegal. */
export function nextState(from: OutboxState, event: OutboxEvent, entryId?: string): OutboxState {
  const to = TRANSITIONS[event][from];
  if (to === undefined) throw new OutboxTransitionError(from, event, entryId);
  return to;
}
