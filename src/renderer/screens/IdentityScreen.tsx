// Renderer. 利用者: before the first run, the first-run flow; afterwards, who this app files as
// and what can be done about it (log in again, add / renew / remove a certificate, forget).
import { useEffect, useState } from 'react';
import type { ErrorPayload } from '../../shared/errors.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { useMessages } from '../messages/index.js';
import { useIdentityStore } from '../stores/identity.js';
import { useRouterStore } from '../stores/router.js';
import { FirstRunFlow } from './identity/FirstRunFlow.js';
import { IdentityDetails } from './identity/IdentityDetails.js';
import { Progress } from '../components/Progress.js';
import { ErrorAlert } from '../components/ErrorAlert.js';

export function IdentityScreen() {
  const m = useMessages();
  const load = useIdentityStore((s) => s.load);
  const refresh = useIdentityStore((s) => s.refresh);
  const clearOutcome = useIdentityStore((s) => s.clearOutcome);
  const forget = useIdentityStore((s) => s.forget);
  const [confirmStartOver, setConfirmStartOver] = useState(false);
  const [startOverError, setStartOverError] = useState<ErrorPayload | null>(null);

  // A profile that cannot be read is set aside by the core (identity.forget), never deleted.
  const startOver = async () => {
    setConfirmStartOver(false);
    setStartOverError(null);
    const result = await forget();
    if (!result.ok) setStartOverError(result.error);
  };

  // A success message is said once: leaving the screen drops it (the screen stays mounted, hidden).
  const shown = useRouterStore((s) => s.route.name === 'identity');
  useEffect(() => {
    if (!shown) clearOutcome();
  }, [shown, clearOutcome]);

  if (load.status === 'loading') {
    return (
      <Progress text={m.identity.loading} />
    );
  }
  if (load.status === 'error') {
    return (
      <div className="stack">
        <ErrorAlert title={m.identity.loadErrorTitle} error={load.error} />
        {startOverError && (
          <ErrorAlert title={m.identity.startOverFailed} error={startOverError} />
        )}
        <div className="actions actions--wrap">
          <button type="button" className="button" onClick={() => void refresh()}>
            {m.identity.retry}
          </button>
          {load.error.code === 'PROFILE_CORRUPT' && (
            <button type="button" className="button button--primary" onClick={() => setConfirmStartOver(true)}>
              {m.identity.startOver}
            </button>
          )}
        </div>
        {confirmStartOver && (
          <ConfirmDialog
            title={m.identity.startOverConfirm.title}
            confirmLabel={m.identity.startOverConfirm.confirm}
            tone="primary"
            onConfirm={() => void startOver()}
            onCancel={() => setConfirmStartOver(false)}
          >
            <p>{m.identity.startOverConfirm.body}</p>
            <p className="muted">{m.identity.startOverConfirm.note}</p>
          </ConfirmDialog>
        )}
      </div>
    );
  }
  return load.identity ? <IdentityDetails identity={load.identity} /> : <FirstRunFlow sandboxAvailable={load.sandboxAvailable} />;
}
