// Renderer. Something is under way: a spinner and what is happening (announced politely as a
// status), with an optional second line (e.g. that a PIN may be asked for).
import './Progress.css';

export function Progress({ text, hint }: { text: string; hint?: string }) {
  return (
    <p className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      <span>
        {text}
        {hint && <span className="facts__sub">{hint}</span>}
      </span>
    </p>
  );
}
