// Renderer. 取下げ on a case's screen: the 「取下げ…」 button when the core allows a new one (else
// its reason), the 取下げ made of the case with where each stands, 「e-Gov に確認」 for one whose
// answer never came and the person's own decision for one the reconciliation could not settle.
// A 取下げ case itself only says which case it withdraws.
import { useEffect, useState } from 'react';
import type { CaseWithdrawalView, WithdrawalDraftView, WithdrawalState } from '../../shared/case.js';
import type { ErrorPayload } from '../../shared/errors.js';
import { requireCoreApi } from '../api.js';
import { formatDateTime } from '../format.js';
import { useMessages } from '../messages/index.js';
import { useRouterStore } from '../stores/router.js';
import { Alert } from './Alert.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { ErrorAlert } from './ErrorAlert.js';

type DraftLoad = { status: 'loading' } | { status: 'ready'; draft: WithdrawalDraftView } | { status: 'error'; error: ErrorPayload };

/** The 取下げ part of the 操作 panel. `version` changes whenever the case may have changed. */
export function WithdrawalAction({ arriveId, withdrawalOf, version }: { arriveId: string; withdrawalOf: string | null; version: number }) {
  const m = useMessages();
  const w = m.withdraw;
  const navigate = useRouterStore((s) => s.navigate);
  const [load, setLoad] = useState<DraftLoad>({ status: 'loading' });

  useEffect(() => {
    if (withdrawalOf !== null) return;
    let current = true;
    void requireCoreApi()['case.withdrawalDraft']({ arriveId }).then((result) => {
      if (current) setLoad(result.ok ? { status: 'ready', draft: result.value } : { status: 'error', error: result.error });
    });
    return () => {
      current = false;
    };
  }, [arriveId, withdrawalOf, version]);

  return (
    <section className="case-withdrawal stack--tight" aria-labelledby="case-withdrawal">
      <h3 className="case-actions__title" id="case-withdrawal">
        {w.sectionTitle}
      </h3>
      {withdrawalOf !== null ? (
        <p className="muted">{w.notForWithdrawal}</p>
      ) : load.status === 'loading' ? (
        <p className="muted">{w.draftLoading}</p>
      ) : load.status === 'error' ? (
        <ErrorAlert title={w.draftFailed} error={load.error} />
      ) : load.draft.allowed ? (
        <>
          <div>
            <button type="button" className="button button--danger-outline" aria-label={w.startLabel(arriveId)} onClick={() => navigate({ name: 'withdraw', arriveId })}>
              {w.start}
            </button>
          </div>
          <p className="muted">{w.startHint}</p>
        </>
      ) : (
        <div className="case-withdrawal__blocked">
          <p className="case-withdrawal__blocked-title">{w.blocked}</p>
          <p className="muted">{m.lang === 'ja' ? load.draft.blockedReason : load.draft.blockedReasonEn}</p>
        </div>
      )}
    </section>
  );
}

/** Beside a 取下げ case's facts: what it withdraws, as a link. */
export function WithdrawalOfNotice({ of }: { of: string }) {
  const w = useMessages().withdraw;
  const navigate = useRouterStore((s) => s.navigate);
  return (
    <Alert tone="info" title={w.isWithdrawal}>
      <p>{w.isWithdrawalBody(of)}</p>
      <p>
        <button type="button" className="link-button" onClick={() => navigate({ name: 'case', arriveId: of })}>
          {w.openWithdrawn(of)}
        </button>
      </p>
    </Alert>
  );
}

/** The 取下げ of a case, oldest first. `onChanged` after an action so the screen reads the case again. */
export function WithdrawalList({ withdrawals, onChanged }: { withdrawals: CaseWithdrawalView[]; onChanged: () => void }) {
  const w = useMessages().withdraw;
  return (
    <section className="panel stack" aria-labelledby="case-withdrawals">
      <h2 className="panel__title" id="case-withdrawals">
        {w.listTitle}
      </h2>
      <ol className="withdrawal-list" aria-label={w.listLabel}>
        {withdrawals.map((x) => (
          <WithdrawalItem key={x.entryId} withdrawal={x} onChanged={onChanged} />
        ))}
      </ol>
    </section>
  );
}

type Busy = { what: 'idle' } | { what: 'checking' } | { what: 'confirm'; decision: 'arrived' | 'not-arrived' } | { what: 'settling' };

function WithdrawalItem({ withdrawal: x, onChanged }: { withdrawal: CaseWithdrawalView; onChanged: () => void }) {
  const m = useMessages();
  const w = m.withdraw;
  const navigate = useRouterStore((s) => s.navigate);
  const [busy, setBusy] = useState<Busy>({ what: 'idle' });
  const [error, setError] = useState<{ title: string; error: ErrorPayload } | null>(null);
  // the state found, not its words: they follow the language chosen afterwards
  const [checked, setChecked] = useState<WithdrawalState | null>(null);
  const tone = x.state === 'done' ? 'done' : x.state === 'failed' ? 'failed' : x.state === 'unknown' || x.state === 'ambiguous' ? 'attention' : 'neutral';

  const check = async () => {
    setBusy({ what: 'checking' });
    setError(null);
    setChecked(null);
    const result = await requireCoreApi()['case.withdrawalRefresh']({ entryId: x.entryId });
    setBusy({ what: 'idle' });
    if (!result.ok) {
      setError({ title: w.checkFailed, error: result.error });
      return;
    }
    setChecked(result.value.state);
    onChanged();
  };

  const settle = async (decision: 'arrived' | 'not-arrived') => {
    setBusy({ what: 'settling' });
    setError(null);
    const result = await requireCoreApi()['case.withdrawalSettle']({ entryId: x.entryId, decision });
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
              w.arriveIdNeverSeen
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
            <dd>{m.lang === 'ja' ? x.failure.message : `${x.failure.message} (${x.failure.code})`}</dd>
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
          onConfirm={() => void settle(busy.decision)}
          onCancel={() => setBusy({ what: 'idle' })}
        >
          <p>{busy.decision === 'arrived' ? w.settleArrivedBody : w.settleNotArrivedBody}</p>
          <p className="muted">{busy.decision === 'arrived' ? w.settleArrivedNote : w.settleNotArrivedNote}</p>
        </ConfirmDialog>
      )}
    </li>
  );
}
