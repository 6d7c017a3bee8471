// Renderer. One step of the first-run flow: a titled panel holding a form. The title takes focus
// when the step is reached (FirstRunFlow), so it can be focused but is not a Tab stop.
import { useId, type FormEvent, type ReactNode } from 'react';
import './StepPanel.css';

export function StepPanel({
  hidden,
  title,
  number,
  headingRef,
  onSubmit,
  children,
}: {
  hidden: boolean;
  title: string;
  number: number;
  headingRef: (el: HTMLHeadingElement | null) => void;
  onSubmit: () => void;
  children: ReactNode;
}) {
  const titleId = useId();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit();
  };
  return (
    <section className="panel step" aria-labelledby={titleId} hidden={hidden}>
      <h2 id={titleId} className="panel__title step__title" tabIndex={-1} ref={headingRef}>
        <span className="step__number" aria-hidden="true">
          {number}
        </span>
        {title}
      </h2>
      <form onSubmit={submit} noValidate className="stack">
        {children}
      </form>
    </section>
  );
}
