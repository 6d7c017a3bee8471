// Renderer. 申請: 申請データ取込 (a folder or one ZIP) and its check report. Signing and sending
// come later: the screen says so in words when the data is ready, and shows no control for them.
import { ApplicationImport } from '../components/ApplicationImport.js';
import { CheckReport } from '../components/CheckReport.js';
import { EmptyState } from '../components/EmptyState.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { Progress } from '../components/Progress.js';
import { useMessages } from '../messages/index.js';
import { useApplicationCheckStore } from '../stores/application-check.js';

export function ApplicationsScreen() {
  const m = useMessages();
  const a = m.applications;
  const state = useApplicationCheckStore((s) => s.state);
  const choose = useApplicationCheckStore((s) => s.choose);
  const busy = state.status === 'reading' || state.status === 'checking';

  return (
    <div className="stack">
      <p className="lead">{a.lead}</p>
      <ApplicationImport busy={busy} onFiles={(files) => void choose(files)} />
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
      {state.status === 'checked' && <CheckReport view={state.view} />}
    </div>
  );
}
