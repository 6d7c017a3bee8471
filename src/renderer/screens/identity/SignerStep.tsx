// Renderer. First-run step 2, 証明書: the certificate that signs, checked (holder, issuer,
// validity, warnings) before going on.
import { useState } from 'react';
import { SignerChooser, type ChosenSigner } from '../../components/SignerChooser.js';
import { useMessages } from '../../messages/index.js';
import { StepPanel } from './StepPanel.js';
import { FieldError } from '../../components/FieldError.js';

export function SignerStep({
  hidden,
  headingRef,
  signer,
  onChange,
  onBack,
  onNext,
  offerTraining,
}: {
  hidden: boolean;
  /** the built-in sandbox was chosen in step 1 */
  offerTraining: boolean;
  headingRef: (el: HTMLHeadingElement | null) => void;
  signer: ChosenSigner | null;
  onChange: (signer: ChosenSigner | null) => void;
  onBack: () => void;
  onNext: () => void;
}) {
  const m = useMessages();
  const [missing, setMissing] = useState(false);
  return (
    <StepPanel
      hidden={hidden}
      title={m.setup.certificateStep}
      number={2}
      headingRef={headingRef}
      onSubmit={() => {
        if (signer) onNext();
        else setMissing(true);
      }}
    >
      <p className="muted">{m.setup.certificateLead}</p>
      <SignerChooser
        summaryTitle={m.signer.chosenTitle}
        offerTraining={offerTraining}
        onChange={(value) => {
          onChange(value);
          if (value) setMissing(false);
        }}
      />
      {missing && !signer && (
        <FieldError>{m.setup.certificateRequired}</FieldError>
      )}
      <div className="actions">
        <button type="button" className="button" onClick={onBack}>
          {m.setup.back}
        </button>
        <button type="submit" className="button button--primary">
          {m.setup.next}
        </button>
      </div>
    </StepPanel>
  );
}
