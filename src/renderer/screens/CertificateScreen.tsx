// Renderer. 証明書: choose a certificate file, give the PKCS#12 password, read what it holds.
import { Alert } from '../components/Alert.js';
import { CertificateCard } from '../components/CertificateCard.js';
import { FilePicker } from '../components/FilePicker.js';
import { EmptyState } from '../components/EmptyState.js';
import { PasswordForm } from '../components/PasswordForm.js';
import { useMessages } from '../messages/index.js';
import { useCertificateStore } from '../stores/certificate.js';
import { fileProblemText } from '../file-problems.js';
import { Progress } from '../components/Progress.js';

export function CertificateScreen() {
  const m = useMessages();
  const view = useCertificateStore((s) => s.view);
  const choose = useCertificateStore((s) => s.choose);
  const openWithPassword = useCertificateStore((s) => s.openWithPassword);
  const cancelPassword = useCertificateStore((s) => s.cancelPassword);

  return (
    <div className="stack">
      <p className="lead">{m.certificate.lead}</p>
      <FilePicker busy={view.status === 'loading'} compact={view.status !== 'empty'} onFiles={(files) => void choose(files)} />
      <div aria-live="polite" className="stack">
        {view.status === 'empty' && (
          <EmptyState icon="certificate" title={m.certificate.emptyTitle}>
            <p className="muted">{m.certificate.emptyBody}</p>
          </EmptyState>
        )}
        {view.status === 'loading' && (
          <Progress text={m.certificate.loading(view.fileName)} />
        )}
        {view.status === 'needsPassword' && (
          <PasswordForm key={view.file.name} fileName={view.file.name} error={view.error} onSubmit={(p) => void openWithPassword(p)} onCancel={cancelPassword} />
        )}
        {view.status === 'error' && (
          <Alert tone="danger" title={m.certificate.errorTitle}>
            <p>{fileProblemText(view.error, view.problem, m)}</p>
            <p className="alert__next">{m.certificate.errorNext}</p>
          </Alert>
        )}
        {view.status === 'loaded' && <CertificateCard fileName={view.fileName} description={view.description} />}
      </div>
    </div>
  );
}
