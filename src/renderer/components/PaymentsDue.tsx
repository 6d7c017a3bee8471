// Renderer. The dashboard's 「納付期限が近い電子納付」 (payment.upcoming, nearest deadline first): each
// unpaid 納付 with its case, amount, deadline and days left, opening its case. One due within 3 days
// (or past) stands out in colour AND in words (「急ぎ」 and the days left), never colour alone. Asked
// for when shown, and again after payment.changed and each sync cycle (stores/payments.ts).
import { useEffect } from 'react';
import type { PaymentDueView } from '../../shared/payment.js';
import { useMessages } from '../messages/index.js';
import { daysLeftText, dueStateOf, formatDeadline, formatYen, isUrgent } from '../payment-view.js';
import { usePaymentStore } from '../stores/payments.js';
import { useRouterStore } from '../stores/router.js';
import { ErrorAlert } from './ErrorAlert.js';
import { Icon } from './Icon.js';
import { Progress } from './Progress.js';
import './PaymentsDue.css';

/** the dashboard shows the nearest few; the case screens show every one */
export const DUE_SHOWN = 8;

export function PaymentsDue({ headingLevel = 3, hideWhenEmpty = false }: { headingLevel?: 2 | 3; /** ホーム: shown only once there is something to pay */ hideWhenEmpty?: boolean }) {
  const m = useMessages();
  const t = m.payments.due;
  const due = usePaymentStore((s) => s.due);
  const loadDue = usePaymentStore((s) => s.loadDue);
  const Heading = headingLevel === 2 ? 'h2' : 'h3';

  useEffect(() => {
    void loadDue();
  }, [loadDue]);

  if (hideWhenEmpty && (due.status !== 'ready' || due.value.payments.length === 0)) return null;
  return (
    <section className={headingLevel === 2 ? 'panel pay-due-list stack--tight' : 'pay-due-list stack--tight'} aria-labelledby="payments-due">
      <Heading className={headingLevel === 2 ? 'panel__title' : 'dashboard__title'} id="payments-due">
        {t.title}
      </Heading>
      {(due.status === 'idle' || due.status === 'loading') && <Progress text={t.loading} />}
      {due.status === 'error' && <ErrorAlert title={t.failed} error={due.error} />}
      {due.status === 'ready' &&
        (due.value.payments.length === 0 ? (
          <p className="muted">{t.empty}</p>
        ) : (
          <>
            {due.value.urgent > 0 && (
              <p className="pay-due-list__urgent">
                <Icon name="alert" size={16} />
                {t.urgent(due.value.urgent)}
              </p>
            )}
            <ul className="pay-due-list__rows" aria-label={t.label}>
              {due.value.payments.slice(0, DUE_SHOWN).map((p, i) => (
                <li key={`${p.arriveId}-${p.payNumber}-${i}`}>
                  <DueRow due={p} />
                </li>
              ))}
            </ul>
          </>
        ))}
    </section>
  );
}

function DueRow({ due }: { due: PaymentDueView }) {
  const m = useMessages();
  const t = m.payments.due;
  const navigate = useRouterStore((s) => s.navigate);
  const state = dueStateOf(due.daysLeft);
  const urgent = isUrgent(state);
  const left = daysLeftText(state, m);
  return (
    <button
      type="button"
      className={urgent ? 'pay-due-row pay-due-row--urgent' : 'pay-due-row'}
      aria-label={[urgent ? t.urgentMark : '', t.open(due.arriveId, due.procedureName), formatYen(due.totalFee, m.dates.locale) ?? due.totalFee, formatDeadline(due.deadline, m), left]
        .filter(Boolean)
        .join(' ')}
      onClick={() => navigate({ name: 'case', arriveId: due.arriveId })}
    >
      <span className="pay-due-row__case">
        <span className="pay-due-row__procedure">{due.procedureName || t.arriveId(due.arriveId)}</span>
        <span className="muted mono">{t.arriveId(due.arriveId)}</span>
        {due.applicantName && <span className="muted">{due.applicantName}</span>}
      </span>
      <span className="pay-due-row__amount">{formatYen(due.totalFee, m.dates.locale) ?? due.totalFee}</span>
      <span className="pay-due-row__deadline">{formatDeadline(due.deadline, m)}</span>
      <span className="pay-due-row__left">
        {urgent && (
          <span className="pay-due-row__mark">
            <Icon name="alert" size={14} />
            {t.urgentMark}
          </span>
        )}
        {left}
      </span>
    </button>
  );
}
