// Renderer. 案件: the dashboard (counts by status as sent, what needs action, 電子納付 due soon), the background sync's
// state and controls, then the case list with its filters; a case can also be opened straight by
// its 到達番号 (as printed on the 受付票), which leads to the case's own screen (/cases/:arriveId).
// Everything on it follows the core's events (stores/cases.ts), without a reload.
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { ErrorPayload } from '../../shared/errors.js';
import { requireCoreApi } from '../api.js';
import { CaseDashboard } from '../components/CaseDashboard.js';
import { CaseFilters } from '../components/CaseFilters.js';
import { CaseList } from '../components/CaseList.js';
import { EmptyState } from '../components/EmptyState.js';
import { PaymentsDue } from '../components/PaymentsDue.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { Progress } from '../components/Progress.js';
import { SyncPanel } from '../components/SyncPanel.js';
import { TextField } from '../components/TextField.js';
import { useMessages } from '../messages/index.js';
import { normalizeArriveId } from '../router/routes.js';
import { listArgs as listFilter, useCaseStore, type CaseFilter } from '../stores/cases.js';
import { useRouterStore } from '../stores/router.js';
import './CasesScreen.css';

export function CasesScreen() {
  const m = useMessages();
  const c = m.cases;
  const loadCounts = useCaseStore((s) => s.loadCounts);
  const loadSync = useCaseStore((s) => s.loadSync);
  const reopen = useCaseStore((s) => s.reopen);
  const setFilter = useCaseStore((s) => s.setFilter);
  const filter = useCaseStore((s) => s.filter);
  const [filterKey, setFilterKey] = useState(0);

  useEffect(() => {
    // the list first, the rest once it is shown: the core answers in turn, and counting every case
    // takes it longer than a page of the list
    void loadSync();
    void reopen().then(() => loadCounts());
  }, [loadCounts, loadSync, reopen]);

  // the dashboard sets the filter from outside the form: the form starts again from it
  const filterFromDashboard = (f: CaseFilter) => {
    setFilterKey((k) => k + 1);
    void setFilter(f);
  };

  return (
    <div className="stack cases-screen">
      <p className="lead">{c.lead}</p>
      <SyncPanel />
      <section className="panel stack" aria-labelledby="cases-dashboard">
        <h2 className="panel__title" id="cases-dashboard">
          {c.dashboardTitle}
        </h2>
        <CaseDashboard onFilter={filterFromDashboard} />
        <PaymentsDue />
      </section>
      <section className="panel stack" aria-labelledby="cases-list">
        <h2 className="panel__title" id="cases-list">
          {c.listTitle}
        </h2>
        <CaseFilters
          key={filterKey}
          filter={filter}
          onApply={(f) => {
            if (Object.keys(f).length === 0) setFilterKey((k) => k + 1);
            void setFilter(f);
          }}
        />
        <ListBody />
      </section>
      <OpenByArriveId />
    </div>
  );
}

function ListBody() {
  const m = useMessages();
  const c = m.cases;
  const list = useCaseStore((s) => s.list);
  const filter = useCaseStore((s) => s.filter);
  const reload = useCaseStore((s) => s.reload);
  const filtered = Object.keys(filter).length > 0;

  if (list.status === 'error' && list.error) {
    return (
      <ErrorAlert title={c.listFailed} error={list.error}>
        <button type="button" className="button" onClick={() => void reload()}>
          {c.retry}
        </button>
      </ErrorAlert>
    );
  }
  if ((list.status === 'loading' || list.status === 'idle') && list.rows.length === 0) return <Progress text={c.loading} />;
  if (list.status === 'ready' && list.rows.length === 0) {
    return filtered ? (
      <EmptyState icon="folder" title={c.noMatchTitle}>
        <p className="muted">{c.noMatchBody}</p>
      </EmptyState>
    ) : (
      <EmptyState icon="folder" title={c.emptyTitle}>
        <p className="muted">{c.emptyBody}</p>
      </EmptyState>
    );
  }
  return (
    <div className="stack--tight">
      <p className="case-list__meta">
        <span role="status">{c.listCount(list.rows.length, list.total)}</span>
        <span className="muted">{c.listKeys}</span>
      </p>
      <CaseList />
      <ExportCsv />
    </div>
  );
}

/** The cases under the list's filter as a CSV in the exports folder (case.export); where it went is shown. */
function ExportCsv() {
  const m = useMessages();
  const c = m.cases;
  const filter = useCaseStore((s) => s.filter);
  const [state, setState] = useState<{ busy: boolean; done: { path: string; count: number } | null; error: ErrorPayload | null }>({ busy: false, done: null, error: null });
  const hintId = useId();

  const run = async () => {
    setState({ busy: true, done: null, error: null });
    const result = await requireCoreApi()['case.export'](listFilter(filter));
    setState({ busy: false, done: result.ok ? result.value : null, error: result.ok ? null : result.error });
  };

  return (
    <div className="case-export stack--tight">
      <div className="input-row">
        <button type="button" className="button" disabled={state.busy} aria-describedby={hintId} onClick={() => void run()}>
          {state.busy ? c.exporting : c.exportCsv}
        </button>
        <span className="muted" id={hintId}>
          {c.exportCsvHint}
        </span>
      </div>
      <p role="status" className="case-export__done">
        {state.done ? c.exported(state.done.count, state.done.path) : ''}
      </p>
      {state.error && <ErrorAlert title={c.exportFailed} error={state.error} />}
    </div>
  );
}

function OpenByArriveId() {
  const m = useMessages();
  const navigate = useRouterStore((s) => s.navigate);
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<'missing' | 'invalid' | null>(null);

  const open = (e: FormEvent) => {
    e.preventDefault();
    if (text.trim() === '') {
      setProblem('missing');
      return;
    }
    const arriveId = normalizeArriveId(text);
    if (!arriveId) {
      setProblem('invalid');
      return;
    }
    setProblem(null);
    navigate({ name: 'case', arriveId });
  };

  return (
    <section className="panel" aria-labelledby="cases-open">
      <h2 id="cases-open" className="panel__title">
        {m.cases.openTitle}
      </h2>
      <p className="muted">{m.cases.openLead}</p>
      <form onSubmit={open} noValidate>
        <TextField label={m.cases.arriveId} hint={m.cases.arriveIdHint} error={problem === 'missing' ? m.cases.arriveIdMissing : problem === 'invalid' ? m.cases.arriveIdInvalid : null} mono>
          {(props) => (
            <div className="input-row">
              <input
                {...props}
                type="text"
                inputMode="numeric"
                value={text}
                onChange={(e) => {
                  setText(e.currentTarget.value);
                  setProblem(null);
                }}
              />
              <button type="submit" className="button button--primary">
                {m.cases.open}
              </button>
            </div>
          )}
        </TextField>
      </form>
    </section>
  );
}
