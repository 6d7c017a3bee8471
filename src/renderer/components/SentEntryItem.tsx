// Renderer. One 取下げ or 補正 of a case, as the case screen lists them: its kind and where it stands,
// its own 到達番号 as a link, when it was recorded and last tried, why it failed, 「e-Gov に確認」 for one
// whose answer never came and the person's own decision for one the reconciliation could not settle.
// Both are outbox entries of the same life (src/main/store/outbox.ts); each brings its words and its
// two operations.
import { failureText } from '../failure-text.js';
import { useState } from 'react';
import type { SentEntryView } from '../../shared/case.js';
import type { Envelope } from '../../shared/contract.js';
import type { ErrorPayload } from '../../shared/errors.js';
import { formatDateTime } from '../format.js';
import { useMessages } from '../messages/index.js';
import { useRouterStore } from '../stores/router.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { ErrorAlert } from './ErrorAlert.js';

export type SentEntryState = 'ready' | 'sending' | 'done' | 'unknown' | 'ready-for-resend' | 'ambiguous' | 'failed';
type Decision = 'arrived' | 'not-arrived';

/** What the list shows of a 取下げ (CaseWithdrawalView) or a 補正 (CaseAmendmentView). */
export type SentEntry<K extends string> = SentEntryView<K, SentEntryState>;

/** The words of one kind of entry (messages' `withdraw` and `amend` both have them). */
export interface SentEntryWords<K extends string> {
  kind: Record<K, string>;
  state: Record<SentEntryState, string>;
  stateHint: Record<SentEntryState, string>;
  newArriveId: string;
  openNew: (arriveId: string) => string;
  arriveIdNeverSeen: string;
  noArriveIdYet: string;
  newStatus: string;
  createdAt: string;
  updatedAt: string;
  attempts: (n: number) => string;
  failure: string;
  check: string;
  checking: string;
  checked: (state: string) => string;
  checkFailed: string;
  settleArrived: string;
  settleNotArrived: string;
  settleFailed: string;
  settleArrivedTitle: string;
  settleNotArrivedTitle: string;
  settleArrivedConfirm: string;
  settleNotArrivedConfirm: string;
  settleArrivedBody: string;
  settleNotArrivedBody: string;
  settleArrivedNote: string;
  settleNotArrivedNote: string;
}

export interface SentEntryItemProps<K extends string> {
  entry: SentEntry<K>;
  words: SentEntryWords<K>;
  /** asks e-Gov about an entry whose answer never came (case.withdrawalRefresh / case.amendmentRefresh) */
  refresh: (entryId: string) => Promise<Envelope<{ state: SentEntryState }>>;
  /** the person's decision (case.withdrawalSettle / case.amendmentSettle) */
  settle: (entryId: string, decision: Decision) => Promise<Envelope<unknown>>;
  /** what stands for the 到達番号 of an arrived entry that has none (default: never seen) */
  noArriveId?: (entry: SentEntry<K>) => string;
  /** after an action, so that the screen reads the case again */
  onChanged: () => void;
}

type Busy = { what: 'idle' } | { what: 'checking' } | { what: 'confirm'; decision: Decision } | { what: 'settling' };

export function SentEntryItem<K extends string>({ entry: x, words: w, refresh, settle, noArriveId, onChanged }: SentEntryItemProps<K>) {
  const m = useMessages();
  const navigate = useRouterStore((s) => s.navigate);
  const [busy, setBusy] = useState<Busy>({ what: 'idle' });
  const [error, setError] = useState<{ title: string; error: ErrorPayload } | null>(null);
  // the state found, not its words: they follow the language chosen afterwards
  const [checked, setChecked] = useState<SentEntryState | null>(null);
  const tone = x.state === 'done' ? 'done' : x.state === 'failed' ? 'failed' : x.state === 'unknown' || x.state === 'ambiguous' ? 'attention' : 'neutral';

  const check = async () => {
    setBusy({ what: 'checking' });
    setError(null);
    setChecked(null);
    const result = await refresh(x.entryId);
    setBusy({ what: 'idle' });
    if (!result.ok) {
      setError({ title: w.checkFailed, error: result.error });
      return;
    }
    setChecked(result.value.state);
    onChanged();
  };

  const decide = async (decision: Decision) => {
    setBusy({ what: 'settling' });
    setError(null);
    const result = await settle(x.entryId, decision);
    setBusy({ what: 'idle' });
    if (!result.ok) {
      setError({ title: w.settleFailed, error: result.error });
      return;
    }
    onChanged();
  };

  const hint = w.stateHint[x.state];
  return (
    <li className={`withdrawal-item withdrawal-item--${tone}`}>
      <div className="withdrawal-item__head">
        <strong>{w.kind[x.kind]}</strong>
        <span className={`status-pill withdrawal-item__state withdrawal-item__state--${tone}`}>{w.state[x.state]}</span>
      </div>
      {hint && <p className="muted withdrawal-item__hint">{hint}</p>}
      <dl className="withdrawal-item__facts">
        <div>
          <dt>{w.newArriveId}</dt>
          <dd>
            {x.newArriveId ? (
              <button type="button" className="link-button mono" aria-label={w.openNew(x.newArriveId)} onClick={() => navigate({ name: 'case', arriveId: x.newArriveId ?? '' })}>
                {x.newArriveId}
              </button>
            ) : x.state === 'done' ? (
              (noArriveId?.(x) ?? w.arriveIdNeverSeen)
            ) : (
              w.noArriveIdYet
            )}
          </dd>
        </div>
        {x.status && (
          <div>
            <dt>{w.newStatus}</dt>
            <dd>{x.status}</dd>
          </div>
        )}
        <div>
          <dt>{w.createdAt}</dt>
          <dd>{formatDateTime(x.createdAt, m)}</dd>
        </div>
        <div>
          <dt>{w.updatedAt}</dt>
          <dd>
            {formatDateTime(x.updatedAt, m)}
            <span className="muted">{w.attempts(x.attemptCount)}</span>
          </dd>
        </div>
        {/* once it arrived, why an earlier attempt went unanswered no longer matters */}
        {x.failure && x.state !== 'done' && (
          <div className="withdrawal-item__failure">
            <dt>{w.failure}</dt>
            <dd>{failureText(x.failure, m)}</dd>
          </div>
        )}
      </dl>
      {x.state === 'unknown' && (
        <div>
          <button type="button" className="button button--primary" disabled={busy.what !== 'idle'} onClick={() => void check()}>
            {busy.what === 'checking' ? w.checking : w.check}
          </button>
        </div>
      )}
      {x.state === 'ambiguous' && (
        <div className="button-row">
          <button type="button" className="button" disabled={busy.what !== 'idle'} onClick={() => setBusy({ what: 'confirm', decision: 'arrived' })}>
            {w.settleArrived}
          </button>
          <button type="button" className="button" disabled={busy.what !== 'idle'} onClick={() => setBusy({ what: 'confirm', decision: 'not-arrived' })}>
            {w.settleNotArrived}
          </button>
        </div>
      )}
      {checked && (
        <p className="case-actions__done" role="status">
          {w.checked(w.state[checked])}
        </p>
      )}
      {error && <ErrorAlert title={error.title} error={error.error} />}
      {busy.what === 'confirm' && (
        <ConfirmDialog
          title={busy.decision === 'arrived' ? w.settleArrivedTitle : w.settleNotArrivedTitle}
          confirmLabel={busy.decision === 'arrived' ? w.settleArrivedConfirm : w.settleNotArrivedConfirm}
          tone={busy.decision === 'arrived' ? 'primary' : 'danger'}
          onConfirm={() => void decide(busy.decision)}
          onCancel={() => setBusy({ what: 'idle' })}
        >
          <p>{busy.decision === 'arrived' ? w.settleArrivedBody : w.settleNotArrivedBody}</p>
          <p className="muted">{busy.decision === 'arrived' ? w.settleArrivedNote : w.settleNotArrivedNote}</p>
        </ConfirmDialog>
      )}
    </li>
  );
}
