// Renderer. Choosing a certificate on an IC card or token: the PKCS#11 module's path, the token
// (`pkcs11.tokens`), then the certificate on it (`pkcs11.certificates`). No PIN is needed for any
// of this; the core asks for it (credential.request) only when it signs.
import { useId, useRef, useState } from 'react';
import type { TokenCertificateView, TokenView } from '../../shared/domain.js';
import type { ErrorPayload } from '../../shared/errors.js';
import { pkcs11ModuleExample } from '../identity-input.js';
import { useMessages } from '../messages/index.js';
import { useAppInfoStore } from '../stores/app-info.js';
import { usePkcs11Store } from '../stores/pkcs11.js';
import { Alert } from './Alert.js';
import { CertificateSummary } from './CertificateSummary.js';
import { FieldError } from './FieldError.js';
import { Progress } from './Progress.js';
import { ErrorAlert } from './ErrorAlert.js';
import './OptionCards.css';
import './TokenField.css';

export interface ChosenTokenCertificate {
  modulePath: string;
  token: TokenView;
  certificate: TokenCertificateView;
}

type Loaded<T> = { status: 'idle' } | { status: 'loading' } | { status: 'ready'; items: T[] } | { status: 'error'; error: ErrorPayload };

export function TokenField({ onChange, summaryTitle }: { onChange: (value: ChosenTokenCertificate | null) => void; summaryTitle?: string }) {
  const m = useMessages();
  const platform = useAppInfoStore((s) => s.info?.platform);
  const listTokens = usePkcs11Store((s) => s.tokens);
  const listCertificates = usePkcs11Store((s) => s.certificates);
  const [modulePath, setModulePath] = useState('');
  const [moduleMissing, setModuleMissing] = useState(false);
  const [tokens, setTokens] = useState<Loaded<TokenView>>({ status: 'idle' });
  const [tokenSerial, setTokenSerial] = useState<string | null>(null);
  const [certificates, setCertificates] = useState<Loaded<TokenCertificateView>>({ status: 'idle' });
  const [certId, setCertId] = useState<string | null>(null);
  // Counts the lookups, so an answer that a newer lookup replaced is dropped.
  const request = useRef(0);
  const moduleId = useId();
  const moduleHintId = useId();
  const moduleErrorId = useId();
  const tokensName = useId();
  const certsName = useId();

  /** the module path the tokens were found with (a later edit of the field does not change it) */
  const foundWith = useRef('');

  const chooseCertificate = (token: TokenView, list: TokenCertificateView[], id: string | null) => {
    setCertId(id);
    const certificate = list.find((c) => c.id === id);
    onChange(certificate ? { modulePath: foundWith.current, token, certificate } : null);
  };

  const chooseToken = async (token: TokenView) => {
    const at = ++request.current;
    setTokenSerial(token.serial);
    setCertificates({ status: 'loading' });
    chooseCertificate(token, [], null);
    const result = await listCertificates(foundWith.current, token.serial);
    if (at !== request.current) return;
    if (!result.ok) {
      setCertificates({ status: 'error', error: result.error });
      return;
    }
    setCertificates({ status: 'ready', items: result.value });
    // The only certificate on the card is the one meant.
    if (result.value.length === 1) chooseCertificate(token, result.value, result.value[0]?.id ?? null);
  };

  const findTokens = async () => {
    const path = modulePath.trim();
    if (path.length === 0) {
      setModuleMissing(true);
      return;
    }
    const at = ++request.current;
    foundWith.current = path;
    setTokens({ status: 'loading' });
    setTokenSerial(null);
    setCertificates({ status: 'idle' });
    setCertId(null);
    onChange(null);
    const result = await listTokens(path);
    if (at !== request.current) return;
    if (!result.ok) {
      setTokens({ status: 'error', error: result.error });
      return;
    }
    setTokens({ status: 'ready', items: result.value });
    const usable = result.value.filter((t) => !t.pinLocked);
    if (result.value.length === 1 && usable[0]) await chooseToken(usable[0]);
  };

  const chosenToken = tokens.status === 'ready' ? tokens.items.find((t) => t.serial === tokenSerial) : undefined;
  const chosenCertificate = certificates.status === 'ready' ? certificates.items.find((c) => c.id === certId) : undefined;

  return (
    <div className="stack stack--tight">
      <div className="field">
        <label htmlFor={moduleId} className="field__label">
          {m.signer.modulePath}
        </label>
        <div className="input-row">
          <input
            id={moduleId}
            className="input input--wide mono"
            type="text"
            spellCheck={false}
            autoComplete="off"
            value={modulePath}
            aria-invalid={moduleMissing ? true : undefined}
            aria-describedby={moduleMissing ? `${moduleErrorId} ${moduleHintId}` : moduleHintId}
            onChange={(e) => {
              setModulePath(e.currentTarget.value);
              setModuleMissing(false);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                void findTokens();
              }
            }}
          />
          <button type="button" className="button" onClick={() => void findTokens()} aria-disabled={tokens.status === 'loading' ? true : undefined}>
            {m.signer.findTokens}
          </button>
        </div>
        <p id={moduleHintId} className="field__hint muted">
          {m.signer.moduleHint(pkcs11ModuleExample(platform))}
        </p>
        {moduleMissing && (
          <FieldError id={moduleErrorId}>{m.signer.moduleRequired}</FieldError>
        )}
      </div>

      <div aria-live="polite" className="stack stack--tight">
        {tokens.status === 'loading' && (
          <Progress text={m.signer.findingTokens} />
        )}
        {tokens.status === 'error' && (
          <ErrorAlert title={m.signer.tokensError} error={tokens.error} />
        )}
        {tokens.status === 'ready' && tokens.items.length === 0 && (
          <Alert tone="warning" title={m.signer.tokensLegend}>
            <p>{m.signer.noTokens}</p>
          </Alert>
        )}
        {tokens.status === 'ready' && tokens.items.length > 0 && (
          <fieldset className="fieldset option-list">
            <legend className="field__label">{m.signer.tokensLegend}</legend>
            {tokens.items.map((t) => (
              <label key={t.serial} className={`option${t.pinLocked ? ' option--disabled' : ''}`}>
                <input
                  type="radio"
                  name={tokensName}
                  value={t.serial}
                  checked={tokenSerial === t.serial}
                  disabled={t.pinLocked}
                  onChange={() => void chooseToken(t)}
                />
                <span className="option__body">
                  <span className="option__title">{t.label || t.serial}</span>
                  <span className="option__hint muted">
                    {[t.manufacturer, t.model].filter(Boolean).join(' ')} ・ {m.signer.tokenSerial(t.serial)}
                  </span>
                  {(t.pinLocked || t.pinFinalTry || t.pinCountLow) && (
                    <span className="option__chips">
                      {t.pinLocked && <span className="badge badge--danger">{m.signer.pinLocked}</span>}
                      {!t.pinLocked && t.pinFinalTry && <span className="badge badge--danger">{m.signer.pinFinalTry}</span>}
                      {!t.pinLocked && !t.pinFinalTry && t.pinCountLow && <span className="badge badge--warning">{m.signer.pinCountLow}</span>}
                    </span>
                  )}
                </span>
              </label>
            ))}
          </fieldset>
        )}

        {certificates.status === 'loading' && (
          <Progress text={m.signer.loadingCertificates} />
        )}
        {certificates.status === 'error' && (
          <ErrorAlert title={m.certificate.errorTitle} error={certificates.error} />
        )}
        {certificates.status === 'ready' && certificates.items.length === 0 && (
          <Alert tone="warning" title={m.signer.certificatesLegend}>
            <p>{m.signer.noCertificates}</p>
          </Alert>
        )}
        {certificates.status === 'ready' && certificates.items.length > 0 && chosenToken && (
          <fieldset className="fieldset option-list">
            <legend className="field__label">{m.signer.certificatesLegend}</legend>
            {certificates.items.map((c) => (
              <label key={c.id} className="option">
                <input type="radio" name={certsName} value={c.id} checked={certId === c.id} onChange={() => chooseCertificate(chosenToken, certificates.items, c.id)} />
                <span className="option__body">
                  <span className="option__title">{c.description.certificate.commonName}</span>
                  <span className="option__hint muted break">{m.signer.issuedBy(c.description.certificate.issuer)}</span>
                </span>
              </label>
            ))}
          </fieldset>
        )}
        {chosenCertificate && chosenToken && (
          <CertificateSummary description={chosenCertificate.description} title={summaryTitle} note={m.identity.certificateToken(chosenToken.label, chosenToken.serial)} />
        )}
      </div>
    </div>
  );
}
