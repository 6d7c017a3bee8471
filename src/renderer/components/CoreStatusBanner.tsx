// Renderer. Says so when the app's core is not running: restarting by itself after a crash, or
// failed to start — then with a retry button, since the host does not retry a failed start by itself.
import { useEffect } from 'react';
import { useMessages } from '../messages/index.js';
import { useCoreStatusStore } from '../stores/core-status.js';
import { Alert } from './Alert.js';
import './CoreStatusBanner.css';

export function CoreStatusBanner() {
  const m = useMessages();
  const status = useCoreStatusStore((s) => s.status);
  const retrying = useCoreStatusStore((s) => s.retrying);
  const load = useCoreStatusStore((s) => s.load);
  const retry = useCoreStatusStore((s) => s.retry);

  // Later changes arrive as `core.status` events, which events.ts hands to the store.
  useEffect(() => {
    void load();
  }, [load]);

  if (!status || status.state === 'running') return null;
  if (status.state === 'failed') {
    return (
      <div className="core-status">
        <Alert tone="danger" title={m.core.failedTitle}>
          {status.problem && <p>{m.lang === 'ja' ? status.problem.messageJa : status.problem.message}</p>}
          <p>
            <button type="button" className="button button--primary" onClick={() => void retry()} disabled={retrying}>
              {retrying ? m.core.retrying : m.core.retry}
            </button>
          </p>
        </Alert>
      </div>
    );
  }
  if (status.state === 'restarting') {
    return (
      <div className="core-status">
        <Alert tone="warning" title={m.core.restartingTitle}>
          <p>{m.core.restartingBody}</p>
        </Alert>
      </div>
    );
  }
  return null;
}
