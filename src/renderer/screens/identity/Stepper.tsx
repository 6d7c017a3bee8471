// Renderer. Where the first-run flow is: three numbered steps; the finished ones can be revisited.
import { useMessages } from '../../messages/index.js';
import { Icon } from '../../components/Icon.js';
import './Stepper.css';

export type StepNumber = 1 | 2 | 3;

export function Stepper({ step, onGo }: { step: StepNumber; onGo: (step: StepNumber) => void }) {
  const m = useMessages();
  const steps: { n: StepNumber; name: string }[] = [
    { n: 1, name: m.setup.environmentStep },
    { n: 2, name: m.setup.certificateStep },
    { n: 3, name: m.setup.userIdStep },
  ];
  return (
    <nav aria-label={m.setup.steps}>
      <ol className="stepper">
        {steps.map(({ n, name }) => {
          const state = n < step ? 'done' : n === step ? 'current' : 'todo';
          const content = (
            <>
              <span className="stepper__number" aria-hidden="true">
                {state === 'done' ? <Icon name="check" size={16} /> : n}
              </span>
              <span className="stepper__name">
                <span className="visually-hidden">{m.setup.stepLabel(n, '')}</span>
                {name}
                {state === 'done' && <span className="visually-hidden">{m.setup.stepDone}</span>}
              </span>
            </>
          );
          return (
            <li key={n} className={`stepper__item stepper__item--${state}`} aria-current={state === 'current' ? 'step' : undefined}>
              {state === 'done' ? (
                <button type="button" className="stepper__button" onClick={() => onGo(n)}>
                  {content}
                </button>
              ) : (
                <span className="stepper__button">{content}</span>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
