// Renderer. 利用者: before the first run, the first-run flow; afterwards, who this app files as
// and what can be done about it (log in again, add / renew / remove a certificate, forget).
import { useEffect } from 'react';
import { Alert } from '../components/Alert.js';
import { useMessages } from '../messages/index.js';
import { useIdentityStore } from '../stores/identity.js';
import { FirstRunFlow } from './identity/FirstRunFlow.js';
import { IdentityDetails } from './identity/IdentityDetails.js';

export function IdentityScreen() {
  const m = useMessages();
  const load = useIdentityStore((s) => s.load);
  const refresh = useIdentityStore((s) => s.refresh);
  const clearOutcome = useIdentityStore((s) => s.clearOutcome);

  // A success message is said once: leaving the screen drops it.
  useEffect(() => clearOutcome, [clearOutcome]);

  if (load.status === 'loading') {
    return (
      <p className="loading" role="status">
        <span className="spinner" aria-hidden="true" />
        {m.identity.loading}
      </p>
    );
  }
  if (load.status === 'error') {
    return (
      <div className="stack">
        <Alert tone="danger" title={m.identity.loadErrorTitle}>
          <p>{m.lang === 'ja' ? load.error.messageJa : load.error.message}</p>
        </Alert>
        <div>
          <button type="button" className="button" onClick={() => void refresh()}>
            {m.identity.retry}
          </button>
        </div>
      </div>
    );
  }
  return load.identity ? <IdentityDetails identity={load.identity} /> : <FirstRunFlow sandboxAvailable={load.sandboxAvailable} />;
}
