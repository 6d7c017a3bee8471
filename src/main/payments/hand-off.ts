// Main process (core). 電子納付金融機関サイト表示 as the app does it: check that the 納付 belongs to the
// case and can be paid, take the bank from today's list, ask e-Gov for the page that hands the 納付
// to the bank, and ask the host to open the locked hand-off window on it. Nothing is marked paid
// here or later by Todoke: only a read of 電子納付情報一覧 says 納付済.
//
// The window may show only the origins of the banks e-Gov lists (the client has already left out
// http and malformed URLs, and keeps the sandbox's loopback stand-in bank only while the sandbox is
// the endpoint); the host checks the request again (src/main/payments/window-request.ts).
import { randomUUID } from 'node:crypto';
import { HAND_OFF_MINUTES, type Bank, type BankList, type BankSiteRequest, type PaymentHandOffView, type PaymentWindowRequest, type PaymentWindows } from '../../shared/payment.js';
import type { EgovPaymentsGateway } from '../session/gateway.js';
import type { EgovSession } from '../session/session.js';
import { UNPAID, type PaymentStore, type StoredPayment } from '../store/payments.js';
import { PaymentError } from './errors.js';
import { readCasePayments, type PaymentsRead } from './read-payments.js';

export interface HandOffDeps {
  store: PaymentStore;
  session: Pick<EgovSession, 'withAccessKey'>;
  gateway: Pick<EgovPaymentsGateway, 'payments' | 'bankSite'>;
  /** today's 電子納付対応金融機関一覧 (src/main/payments/bank-list.ts) */
  banks: () => Promise<BankList>;
  /** the host's hand-off windows; absent in the CLI */
  windows: PaymentWindows | undefined;
  now: () => Date;
  /** hears about the read made when the 納付番号 was not known yet (for payment.changed) */
  onRead?: (read: PaymentsRead) => void;
  newId?: () => string;
}

/**
 * Why the 納付 cannot be handed to a bank (Japanese, for the filer), or null when it can: it must be
 * listed by e-Gov's last answer once, and 未納. Any other status — 納付済, 納付期限切れ, one Todoke does
 * not know — is refused: paying twice, or paying what e-Gov will not take, costs the filer money.
 */
export function unpayableReason(found: readonly StoredPayment[]): string | null {
  if (found.length > 1) return 'e-Gov の電子納付情報一覧にこの納付番号が複数あり、どれを支払うのか区別できません。手続の担当窓口に確認してください。';
  const p = found[0];
  if (!p) return null;
  if (!p.listed) return 'この納付は e-Gov の最新の電子納付情報一覧にありません。一覧を更新して、表示される納付番号で支払ってください。';
  if (p.status === UNPAID) return null;
  if (p.status === '納付済') return `この納付は納付済です${p.payDate ? `（納付日 ${p.payDate}）` : ''}。もう一度支払う必要はありません。`;
  if (p.status === '納付期限切れ') return `この納付は納付期限（${p.deadline}）を過ぎたため、もう支払えません。手続の担当窓口に確認してください。`;
  return `この納付の状況「${p.status.slice(0, 40)}」は Todoke の知らない状態のため、金融機関のサイトへは進めません。e-Gov での表示を確認してください。`;
}

/** The distinct origins of the listed banks: the only places the hand-off window may show. */
export function allowedOriginsOf(list: BankList): string[] {
  const origins = new Set<string>();
  for (const b of list.banks) {
    try {
      origins.add(new URL(b.url).origin);
    } catch {
      // the client keeps only parseable URLs; one that is not cannot be an origin the window allows
    }
  }
  return [...origins];
}

function bankOf(list: BankList, name: string): Bank {
  const bank = list.banks.find((b) => b.name === name);
  if (bank) return bank;
  const skipped = list.skipped.find((s) => s.name === name);
  throw new PaymentError('PAYMENT_BANK_UNKNOWN', {
    ja: skipped
      ? `「${name.slice(0, 60)}」のサイトは Todoke では開きません（${skipped.reason}）。ほかの金融機関を選ぶか、ATM で納付してください。`
      : `「${name.slice(0, 60)}」は電子納付対応金融機関一覧にありません。一覧から金融機関を選んでください。`,
    en: skipped ? 'the bank is listed but skipped' : 'bank not in the list',
  });
}

/** The 納付 with that number, read from e-Gov once when Todoke does not know it yet. */
async function paymentOf(deps: HandOffDeps, request: BankSiteRequest): Promise<StoredPayment[]> {
  const known = deps.store.payment(request.arriveId, request.payNumber);
  if (known.length) return known;
  const read = await readCasePayments(deps, request.arriveId);
  deps.onRead?.(read);
  const found = deps.store.payment(request.arriveId, request.payNumber);
  if (found.length) return found;
  throw new PaymentError('PAYMENT_NOT_FOUND', {
    ja: `到達番号 ${request.arriveId} の電子納付情報に納付番号 ${request.payNumber} はありません。案件の納付一覧を確認してください。`,
    en: 'no such 納付 in the case, even after reading e-Gov',
  });
}

/** Starts the hand-off: the checks, e-Gov's page, and the host's window. */
export async function startHandOff(deps: HandOffDeps, request: BankSiteRequest): Promise<PaymentHandOffView> {
  const windows = deps.windows;
  if (!windows) {
    throw new PaymentError('PAYMENT_WINDOW_UNAVAILABLE', {
      ja: 'この環境では金融機関のサイトを開けません。デスクトップ版の Todoke で支払うか、todoke pay で表示される番号を使って ATM で納付してください。',
      en: 'no hand-off window in this host',
    });
  }
  const reason = unpayableReason(await paymentOf(deps, request));
  if (reason) throw new PaymentError('PAYMENT_NOT_PAYABLE', { ja: reason, en: 'the 納付 is not payable' });
  const list = await deps.banks();
  const bank = bankOf(list, request.bankName);
  const page = await deps.session.withAccessKey((key) => deps.gateway.bankSite(key, request, list));
  if (!page.form) {
    throw new PaymentError(
      'PAYMENT_HAND_OFF_REFUSED',
      {
        ja: `e-Gov が金融機関サイトへの移動を受け付けませんでした（HTTP ${page.status}）。e-Gov の表示: ${page.text.slice(0, 300) || '（本文なし）'}`,
        en: `e-Gov answered the hand-off with an error page (HTTP ${page.status})`,
      },
      { detail: { status: page.status } },
    );
  }
  const startedAt = deps.now();
  const expiresAt = new Date(startedAt.getTime() + HAND_OFF_MINUTES * 60_000);
  const windowRequest: PaymentWindowRequest = {
    handOffId: (deps.newId ?? randomUUID)(),
    arriveId: request.arriveId,
    payNumber: request.payNumber,
    bankName: bank.name,
    form: page.form,
    allowedOrigins: allowedOriginsOf(list),
    startedAt: startedAt.toISOString(),
    expiresAt: expiresAt.toISOString(),
  };
  await windows.open(windowRequest);
  return {
    handOffId: windowRequest.handOffId,
    arriveId: request.arriveId,
    payNumber: request.payNumber,
    bank,
    origin: new URL(page.form.action).origin,
    startedAt: windowRequest.startedAt,
    expiresAt: windowRequest.expiresAt,
  };
}
