// Renderer. A labelled text field with its hint and, once it has one, its error message, tied
// to the input with aria-describedby. The input itself is the caller's (a render prop), so any
// type, value and handlers fit.
import { useId, type ReactNode } from 'react';
import { FieldError } from './FieldError.js';

export interface InputProps {
  id: string;
  className: string;
  spellCheck: false;
  autoComplete: 'off';
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

export function TextField({
  label,
  hint,
  error,
  wide,
  mono,
  children,
}: {
  label: string;
  hint?: string;
  error?: string | null;
  wide?: boolean;
  mono?: boolean;
  children: (props: InputProps) => ReactNode;
}) {
  const id = useId();
  const hintId = useId();
  const errorId = useId();
  const describedBy = [error ? errorId : null, hint ? hintId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      {children({
        id,
        className: `input${wide ? ' input--wide' : ''}${mono ? ' mono' : ''}`,
        spellCheck: false,
        autoComplete: 'off',
        'aria-invalid': error ? true : undefined,
        'aria-describedby': describedBy,
      })}
      {hint && (
        <p id={hintId} className="field__hint muted">
          {hint}
        </p>
      )}
      {error && (
        <FieldError id={errorId}>{error}</FieldError>
      )}
    </div>
  );
}
