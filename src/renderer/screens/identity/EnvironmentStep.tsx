// Renderer. First-run step 1, 接続先: the built-in sandbox (for practice) or an endpoint the
// filer names with its software ID, optional Basic authentication and an optional extra CA
// certificate (read here as PEM text and handed to the core as `caPem`).
import { useId, useState } from 'react';
import { OptionCards } from '../../components/OptionCards.js';
import { MAX_CA_PEM_LENGTH } from '../../../shared/contract.js';
import { TextField } from '../../components/TextField.js';
import { caPemProblem, endpointProblem, softwareIdProblem, type CaPemProblem } from '../../identity-input.js';
import { useMessages } from '../../messages/index.js';
import type { EnvironmentArgs } from './FirstRunFlow.js';
import { StepPanel } from './StepPanel.js';
import { FieldError } from '../../components/FieldError.js';
import './EnvironmentStep.css';
import { errorText } from '../../error-text.js';

type Field = 'baseUrl' | 'softwareId' | 'basicAuthUser';

export function EnvironmentStep({
  hidden,
  headingRef,
  sandboxAvailable,
  onNext,
}: {
  hidden: boolean;
  headingRef: (el: HTMLHeadingElement | null) => void;
  sandboxAvailable: boolean;
  onNext: (environment: EnvironmentArgs) => void;
}) {
  const m = useMessages();
  const endpointText = (value: string): string | null => {
    const problem = endpointProblem(value);
    return problem ? errorText(problem, m) : null;
  };
  const [kind, setKind] = useState<'sandbox' | 'custom'>(sandboxAvailable ? 'sandbox' : 'custom');
  const [baseUrl, setBaseUrl] = useState('');
  const [softwareId, setSoftwareId] = useState('');
  const [useBasicAuth, setUseBasicAuth] = useState(false);
  const [basicAuthUser, setBasicAuthUser] = useState('');
  const [basicAuthPassword, setBasicAuthPassword] = useState('');
  const [ca, setCa] = useState<{ name: string; pem: string } | null>(null);
  const [caProblem, setCaProblem] = useState<CaPemProblem | 'unreadable' | null>(null);
  // Mistakes are pointed out once 次へ was pressed, then as they are fixed. (Not on leaving a field:
  // a message appearing then would move the button under the pointer that is about to press it.)
  const [submitted, setSubmitted] = useState(false);
  const caInputId = useId();
  const caHintId = useId();
  const caErrorId = useId();

  const problems: Record<Field, string | null> = {
    // the words the core and the CLI use for the same rule (src/shared/endpoint.ts)
    baseUrl: kind !== 'custom' ? null : endpointText(baseUrl),
    softwareId: kind !== 'custom' ? null : { required: m.setup.softwareIdRequired, invalid: m.setup.softwareIdInvalid, none: null }[softwareIdProblem(softwareId.trim()) ?? 'none'],
    basicAuthUser: kind === 'custom' && useBasicAuth && basicAuthUser.trim().length === 0 ? m.setup.basicAuthUserRequired : null,
  };
  const shown = (field: Field) => (submitted ? problems[field] : null);

  const chooseCa = async (file: File | undefined) => {
    if (!file) return;
    if (file.size > MAX_CA_PEM_LENGTH) {
      setCa(null);
      setCaProblem('tooLarge');
      return;
    }
    let text: string;
    try {
      text = await file.text();
    } catch {
      setCa(null);
      setCaProblem('unreadable');
      return;
    }
    const problem = caPemProblem(text);
    setCaProblem(problem);
    setCa(problem ? null : { name: file.name, pem: text });
  };

  const next = () => {
    setSubmitted(true);
    if (kind === 'sandbox') {
      onNext({ kind: 'sandbox' });
      return;
    }
    if (Object.values(problems).some((p) => p !== null) || caProblem) return;
    onNext({
      kind: 'custom',
      baseUrl: baseUrl.trim(),
      softwareId: softwareId.trim(),
      ...(useBasicAuth ? { basicAuthUser: basicAuthUser.trim(), basicAuthPassword } : {}),
      ...(ca ? { caPem: ca.pem } : {}),
    });
  };

  const choices = [
    ...(sandboxAvailable ? [{ value: 'sandbox' as const, label: m.setup.sandboxLabel, hint: m.setup.sandboxHint }] : []),
    { value: 'custom' as const, label: m.setup.customLabel, hint: m.setup.customHint },
  ];

  return (
    <StepPanel hidden={hidden} title={m.setup.environmentStep} number={1} headingRef={headingRef} onSubmit={next}>
      <OptionCards legend={m.setup.environmentLegend} note={sandboxAvailable ? null : m.setup.sandboxUnavailable} options={choices} value={kind} onChange={setKind} />

      {kind === 'custom' && (
        <div className="subform">
          <TextField label={m.setup.baseUrl} hint={m.setup.baseUrlHint} error={shown('baseUrl')} wide mono>
            {(props) => <input {...props} type="url" inputMode="url" value={baseUrl} onChange={(e) => setBaseUrl(e.currentTarget.value)} />}
          </TextField>
          <TextField label={m.setup.softwareId} hint={m.setup.softwareIdHint} error={shown('softwareId')} mono>
            {(props) => <input {...props} type="text" value={softwareId} onChange={(e) => setSoftwareId(e.currentTarget.value)} />}
          </TextField>

          <label className="checkbox">
            <input type="checkbox" checked={useBasicAuth} onChange={(e) => setUseBasicAuth(e.currentTarget.checked)} />
            <span>{m.setup.useBasicAuth}</span>
          </label>
          {useBasicAuth && (
            <div className="subform subform--nested">
              <TextField label={m.setup.basicAuthUser} error={shown('basicAuthUser')}>
                {(props) => <input {...props} type="text" value={basicAuthUser} onChange={(e) => setBasicAuthUser(e.currentTarget.value)} />}
              </TextField>
              <TextField label={m.setup.basicAuthPassword}>
                {(props) => <input {...props} type="password" value={basicAuthPassword} onChange={(e) => setBasicAuthPassword(e.currentTarget.value)} />}
              </TextField>
            </div>
          )}

          <div className="field">
            <span className="field__label">{m.setup.caFile}</span>
            <p id={caHintId} className="field__hint muted">
              {m.setup.caFileHint}
            </p>
            <div className="input-row">
              <input
                id={caInputId}
                className="visually-hidden file-input"
                type="file"
                accept=".pem,.crt,.cer"
                aria-describedby={caProblem ? `${caErrorId} ${caHintId}` : caHintId}
                onChange={(e) => {
                  const file = e.currentTarget.files?.[0];
                  e.currentTarget.value = '';
                  void chooseCa(file);
                }}
              />
              <label htmlFor={caInputId} className="button">
                {m.setup.caChoose}
              </label>
              {ca && (
                <>
                  <span className="muted">{m.setup.caChosen(ca.name)}</span>
                  <button type="button" className="button button--quiet" onClick={() => setCa(null)}>
                    {m.setup.caRemove}
                  </button>
                </>
              )}
            </div>
            {caProblem && (
              <FieldError id={caErrorId}>{caProblem === 'tooLarge' ? m.setup.caTooLarge : caProblem === 'notPem' ? m.setup.caNotPem : m.certificate.unreadableFile}</FieldError>
            )}
          </div>
        </div>
      )}

      <div className="actions">
        <button type="submit" className="button button--primary">
          {m.setup.next}
        </button>
      </div>
    </StepPanel>
  );
}
