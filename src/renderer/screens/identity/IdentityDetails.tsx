// Renderer. Who this app files as: 利用者ID, endpoint, certificate (with its expiry warnings),
// the last authentication and the access key; and the actions on them. Every action that changes
// what e-Gov or this computer keeps asks first, in a confirmation dialog.
import { useEffect, useRef, useState } from 'react';
import type { IdentityView } from '../../../shared/domain.js';
import type { ErrorPayload } from '../../../shared/errors.js';
import { Alert } from '../../components/Alert.js';
import { CertificateSummary } from '../../components/CertificateSummary.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { Fact } from '../../components/Fact.js';
import { Icon } from '../../components/Icon.js';
import { formatAge, formatDateTime, formatEgovDate } from '../../format.js';
import { useMessages, type Messages } from '../../messages/index.js';
import { useIdentityStore, type IdentityOutcome } from '../../stores/identity.js';
import { useRouterStore } from '../../stores/router.js';
import { CertificateTask, type TaskKind } from './CertificateTask.js';
import { Progress } from '../../components/Progress.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import './IdentityDetails.css';

type Busy = 'login' | 'forget' | 'task' | null;

export function IdentityDetails({ identity }: { identity: IdentityView }) {
  const m = useMessages();
  const loginAgain = useIdentityStore((s) => s.login);
  const forgetIdentity = useIdentityStore((s) => s.forget);
  const outcome = useIdentityStore((s) => s.outcome);
  const clearOutcome = useIdentityStore((s) => s.clearOutcome);
  const registeredLoginFailure = useIdentityStore((s) => s.registeredLoginFailure);
  const navigate = useRouterStore((s) => s.navigate);
  const now = useNow(30_000);
  const [busy, setBusy] = useState<Busy>(null);
  const [failure, setFailure] = useState<{ what: 'login' | 'forget'; error: ErrorPayload } | null>(null);
  const [task, setTask] = useState<TaskKind | null>(null);
  const [confirmForget, setConfirmForget] = useState(false);
  const outcomeRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    // When what had focus went away with the finished step (first-run form, a task panel), the
    // result takes focus, so keyboard users are not left at the top of the page. (The task panel
    // closes a render after the outcome arrives, hence `task` among the dependencies.)
    if (outcome && !task && (document.activeElement === null || document.activeElement === document.body)) outcomeRef.current?.focus();
  }, [outcome, task]);

  const login = async () => {
    if (busy) return;
    setBusy('login');
    setFailure(null);
    const result = await loginAgain();
    setBusy(null);
    if (!result.ok) setFailure({ what: 'login', error: result.error });
  };

  const forget = async () => {
    setConfirmForget(false);
    setBusy('forget');
    setFailure(null);
    const result = await forgetIdentity();
    setBusy(null);
    // the first-run flow replaces this screen: its title takes focus, as after choosing a screen
    if (result.ok) navigate({ name: 'identity' });
    else setFailure({ what: 'forget', error: result.error });
  };

  const openTask = (kind: TaskKind) => {
    if (busy) return;
    clearOutcome();
    setFailure(null);
    setTask(kind);
  };

  // A certificate near its end (or past it) makes 証明書を更新 the obvious next step.
  const renewalDue = identity.certificate.warnings.some((w) => w.code === 'CERT_EXPIRES_SOON' || w.code === 'CERT_EXPIRED');
  const env = identity.environment;
  const key = identity.key;
  const last = identity.lastAuthentication;

  return (
    <div className="stack">
      {outcome && (
        <div className="dismissable" ref={outcomeRef} tabIndex={-1}>
          <Alert tone="success" title={outcomeText(outcome, identity, m)} />
          <button type="button" className="icon-button" aria-label={m.identity.dismiss} onClick={clearOutcome}>
            <Icon name="close" size={16} />
          </button>
        </div>
      )}

      {registeredLoginFailure && !busy && (
        <ErrorAlert title={m.identity.registeredLoginFailedTitle} error={registeredLoginFailure}>
          <p className="alert__next">{m.identity.registeredLoginFailedNext}</p>
        </ErrorAlert>
      )}

      <section className="panel identity-card" aria-labelledby="identity-user-id">
        <header className="identity-card__header">
          <div>
            <p className="eyebrow">{m.identity.userId}</p>
            <h2 id="identity-user-id" className="identity-card__user mono">
              {identity.userId}
            </h2>
          </div>
          <span className={`badge${env.kind === 'sandbox' ? ' badge--info' : ''}`}>{env.kind === 'sandbox' ? m.identity.sandbox : m.identity.custom}</span>
        </header>

        <dl className="facts">
          <Fact term={m.identity.environment}>
            {env.kind === 'sandbox' ? (
              <>
                {m.identity.sandbox}
                <span className="muted facts__sub">{m.identity.sandboxNote}</span>
              </>
            ) : (
              <span className="mono break">{env.baseUrl}</span>
            )}
            <span className="muted facts__sub">
              {m.identity.softwareId}: <span className="mono">{env.softwareId}</span>
            </span>
            {env.basicAuthUser && (
              <span className="muted facts__sub">
                {m.identity.basicAuthUser}: {env.basicAuthUser}
              </span>
            )}
            {env.customCa && <span className="muted facts__sub">{m.identity.customCaYes}</span>}
          </Fact>
          <Fact term={m.identity.certificate}>
            <CertificateSummary
              description={identity.certificate}
              note={identity.signer.kind === 'file' ? m.identity.certificateFile(identity.signer.fileName) : m.identity.certificateToken(identity.signer.tokenLabel, identity.signer.tokenSerial)}
            />
          </Fact>
          <Fact term={m.identity.lastAuthentication}>
            {last ? (
              <>
                {last.lastAuthenticationDate.trim() ? m.identity.lastAuthenticationEgov(formatEgovDate(last.lastAuthenticationDate, m)) : m.identity.lastAuthenticationNone}
                <span className="muted facts__sub">{m.identity.loggedInAt(formatDateTime(last.loggedInAt, m) + m.dates.zoneNote)}</span>
              </>
            ) : (
              <span className="muted">{m.identity.notLoggedIn}</span>
            )}
          </Fact>
          <Fact term={m.identity.accessKey}>
            {key.held ? (
              <span className="key-state">
                <span className="badge badge--success">{m.identity.keyHeld}</span>
                {key.obtainedAt && <span className="muted">{m.identity.keyAge(formatAge(key.obtainedAt, now, m))}</span>}
              </span>
            ) : (
              <span className="key-state">
                <span className="badge">{m.identity.keyMissing}</span>
                <span className="muted">{m.identity.keyMissingHint}</span>
              </span>
            )}
            {key.held && !key.persisted && <span className="muted facts__sub">{m.identity.keyNotPersisted}</span>}
          </Fact>
        </dl>

        <div className="actions actions--wrap">
          <button type="button" className="button button--primary" onClick={() => void login()} aria-disabled={busy ? true : undefined}>
            {m.identity.login}
          </button>
        </div>
        <div aria-live="polite" className="stack stack--tight">
          {busy === 'login' && <Progress text={m.identity.loggingIn} hint={m.identity.loginHint} />}
          {failure?.what === 'login' && (
            <ErrorAlert title={m.identity.errorTitle.login} error={failure.error} />
          )}
        </div>
      </section>

      <section className="panel" aria-labelledby="identity-certificates">
        <h2 id="identity-certificates" className="panel__title">
          {m.identity.actionsTitle}
        </h2>
        <p className="muted">{m.identity.actionsLead}</p>
        <div className="actions actions--wrap">
          {(['add', 'update', 'delete'] as const).map((kind) => (
            <button
              key={kind}
              type="button"
              className={`button${task === kind ? ' button--selected' : kind === 'update' && renewalDue ? ' button--primary' : ''}`}
              aria-expanded={task === kind}
              aria-disabled={busy ? true : undefined}
              onClick={() => openTask(kind)}
            >
              {{ add: m.identity.addCertificate, update: m.identity.updateCertificate, delete: m.identity.deleteCertificate }[kind]}
            </button>
          ))}
        </div>
        {task && (
          <CertificateTask
            key={task}
            kind={task}
            identity={identity}
            onRunning={(running) => setBusy(running ? 'task' : null)}
            onClose={() => setTask(null)}
            onDone={() => setTask(null)}
          />
        )}
      </section>

      <section className="panel panel--danger" aria-labelledby="identity-forget">
        <h2 id="identity-forget" className="panel__title">
          {m.identity.forgetTitle}
        </h2>
        <p className="muted">{m.identity.forgetLead}</p>
        <div className="actions">
          <button type="button" className="button button--danger-outline" aria-disabled={busy ? true : undefined} onClick={() => !busy && setConfirmForget(true)}>
            {m.identity.forget}
          </button>
        </div>
        <div aria-live="polite" className="stack stack--tight">
          {busy === 'forget' && <Progress text={m.identity.forgetting} />}
          {failure?.what === 'forget' && (
            <ErrorAlert title={m.identity.errorTitle.forget} error={failure.error} />
          )}
        </div>
      </section>

      {confirmForget && (
        <ConfirmDialog title={m.identity.forgetConfirm.title} confirmLabel={m.identity.forgetConfirm.confirm} tone="danger" onCancel={() => setConfirmForget(false)} onConfirm={() => void forget()}>
          <p>{m.identity.forgetConfirm.body(identity.userId)}</p>
          <p className="muted">{m.identity.forgetConfirm.note}</p>
        </ConfirmDialog>
      )}
    </div>
  );
}

function outcomeText(outcome: IdentityOutcome, identity: IdentityView, m: Messages): string {
  const name = outcome.certificate?.certificate.commonName ?? identity.certificate.certificate.commonName;
  switch (outcome.kind) {
    case 'register':
      return m.identity.outcome.register(identity.userId);
    case 'setupLogin':
      return m.identity.outcome.setupLogin(identity.userId);
    case 'login':
      return m.identity.outcome.login;
    default:
      return m.identity.outcome[outcome.kind](name);
  }
}

/** The current time, renewed every `intervalMs`, for "obtained 3 minutes ago". */
function useNow(intervalMs: number): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(new Date()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}
