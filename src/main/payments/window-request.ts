// Main process (host side, Electron-free). The host checks what the core asks it to open before a
// window exists: the core is trusted more than a page, but a window that posts to a bank is the one
// place where a wrong value costs money, so the request is a closed shape with bounded values, every
// origin an https origin (or the loopback stand-in bank, when the core says the sandbox is the
// endpoint), and the form's action inside those origins. e-Gov's 30 minutes bound the window's life:
// an expiresAt further out than that is refused, so no window outlives its countdown by mistake.
import { TodokeError } from '../../shared/errors.js';
import { HAND_OFF_MINUTES, type PaymentWindowRequest } from '../../shared/payment.js';

export const MAX_ALLOWED_ORIGINS = 2000;
export const MAX_FORM_FIELDS = 32;
const MAX_FIELD_CHARS = 1024;
const MAX_URL_CHARS = 2048;
const HAND_OFF_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * A TodokeError, so the supervisor hands the core its stable code and a Japanese message rather than
 * a generic host failure. The English detail names the field; the filer is told what to do.
 */
export class PaymentWindowRequestError extends TodokeError<'PAYMENT_WINDOW_REQUEST_INVALID'> {
  constructor(message: string) {
    super('PAYMENT_WINDOW_REQUEST_INVALID', {
      en: `the payment window request is invalid: ${message}`,
      ja: '銀行サイトのウィンドウを開けませんでした（Todoke 内部の依頼に問題があります）。もう一度「銀行で支払う」から始めてください。繰り返す場合は Todoke を再起動してください。',
    });
    this.name = 'PaymentWindowRequestError';
  }
}

const fail = (message: string): never => {
  throw new PaymentWindowRequestError(message);
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function text(v: unknown, what: string, max: number, pattern?: RegExp): string {
  if (typeof v !== 'string' || v.length > max) return fail(`${what} must be text of at most ${max} characters`);
  // eslint-disable-next-line no-control-regex -- control characters are what this refuses
  if (/[\u0000-\u001f\u007f]/.test(v)) return fail(`${what} holds control characters`);
  if (pattern && !pattern.test(v)) return fail(`${what} is malformed`);
  return v;
}

/** `https://host[:port]`, or `http://127.0.0.1:port` / `http://[::1]:port` for the sandbox's stand-in bank. */
export function isAllowedOriginText(origin: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.origin !== origin) return false;
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === '[::1]') && url.port !== '';
}

function isoDate(v: unknown, what: string): string {
  const t = text(v, what, 40, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z$/);
  if (Number.isNaN(Date.parse(t))) fail(`${what} is not a date`);
  return t;
}

/** A checked copy of a `payment.window.open` request, or PaymentWindowRequestError. */
export function checkPaymentWindowRequest(value: unknown): PaymentWindowRequest {
  if (!isRecord(value)) return fail('the request must be an object');
  const keys = ['handOffId', 'arriveId', 'payNumber', 'bankName', 'form', 'allowedOrigins', 'startedAt', 'expiresAt'];
  for (const k of Object.keys(value)) if (!keys.includes(k)) fail(`unknown key ${k.slice(0, 40)}`);
  const handOffId = text(value.handOffId, 'handOffId', 36, HAND_OFF_ID);
  const arriveId = text(value.arriveId, 'arriveId', 18, /^\d{16,18}$/);
  const payNumber = text(value.payNumber, 'payNumber', 16, /^\d{16}$/);
  const bankName = text(value.bankName, 'bankName', 200);
  if (bankName === '') fail('bankName is empty');
  if (!Array.isArray(value.allowedOrigins) || value.allowedOrigins.length === 0 || value.allowedOrigins.length > MAX_ALLOWED_ORIGINS) {
    fail(`allowedOrigins must list 1 to ${MAX_ALLOWED_ORIGINS} origins`);
  }
  const allowedOrigins = (value.allowedOrigins as unknown[]).map((o, i) => {
    const origin = text(o, `allowedOrigins[${i}]`, 300);
    if (!isAllowedOriginText(origin)) fail(`allowedOrigins[${i}] is not an https origin (nor the loopback stand-in bank)`);
    return origin;
  });
  const form = value.form;
  if (!isRecord(form) || !isRecord(form.fields)) return fail('form must be { action, fields }');
  for (const k of Object.keys(form)) if (k !== 'action' && k !== 'fields') fail(`unknown key form.${k.slice(0, 40)}`);
  const action = text(form.action, 'form.action', MAX_URL_CHARS);
  let actionUrl: URL;
  try {
    actionUrl = new URL(action);
  } catch {
    return fail('form.action is not a URL');
  }
  // a userinfo part would still parse to a listed origin, yet it is never part of a bank's form
  if (actionUrl.username !== '' || actionUrl.password !== '') fail('form.action holds a user name or password');
  if (!allowedOrigins.includes(actionUrl.origin)) fail('form.action is not on an allowed origin');
  const entries = Object.entries(form.fields);
  if (entries.length > MAX_FORM_FIELDS) fail(`form.fields holds more than ${MAX_FORM_FIELDS} fields`);
  const fields: Record<string, string> = {};
  for (const [name, v] of entries) {
    text(name, 'a form field name', 100, /^[\x21-\x7e]+$/);
    if (name === '__proto__') fail('a form field name is reserved');
    fields[name] = text(v, `form.fields.${name}`, MAX_FIELD_CHARS);
  }
  const startedAt = isoDate(value.startedAt, 'startedAt');
  const expiresAt = isoDate(value.expiresAt, 'expiresAt');
  if (Date.parse(expiresAt) <= Date.parse(startedAt)) fail('expiresAt is not after startedAt');
  if (Date.parse(expiresAt) - Date.parse(startedAt) > HAND_OFF_MINUTES * 60_000) fail(`expiresAt is more than ${HAND_OFF_MINUTES} minutes after startedAt`);
  return { handOffId, arriveId, payNumber, bankName, form: { action, fields }, allowedOrigins, startedAt, expiresAt };
}
