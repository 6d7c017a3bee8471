// Renderer. The core's warnings about a certificate (expired, expiring within 30 days, not yet
// valid), each as an alert with its tone and short title.
import type { CertificateWarning } from '../../shared/domain.js';
import { useMessages } from '../messages/index.js';
import { warningKind, warningTitle, warningTone } from '../warnings.js';
import { Alert } from './Alert.js';

export function CertificateWarnings({ warnings }: { warnings: readonly CertificateWarning[] }) {
  const m = useMessages();
  return (
    <>
      {warnings.map((w) => {
        const kind = warningKind(w);
        return (
          <Alert key={w.code} tone={warningTone(kind)} title={warningTitle(kind, m)}>
            <p>{m.lang === 'ja' ? w.messageJa : w.message}</p>
          </Alert>
        );
      })}
    </>
  );
}
