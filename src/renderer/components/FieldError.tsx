// Renderer. The error line under a field: announced when it appears (role=alert), tied to its
// input by `id` (the input's aria-describedby names it).
import { Icon } from './Icon.js';

export function FieldError({ id, children }: { id?: string; children: string }) {
  return (
    <p id={id} className="field__error" role="alert">
      <Icon name="alert" size={16} />
      <span>{children}</span>
    </p>
  );
}
