// Renderer. The core's `credential.request`: a PIN for an IC card or a password for a certificate
// file, asked in a modal dialog. The secret lives in this dialog's own state only, is handed to
// `credential.answer` (through the credential store's `answer`, as an argument only) and cleared
// at once; it never reaches a store's state, a log or the URL.
import { useId, useState, type FormEvent } from 'react';
import type { CredentialRequest } from '../../shared/domain.js';
import { useMessages } from '../messages/index.js';
import { useCredentialStore } from '../stores/credential.js';
import { Alert } from './Alert.js';
import { Dialog } from './Dialog.js';
import { FieldError } from './FieldError.js';

/** Shows the oldest open request of the core (events.ts keeps the store current). Mounted once, in App. */
export function CredentialDialog() {
  const requests = useCredentialStore((s) => s.requests);

  const current = requests[0];
  // Keyed by request and attempt: a repeated request (after a wrong PIN) starts from an empty field.
  return current ? <CredentialPrompt key={`${current.requestId}:${current.attempt}`} request={current} /> : null;
}

function CredentialPrompt({ request }: { request: CredentialRequest }) {
  const m = useMessages();
  const answerRequest = useCredentialStore((s) => s.answer);
  const [secret, setSecret] = useState('');
  const [empty, setEmpty] = useState(false);
  const inputId = useId();
  const leadId = useId();
  const errorId = useId();
  const isPin = request.kind === 'pin';
  const purpose = m.credential.purpose[request.purpose] ?? request.purpose;
  const previousError = request.previousError ? m.credential.previousError[request.previousError] : null;
  const inlineError = empty ? m.credential.pinEmpty : previousError;

  const answer = (args: { secret: string } | { cancel: true }) => {
    void answerRequest(request.requestId, args);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (isPin && secret.length === 0) {
      setEmpty(true);
      return;
    }
    const value = secret;
    setSecret('');
    answer({ secret: value });
  };

  const cancel = () => {
    setSecret('');
    answer({ cancel: true });
  };

  return (
    <Dialog title={isPin ? m.credential.pinTitle : m.credential.passwordTitle} icon="lock" onCancel={cancel} describedBy={leadId}>
      <form className="dialog__body" onSubmit={submit} noValidate>
        <p id={leadId}>{isPin ? m.credential.pinLead(request.subject, purpose) : m.credential.passwordLead(request.subject, purpose)}</p>
        {isPin && request.pinFinalTry && (
          <Alert tone="danger" title={m.credential.pinFinalTryTitle}>
            <p>{m.credential.pinFinalTryBody}</p>
          </Alert>
        )}
        {isPin && request.pinCountLow && !request.pinFinalTry && (
          <Alert tone="warning" title={m.credential.pinCountLowTitle}>
            <p>{m.credential.pinCountLowBody}</p>
          </Alert>
        )}
        <div className="field">
          <label htmlFor={inputId} className="field__label">
            {isPin ? m.credential.pinLabel : m.credential.passwordLabel}
          </label>
          <input
            id={inputId}
            className="input"
            type="password"
            autoComplete="off"
            spellCheck={false}
            inputMode={isPin ? 'numeric' : undefined}
            value={secret}
            aria-invalid={inlineError ? true : undefined}
            aria-describedby={inlineError ? errorId : undefined}
            onChange={(e) => {
              setSecret(e.currentTarget.value);
              setEmpty(false);
            }}
          />
          {inlineError && (
            <FieldError id={errorId}>{inlineError}</FieldError>
          )}
          <p className="field__hint muted">{m.credential.notStored}</p>
        </div>
        <div className="dialog__actions">
          <button type="button" className="button" onClick={cancel}>
            {m.credential.cancel}
          </button>
          <button type="submit" className="button button--primary">
            {m.credential.ok}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
