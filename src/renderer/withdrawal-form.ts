// Renderer. The 取下げ form as data: what the person typed, the checks the contract's schema makes
// (required, lengths, one line, the patterns of 電話番号・郵便番号・メール) so most mistakes are shown
// before anything is signed, and case.withdraw's arguments. Whether a character can go to e-Gov at
// all (JIS X 0208) is the core's to judge: its WITHDRAWAL_INPUT_INVALID names the field, and
// `fieldOfError` puts that message on it. Pure: node:test checks it directly.
import type { WithdrawalKindName, WithdrawalPersonView } from '../shared/case.js';
import { WITHDRAWAL_LIMITS, type OperationArgs } from '../shared/contract.js';
import type { ErrorPayload } from '../shared/errors.js';
import type { Messages } from './messages/index.js';

export type PersonForm = WithdrawalPersonView;
export type PersonField = keyof PersonForm;
export type Role = 'applicant' | 'contact';
/** 'reason', 'remarks', 'applicant.name', 'contact.phone' … as the core names them */
export type FieldPath = 'reason' | 'remarks' | `${Role}.${PersonField}`;

export interface WithdrawalForm {
  kind: WithdrawalKindName;
  reason: string;
  remarks: string;
  applicant: PersonForm;
  /** 連絡先 is the 申請者 (nothing of its own is sent) */
  contactSame: boolean;
  contact: PersonForm;
}

export type FormErrors = Partial<Record<FieldPath, string>>;

export const PERSON_FIELDS: readonly PersonField[] = [
  'name',
  'nameKana',
  'title',
  'corporationName',
  'corporationNameKana',
  'departmentName',
  'departmentNameKana',
  'postalCode',
  'address',
  'addressKana',
  'phone',
  'fax',
  'email',
];
/** always shown; the others wait behind a disclosure */
export const REQUIRED_PERSON_FIELDS: readonly PersonField[] = ['name', 'address', 'phone'];
export const OPTIONAL_PERSON_FIELDS: readonly PersonField[] = PERSON_FIELDS.filter((f) => !REQUIRED_PERSON_FIELDS.includes(f));

export function emptyPerson(): PersonForm {
  return Object.fromEntries(PERSON_FIELDS.map((f) => [f, ''])) as unknown as PersonForm;
}

export function initialForm(draft: { suggestedKind: WithdrawalKindName; applicant: PersonForm | null; contact: PersonForm | null }): WithdrawalForm {
  const applicant = { ...emptyPerson(), ...draft.applicant };
  const contact = { ...emptyPerson(), ...draft.contact };
  const same = draft.contact === null || PERSON_FIELDS.every((f) => contact[f] === applicant[f]);
  return { kind: draft.suggestedKind, reason: '', remarks: '', applicant, contactSame: same, contact: same ? { ...applicant } : contact };
}

const LIMIT: Record<PersonField, number> = {
  name: WITHDRAWAL_LIMITS.name,
  nameKana: WITHDRAWAL_LIMITS.kana,
  title: WITHDRAWAL_LIMITS.title,
  corporationName: WITHDRAWAL_LIMITS.name,
  corporationNameKana: WITHDRAWAL_LIMITS.kana,
  departmentName: WITHDRAWAL_LIMITS.name,
  departmentNameKana: WITHDRAWAL_LIMITS.kana,
  postalCode: 7,
  address: WITHDRAWAL_LIMITS.address,
  addressKana: WITHDRAWAL_LIMITS.kana,
  phone: WITHDRAWAL_LIMITS.phone,
  fax: WITHDRAWAL_LIMITS.phone,
  email: WITHDRAWAL_LIMITS.email,
};

export function personLimit(field: PersonField): number {
  return LIMIT[field];
}

/** What the checks say, in the person's language (messages/*.ts). */
export interface FormCheckMessages {
  required: (label: string) => string;
  tooLong: (label: string, max: number, length: number) => string;
  oneLine: (label: string) => string;
  phone: (label: string) => string;
  postalCode: (label: string) => string;
  email: (label: string) => string;
}

/** Full-width digits and hyphens as half-width: a number typed with the IME still goes. */
function halfWidthNumber(text: string): string {
  return text.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)).replace(/[－ー‐−―]/g, '-');
}

/** The values as case.withdraw takes them: numbers half-width, the postal code without its hyphen, spaces at the ends of one-line fields trimmed. */
function personArgs(p: PersonForm): OperationArgs<'case.withdraw'>['applicant'] {
  const out: Record<string, string> = {};
  for (const f of PERSON_FIELDS) {
    let v = p[f].trim();
    if (f === 'phone' || f === 'fax') v = halfWidthNumber(v);
    if (f === 'postalCode') v = halfWidthNumber(v).replace(/-/g, '');
    if (v !== '' || REQUIRED_PERSON_FIELDS.includes(f)) out[f] = v;
  }
  return out as OperationArgs<'case.withdraw'>['applicant'];
}

const length = (text: string) => [...text].length;

/** The fields' errors before anything is sent ({} when the form may go). `label` names a field as the form shows it. */
export function checkForm(form: WithdrawalForm, label: (path: FieldPath) => string, t: FormCheckMessages): FormErrors {
  const errors: FormErrors = {};
  const reason = form.reason.trim();
  if (reason === '') errors.reason = t.required(label('reason'));
  else if (length(form.reason) > WITHDRAWAL_LIMITS.reason) errors.reason = t.tooLong(label('reason'), WITHDRAWAL_LIMITS.reason, length(form.reason));
  if (form.kind === 'application' && length(form.remarks) > WITHDRAWAL_LIMITS.remarks) {
    errors.remarks = t.tooLong(label('remarks'), WITHDRAWAL_LIMITS.remarks, length(form.remarks));
  }
  const roles: Role[] = form.contactSame ? ['applicant'] : ['applicant', 'contact'];
  for (const role of roles) {
    const p = personArgs(form[role]) as unknown as Record<PersonField, string | undefined>;
    for (const f of PERSON_FIELDS) {
      const path: FieldPath = `${role}.${f}`;
      const v = p[f] ?? '';
      const name = label(path);
      if (REQUIRED_PERSON_FIELDS.includes(f) && v === '') errors[path] = t.required(name);
      else if (v === '') continue;
      else if (/[\r\n\t]/.test(v)) errors[path] = t.oneLine(name);
      else if ((f === 'phone' || f === 'fax') && !/^(?=.{1,20}$)\d+(?:-\d+)*$/.test(v)) errors[path] = t.phone(name);
      else if (f === 'postalCode' && !/^\d{7}$/.test(v)) errors[path] = t.postalCode(name);
      else if (f === 'email' && !/^(?=.{3,254}$)[\x21-\x3f\x41-\x7e]+@[\x21-\x3f\x41-\x7e]+$/.test(v)) errors[path] = t.email(name);
      else if (length(v) > LIMIT[f]) errors[path] = t.tooLong(name, LIMIT[f], length(v));
    }
  }
  return errors;
}

export function withdrawArgs(arriveId: string, form: WithdrawalForm, jobId: string): OperationArgs<'case.withdraw'> {
  return {
    jobId,
    arriveId,
    kind: form.kind,
    reason: form.reason,
    ...(form.kind === 'application' && form.remarks.trim() !== '' ? { remarks: form.remarks } : {}),
    applicant: personArgs(form.applicant),
    ...(form.contactSame ? {} : { contact: personArgs(form.contact) }),
  };
}

const FIELD_PATHS = new Set<string>(['reason', 'remarks', ...(['applicant', 'contact'] as const).flatMap((r) => PERSON_FIELDS.map((f) => `${r}.${f}`))]);

/**
 * The field a refusal of the core belongs on: WITHDRAWAL_INPUT_INVALID names it (`detail.field`);
 * the contract's own check names an argument path (`args.applicant.phone`). A 連絡先 sent as the
 * 申請者 is shown on the 申請者's field, where the person typed it. Null when no field is named.
 */
export function fieldOfError(error: ErrorPayload, contactSame: boolean): FieldPath | null {
  const detail = error.detail ?? {};
  let named: unknown = null;
  if (error.code === 'WITHDRAWAL_INPUT_INVALID') named = detail.field;
  else if (typeof detail.path === 'string' && detail.path.startsWith('args.')) named = detail.path.slice('args.'.length);
  if (typeof named !== 'string') return null;
  const path = contactSame && named.startsWith('contact.') ? `applicant.${named.slice('contact.'.length)}` : named;
  return FIELD_PATHS.has(path) ? (path as FieldPath) : null;
}

/** The person's fields that hold an error (the disclosure of optional fields opens for them). */
export function hasOptionalError(errors: FormErrors, role: Role): boolean {
  return OPTIONAL_PERSON_FIELDS.some((f) => errors[`${role}.${f}`] !== undefined);
}

/** A field's label as an error names it: 「申請者の電話番号」. */
export function fieldLabel(path: FieldPath, m: Messages): string {
  const w = m.withdraw;
  if (path === 'reason') return w.reason;
  if (path === 'remarks') return w.remarks;
  const [role, field] = path.split('.') as [Role, PersonField];
  return w.fieldOf(role === 'applicant' ? w.applicantTitle : w.contactTitle, w.person[field]);
}
