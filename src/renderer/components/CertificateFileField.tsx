// Renderer. Choosing a certificate file for an identity operation and reading it with
// `certificate.describe` before anything is sent to e-Gov. `signer`: the file must carry its key
// (PKCS#12), as for the certificate that signs; `any`: a PEM, DER or PKCS#12 certificate, as for
// 証明書の追加 / 削除. The password stays in this component's state (its owner gets it with
// the described file, to hand to the core) and is dropped when another file is chosen.
import { useEffect, useId, useRef, useState } from 'react';
import type { CertificateDescription, TrainingCertificate } from '../../shared/domain.js';
import type { ErrorPayload } from '../../shared/errors.js';
import { useCertificateStore } from '../stores/certificate.js';
import { isPkcs12FileName, MAX_CERTIFICATE_FILE_MB, readChosenFile, type ChosenFile } from '../files.js';
import { useMessages } from '../messages/index.js';
import { Alert } from './Alert.js';
import { CertificateSummary } from './CertificateSummary.js';
import { FilePicker } from './FilePicker.js';
import { Icon } from './Icon.js';
import { useTrainingStore } from '../stores/training.js';
import { FieldError } from './FieldError.js';
import { fileProblemText, type ChosenFileProblem } from '../file-problems.js';
import { Progress } from './Progress.js';
import { errorText } from '../error-text.js';
import './CertificateFileField.css';

export interface DescribedFile {
  file: ChosenFile;
  /** only for a PKCS#12 file */
  password: string | undefined;
  description: CertificateDescription;
}

type Problem = ChosenFileProblem;

type FieldState =
  | { status: 'empty' }
  | { status: 'reading'; fileName: string }
  | { status: 'needsPassword'; file: ChosenFile; error: ErrorPayload | null }
  | { status: 'checking'; file: ChosenFile }
  | { status: 'described'; value: DescribedFile }
  | { status: 'error'; fileName: string | null; error: ErrorPayload | null; problem: Problem | null };

const PASSWORD_ERRORS = new Set(['BAD_PASSWORD', 'PASSWORD_REQUIRED']);
const PKCS12_ACCEPT = '.p12,.pfx';

export function CertificateFileField({
  mode,
  onChange,
  summaryTitle,
  offerTraining = false,
}: {
  mode: 'signer' | 'any';
  onChange: (value: DescribedFile | null) => void;
  summaryTitle?: string;
  /** offer the bundled training certificates (only while the built-in sandbox is the endpoint) */
  offerTraining?: boolean;
}) {
  const m = useMessages();
  const training = useTrainingStore((s) => s.certificates);
  const loadTraining = useTrainingStore((s) => s.load);
  const describeFile = useCertificateStore((s) => s.describe);
  useEffect(() => {
    if (offerTraining) void loadTraining();
  }, [offerTraining, loadTraining]);
  const [state, setState] = useState<FieldState>({ status: 'empty' });
  const [password, setPassword] = useState('');
  // Counts the files chosen, so an answer about a file that was replaced meanwhile is dropped.
  const request = useRef(0);
  const passwordId = useId();
  const hintId = useId();
  const errorId = useId();

  const describe = async (file: ChosenFile, secret: string | undefined, at: number) => {
    setState({ status: 'checking', file });
    const result = await describeFile(file, secret);
    if (at !== request.current) return;
    if (result.ok) {
      const value: DescribedFile = { file, password: secret, description: result.value };
      setState({ status: 'described', value });
      onChange(value);
    } else if (PASSWORD_ERRORS.has(result.error.code)) {
      setPassword('');
      setState({ status: 'needsPassword', file, error: result.error.code === 'BAD_PASSWORD' ? result.error : null });
    } else {
      setState({ status: 'error', fileName: file.name, error: result.error, problem: null });
    }
  };

  const choose = async (files: File[]) => {
    const [file] = files;
    if (!file) return;
    const at = ++request.current;
    setPassword('');
    onChange(null);
    if (files.length > 1) {
      setState({ status: 'error', fileName: null, error: null, problem: 'multipleFiles' });
      return;
    }
    setState({ status: 'reading', fileName: file.name });
    const chosen = await readChosenFile(file);
    if (at !== request.current) return;
    if (typeof chosen === 'string') {
      setState({ status: 'error', fileName: file.name, error: null, problem: chosen });
    } else if (isPkcs12FileName(chosen.name)) {
      setState({ status: 'needsPassword', file: chosen, error: null });
    } else if (mode === 'signer') {
      setState({ status: 'error', fileName: chosen.name, error: null, problem: 'notPkcs12' });
    } else {
      await describe(chosen, undefined, at);
    }
  };

  const chooseTraining = (certificate: TrainingCertificate) => {
    const at = ++request.current;
    setPassword('');
    onChange(null);
    void describe({ name: certificate.fileName, dataBase64: certificate.dataBase64 }, certificate.password, at);
  };

  const check = (e: { preventDefault(): void }) => {
    e.preventDefault();
    if (state.status !== 'needsPassword') return;
    void describe(state.file, password, request.current);
  };

  const busy = state.status === 'reading' || state.status === 'checking';
  const fileName = state.status === 'needsPassword' || state.status === 'checking' ? state.file.name : null;

  return (
    <div className="stack stack--tight">
      <FilePicker
        busy={busy}
        compact
        onFiles={(files) => void choose(files)}
        {...(mode === 'signer' ? { accept: PKCS12_ACCEPT, hint: m.signer.accepted(MAX_CERTIFICATE_FILE_MB) } : {})}
      />
      {offerTraining && training && training.length > 0 && (
        <div className="training" role="group" aria-label={m.signer.trainingTitle}>
          <p className="training__title">
            <Icon name="certificate" size={16} />
            <span>{m.signer.trainingTitle}</span>
          </p>
          <p className="muted training__hint">{m.signer.trainingHint}</p>
          <div className="training__choices">
            {training.map((c) => (
              <button key={c.fileName} type="button" className="button button--small" disabled={busy} onClick={() => chooseTraining(c)}>
                {m.signer.trainingUse(c.commonName, c.role)}
              </button>
            ))}
          </div>
        </div>
      )}
      {fileName && <p className="muted chosen-file">{m.signer.fileChosen(fileName)}</p>}
      <div aria-live="polite" className="stack stack--tight">
        {state.status === 'reading' && (
          <Progress text={m.certificate.loading(state.fileName)} />
        )}
        {(state.status === 'needsPassword' || state.status === 'checking') && (
          // A div, not a nested <form>: this field sits inside other forms. Enter submits via onKeyDown.
          <div className="field field--inline-action">
            <label htmlFor={passwordId} className="field__label">
              {m.signer.password}
            </label>
            <div className="input-row">
              <input
                id={passwordId}
                className="input"
                type="password"
                autoComplete="off"
                spellCheck={false}
                autoFocus
                value={password}
                readOnly={state.status === 'checking'}
                aria-invalid={state.status === 'needsPassword' && state.error ? true : undefined}
                aria-describedby={state.status === 'needsPassword' && state.error ? `${errorId} ${hintId}` : hintId}
                onChange={(e) => setPassword(e.currentTarget.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') check(e);
                }}
              />
              <button type="button" className="button button--primary" onClick={check} aria-disabled={state.status === 'checking' ? true : undefined}>
                {m.signer.check}
              </button>
            </div>
            <p id={hintId} className="field__hint muted">
              {m.signer.passwordHint}
            </p>
            {state.status === 'needsPassword' && state.error && (
              <FieldError id={errorId}>{errorText(state.error, m)}</FieldError>
            )}
          </div>
        )}
        {state.status === 'checking' && (
          <Progress text={m.signer.checking} />
        )}
        {state.status === 'error' && (
          <Alert tone="danger" title={m.certificate.errorTitle}>
            <p>{fileProblemText(state.error, state.problem, m)}</p>
            {state.problem !== 'notPkcs12' && <p className="alert__next">{m.certificate.errorNext}</p>}
          </Alert>
        )}
        {state.status === 'described' && <CertificateSummary description={state.value.description} title={summaryTitle} note={m.signer.fileChosen(state.value.file.name)} />}
      </div>
    </div>
  );
}
