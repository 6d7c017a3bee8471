// Renderer. The three Pay-easy numbers of a 納付 (収納機関番号, 納付番号, 確認番号), for paying at an ATM
// or in a bank's own app: each with a copy button. A copy is confirmed in a polite live region; when
// the clipboard refuses (no permission, no focus), the number is selected so the person can copy it
// themselves, and the message says so.
import { useRef, useState } from 'react';
import type { Payment } from '../../shared/payment.js';
import { useMessages } from '../messages/index.js';
import './CasePayments.css';

type NumberKey = 'facilityNumber' | 'payNumber' | 'confirmNumber';
const ORDER: readonly NumberKey[] = ['facilityNumber', 'payNumber', 'confirmNumber'];

/** `collapsed`: a 納付 paid or expired keeps its numbers (for a receipt, a question to the office) folded away. */
export function PaymentNumbers({ payment, collapsed = false }: { payment: Pick<Payment, NumberKey>; collapsed?: boolean }) {
  const m = useMessages();
  const p = m.payments;
  const [said, setSaid] = useState<{ text: string; failed: boolean } | null>(null);
  const refs = useRef<Partial<Record<NumberKey, HTMLElement | null>>>({});

  const copy = async (key: NumberKey) => {
    const label = p.numbers[key];
    try {
      await navigator.clipboard.writeText(payment[key]);
      setSaid({ text: p.copied(label), failed: false });
    } catch {
      const el = refs.current[key];
      if (el) window.getSelection()?.selectAllChildren(el);
      setSaid({ text: p.copyFailed(label), failed: true });
    }
  };

  const body = (
    <dl className="pay-numbers__list">
      {ORDER.map((key) => (
        <div key={key} className="pay-numbers__row">
          <dt>{p.numbers[key]}</dt>
          <dd>
            <span
              className="pay-numbers__value mono"
              ref={(el) => {
                refs.current[key] = el;
              }}
            >
              {payment[key]}
            </span>
            <button type="button" className="button button--small" aria-label={p.copyLabel(p.numbers[key])} onClick={() => void copy(key)}>
              {p.copy}
            </button>
          </dd>
        </div>
      ))}
    </dl>
  );
  const status = (
    <p className={said?.failed ? 'pay-numbers__said pay-numbers__said--failed' : 'pay-numbers__said'} role="status" aria-live="polite">
      {said?.text ?? ''}
    </p>
  );
  return collapsed ? (
    <details className="pay-numbers">
      <summary className="pay-numbers__title">{p.numbersTitle}</summary>
      {body}
      {status}
    </details>
  ) : (
    <div className="pay-numbers">
      <h4 className="pay-numbers__title">{p.numbersTitle}</h4>
      {body}
      {status}
    </div>
  );
}
