// Renderer. 送信履歴: every 一括申請 in the outbox, newest first, with its 送信番号, counts and
// state, kept current by batch.changed; and one batch's own screen (BatchScreen) with what can be
// done in its state (今すぐ確認, 記録どおりに送信, the choice of an ambiguous match), its arrived
// applications, the ErrorFile report of the 形式チェック and the record of its states.
import { failureText } from '../failure-text.js';
import { useEffect, useId, useState } from 'react';
import type { ErrorPayload } from '../../shared/errors.js';
import type { BatchDetailView, BatchView } from '../../shared/filing.js';
import { requireCoreApi } from '../api.js';
import { Breadcrumbs } from '../components/Breadcrumbs.js';
import { EmptyState } from '../components/EmptyState.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { Fact } from '../components/Fact.js';
import { HtmlReportFrame } from '../components/HtmlReportFrame.js';
import { Progress } from '../components/Progress.js';
import { ApplicationTabs } from '../components/SectionTabs.js';
import { formatDateTime, formatEgovDate } from '../format.js';
import { useMessages, type Messages } from '../messages/index.js';
import { batchesNewestFirst, useBatchStore } from '../stores/batches.js';
import { useRouterStore } from '../stores/router.js';
import './SendsScreen.css';

const TONE: Record<BatchView['state'], 'success' | 'info' | 'warning' | 'danger'> = {
  ready: 'warning',
  sending: 'info',
  sent: 'info',
  following: 'info',
  done: 'success',
  unknown: 'warning',
  'ready-for-resend': 'warning',
  ambiguous: 'danger',
  failed: 'danger',
};

export function BatchStateBadge({ batch }: { batch: BatchView }) {
  const m = useMessages();
  const errors = batch.formatCheck?.errorCount ?? 0;
  const tone = batch.state === 'done' && errors > 0 ? 'warning' : TONE[batch.state];
  return <span className={`badge badge--${tone}`}>{m.sends.state[batch.state]}</span>;
}

function batchLabel(batch: BatchView, m: Messages): string {
  return batch.sendNumber ?? `${formatDateTime(batch.createdAt, m)} ${m.sends.state[batch.state]}`;
}

export function SendsScreen() {
  const m = useMessages();
  const s = m.sends;
  const list = useBatchStore((st) => st.list);
  const batches = useBatchStore((st) => st.batches);
  const loadList = useBatchStore((st) => st.loadList);
  const navigate = useRouterStore((st) => st.navigate);

  useEffect(() => {
    void loadList();
  }, [loadList]);

  const rows = batchesNewestFirst(batches);
  return (
    <div className="stack">
      <ApplicationTabs current="sends" />
      <p className="lead">{s.lead}</p>
      {list.status === 'loading' && rows.length === 0 && <Progress text={s.loading} />}
      {list.status === 'error' && <ErrorAlert title={s.loadFailed} error={list.error} />}
      {list.status === 'ready' && rows.length === 0 && (
        <EmptyState icon="send" title={s.emptyTitle}>
          <p className="muted">{s.emptyBody}</p>
        </EmptyState>
      )}
      {rows.length > 0 && (
        <div className="table-wrap">
          <table className="table sends-table" aria-label={s.tableLabel}>
            <thead>
              <tr>
                <th scope="col">{s.colCreated}</th>
                <th scope="col">{s.colSendNumber}</th>
                <th scope="col">{s.colApplications}</th>
                <th scope="col">{s.colState}</th>
                <th scope="col">{s.colArrived}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((b) => (
                <tr key={b.id}>
                  <td>{formatDateTime(b.createdAt, m)}</td>
                  <td>
                    <button type="button" className="link-button mono" onClick={() => navigate({ name: 'batch', entryId: b.id })} aria-label={s.open(batchLabel(b, m))}>
                      {b.sendNumber ?? s.noSendNumber}
                    </button>
                  </td>
                  <td>
                    {s.count(b.applicationCount)}
                    <span className="muted sends-table__folders break">{b.folderNames.join('、')}</span>
                  </td>
                  <td>
                    <BatchStateBadge batch={b} />
                  </td>
                  <td>{b.state === 'done' ? s.arrivedOf(b.arrivedCount, b.applicationCount) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

type Load = { status: 'loading' } | { status: 'ready'; detail: BatchDetailView } | { status: 'error'; error: ErrorPayload };

export function BatchScreen({ entryId }: { entryId: string }) {
  const m = useMessages();
  const s = m.sends;
  const live = useBatchStore((st) => st.batches[entryId]);
  const applyChange = useBatchStore((st) => st.applyChange);
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [action, setAction] = useState<{ busy: 'refresh' | 'resend' | 'settle' | null; error: ErrorPayload | null }>({ busy: null, error: null });

  const [reload, setReload] = useState(0);

  // fetched again whenever the core says this batch changed (state, 形式チェック, applications) and after an action
  useEffect(() => {
    let current = true;
    void requireCoreApi()['batch.get']({ entryId }).then((result) => {
      if (current) setLoad(result.ok ? { status: 'ready', detail: result.value } : { status: 'error', error: result.error });
    });
    return () => {
      current = false;
    };
  }, [entryId, reload, live?.updatedAt, live?.arrivedCount]);

  const run = async (busy: 'refresh' | 'resend' | 'settle', call: () => Promise<{ ok: true; value: BatchView } | { ok: false; error: ErrorPayload }>) => {
    setAction({ busy, error: null });
    const result = await call();
    if (result.ok) applyChange(result.value);
    setAction({ busy: null, error: result.ok ? null : result.error });
    setReload((n) => n + 1);
  };
  const api = requireCoreApi();

  const crumbs = [{ label: m.applications.tabSends, route: { name: 'sends' } as const }, { label: s.detailTitle }];
  if (load.status === 'loading') {
    return (
      <div className="stack">
        <Breadcrumbs crumbs={crumbs} />
        <Progress text={s.loading} />
      </div>
    );
  }
  if (load.status === 'error') {
    return (
      <div className="stack">
        <Breadcrumbs crumbs={crumbs} />
        <ErrorAlert title={load.error.code === 'FILING_NOT_FOUND' ? s.notFound : s.loadFailed} error={load.error} />
      </div>
    );
  }
  const b = load.detail;
  return (
    <div className="stack">
      <Breadcrumbs crumbs={crumbs} />
      <section className="panel stack" aria-labelledby="batch-facts">
        <header className="batch-header">
          <h2 className="panel__title" id="batch-facts">
            {b.sendNumber ? `${s.facts.sendNumber} ${b.sendNumber}` : s.detailTitle}
          </h2>
          <BatchStateBadge batch={b} />
        </header>
        <p>{s.stateHelp[b.state]}</p>
        <dl className="facts">
          <Fact term={s.facts.state}>{m.sends.state[b.state]}{b.workStatus ? `（${b.workStatus}）` : ''}</Fact>
          {b.sendNumber && <Fact term={s.facts.sendNumber} className="mono">{b.sendNumber}</Fact>}
          {b.sendDate && <Fact term={s.facts.sendDate}>{formatEgovDate(b.sendDate, m)}</Fact>}
          <Fact term={s.facts.created}>{formatDateTime(b.createdAt, m)}</Fact>
          <Fact term={s.facts.applications}>
            {s.count(b.applicationCount)}
            <span className="facts__sub mono break">{b.folderNames.join('、')}</span>
          </Fact>
          <Fact term={s.facts.source} className="break">{b.sourceNames.join('、')}</Fact>
          <Fact term={s.facts.attempts}>{s.attempts(b.attemptCount)}</Fact>
          {b.formatCheck && <Fact term={s.facts.formatCheck}>{s.formatCheckResult(b.formatCheck.normalCount, b.formatCheck.errorCount)}</Fact>}
          {b.failure && <Fact term={s.facts.failure} className="break">{failureText(b.failure, m)}</Fact>}
        </dl>
        {action.error && <ErrorAlert title={s.actionFailed} error={action.error} />}
        {(b.state === 'sent' || b.state === 'following' || b.state === 'unknown') && (
          <div>
            <button type="button" className="button" disabled={action.busy !== null} onClick={() => void run('refresh', () => api['batch.refresh']({ entryId }))}>
              {action.busy === 'refresh' ? s.refreshing : s.refresh}
            </button>
          </div>
        )}
        {(b.state === 'ready' || b.state === 'ready-for-resend') && (
          <div>
            <button type="button" className="button button--primary" disabled={action.busy !== null} onClick={() => void run('resend', () => api['batch.resend']({ entryId }))}>
              {action.busy === 'resend' ? s.resending : s.resend}
            </button>
          </div>
        )}
        {b.state === 'ambiguous' && <Settle batch={b} busy={action.busy !== null} onDecide={(decision) => void run('settle', () => api['batch.settle']({ entryId, decision }))} />}
      </section>

      <ArrivedTable batch={b} />

      {b.formatCheck?.hasErrorReport && (
        <section className="panel stack" aria-labelledby="batch-error-report">
          <h2 className="panel__title" id="batch-error-report">
            {s.errorReportTitle}
          </h2>
          <HtmlReportFrame entryId={b.id} />
        </section>
      )}

      <section className="panel stack" aria-labelledby="batch-history">
        <h2 className="panel__title" id="batch-history">
          {s.historyTitle}
        </h2>
        <ol className="timeline" aria-label={s.historyLabel}>
          {b.history.map((h, i) => (
            <li key={i} className="timeline__item">
              <span className="timeline__time">{formatDateTime(h.at, m)}</span>
              <span>{m.sends.state[h.to]}</span>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}

function Settle({ batch, busy, onDecide }: { batch: BatchView; busy: boolean; onDecide: (d: { kind: 'mine'; sendNumber: string } | { kind: 'none' }) => void }) {
  const s = useMessages().sends;
  const titleId = useId();
  return (
    <section className="stack--tight" aria-labelledby={titleId}>
      <h3 className="batch-subtitle" id={titleId}>
        {s.settleTitle}
      </h3>
      <p className="muted">{s.settleLead}</p>
      <div className="button-row">
        {batch.candidates.map((n) => (
          <button key={n} type="button" className="button" disabled={busy} onClick={() => onDecide({ kind: 'mine', sendNumber: n })}>
            {s.settleMine(n)}
          </button>
        ))}
        <button type="button" className="button button--danger-outline" disabled={busy} onClick={() => onDecide({ kind: 'none' })}>
          {s.settleNone}
        </button>
      </div>
    </section>
  );
}

function ArrivedTable({ batch }: { batch: BatchDetailView }) {
  const m = useMessages();
  const s = m.sends;
  return (
    <section className="panel stack" aria-labelledby="batch-arrived">
      <h2 className="panel__title" id="batch-arrived">
        {s.applicationsTitle}
      </h2>
      {batch.applications.length === 0 ? (
        <p className="muted">{s.noApplications}</p>
      ) : (
        <div className="table-wrap">
          <table className="table" aria-label={s.applicationsLabel}>
            <thead>
              <tr>
                <th scope="col">{s.colArriveId}</th>
                <th scope="col">{s.colProcedure}</th>
                <th scope="col">{s.colApplicant}</th>
                <th scope="col">{s.colStatus}</th>
              </tr>
            </thead>
            <tbody>
              {batch.applications.map((a) => (
                <tr key={a.arriveId}>
                  <td className="mono">{a.arriveId}</td>
                  <td>
                    {a.procedureName}
                    <span className="muted sends-table__folders mono">{a.procedureFolderName}</span>
                  </td>
                  <td>{a.applicantName}</td>
                  <td>{a.status}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
