// Runs in every process. What to tell the person about one case sync finding (a `case.changed`
// event's payload): the wording of the in-app notice list, and later of the desktop app's OS
// notifications, so both say the same thing. Pure. Statuses are quoted as e-Gov sent them.
import type { CaseSyncEvent } from './case.js';
import type { PaymentChangedEvent } from './payment.js';

export type CaseNoticeKind = 'status' | 'correction' | 'document' | 'comment' | 'payment-due' | 'payment';

export interface CaseNotice {
  kind: CaseNoticeKind;
  arriveId: string;
  /** a 補正 or a fee asks the person to act; the rest is news */
  level: 'info' | 'warning';
  titleJa: string;
  messageJa: string;
  title: string;
  message: string;
}

/**
 * The notice for one finding, or null when there is nothing to tell: a case.changed without a
 * status change (its counters moved, and the finding beside it says how), or a case Todoke only
 * now learnt of (its status is news to nobody: it is listed, not announced, or a first sync of
 * thousands of cases would bury every other notice).
 */
export function caseNoticeOf(event: CaseSyncEvent): CaseNotice | null {
  const id = event.arriveId;
  switch (event.type) {
    case 'case.changed': {
      if (event.isNew) return null;
      const change = event.changes.find((c) => c.field === 'status');
      if (!change || change.before === null || change.before === change.after) return null;
      const before = String(change.before);
      return {
        kind: 'status',
        arriveId: id,
        level: 'info',
        titleJa: '状況が変わりました',
        messageJa: `到達番号 ${id} の状況が「${before}」から「${event.status}」に変わりました。`,
        title: 'Status changed',
        message: `Case ${id}: status changed from “${before}” to “${event.status}”.`,
      };
    }
    case 'case.correction':
      return {
        kind: 'correction',
        arriveId: id,
        level: 'warning',
        titleJa: '補正の求めがあります',
        messageJa: `到達番号 ${id} に補正の求めがあります（補正: ${event.correctStatus}）。内容を確かめてください。`,
        title: 'Correction requested',
        message: `Case ${id}: the ministry asks for a correction (${event.correctStatus}). Please check it.`,
      };
    case 'case.document':
      return {
        kind: 'document',
        arriveId: id,
        level: 'info',
        titleJa: '公文書が届きました',
        // the counter is e-Gov's at the time of the list: Todoke fetches and keeps them right after (app/notices.ts)
        messageJa: `到達番号 ${id} に公文書が ${event.added} 件届きました。Todoke が受け取って保管し、署名を確かめます。`,
        title: 'Official document arrived',
        message: `Case ${id}: ${event.added} new official document${event.added === 1 ? '' : 's'}. Todoke keeps ${event.added === 1 ? 'it' : 'them'} and checks the signature.`,
      };
    case 'case.comment':
      return {
        kind: 'comment',
        arriveId: id,
        level: 'info',
        titleJa: 'コメントが届きました',
        messageJa: `到達番号 ${id} にコメントが ${event.added} 件届きました。Todoke が受け取って保管します。`,
        title: 'Comment arrived',
        message: `Case ${id}: ${event.added} new comment${event.added === 1 ? '' : 's'}. Todoke keeps ${event.added === 1 ? 'it' : 'them'}.`,
      };
    case 'case.payment-due':
      return {
        kind: 'payment-due',
        arriveId: id,
        level: 'warning',
        titleJa: '電子納付の待ちがあります',
        messageJa: `到達番号 ${id} に納付を待っている手数料が ${event.payWaitCount} 件あります（納付状況: ${event.payStatus}）。`,
        title: 'Payment due',
        message: `Case ${id}: ${event.payWaitCount} fee${event.payWaitCount === 1 ? '' : 's'} waiting to be paid (${event.payStatus}).`,
      };
  }
}

/** `12000` as `¥12,000`; what is not plain digits as it came (e-Gov's text, flagged elsewhere). */
function yen(totalFee: string | undefined): string {
  return totalFee !== undefined && /^\d{1,15}$/.test(totalFee) ? `¥${Number(totalFee).toLocaleString('en-US')}` : (totalFee ?? '');
}

/**
 * What a read of 電子納付情報一覧 found that the person should hear of: a 納付 e-Gov now says is paid
 * (the end of a hand-off to the bank, or a payment at an ATM), one whose deadline passed, or one in a
 * status Todoke does not know. A new 納付 is not repeated here: the case sync's payment-due says so.
 */
export function paymentNoticesOf(event: PaymentChangedEvent): CaseNotice[] {
  const id = event.arriveId;
  const notices: CaseNotice[] = [];
  // an event is the core's, but a malformed one (a newer core, a bug) says nothing rather than throwing in the UI
  if (typeof id !== 'string' || !Array.isArray(event.changes)) return notices;
  const listed = Array.isArray(event.payments?.payments) ? event.payments.payments : [];
  for (const change of event.changes as unknown[]) {
    if (typeof change !== 'object' || change === null) continue;
    const { payNumber, before, after } = change as Record<string, unknown>;
    if (typeof payNumber !== 'string' || typeof after !== 'string' || typeof before !== 'string' || before === after) continue;
    const amount = yen(listed.find((p) => p?.payNumber === payNumber)?.totalFee);
    const what = amount ? `${amount}（納付番号 ${payNumber}）` : `納付番号 ${payNumber}`;
    const whatEn = amount ? `${amount} (payment number ${payNumber})` : `payment number ${payNumber}`;
    if (after === '納付済') {
      notices.push({
        kind: 'payment',
        arriveId: id,
        level: 'info',
        titleJa: '納付が確認されました',
        messageJa: `到達番号 ${id} の ${what} を e-Gov が納付済としました。`,
        title: 'Payment confirmed',
        message: `Case ${id}: e-Gov shows ${whatEn} as paid.`,
      });
    } else if (after === '納付期限切れ') {
      notices.push({
        kind: 'payment',
        arriveId: id,
        level: 'warning',
        titleJa: '納付期限が過ぎました',
        messageJa: `到達番号 ${id} の ${what} は納付期限が過ぎました（e-Gov の表示: 納付期限切れ）。手続の担当窓口に確認してください。`,
        title: 'Payment deadline passed',
        message: `Case ${id}: the deadline of ${whatEn} has passed (e-Gov: 納付期限切れ). Please ask the office in charge.`,
      });
    } else {
      notices.push({
        kind: 'payment',
        arriveId: id,
        level: 'info',
        titleJa: '納付の状況が変わりました',
        messageJa: `到達番号 ${id} の ${what} の状況が「${before}」から「${after}」に変わりました。`,
        title: 'Payment status changed',
        message: `Case ${id}: ${whatEn} changed from “${before}” to “${after}”.`,
      });
    }
  }
  const unlisted: unknown[] = Array.isArray(event.unlisted) ? event.unlisted : [];
  for (const payNumber of unlisted) {
    if (typeof payNumber !== 'string') continue;
    const amount = yen(listed.find((p) => p?.payNumber === payNumber)?.totalFee);
    const what = amount ? `${amount}（納付番号 ${payNumber}）` : `納付番号 ${payNumber}`;
    const whatEn = amount ? `${amount} (payment number ${payNumber})` : `payment number ${payNumber}`;
    notices.push({
      kind: 'payment',
      arriveId: id,
      level: 'warning',
      titleJa: '納付が e-Gov の一覧から消えました',
      messageJa: `到達番号 ${id} の ${what} が、e-Gov の電子納付情報一覧に載らなくなりました。Todoke からは支払えません。支払う前に、手続の担当窓口に確認してください。`,
      title: 'Payment no longer listed by e-Gov',
      message: `Case ${id}: e-Gov no longer lists ${whatEn}. Todoke will not open it for payment; ask the office in charge before paying.`,
    });
  }
  return notices;
}

/** The wording of one OS notification that stands for several findings (one case or many). */
export interface CaseNoticeSummary {
  titleJa: string;
  messageJa: string;
  title: string;
  message: string;
}

/** Findings named in a summary; the rest are counted. */
const SUMMARY_LINES = 3;

/**
 * Several findings gathered into one notification (src/main/electron/notifications.ts): how many
 * cases moved, the first few findings in a line each, and how many more there are.
 */
export function caseNoticesSummary(notices: readonly CaseNotice[], cases: number): CaseNoticeSummary {
  const shown = notices.slice(0, SUMMARY_LINES);
  const rest = notices.length - shown.length;
  const join = (lines: string[], more: string) => [...lines, ...(rest > 0 ? [more] : [])].join('\n');
  return {
    titleJa: cases === 1 ? `到達番号 ${notices[0]?.arriveId ?? ''} に動きがありました` : `${cases} 件の案件に動きがありました`,
    messageJa: join(
      shown.map((n) => n.messageJa),
      `ほか ${rest} 件`,
    ),
    title: cases === 1 ? `News on case ${notices[0]?.arriveId ?? ''}` : `${cases} cases changed`,
    message: join(
      shown.map((n) => n.message),
      `and ${rest} more`,
    ),
  };
}
