// Renderer. A choice between a few options shown as cards (a radio group with a legend): each
// card has a title and a line that says what choosing it means.
import { useId } from 'react';
import './OptionCards.css';

export interface OptionCard<V extends string> {
  value: V;
  label: string;
  hint: string;
}

export function OptionCards<V extends string>({
  legend,
  options,
  value,
  onChange,
  note,
}: {
  legend: string;
  options: readonly OptionCard<V>[];
  value: V;
  onChange: (value: V) => void;
  /** a line between the legend and the cards */
  note?: string | null;
}) {
  const name = useId();
  return (
    <fieldset className="fieldset">
      <legend className="field__label">{legend}</legend>
      {note && <p className="muted">{note}</p>}
      <div className="option-row">
        {options.map((o) => (
          <label key={o.value} className="option">
            <input type="radio" name={name} value={o.value} checked={value === o.value} onChange={() => onChange(o.value)} />
            <span className="option__body">
              <span className="option__title">{o.label}</span>
              <span className="option__hint">{o.hint}</span>
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
