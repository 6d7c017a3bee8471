// Renderer. First-run step 3, 利用者ID: register a new one or log in with one already registered,
// checked as it is typed; then the whole setup runs (the core registers, then logs in). A failure
// is shown here with e-Gov's (or the core's) Japanese message, and everything stays as entered.
import { useState } from 'react';
import { OptionCards } from '../../components/OptionCards.js';
import type { ErrorPayload } from '../../../shared/errors.js';
import { Fact } from '../../components/Fact.js';
import type { ChosenSigner } from '../../components/SignerChooser.js';
import { TextField } from '../../components/TextField.js';
import { userIdProblem } from '../../identity-input.js';
import { useMessages } from '../../messages/index.js';
import type { EnvironmentArgs } from './FirstRunFlow.js';
import { StepPanel } from './StepPanel.js';
import { Progress } from '../../components/Progress.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';

export type SetupMode = 'register' | 'login';

export function UserIdStep({
  hidden,
  headingRef,
  environment,
  signer,
  running,
  failure,
  onBack,
  onSubmit,
}: {
  hidden: boolean;
  headingRef: (el: HTMLHeadingElement | null) => void;
  environment: EnvironmentArgs | null;
  signer: ChosenSigner | null;
  running: SetupMode | null;
  failure: { mode: SetupMode; error: ErrorPayload } | null;
  onBack: () => void;
  onSubmit: (userId: string, mode: SetupMode) => void;
}) {
  const m = useMessages();
  const [mode, setMode] = useState<SetupMode>('register');
  const [userId, setUserId] = useState('');
  const [touched, setTouched] = useState(false);
  const problem = userIdProblem(userId);
  const problemText = problem && { required: m.setup.userIdRequired, tooLong: m.setup.userIdTooLong, invalid: m.setup.userIdInvalid }[problem];
  // An empty field is only an error once the person tried to go on; a wrong character is one at once.
  const shownProblem = touched || (problem !== 'required' && userId.length > 0) ? problemText : null;

  const choices: { value: SetupMode; label: string; hint: string }[] = [
    { value: 'register', label: m.setup.registerLabel, hint: m.setup.registerHint },
    { value: 'login', label: m.setup.loginLabel, hint: m.setup.loginHint },
  ];

  const submit = () => {
    setTouched(true);
    if (problem || running) return;
    onSubmit(userId, mode);
  };

  const signerNote = !signer
    ? ''
    : signer.args.kind === 'file'
      ? m.identity.certificateFile(signer.args.fileName)
      : m.identity.certificateToken(signer.tokenLabel ?? '', signer.args.tokenSerial);

  return (
    <StepPanel hidden={hidden} title={m.setup.userIdStep} number={3} headingRef={headingRef} onSubmit={submit}>
      <OptionCards legend={m.setup.userIdLegend} options={choices} value={mode} onChange={setMode} />

      <TextField label={m.setup.userId} hint={m.setup.userIdHint} error={shownProblem}>
        {(props) => (
          <input
            {...props}
            className={`${props.className} mono`}
            type="text"
            inputMode="email"
            autoCapitalize="off"
            value={userId}
            maxLength={128}
            onChange={(e) => setUserId(e.currentTarget.value)}
          />
        )}
      </TextField>

      {environment && signer && (
        <section className="summary" aria-label={m.setup.summaryTitle}>
          <p className="eyebrow">{m.setup.summaryTitle}</p>
          <dl className="facts facts--compact">
            <Fact term={m.identity.environment}>{environment.kind === 'sandbox' ? m.identity.sandbox : <span className="mono break">{environment.baseUrl}</span>}</Fact>
            <Fact term={m.identity.certificate}>
              {signer.description.certificate.commonName}
              <span className="muted facts__sub">{signerNote}</span>
            </Fact>
          </dl>
        </section>
      )}

      <div aria-live="polite" className="stack stack--tight">
        {running && (
          <Progress text={running === 'register' ? m.setup.runningRegister : m.setup.runningLogin} hint={m.setup.runningHint} />
        )}
        {failure && !running && (
          <ErrorAlert title={failure.mode === 'register' ? m.setup.errorTitleRegister : m.setup.errorTitleLogin} error={failure.error}>
            <p className="alert__next">{m.setup.errorNext}</p>
          </ErrorAlert>
        )}
      </div>

      <div className="actions">
        <button type="button" className="button" onClick={onBack} aria-disabled={running ? true : undefined}>
          {m.setup.back}
        </button>
        <button type="submit" className="button button--primary" aria-disabled={running ? true : undefined}>
          {mode === 'register' ? m.setup.submitRegister : m.setup.submitLogin}
        </button>
      </div>
    </StepPanel>
  );
}
