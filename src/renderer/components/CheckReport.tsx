// Renderer. The check report of 申請データ: counts, one card per application folder with its
// problems (severity, file, line:column, the message), the problems of the batch as a whole, and
// what to do next. Problems are grouped by folder name, as `todoke check` prints them.
import { useId } from 'react';
import type { ApplicationCheckView, ApplicationFolderView, ApplicationProblemView } from '../../shared/domain.js';
import { useMessages } from '../messages/index.js';
import { Alert } from './Alert.js';
import './CheckReport.css';

export function CheckReport({ view }: { view: ApplicationCheckView }) {
  const m = useMessages();
  const a = m.applications;
  const titleId = useId();
  const folders = [...new Set(view.applications.map((app) => app.folder))];
  const batch = view.problems.filter((p) => p.folder === undefined || !folders.includes(p.folder));
  const source = view.source.kind === 'zip' ? a.sourceZip(view.source.names.join('、')) : a.sourceFolders(view.source.names.join('」「'));

  return (
    <section className="stack check-report" aria-labelledby={titleId}>
      <div className="panel check-report__summary">
        <h2 className="panel__title" id={titleId}>
          {a.resultTitle}
        </h2>
        <p className="muted break">{source}</p>
        <dl className="check-report__counts">
          <Count label={a.countApplications} value={a.count(view.applications.length)} />
          <Count label={a.countErrors} value={a.count(view.errors)} tone={view.errors > 0 ? 'danger' : undefined} />
          <Count label={a.countWarnings} value={a.count(view.warnings)} tone={view.warnings > 0 ? 'warning' : undefined} />
        </dl>
      </div>
      <NextStep view={view} />
      {view.applications.length === 0 && <p className="muted">{a.noApplications}</p>}
      {folders.map((folder) => (
        <FolderCard
          key={folder}
          folder={folder}
          applications={view.applications.filter((app) => app.folder === folder)}
          problems={view.problems.filter((p) => p.folder === folder)}
        />
      ))}
      {batch.length > 0 && (
        <section className="panel check-card" aria-labelledby={`${titleId}-batch`}>
          <h3 className="check-card__title" id={`${titleId}-batch`}>
            {a.batchTitle}
          </h3>
          <ProblemList problems={batch} label={a.batchProblems} />
        </section>
      )}
    </section>
  );
}

function Count({ label, value, tone }: { label: string; value: string; tone?: 'danger' | 'warning' | undefined }) {
  return (
    <div className={`check-report__count${tone ? ` check-report__count--${tone}` : ''}`}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

function NextStep({ view }: { view: ApplicationCheckView }) {
  const a = useMessages().applications;
  if (view.errors > 0) return <Alert tone="danger" title={a.hasErrors} />;
  if (view.applications.length === 0) return null;
  return <Alert tone="success" title={view.warnings > 0 ? a.readyWithWarnings : a.ready} />;
}

function FolderCard({ folder, applications, problems }: { folder: string; applications: ApplicationFolderView[]; problems: ApplicationProblemView[] }) {
  const m = useMessages();
  const a = m.applications;
  const titleId = useId();
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  const procedureId = applications[0]?.procedureId ?? null;
  const files = applications.flatMap((app) => app.files);
  return (
    <article className={`panel check-card${errors > 0 ? ' check-card--error' : ''}`} aria-labelledby={titleId}>
      <header className="check-card__header">
        <h3 className="check-card__title mono break" id={titleId}>
          {folder}
        </h3>
        {problems.length === 0 ? (
          <span className="badge badge--success">{a.noProblems}</span>
        ) : (
          <span className={`badge ${errors > 0 ? 'badge--danger' : 'badge--warning'}`}>{a.problemCount(errors, warnings)}</span>
        )}
      </header>
      <p className="muted">
        {procedureId ? a.procedureId(procedureId) : a.procedureIdUnknown}
        {' · '}
        {a.fileCount(files.length)}
      </p>
      {problems.length > 0 && <ProblemList problems={problems} label={a.problemsOf(folder)} />}
      {files.length > 0 && (
        <details className="check-card__files">
          <summary>{a.filesList(folder)}</summary>
          <ul className="mono">
            {files.map((file, i) => (
              <li key={`${i}:${file}`} className="break">
                {file}
              </li>
            ))}
          </ul>
        </details>
      )}
    </article>
  );
}

function ProblemList({ problems, label }: { problems: ApplicationProblemView[]; label: string }) {
  const m = useMessages();
  const a = m.applications;
  return (
    <ul className="problems" aria-label={label}>
      {problems.map((p, i) => (
        <li key={i} className="problem">
          <span className={`badge ${p.severity === 'error' ? 'badge--danger' : 'badge--warning'}`}>{a.severity[p.severity]}</span>
          <div className="problem__body">
            {(p.file !== undefined || p.line !== undefined) && (
              <p className="problem__where mono break">
                {p.file}
                {p.line !== undefined && (
                  <>
                    {p.file !== undefined && ' '}
                    <span aria-hidden="true">{a.position(p.line, p.column ?? 1)}</span>
                    <span className="visually-hidden">{a.positionLabel(p.line, p.column ?? 1)}</span>
                  </>
                )}
              </p>
            )}
            <p className="problem__message break">{m.lang === 'ja' ? p.messageJa : p.message}</p>
          </div>
        </li>
      ))}
    </ul>
  );
}
