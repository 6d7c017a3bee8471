// Renderer. 申請: 申請データ取込 (folders or one ZIP), its check report, and — when the check found
// no error — signing and sending it as one 一括申請 (SendPanel), followed to its 到達番号.
import { ApplicationImport } from '../components/ApplicationImport.js';
import { CheckReport } from '../components/CheckReport.js';
import { EmptyState } from '../components/EmptyState.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { Progress } from '../components/Progress.js';
import { ApplicationTabs } from '../components/SectionTabs.js';
import { SendPanel } from '../components/SendPanel.js';
import { useMessages } from '../messages/index.js';
import { useApplicationCheckStore } from '../stores/application-check.js';
import { useBatchStore } from '../stores/batches.js';

export function ApplicationsScreen() {
  const m = useMessages();
  const a = m.applications;
  const state = useApplicationCheckStore((s) => s.state);
  const choose = useApplicationCheckStore((s) => s.choose);
  const recheck = useApplicationCheckStore((s) => s.recheck);
  const sending = useBatchStore((s) => s.send.status === 'running');
  const resetSend = useBatchStore((s) => s.resetSend);
  const busy = state.status === 'reading' || state.status === 'checking' || sending;
  const sendable = state.status === 'checked' && state.view.ok && state.view.errors === 0 && state.view.applications.length > 0;

  return (
    <div className="stack">
      <ApplicationTabs current="applications" />
      <p className="lead">{a.lead}</p>
      <ApplicationImport
        busy={busy}
        onFiles={(files) => {
          resetSend();
          void choose(files);
        }}
      />
      {/* The same live region throughout; once the report is shown it holds only the counts, read out, not shown. */}
      <div aria-live="polite" className={state.status === 'checked' ? 'visually-hidden' : 'stack'}>
        {state.status === 'empty' && (
          <EmptyState icon="send" title={a.emptyTitle}>
            <p className="muted">{a.emptyBody}</p>
          </EmptyState>
        )}
        {state.status === 'reading' && <Progress text={a.reading(state.name)} />}
        {state.status === 'checking' && <Progress text={a.checking(state.name)} />}
        {state.status === 'error' && (
          <ErrorAlert title={a.errorTitle} error={state.error}>
            <p className="alert__next">{a.errorNext}</p>
          </ErrorAlert>
        )}
        {state.status === 'checked' && (
          <p>
            {`${a.resultTitle}: ${a.countApplications} ${a.count(state.view.applications.length)}、${a.countErrors} ${a.count(state.view.errors)}、${a.countWarnings} ${a.count(state.view.warnings)}`}
          </p>
        )}
      </div>
      {state.status === 'checked' && sendable && <SendPanel paths={state.paths} applications={state.view.applications.length} />}
      {state.status === 'checked' && <CheckReport view={state.view} />}
      {state.status === 'checked' && !sendable && (
        <div>
          <button type="button" className="button" onClick={() => void recheck()} disabled={busy}>
            {a.recheck}
          </button>
        </div>
      )}
    </div>
  );
}
