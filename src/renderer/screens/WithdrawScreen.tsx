// Renderer. The 取下げ of one case, on a screen of its own (the form is long: 理由, 備考 and two
// people): the form prefilled from case.withdrawalDraft, checked as the contract checks it, then a
// confirmation naming the case and the kind, then case.withdraw (the global credential dialog asks
// for the PIN or password), its progress and its result — the 取下げ's own 到達番号. A refusal of the
// core that names a field lands on that field; nothing typed is lost on the way.
import { failureText } from '../failure-text.js';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { WithdrawalDraftView, WithdrawalKindName, WithdrawalView } from '../../shared/case.js';
import { WITHDRAWAL_LIMITS } from '../../shared/contract.js';
import type { ErrorPayload } from '../../shared/errors.js';
import { requireCoreApi } from '../api.js';
import { Alert } from '../components/Alert.js';
import { Breadcrumbs, type Crumb } from '../components/Breadcrumbs.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { Fact } from '../components/Fact.js';
import { OptionCards } from '../components/OptionCards.js';
import { Progress } from '../components/Progress.js';
import { TextField } from '../components/TextField.js';
import { errorText } from '../error-text.js';
import { useMessages } from '../messages/index.js';
import { useRouterStore } from '../stores/router.js';
import {
  checkForm,
  fieldLabel,
  fieldOfError,
  hasOptionalError,
  initialForm,
  OPTIONAL_PERSON_FIELDS,
  personLimit,
  REQUIRED_PERSON_FIELDS,
  withdrawArgs,
  type FieldPath,
  type FormErrors,
  type PersonField,
  type Role,
  type WithdrawalForm,
} from '../withdrawal-form.js';
import './WithdrawScreen.css';

type Load = { status: 'loading' } | { status: 'ready'; draft: WithdrawalDraftView } | { status: 'error'; error: ErrorPayload };
type Phase =
  | { status: 'form' }
  | { status: 'confirm' }
  | { status: 'sending' }
  | { status: 'done'; result: WithdrawalView }
  /** refused with no field to put it on (not allowed any more, e-Gov refused, delivery unknown …) */
  | { status: 'failed'; error: ErrorPayload };

export function WithdrawScreen({ arriveId }: { arriveId: string }) {
  const m = useMessages();
  const w = m.withdraw;
  const navigate = useRouterStore((s) => s.navigate);
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [form, setForm] = useState<WithdrawalForm | null>(null);
  const [errors, setErrors] = useState<FormErrors>({});
  const [phase, setPhase] = useState<Phase>({ status: 'form' });
  const summary = useRef<HTMLDivElement>(null);
  const [focusError, setFocusError] = useState(0);
  const failure = useRef<HTMLDivElement>(null);
  const [cancelled, setCancelled] = useState(false);
  const failed = phase.status === 'failed';

  useEffect(() => {
    let current = true;
    void requireCoreApi()['case.withdrawalDraft']({ arriveId }).then((result) => {
      if (!current) return;
      setLoad(result.ok ? { status: 'ready', draft: result.value } : { status: 'error', error: result.error });
      if (result.ok) setForm((f) => f ?? initialForm(result.value));
    });
    return () => {
      current = false;
    };
  }, [arriveId]);

  // After a check fails, the first field in error takes focus (its message is read with it).
  useEffect(() => {
    if (focusError === 0) return;
    const first = document.querySelector<HTMLElement>('.withdraw-form [aria-invalid="true"]');
    if (first) first.focus();
    else summary.current?.focus();
  }, [focusError]);

  // the failure is shown above the form, far from the button pressed: it takes focus (and the view)
  useEffect(() => {
    if (failed) failure.current?.focus();
  }, [failed]);

  const crumbs = [
    { label: m.nav.cases, route: { name: 'cases' } as const },
    { label: m.cases.caseTitle(arriveId), route: { name: 'case', arriveId } as const },
    { label: w.crumb },
  ];
  if (load.status === 'loading' || (load.status === 'ready' && !form)) {
    return (
      <div className="stack">
        <Breadcrumbs crumbs={crumbs} />
        <Progress text={m.cases.detailLoading} />
      </div>
    );
  }
  if (load.status === 'error' || !form) {
    return (
      <div className="stack">
        <Breadcrumbs crumbs={crumbs} />
        {load.status === 'error' && <ErrorAlert title={w.draftFailed} error={load.error} />}
        <BackToCase arriveId={arriveId} />
      </div>
    );
  }
  const draft = load.draft;
  const label = (path: FieldPath) => fieldLabel(path, m);

  if (phase.status === 'done') return <WithdrawDone crumbs={crumbs} arriveId={arriveId} result={phase.result} />;

  const review = () => {
    const found = checkForm(form, label, w.checks);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      setFocusError((n) => n + 1);
      return;
    }
    setPhase({ status: 'confirm' });
  };

  const send = async () => {
    setCancelled(false);
    setPhase({ status: 'sending' });
    const result = await requireCoreApi()['case.withdraw'](withdrawArgs(arriveId, form, `withdraw-${crypto.randomUUID()}`));
    if (result.ok) {
      setPhase({ status: 'done', result: result.value });
      return;
    }
    const field = fieldOfError(result.error, form.contactSame);
    if (field) {
      setErrors({ [field]: errorText(result.error, m) });
      setPhase({ status: 'form' });
      setFocusError((n) => n + 1);
      return;
    }
    if (result.error.code === 'CREDENTIAL_CANCELLED') {
      // the person said no at the password: back to the form as it was, nothing sent
      setPhase({ status: 'form' });
      setCancelled(true);
      return;
    }
    setPhase({ status: 'failed', error: result.error });
    // whether another 取下げ may be made has likely changed (one is recorded now, or e-Gov refused)
    const again = await requireCoreApi()['case.withdrawalDraft']({ arriveId });
    if (again.ok) setLoad({ status: 'ready', draft: again.value });
  };

  const update = (patch: Partial<WithdrawalForm>) => setForm({ ...form, ...patch });
  // a field changed is judged again at the next 確認へ進む; its old message would only mislead
  const clear = (path: FieldPath) => {
    if (errors[path] === undefined) return;
    const rest = { ...errors };
    delete rest[path];
    setErrors(rest);
  };
  const errorCount = Object.keys(errors).length;
  const sending = phase.status === 'sending';

  return (
    <div className="stack">
      <Breadcrumbs crumbs={crumbs} />
      {!draft.allowed && !failed && (
        <Alert tone="warning" title={w.blocked}>
          <p>{m.lang === 'ja' ? draft.blockedReason : draft.blockedReasonEn}</p>
        </Alert>
      )}
      {phase.status === 'failed' && (
        <div ref={failure} tabIndex={-1} className="withdraw-failure">
          <ErrorAlert title={w.failedTitle} error={phase.error}>
            {phase.error.code === 'WITHDRAWAL_DELIVERY_UNKNOWN' && <p>{w.unknownNext}</p>}
          </ErrorAlert>
        </div>
      )}
      {cancelled && <Alert tone="info" title={w.cancelledTitle} />}
      <section className="panel stack" aria-labelledby="withdraw-case">
        <h2 className="panel__title" id="withdraw-case">
          {w.caseTitle}
        </h2>
        <p>{w.formLead(arriveId)}</p>
        <dl className="facts facts--compact">
          <Fact term={m.cases.facts.procedure}>{draft.case.procedureName}</Fact>
          <Fact term={m.cases.facts.applicant}>{draft.case.applicantName}</Fact>
          <Fact term={m.cases.facts.status}>{draft.case.status}</Fact>
          {draft.submitTo && <Fact term={w.submitTo}>{draft.submitTo}</Fact>}
        </dl>
      </section>

      {failed && !draft.allowed ? (
        // a 取下げ is recorded now (or the case moved on): the form has nothing more to do
        <BackToCase arriveId={arriveId} />
      ) : (
        <form
          className="withdraw-form stack"
          noValidate
          aria-busy={sending}
          onSubmit={(e) => {
            e.preventDefault();
            review();
          }}
        >
          {errorCount > 0 && (
            <div ref={summary} tabIndex={-1}>
              <Alert tone="danger" title={w.formErrors(errorCount)}>
                <ul className="withdraw-form__error-list">
                  {Object.entries(errors).map(([path, text]) => (
                    <li key={path}>{text}</li>
                  ))}
                </ul>
              </Alert>
            </div>
          )}
          <fieldset className="fieldset withdraw-form__fields stack" disabled={sending}>
            <section className="panel stack" aria-labelledby="withdraw-what">
              <h2 className="panel__title" id="withdraw-what">
                {w.whatTitle}
              </h2>
              <OptionCards<WithdrawalKindName>
                legend={w.kindLegend}
                note={w.kindNote}
                options={draft.kinds.map((k) => ({ value: k, label: w.kind[k], hint: w.kindHint[k] }))}
                value={form.kind}
                onChange={(kind) => update({ kind })}
              />
              <TextField label={w.reason} hint={w.reasonHint(WITHDRAWAL_LIMITS.reason)} error={errors.reason} wide>
                {(p) => <textarea {...p} className={`${p.className} withdraw-form__text`} rows={4} required value={form.reason} onChange={(e) => {
                      update({ reason: e.target.value });
                      clear('reason');
                    }} />}
              </TextField>
              {form.kind === 'application' && (
                <TextField label={w.remarks} hint={w.remarksHint(WITHDRAWAL_LIMITS.remarks)} error={errors.remarks} wide>
                  {(p) => <textarea {...p} className={`${p.className} withdraw-form__text`} rows={2} value={form.remarks} onChange={(e) => {
                      update({ remarks: e.target.value });
                      clear('remarks');
                    }} />}
                </TextField>
              )}
            </section>

            <section className="panel stack" aria-labelledby="withdraw-people">
              <h2 className="panel__title" id="withdraw-people">
                {w.applicantTitle}
              </h2>
              <p className="muted withdraw-form__source">{draft.prefillSource === 'sent-request' ? w.prefillSent : w.prefillNone}</p>
              <PersonFields role="applicant" form={form} errors={errors} onEdited={clear} onChange={(applicant) => setForm({ ...form, applicant, ...(form.contactSame ? { contact: { ...applicant } } : {}) })} />
            </section>

            <section className="panel stack" aria-labelledby="withdraw-contact">
              <h2 className="panel__title" id="withdraw-contact">
                {w.contactTitle}
              </h2>
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={form.contactSame}
                  aria-describedby="withdraw-contact-same-hint"
                  onChange={(e) => update({ contactSame: e.target.checked, ...(e.target.checked ? { contact: { ...form.applicant } } : {}) })}
                />
                <span>{w.contactSame}</span>
              </label>
              <p className="muted field__hint" id="withdraw-contact-same-hint">
                {w.contactSameHint}
              </p>
              {!form.contactSame && <PersonFields role="contact" form={form} errors={errors} onEdited={clear} onChange={(contact) => update({ contact })} />}
            </section>
          </fieldset>

          {sending ? (
            <div className="panel">
              <Progress text={w.sending} hint={w.sendingHint} />
            </div>
          ) : (
            <div className="button-row">
              <button type="submit" className="button button--primary" disabled={!draft.allowed}>
                {w.next}
              </button>
              <button type="button" className="button" onClick={() => navigate({ name: 'case', arriveId })}>
                {w.cancel}
              </button>
            </div>
          )}
        </form>
      )}

      {phase.status === 'confirm' && (
        <ConfirmDialog title={w.confirmTitle} confirmLabel={w.confirm} tone="danger" onConfirm={() => void send()} onCancel={() => setPhase({ status: 'form' })}>
          <p>
            <strong>{w.confirmCase(arriveId, draft.case.procedureName)}</strong>
          </p>
          <p>{w.confirmKind(w.kind[form.kind])}</p>
          <p>{w.confirmBody}</p>
          <p className="withdraw-confirm__warning">{w.confirmNote}</p>
        </ConfirmDialog>
      )}
    </div>
  );
}

function PersonFields({
  role,
  form,
  errors,
  onChange,
  onEdited,
}: {
  role: Role;
  form: WithdrawalForm;
  errors: FormErrors;
  onChange: (p: WithdrawalForm['applicant']) => void;
  onEdited: (path: FieldPath) => void;
}) {
  const m = useMessages();
  const w = m.withdraw;
  const person = form[role];
  const roleName = role === 'applicant' ? w.applicantTitle : w.contactTitle;
  const [open, setOpen] = useState(() => OPTIONAL_PERSON_FIELDS.some((f) => person[f] !== ''));
  const mustOpen = hasOptionalError(errors, role);
  const field = (f: PersonField): ReactNode => {
    const path: FieldPath = `${role}.${f}`;
    const hint = (w.personHint as Partial<Record<PersonField, string>>)[f];
    const narrow = f === 'postalCode' || f === 'phone' || f === 'fax';
    return (
      <TextField key={f} label={w.fieldOf(roleName, w.person[f])} hint={hint} error={errors[path]} wide={!narrow} mono={narrow || f === 'email'}>
        {(p) => (
          <input
            {...p}
            type={f === 'email' ? 'email' : f === 'phone' || f === 'fax' ? 'tel' : 'text'}
            inputMode={f === 'postalCode' ? 'numeric' : undefined}
            required={REQUIRED_PERSON_FIELDS.includes(f)}
            // room beyond the limit: a paste too long is shown with its length, not cut silently
            maxLength={personLimit(f) * 2}
            value={person[f]}
            onChange={(e) => {
              onChange({ ...person, [f]: e.target.value });
              onEdited(path);
            }}
          />
        )}
      </TextField>
    );
  };
  return (
    <div className="withdraw-person">
      {REQUIRED_PERSON_FIELDS.map(field)}
      <details
        className="withdraw-person__more"
        open={open || mustOpen}
        onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}
      >
        <summary>{w.more(roleName)}</summary>
        <div className="withdraw-person__grid">{OPTIONAL_PERSON_FIELDS.map(field)}</div>
      </details>
    </div>
  );
}

function BackToCase({ arriveId }: { arriveId: string }) {
  const m = useMessages();
  const navigate = useRouterStore((s) => s.navigate);
  return (
    <div>
      <button type="button" className="button" onClick={() => navigate({ name: 'case', arriveId })}>
        {m.withdraw.backToCase}
      </button>
    </div>
  );
}

function WithdrawDone({ crumbs, arriveId, result }: { crumbs: readonly Crumb[]; arriveId: string; result: WithdrawalView }) {
  const m = useMessages();
  const w = m.withdraw;
  const navigate = useRouterStore((s) => s.navigate);
  const arrived = result.state === 'done' && result.newArriveId !== null;
  return (
    <div className="stack">
      <Breadcrumbs crumbs={crumbs} />
      <section className="panel stack" aria-labelledby="withdraw-result" aria-live="polite">
        <h2 className="panel__title" id="withdraw-result">
          {arrived ? w.doneTitle : w.notDoneTitle(w.state[result.state])}
        </h2>
        {arrived ? (
          <Alert tone="success" title={w.doneBody(result.newArriveId ?? '')}>
            <p>{w.doneNote}</p>
          </Alert>
        ) : (
          <Alert tone="warning" title={w.state[result.state]}>
            {w.stateHint[result.state] && <p>{w.stateHint[result.state]}</p>}
            {result.failure && <p>{failureText(result.failure, m)}</p>}
          </Alert>
        )}
        <dl className="facts facts--compact">
          <Fact term={w.withdrawnCase}>
            <span className="mono">{arriveId}</span>
          </Fact>
          <Fact term={w.kindLegend}>{w.kind[result.kind]}</Fact>
          <Fact term={w.newArriveId}>{result.newArriveId ? <span className="mono withdraw-done__id">{result.newArriveId}</span> : w.noArriveIdYet}</Fact>
        </dl>
        {result.replaced.length > 0 && <p className="muted">{w.replaced(result.replaced.length)}</p>}
        <div className="button-row">
          {result.newArriveId && (
            <button type="button" className="button button--primary" aria-label={w.openNew(result.newArriveId)} onClick={() => navigate({ name: 'case', arriveId: result.newArriveId ?? '' })}>
              {w.openNewCase}
            </button>
          )}
          <button type="button" className="button" onClick={() => navigate({ name: 'case', arriveId })}>
            {w.backToCase}
          </button>
        </div>
      </section>
    </div>
  );
}
