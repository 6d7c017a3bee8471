// Renderer. 証明書を追加 / 更新 / 削除 on the 利用者 screen: choose the certificate, check what
// it is, confirm in a dialog, then the core's identity.certificate.* (which may ask for the PIN or
// password of the certificate that signs, through the credential dialog).
import { useId, useState } from 'react';
import type { IdentityView } from '../../../shared/domain.js';
import type { ErrorPayload } from '../../../shared/errors.js';
import { CertificateFileField, type DescribedFile } from '../../components/CertificateFileField.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { Fact } from '../../components/Fact.js';
import { Icon } from '../../components/Icon.js';
import { SignerChooser, type ChosenSigner } from '../../components/SignerChooser.js';
import { useMessages } from '../../messages/index.js';
import { useIdentityStore } from '../../stores/identity.js';
import { Progress } from '../../components/Progress.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import './CertificateTask.css';

export type TaskKind = 'add' | 'update' | 'delete';

type Chosen = { kind: 'file'; value: DescribedFile } | { kind: 'signer'; value: ChosenSigner };

export function CertificateTask({
  kind,
  identity,
  onRunning,
  onClose,
  onDone,
}: {
  kind: TaskKind;
  identity: IdentityView;
  onRunning: (running: boolean) => void;
  onClose: () => void;
  /** the change went through (the identity store has the new identity and says what changed) */
  onDone: () => void;
}) {
  const m = useMessages();
  const changeCertificate = useIdentityStore((s) => s.changeCertificate);
  const text = { add: m.identity.add, update: m.identity.update, delete: m.identity.remove }[kind];
  const [chosen, setChosen] = useState<Chosen | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const titleId = useId();
  const chosenCertificate = chosen?.value.description.certificate;
  const name = chosenCertificate?.commonName ?? '';
  const chosenSerial = chosenCertificate?.serialNumber ?? '';

  const run = async () => {
    setConfirming(false);
    if (!chosen || running) return;
    setRunning(true);
    onRunning(true);
    setError(null);
    let result;
    if (chosen.kind === 'signer') {
      result = await changeCertificate({ kind: 'update', signer: chosen.value.args });
    } else {
      const { file, password } = chosen.value;
      const certificate = { fileName: file.name, dataBase64: file.dataBase64, ...(password === undefined ? {} : { password }) };
      result = await changeCertificate({ kind: kind === 'add' ? 'add' : 'delete', certificate });
    }
    setRunning(false);
    onRunning(false);
    if (result.ok) onDone();
    else setError(result.error);
  };

  const submit = () => {
    if (chosen && !running) setConfirming(true);
  };

  return (
    <section className="task" aria-labelledby={titleId}>
      <header className="task__header">
        <h3 id={titleId} className="task__title">
          {text.title}
        </h3>
        <button type="button" className="icon-button" aria-label={m.identity.closeTask} onClick={onClose} disabled={running}>
          <Icon name="close" size={16} />
        </button>
      </header>
      <p className="muted">{text.lead}</p>
      {kind === 'update' ? (
        <SignerChooser summaryTitle={m.signer.chosenTitle} offerTraining={identity.environment.kind === 'sandbox'} onChange={(value) => setChosen(value ? { kind: 'signer', value } : null)} />
      ) : (
        <CertificateFileField mode="any" summaryTitle={m.signer.chosenTitle} offerTraining={identity.environment.kind === 'sandbox'} onChange={(value) => setChosen(value ? { kind: 'file', value } : null)} />
      )}
      <div aria-live="polite" className="stack stack--tight">
        {running && <Progress text={text.running} hint={m.identity.loginHint} />}
        {error && !running && (
          <ErrorAlert title={m.identity.errorTitle[`certificate.${kind}`]} error={error}>
            <p className="alert__next">{m.identity.errorNext}</p>
          </ErrorAlert>
        )}
      </div>
      <div className="actions">
        <button
          type="button"
          className={`button ${kind === 'delete' ? 'button--danger' : 'button--primary'}`}
          aria-disabled={!chosen || running ? true : undefined}
          onClick={submit}
        >
          {text.submit}
        </button>
      </div>
      {confirming && chosen && (
        <ConfirmDialog title={text.confirmTitle} confirmLabel={text.submit} tone={kind === 'add' ? 'primary' : 'danger'} onCancel={() => setConfirming(false)} onConfirm={() => void run()}>
          {kind === 'update' ? (
            <>
              <p>{m.identity.update.confirmBody(identity.userId)}</p>
              <dl className="facts facts--compact">
                <Fact term={m.identity.update.current}>
                  {identity.certificate.certificate.commonName}
                  <span className="muted facts__sub mono">{m.identity.update.serial(identity.certificate.certificate.serialNumber)}</span>
                </Fact>
                <Fact term={m.identity.update.next}>
                  <strong>{name}</strong>
                  <span className="muted facts__sub mono">{m.identity.update.serial(chosenSerial)}</span>
                </Fact>
              </dl>
            </>
          ) : (
            <p>{kind === 'add' ? m.identity.add.confirmBody(name, identity.userId) : m.identity.remove.confirmBody(name, identity.userId)}</p>
          )}
          <p className={kind === 'update' ? 'confirm-emphasis' : 'muted'}>{text.confirmNote}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
