// Renderer. The certificate that signs: a PKCS#12 file with its password, or a certificate on an
// IC card / token. Both choosers stay mounted (the other one hidden), so switching back and forth
// keeps what was entered in each.
import { useState } from 'react';
import { OptionCards } from './OptionCards.js';
import type { OperationArgs } from '../../shared/contract.js';
import type { CertificateDescription } from '../../shared/domain.js';
import { useMessages } from '../messages/index.js';
import { CertificateFileField, type DescribedFile } from './CertificateFileField.js';
import { TokenField, type ChosenTokenCertificate } from './TokenField.js';

export type SignerArgs = OperationArgs<'identity.setup'>['signer'];

export interface ChosenSigner {
  args: SignerArgs;
  description: CertificateDescription;
  /** the token's label, for a certificate on a token */
  tokenLabel: string | null;
}

type Kind = 'file' | 'pkcs11';

function fromFile(value: DescribedFile | null): ChosenSigner | null {
  if (!value) return null;
  return { args: { kind: 'file', fileName: value.file.name, dataBase64: value.file.dataBase64, password: value.password ?? '' }, description: value.description, tokenLabel: null };
}

function fromToken(value: ChosenTokenCertificate | null): ChosenSigner | null {
  if (!value) return null;
  return { args: { kind: 'pkcs11', modulePath: value.modulePath, tokenSerial: value.token.serial, certId: value.certificate.id }, description: value.certificate.description, tokenLabel: value.token.label };
}

export function SignerChooser({
  onChange,
  summaryTitle,
  offerTraining = false,
}: {
  onChange: (value: ChosenSigner | null) => void;
  summaryTitle?: string;
  /** offer the bundled training certificates (sandbox only) */
  offerTraining?: boolean;
}) {
  const m = useMessages();
  const [kind, setKind] = useState<Kind>('file');
  const [file, setFile] = useState<ChosenSigner | null>(null);
  const [token, setToken] = useState<ChosenSigner | null>(null);
  const choices: { value: Kind; label: string; hint: string }[] = [
    { value: 'file', label: m.signer.fileLabel, hint: m.signer.fileHint },
    { value: 'pkcs11', label: m.signer.tokenLabel, hint: m.signer.tokenHint },
  ];

  return (
    <div className="stack">
      <OptionCards
        legend={m.signer.legend}
        options={choices}
        value={kind}
        onChange={(value) => {
          setKind(value);
          onChange(value === 'file' ? file : token);
        }}
      />
      <div hidden={kind !== 'file'}>
        <CertificateFileField
          mode="signer"
          summaryTitle={summaryTitle}
          offerTraining={offerTraining}
          onChange={(value) => {
            const chosen = fromFile(value);
            setFile(chosen);
            if (kind === 'file') onChange(chosen);
          }}
        />
      </div>
      <div hidden={kind !== 'pkcs11'}>
        <TokenField
          summaryTitle={summaryTitle}
          onChange={(value) => {
            const chosen = fromToken(value);
            setToken(chosen);
            if (kind === 'pkcs11') onChange(chosen);
          }}
        />
      </div>
    </div>
  );
}
