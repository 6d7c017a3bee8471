// Renderer. 「銀行で支払う」's dialog: e-Gov's bank list (payment.banks) in e-Gov's groups and order,
// a search box that finds a bank however its name is typed (bank-search.ts), arrow keys to move
// through the banks, the banks Todoke will not open listed with the reason (collapsed); then, before
// anything opens, what will happen: a separate window on the bank's site, 30 minutes to log in, and
// that Todoke marks the 納付 paid only when e-Gov says so. 「銀行のサイトを開く」 is payment.handOff.
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { ErrorPayload } from '../../shared/errors.js';
import type { Bank, Payment } from '../../shared/payment.js';
import { bankKey, groupBanks, groupLabel, MAX_QUERY_LENGTH, searchBanks } from '../bank-search.js';
import { useMessages } from '../messages/index.js';
import { formatDeadline, formatYen } from '../payment-view.js';
import { usePaymentStore } from '../stores/payments.js';
import { Dialog } from './Dialog.js';
import { ErrorAlert } from './ErrorAlert.js';
import { Progress } from './Progress.js';
import { TextField } from './TextField.js';
import './BankPicker.css';

export function BankPicker({ arriveId, payment, onClose }: { arriveId: string; payment: Payment; onClose: () => void }) {
  const m = useMessages();
  const t = m.payments.picker;
  const [chosen, setChosen] = useState<Bank | null>(null);
  const amount = formatYen(payment.totalFee, m.dates.locale) ?? payment.totalFee;
  return chosen === null ? (
    <Dialog title={t.title} wide onCancel={onClose}>
      <BankList amount={amount} onChoose={setChosen} onCancel={onClose} />
    </Dialog>
  ) : (
    <HandOffConfirm arriveId={arriveId} payNumber={payment.payNumber} bank={chosen} onBack={() => setChosen(null)} onDone={onClose} />
  );
}

function BankList({ amount, onChoose, onCancel }: { amount: string; onChoose: (bank: Bank) => void; onCancel: () => void }) {
  const m = useMessages();
  const t = m.payments.picker;
  const banks = usePaymentStore((s) => s.banks);
  const loadBanks = usePaymentStore((s) => s.loadBanks);
  const [query, setQuery] = useState('');
  const listRef = useRef<HTMLDivElement>(null);
  // a group's name comes from the core: ids of React's own
  const idPrefix = useId();

  useEffect(() => {
    if (banks.status === 'idle') void loadBanks();
  }, [banks.status, loadBanks]);

  const found = useMemo(() => (banks.status === 'ready' ? searchBanks(banks.value.banks, query) : []), [banks, query]);
  const sections = useMemo(() => groupBanks(found), [found]);

  // Up/Down (and Home/End) move between the banks; Down from the search box enters the list.
  const bankButtons = () => [...(listRef.current?.querySelectorAll<HTMLButtonElement>('button[data-bank]') ?? [])];
  const onListKey = (e: KeyboardEvent<HTMLElement>) => {
    const items = bankButtons();
    if (items.length === 0) return;
    const at = items.indexOf(document.activeElement as HTMLButtonElement);
    const next =
      e.key === 'ArrowDown' ? Math.min(items.length - 1, at + 1) : e.key === 'ArrowUp' ? Math.max(0, at - 1) : e.key === 'Home' && at >= 0 ? 0 : e.key === 'End' && at >= 0 ? items.length - 1 : null;
    if (next === null) return;
    e.preventDefault();
    items[next]?.focus();
  };

  return (
    <>
      <div className="dialog__body bank-picker">
        <p>{t.lead(amount)}</p>
        <TextField label={t.search} hint={t.searchHint}>
          {(props) => (
            <input
              {...props}
              type="search"
              maxLength={MAX_QUERY_LENGTH}
              value={query}
              onChange={(e) => setQuery(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'ArrowDown') onListKey(e);
              }}
            />
          )}
        </TextField>
        {banks.status === 'error' && <ErrorAlert title={t.failed} error={banks.error} />}
        {(banks.status === 'loading' || banks.status === 'idle') && <Progress text={t.loading} />}
        {banks.status === 'ready' && (
          <>
            <p className="bank-picker__meta" role="status">
              <span>{found.length === 0 && query.trim() !== '' ? t.noMatch(query.trim()) : t.matches(found.length)}</span>
              {banks.value.listDate && <span className="muted">{t.listDate(formatDeadline(banks.value.listDate, m))}</span>}
            </p>
            {banks.value.banks.length === 0 && <p className="muted">{t.empty}</p>}
            <div className="bank-picker__list" ref={listRef} onKeyDown={onListKey}>
              {sections.map((section, i) => (
                <section key={section.group} className="bank-group" aria-labelledby={`${idPrefix}-${i}`}>
                  <h3 className="bank-group__title" id={`${idPrefix}-${i}`}>
                    {groupLabel(section.group, m)}
                  </h3>
                  {section.initials.map((block) => (
                    <div key={block.initial ?? ''} className="bank-initial">
                      {block.initial !== null && (
                        <h4 className="bank-initial__title" aria-label={t.initial(block.initial)}>
                          {block.initial}
                        </h4>
                      )}
                      <ul className="bank-initial__banks">
                        {block.banks.map((bank) => (
                          <li key={bankKey(bank)}>
                            <button type="button" className="bank-choice" data-bank onClick={() => onChoose(bank)}>
                              <span className="bank-choice__name">{bank.name}</span>
                              {bank.serviceName && <span className="bank-choice__service">{t.service(bank.serviceName)}</span>}
                            </button>
                          </li>
                        ))}
                      </ul>
                    </div>
                  ))}
                </section>
              ))}
            </div>
            {banks.value.skipped.length > 0 && (
              <details className="bank-skipped">
                <summary>{t.skipped(banks.value.skipped.length)}</summary>
                <p className="muted">{t.skippedHint}</p>
                <ul>
                  {banks.value.skipped.map((s, i) => (
                    <li key={`${s.group}-${s.name}-${i}`}>
                      <strong>{s.name}</strong>
                      <span className="muted">{s.reason}</span>
                      <span className="mono bank-skipped__url">{s.url}</span>
                    </li>
                  ))}
                </ul>
              </details>
            )}
          </>
        )}
      </div>
      <div className="dialog__actions dialog__actions--split">
        <button type="button" className="button" disabled={banks.status === 'loading'} onClick={() => void loadBanks(true)}>
          {t.reload}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          {t.cancel}
        </button>
      </div>
    </>
  );
}

function HandOffConfirm({ arriveId, payNumber, bank, onBack, onDone }: { arriveId: string; payNumber: string; bank: Bank; onBack: () => void; onDone: () => void }) {
  const m = useMessages();
  const t = m.payments.picker;
  const handOff = usePaymentStore((s) => s.handOff);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const back = useRef<HTMLButtonElement>(null);
  const bodyId = useId();

  const go = async () => {
    setBusy(true);
    setError(null);
    const result = await handOff(arriveId, payNumber, bank.name);
    setBusy(false);
    if (result.ok) onDone();
    else setError(result.error);
  };

  return (
    <Dialog title={t.confirmTitle(bank.name)} icon="lock" onCancel={onBack} initialFocus={back} describedBy={bodyId}>
      <div className="dialog__body" id={bodyId}>
        <ul className="hand-off-explain">
          {t.explain.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
        {error && <ErrorAlert title={t.failedOpen} error={error} />}
      </div>
      <div className="dialog__actions">
        <button type="button" className="button" ref={back} disabled={busy} onClick={onBack}>
          {t.back}
        </button>
        <button type="button" className="button button--primary" disabled={busy} onClick={() => void go()}>
          {busy ? t.opening : t.goOn}
        </button>
      </div>
    </Dialog>
  );
}
