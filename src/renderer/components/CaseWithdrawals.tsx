// Renderer. 取下げ on a case's screen: the 「取下げ…」 button when the core allows a new one (else
// its reason), the 取下げ made of the case with where each stands, 「e-Gov に確認」 for one whose
// answer never came and the person's own decision for one the reconciliation could not settle.
// A 取下げ case itself only says which case it withdraws.
import { useEffect, useState } from 'react';
import type { CaseWithdrawalView, WithdrawalDraftView } from '../../shared/case.js';
import type { ErrorPayload } from '../../shared/errors.js';
import { requireCoreApi } from '../api.js';
import { useMessages } from '../messages/index.js';
import { useRouterStore } from '../stores/router.js';
import { Alert } from './Alert.js';
import { ErrorAlert } from './ErrorAlert.js';
import { SentEntryItem } from './SentEntryItem.js';

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
          <SentEntryItem
            key={x.entryId}
            entry={x}
            words={w}
            refresh={(entryId) => requireCoreApi()['case.withdrawalRefresh']({ entryId })}
            settle={(entryId, decision) => requireCoreApi()['case.withdrawalSettle']({ entryId, decision })}
            onChanged={onChanged}
          />
        ))}
      </ol>
    </section>
  );
}
