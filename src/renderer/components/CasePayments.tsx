// Renderer. The case screen's 「電子納付」: the 納付 of the case as Todoke keeps them (payment.list),
// each with its amount, 納付期限 and days left, PayStatus (an unknown one shown as it came and said to
// be unknown), 納付日, e-Gov's message and what is wrong with the entry; the three Pay-easy numbers to
// copy; 「銀行で支払う」 for a 未納 one (BankPicker); the hand-off windows of the case (HandOffPanel);
// 「納付状況を確認する」, which reads 電子納付情報一覧 from e-Gov now.
import { useEffect, useId, useMemo, useState } from 'react';
import type { Payment } from '../../shared/payment.js';
import { formatDateTime } from '../format.js';
import { useMessages } from '../messages/index.js';
import { canHandOff, daysLeftText, daysUntil, dueStateOf, formatDeadline, formatYen, isUrgent, payStatusBadge } from '../payment-view.js';
import { usePaymentStore, windowsOf } from '../stores/payments.js';
import { BankPicker } from './BankPicker.js';
import { ErrorAlert } from './ErrorAlert.js';
import { Fact } from './Fact.js';
import { HandOffPanel } from './HandOffPanel.js';
import { Icon } from './Icon.js';
import { PaymentNumbers } from './PaymentNumbers.js';
import { Progress } from './Progress.js';
import './CasePayments.css';

export function CasePayments({ arriveId }: { arriveId: string }) {
  const m = useMessages();
  const p = m.payments;
  const entry = usePaymentStore((s) => s.cases[arriveId]);
  const allWindows = usePaymentStore((s) => s.windows);
  const load = usePaymentStore((s) => s.load);
  const check = usePaymentStore((s) => s.check);
  const windows = useMemo(() => windowsOf(allWindows, arriveId), [allWindows, arriveId]);
  const [paying, setPaying] = useState<Payment | null>(null);
  const [now] = useState(() => new Date());

  useEffect(() => {
    void load(arriveId);
  }, [arriveId, load]);

  const checking = entry?.checking ?? false;
  const view = entry?.view ?? null;
  return (
    <section className="panel stack" aria-labelledby="case-payments">
      <div className="verify-block__head">
        <h2 className="panel__title" id="case-payments">
          {p.title}
        </h2>
        <button type="button" className="button button--small button--primary" disabled={checking} onClick={() => void check(arriveId)}>
          {checking ? p.checking : p.check}
        </button>
      </div>
      <p className="muted verify-block__what">
        {p.checkHint}
        {view?.fetchedAt && ` ${p.fetchedAt(formatDateTime(view.fetchedAt, m))}`}
      </p>
      {entry?.checked && (
        <p className="notice-done" role="status">
          {p.checked}
        </p>
      )}
      {entry?.checkError && <ErrorAlert title={p.checkFailed} error={entry.checkError} />}
      {windows.map((w) => (
        <HandOffPanel key={w.handOffId} window={w} checking={checking} onCheck={() => void check(arriveId)} />
      ))}
      {(!entry || entry.status === 'loading') && <Progress text={p.loading} />}
      {entry?.status === 'error' && entry.error && <ErrorAlert title={p.loadFailed} error={entry.error} />}
      {view && (
        <>
          {view.payments.length === 0 ? (
            <p className="muted">{view.fetchedAt === null ? p.neverRead : p.empty}</p>
          ) : (
            <>
              <p>{p.hint}</p>
              <ul className="pay-list" aria-label={p.listLabel}>
                {view.payments.map((payment, i) => (
                  <li key={`${payment.payNumber}-${i}`}>
                    <PaymentCard payment={payment} now={now} windowOpen={windows.some((w) => !w.closed && w.payNumber === payment.payNumber)} onPay={() => setPaying(payment)} />
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
      {paying && <BankPicker arriveId={arriveId} payment={paying} onClose={() => setPaying(null)} />}
    </section>
  );
}

function PaymentCard({ payment, now, windowOpen, onPay }: { payment: Payment; now: Date; /** a hand-off window of it is open */ windowOpen: boolean; onPay: () => void }) {
  const m = useMessages();
  const p = m.payments;
  const yen = formatYen(payment.totalFee, m.dates.locale);
  const badge = payStatusBadge(payment.status);
  const due = dueStateOf(daysUntil(payment.deadline, now));
  const left = daysLeftText(due, m);
  // a paid or expired 納付 has no deadline to hurry for
  const urgent = payment.status === '未納' && isUrgent(due);
  // an id of React's own: a 納付番号 as sent may repeat or hold anything
  const titleId = useId();
  return (
    <article className="pay-card" aria-labelledby={titleId}>
      <header className="pay-card__head">
        <h3 className="pay-card__title" id={titleId}>
          {payment.payNameKana || p.paymentLabel(payment.payNumber)}
        </h3>
        <span className={`notice-badge notice-badge--large notice-badge--${badge.tone}`}>
          {badge.tone === 'success' && <Icon name="check" size={12} />}
          {(badge.tone === 'danger' || !badge.known) && <Icon name="alert" size={12} />}
          <span className="visually-hidden">{p.status}: </span>
          {payment.status || '—'}
        </span>
      </header>
      {!badge.known && <p className="pay-card__unknown">{p.unknownStatus}</p>}
      <dl className="facts facts--compact">
        <Fact term={p.amount}>
          {yen !== null ? (
            <span className="pay-card__amount">{yen}</span>
          ) : (
            <>
              <span className="mono">{payment.totalFee}</span>
              <span className="facts__sub muted">{p.amountAsSent}</span>
            </>
          )}
        </Fact>
        <Fact term={p.deadline}>
          <span className={urgent ? 'pay-due pay-due--urgent' : 'pay-due'}>
            {urgent && <Icon name="alert" size={14} />}
            {formatDeadline(payment.deadline, m)}
            {left && payment.status === '未納' && <span className="pay-due__left">{p.leftNote(left)}</span>}
          </span>
        </Fact>
        <Fact term={p.payDate}>{payment.payDate ? formatDeadline(payment.payDate, m) : <span className="muted">{p.notPaid}</span>}</Fact>
        {payment.memo && <Fact term={p.memo}>{payment.memo}</Fact>}
      </dl>
      {payment.problems.length > 0 && (
        <div className="pay-card__problems">
          <p className="pay-card__problems-title">
            <Icon name="alert" size={14} />
            {p.problems}
          </p>
          <ul>
            {payment.problems.map((problem, i) => (
              <li key={i}>{problem}</li>
            ))}
          </ul>
        </div>
      )}
      <PaymentNumbers payment={payment} collapsed={badge.known && payment.status !== '未納'} />
      {payment.status === '未納' && (
        <div className="pay-card__actions">
          {windowOpen ? (
            <p className="muted">{p.windowOpen}</p>
          ) : canHandOff(payment) ? (
            <button type="button" className="button button--primary" aria-label={p.payAtBankLabel(payment.payNumber)} onClick={onPay}>
              {p.payAtBank}
            </button>
          ) : (
            <p className="muted">{p.cannotHandOff}</p>
          )}
        </div>
      )}
    </article>
  );
}
