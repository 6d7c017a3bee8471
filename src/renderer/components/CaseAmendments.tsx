// Renderer. 補正 on a case's screen: 「補正する…」 when the ministry asks for a correction (else the
// way to the workbench all the same, with why e-Gov will likely refuse), the 補正 made of the case with
// where each stands — 「e-Gov に確認」 for one whose answer never came, the person's own decision for
// one the reconciliation could not settle — and, on a 補正 case, the case it corrects as a link.
import { useEffect, useState } from 'react';
import type { AmendmentState, CaseAmendmentView } from '../../shared/amendment.js';
import type { ErrorPayload } from '../../shared/errors.js';
import { requireCoreApi } from '../api.js';
import { formatDateTime } from '../format.js';
import { useMessages } from '../messages/index.js';
import { useRouterStore } from '../stores/router.js';
import { Alert } from './Alert.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { ErrorAlert } from './ErrorAlert.js';

/** The 補正 part of the 操作 panel. `awaiting`: the case is 補正待ち (or may be filed again). */
export function AmendmentAction({ arriveId, awaiting, withdrawal }: { arriveId: string; awaiting: boolean; withdrawal: boolean }) {
  const a = useMessages().amend;
  const navigate = useRouterStore((s) => s.navigate);
  return (
    <section className="case-amendment stack--tight" aria-labelledby="case-amendment">
      <h3 className="case-actions__title" id="case-amendment">
        {a.sectionTitle}
      </h3>
      {withdrawal ? (
        <p className="muted">{a.notForWithdrawal}</p>
      ) : awaiting ? (
        <>
          <div>
            <button type="button" className="button button--primary" aria-label={a.startLabel(arriveId)} onClick={() => navigate({ name: 'amend', arriveId })}>
              {a.start}
            </button>
          </div>
          <p className="muted">{a.startHint}</p>
        </>
      ) : (
        <>
          <div>
            <button type="button" className="button" aria-label={a.openWorkbenchLabel(arriveId)} onClick={() => navigate({ name: 'amend', arriveId })}>
              {a.openWorkbench}
            </button>
          </div>
          <p className="muted">{a.notAwaitingShort}</p>
        </>
      )}
    </section>
  );
}

/** Beside a 補正 case's facts: the case it corrects, as a link. */
export function AmendmentOfNotice({ of }: { of: string }) {
  const a = useMessages().amend;
  const navigate = useRouterStore((s) => s.navigate);
  return (
    <Alert tone="info" title={a.isAmendment}>
      <p>{a.isAmendmentBody(of)}</p>
      <p>
        <button type="button" className="link-button" onClick={() => navigate({ name: 'case', arriveId: of })}>
          {a.openOriginal(of)}
        </button>
      </p>
    </Alert>
  );
}

/**
 * The 補正 of a case as the core lists them with its workbench (case.amendmentDraft with `peek`: it
 * asks nothing of e-Gov and makes no draft); nothing shown while there are none. `version` changes whenever the case may have.
 */
export function CaseAmendmentSection({ arriveId, version }: { arriveId: string; version: number }) {
  const [amendments, setAmendments] = useState<readonly CaseAmendmentView[]>([]);
  const [reloads, setReloads] = useState(0);
  useEffect(() => {
    let current = true;
    void requireCoreApi()['case.amendmentDraft']({ arriveId, peek: true }).then((result) => {
      // a case the workbench cannot open (a 取下げ, a draft refused) has no 補正 to list here either
      if (current) setAmendments(result.ok ? result.value.amendments : []);
    });
    return () => {
      current = false;
    };
  }, [arriveId, version, reloads]);
  if (amendments.length === 0) return null;
  return <AmendmentList amendments={amendments} onChanged={() => setReloads((n) => n + 1)} />;
}

/** The 補正 of a case, oldest first. `onChanged` after an action so that the screen reads them again. */
export function AmendmentList({ amendments, onChanged }: { amendments: readonly CaseAmendmentView[]; onChanged: () => void }) {
  const a = useMessages().amend;
  return (
    <section className="panel stack" aria-labelledby="case-amendments">
      <h2 className="panel__title" id="case-amendments">
        {a.listTitle}
      </h2>
      <ol className="withdrawal-list" aria-label={a.listLabel}>
        {amendments.map((x) => (
          <AmendmentItem key={x.entryId} amendment={x} onChanged={onChanged} />
        ))}
      </ol>
    </section>
  );
}

type Busy = { what: 'idle' } | { what: 'checking' } | { what: 'confirm'; decision: 'arrived' | 'not-arrived' } | { what: 'settling' };

function AmendmentItem({ amendment: x, onChanged }: { amendment: CaseAmendmentView; onChanged: () => void }) {
  const m = useMessages();
  const a = m.amend;
  const navigate = useRouterStore((s) => s.navigate);
  const [busy, setBusy] = useState<Busy>({ what: 'idle' });
  const [error, setError] = useState<{ title: string; error: ErrorPayload } | null>(null);
  // the state found, not its words: they follow the language chosen afterwards
  const [checked, setChecked] = useState<AmendmentState | null>(null);
  const tone = x.state === 'done' ? 'done' : x.state === 'failed' ? 'failed' : x.state === 'unknown' || x.state === 'ambiguous' ? 'attention' : 'neutral';

  const check = async () => {
    setBusy({ what: 'checking' });
    setError(null);
    setChecked(null);
    const result = await requireCoreApi()['case.amendmentRefresh']({ entryId: x.entryId });
    setBusy({ what: 'idle' });
    if (!result.ok) {
      setError({ title: a.checkFailed, error: result.error });
      return;
    }
    setChecked(result.value.state);
    onChanged();
  };

  const settle = async (decision: 'arrived' | 'not-arrived') => {
    setBusy({ what: 'settling' });
    setError(null);
    const result = await requireCoreApi()['case.amendmentSettle']({ entryId: x.entryId, decision });
    setBusy({ what: 'idle' });
    if (!result.ok) {
      setError({ title: a.settleFailed, error: result.error });
      return;
    }
    onChanged();
  };

  const hint = a.stateHint[x.state];
  return (
    <li className={`withdrawal-item withdrawal-item--${tone}`}>
      <div className="withdrawal-item__head">
        <strong>{a.kind[x.kind]}</strong>
        <span className="status-pill">{a.state[x.state]}</span>
      </div>
      {hint && <p className="muted withdrawal-item__hint">{hint}</p>}
      <dl className="withdrawal-item__facts">
        <div>
          <dt>{a.newArriveId}</dt>
          <dd>
            {x.newArriveId ? (
              <button type="button" className="link-button mono" aria-label={a.openNew(x.newArriveId)} onClick={() => navigate({ name: 'case', arriveId: x.newArriveId ?? '' })}>
                {x.newArriveId}
              </button>
            ) : x.state === 'done' ? (
              x.kind === 'partamend' ? a.noArriveIdPart : a.arriveIdNeverSeen
            ) : (
              a.noArriveIdYet
            )}
          </dd>
        </div>
        {x.status && (
          <div>
            <dt>{a.newStatus}</dt>
            <dd>{x.status}</dd>
          </div>
        )}
        <div>
          <dt>{a.createdAt}</dt>
          <dd>{formatDateTime(x.createdAt, m)}</dd>
        </div>
        <div>
          <dt>{a.updatedAt}</dt>
          <dd>
            {formatDateTime(x.updatedAt, m)}
            <span className="muted">{a.attempts(x.attemptCount)}</span>
          </dd>
        </div>
        {/* once it arrived, why an earlier attempt went unanswered no longer matters */}
        {x.failure && x.state !== 'done' && (
          <div className="withdrawal-item__failure">
            <dt>{a.failure}</dt>
            <dd>{m.lang === 'ja' ? x.failure.message : `${x.failure.message} (${x.failure.code})`}</dd>
          </div>
        )}
      </dl>
      {x.state === 'unknown' && (
        <div>
          <button type="button" className="button button--primary" disabled={busy.what !== 'idle'} onClick={() => void check()}>
            {busy.what === 'checking' ? a.checking : a.check}
          </button>
        </div>
      )}
      {x.state === 'ambiguous' && (
        <div className="button-row">
          <button type="button" className="button" disabled={busy.what !== 'idle'} onClick={() => setBusy({ what: 'confirm', decision: 'arrived' })}>
            {a.settleArrived}
          </button>
          <button type="button" className="button" disabled={busy.what !== 'idle'} onClick={() => setBusy({ what: 'confirm', decision: 'not-arrived' })}>
            {a.settleNotArrived}
          </button>
        </div>
      )}
      {checked && (
        <p className="case-actions__done" role="status">
          {a.checked(a.state[checked])}
        </p>
      )}
      {error && <ErrorAlert title={error.title} error={error.error} />}
      {busy.what === 'confirm' && (
        <ConfirmDialog
          title={busy.decision === 'arrived' ? a.settleArrivedTitle : a.settleNotArrivedTitle}
          confirmLabel={busy.decision === 'arrived' ? a.settleArrivedConfirm : a.settleNotArrivedConfirm}
          tone={busy.decision === 'arrived' ? 'primary' : 'danger'}
          onConfirm={() => void settle(busy.decision)}
          onCancel={() => setBusy({ what: 'idle' })}
        >
          <p>{busy.decision === 'arrived' ? a.settleArrivedBody : a.settleNotArrivedBody}</p>
          <p className="muted">{busy.decision === 'arrived' ? a.settleArrivedNote : a.settleNotArrivedNote}</p>
        </ConfirmDialog>
      )}
    </li>
  );
}
