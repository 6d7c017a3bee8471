// Renderer. The PKCS#12 password. It lives in this form's own state only, is handed straight to
// the core, and is cleared as soon as it has been sent.
import { useId, useState, type FormEvent } from 'react';
import type { ErrorPayload } from '../../shared/errors.js';
import { useMessages } from '../messages/index.js';
import { Icon } from './Icon.js';
import { FieldError } from './FieldError.js';
import { errorText } from '../error-text.js';
import './PasswordForm.css';

export function PasswordForm({ fileName, error, onSubmit, onCancel }: { fileName: string; error: ErrorPayload | null; onSubmit: (password: string) => void; onCancel: () => void }) {
  const m = useMessages();
  const [password, setPassword] = useState('');
  const inputId = useId();
  const titleId = useId();
  const leadId = useId();
  const errorId = useId();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const value = password;
    setPassword('');
    onSubmit(value);
  };

  return (
    <form className="panel password-form" aria-labelledby={titleId} onSubmit={submit} noValidate>
      <h2 id={titleId} className="panel__title">
        <Icon name="lock" />
        {m.certificate.passwordTitle(fileName)}
      </h2>
      <p id={leadId} className="muted">
        {m.certificate.passwordLead}
      </p>
      <div className="field">
        <label htmlFor={inputId} className="field__label">
          {m.certificate.passwordLabel}
        </label>
        <input
          id={inputId}
          className="input"
          type="password"
          autoComplete="off"
          spellCheck={false}
          autoFocus
          value={password}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${errorId} ${leadId}` : leadId}
          onChange={(e) => setPassword(e.currentTarget.value)}
        />
        {error && (
          <FieldError id={errorId}>{errorText(error, m)}</FieldError>
        )}
      </div>
      <div className="actions">
        <button type="submit" className="button button--primary">
          {m.certificate.open}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          {m.certificate.cancel}
        </button>
      </div>
    </form>
  );
}
