// Renderer. The background case sync as the person sees it: running or paused, how the last cycle
// went (when, what failed and when it is tried again), when the next is due; 今すぐ確認 (which may
// ask for the PIN or password through the credential dialog), 一時停止 and 再開.
import { useState } from 'react';
import type { SyncStatusView } from '../../shared/case.js';
import type { ErrorPayload } from '../../shared/errors.js';
import { requireCoreApi } from '../api.js';
import { formatDateTime } from '../format.js';
import { useMessages } from '../messages/index.js';
import { useCaseStore } from '../stores/cases.js';
import { ErrorAlert } from './ErrorAlert.js';
import { Progress } from './Progress.js';
import './SyncPanel.css';

const STATE_TONE: Record<SyncStatusView['state'], string> = { idle: 'badge', running: 'badge badge--success', paused: 'badge badge--warning' };
const OUTCOME_TONE = { ok: 'success', partial: 'warning', failed: 'danger', 'needs-login': 'warning', error: 'danger' } as const;

export type SyncAction = 'now' | 'pause' | 'resume';

/** 今すぐ確認 / 一時停止 / 再開 as a screen offers them: which one runs, and what the last one failed with. */
export function useSyncActions(): { busy: SyncAction | null; error: ErrorPayload | null; act: (what: SyncAction) => Promise<void> } {
  const applySync = useCaseStore((s) => s.applySync);
  const loadSync = useCaseStore((s) => s.loadSync);
  const [busy, setBusy] = useState<SyncAction | null>(null);
  const [error, setError] = useState<ErrorPayload | null>(null);

  const act = async (what: SyncAction) => {
    setBusy(what);
    setError(null);
    const api = requireCoreApi();
    if (what === 'now') {
      const result = await api['sync.now']({});
      if (!result.ok) setError(result.error);
      // the cycle's report comes with sync.status as well; asking keeps the panel right if an event was missed
      await loadSync();
    } else {
      const result = await api[what === 'pause' ? 'sync.pause' : 'sync.resume']({});
      if (result.ok) applySync(result.value);
      else setError(result.error);
    }
    setBusy(null);
  };
  return { busy, error, act };
}

export function SyncPanel() {
  const m = useMessages();
  const c = m.cases;
  const sync = useCaseStore((s) => s.sync);
  const { busy, error, act } = useSyncActions();

  return (
    <section className="panel sync-panel" aria-labelledby="cases-sync">
      <div className="sync-panel__bar">
        <header className="sync-panel__head">
          <h2 className="panel__title" id="cases-sync">
            {c.syncTitle}
          </h2>
          {sync.status === 'ready' && <span className={STATE_TONE[sync.value.state]}>{c.syncState[sync.value.state]}</span>}
          <span className="sync-panel__busy" role="status">
            {sync.status === 'ready' && (sync.value.busy || busy === 'now') ? c.syncBusy : ''}
          </span>
        </header>
        {sync.status === 'ready' && <SyncFacts view={sync.value} />}
        {sync.status === 'ready' && (
        <div className="button-row sync-panel__actions">
          <button type="button" className="button button--primary" disabled={busy !== null || sync.value.busy} onClick={() => void act('now')}>
            {busy === 'now' ? c.syncNowBusy : c.syncNow}
          </button>
          {sync.value.state === 'paused' ? (
            <button type="button" className="button" disabled={busy !== null} onClick={() => void act('resume')}>
              {c.syncResume}
            </button>
          ) : (
            <button type="button" className="button" disabled={busy !== null || sync.value.state === 'idle'} onClick={() => void act('pause')}>
              {c.syncPause}
            </button>
          )}
        </div>
        )}
      </div>
      {sync.status === 'ready' && <SyncFailures view={sync.value} />}
      {sync.status === 'error' && <ErrorAlert title={c.syncFailed} error={sync.error} />}
      {(sync.status === 'loading' || sync.status === 'idle') && <Progress text={c.loading} />}
      {error && <ErrorAlert title={c.syncActionFailed} error={error} />}
    </section>
  );
}

/** How the last cycle went and when the next is due. */
export function SyncFacts({ view }: { view: SyncStatusView }) {
  const m = useMessages();
  const c = m.cases;
  const last = view.lastCycle;
  const next =
    view.state === 'paused' ? c.syncNextPaused : view.state === 'idle' ? c.syncNextIdle : view.nextAt ? formatDateTime(view.nextAt, m) : view.busy ? c.syncNextAfter : c.syncNextNone;
  return (
    <dl className="sync-facts">
      <div>
        <dt>{c.syncLast}</dt>
        <dd>
          {last ? (
            <>
              <span className="sync-facts__line">
                {formatDateTime(last.finishedAt, m)}
                <span className={`badge badge--${OUTCOME_TONE[last.outcome]}`}>{c.syncOutcome[last.outcome]}</span>
              </span>
              <span className="sync-facts__sub">
                {c.syncChanged(last.changed)}
                {last.failureCount > 0 && `、${c.syncFailures(last.failureCount)}`}
              </span>
            </>
          ) : (
            c.syncNever
          )}
        </dd>
      </div>
      <div>
        <dt>{c.syncNext}</dt>
        <dd>
          <span className="sync-facts__line">{next}</span>
          <span className="sync-facts__sub">{c.syncLead(view.intervalMs)}</span>
        </dd>
      </div>
    </dl>
  );
}

function SyncFailures({ view }: { view: SyncStatusView }) {
  const m = useMessages();
  const c = m.cases;
  const last = view.lastCycle;
  if (!last || last.failures.length === 0) return null;
  return (
    <div className="stack--tight sync-panel__failures">
      <ul className="sync-failures" aria-label={c.syncFailuresLabel}>
        {last.failures.map((f, i) => (
          <li key={i}>
            <span className="sync-failures__what">{f.arriveId ? c.syncFailureCase(f.arriveId) : c.syncFailureList}</span>
            <span>{f.messageJa}</span>
          </li>
        ))}
      </ul>
      <p className="muted">{view.failuresInARow > 0 && view.nextAt ? c.syncRetry(view.failuresInARow, formatDateTime(view.nextAt, m)) : c.syncRetryNext}</p>
    </div>
  );
}
