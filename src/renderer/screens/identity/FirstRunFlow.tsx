// Renderer. はじめての設定: 1 接続先 (the built-in sandbox or an endpoint the filer names),
// 2 証明書 (a PKCS#12 file or a certificate on an IC card), 3 利用者ID (register a new one or
// log in with one already registered), then `identity.setup`. Every step stays mounted while the
// flow is shown, so going back, or a failed setup, loses nothing that was typed (the IC card PIN
// is never typed here: the core asks for it through the credential dialog, which keeps nothing).
import { useEffect, useRef, useState } from 'react';
import type { OperationArgs } from '../../../shared/contract.js';
import type { ErrorPayload } from '../../../shared/errors.js';
import type { ChosenSigner } from '../../components/SignerChooser.js';
import { useMessages } from '../../messages/index.js';
import { useIdentityStore } from '../../stores/identity.js';
import { EnvironmentStep } from './EnvironmentStep.js';
import { SignerStep } from './SignerStep.js';
import { Stepper, type StepNumber } from './Stepper.js';
import { UserIdStep, type SetupMode } from './UserIdStep.js';

export type EnvironmentArgs = OperationArgs<'identity.setup'>['environment'];

export function FirstRunFlow({ sandboxAvailable }: { sandboxAvailable: boolean }) {
  const m = useMessages();
  const setup = useIdentityStore((s) => s.setup);
  const [step, setStep] = useState<StepNumber>(1);
  const [environment, setEnvironment] = useState<EnvironmentArgs | null>(null);
  const [signer, setSigner] = useState<ChosenSigner | null>(null);
  const [running, setRunning] = useState<SetupMode | null>(null);
  const [failure, setFailure] = useState<{ mode: SetupMode; error: ErrorPayload } | null>(null);
  const headings = useRef<Record<StepNumber, HTMLHeadingElement | null>>({ 1: null, 2: null, 3: null });
  const shownStep = useRef(step);

  useEffect(() => {
    // Each new step's title takes focus, so keyboard and screen-reader users start at its top.
    if (shownStep.current === step) return;
    shownStep.current = step;
    headings.current[step]?.focus();
  }, [step]);

  const submit = async (userId: string, mode: SetupMode) => {
    if (running || !environment || !signer) return;
    setRunning(mode);
    setFailure(null);
    // On success the 利用者 screen replaces this flow; a registration that went through before its
    // login failed does too (the store notes it). Otherwise the failure is shown at step 3.
    const result = await setup({ environment, signer: signer.args, userId, mode });
    setRunning(null);
    if (!result.ok) setFailure({ mode, error: result.error });
  };

  const go = (to: StepNumber) => {
    if (!running) setStep(to);
  };

  return (
    <div className="stack">
      <p className="lead">{m.setup.lead}</p>
      <Stepper step={step} onGo={go} />
      <EnvironmentStep
        hidden={step !== 1}
        headingRef={(el) => {
          headings.current[1] = el;
        }}
        sandboxAvailable={sandboxAvailable}
        onNext={(env) => {
          setEnvironment(env);
          go(2);
        }}
      />
      <SignerStep
        hidden={step !== 2}
        headingRef={(el) => {
          headings.current[2] = el;
        }}
        signer={signer}
        offerTraining={environment?.kind === 'sandbox'}
        onChange={setSigner}
        onBack={() => go(1)}
        onNext={() => go(3)}
      />
      <UserIdStep
        hidden={step !== 3}
        headingRef={(el) => {
          headings.current[3] = el;
        }}
        environment={environment}
        signer={signer}
        running={running}
        failure={failure}
        onBack={() => go(2)}
        onSubmit={(userId, mode) => void submit(userId, mode)}
      />
    </div>
  );
}
