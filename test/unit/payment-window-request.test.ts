// Unit (Node): the host's check of `payment.window.open` (src/main/payments/window-request.ts) before a
// window exists: a well-formed request passes unchanged; malformed, huge, hostile and truncated ones
// are refused with the stable code and a Japanese message, naming the field in English for the log.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkPaymentWindowRequest, isAllowedOriginText, MAX_ALLOWED_ORIGINS, MAX_FORM_FIELDS, PaymentWindowRequestError } from '../../src/main/payments/window-request.js';
import { isTodokeError } from '../../src/shared/errors.js';
import type { PaymentWindowRequest } from '../../src/shared/payment.js';

const good: PaymentWindowRequest = {
  handOffId: '0f8fad5b-d9cb-469f-a165-70867728950e',
  arriveId: '1234567890123456',
  payNumber: '0000000000000203',
  bankName: 'Todoke練習銀行',
  form: { action: 'http://127.0.0.1:40123/standin-bank/', fields: { facility: '10005', payNumber: '0000000000000203' } },
  allowedOrigins: ['https://bank.example', 'http://127.0.0.1:40123'],
  startedAt: '2026-11-30T10:00:00.000Z',
  expiresAt: '2026-11-30T10:30:00.000Z',
};

function refused(value: unknown, pattern?: RegExp): void {
  assert.throws(
    () => checkPaymentWindowRequest(value),
    (e: unknown) => {
      assert.ok(e instanceof PaymentWindowRequestError, String(e));
      assert.ok(isTodokeError(e, 'PAYMENT_WINDOW_REQUEST_INVALID'));
      assert.match(e.messageJa, /もう一度「銀行で支払う」から/);
      if (pattern) assert.match(e.message, pattern);
      return true;
    },
    JSON.stringify(value)?.slice(0, 160),
  );
}

const withForm = (form: unknown) => ({ ...good, form });

void describe('payment window request', () => {
  void it('passes a well-formed request unchanged, as a copy', () => {
    const checked = checkPaymentWindowRequest(structuredClone(good));
    assert.deepEqual(checked, good);
    assert.notEqual(checked.form.fields, good.form.fields);
  });

  void it('refuses what is not a request, or is cut short', () => {
    for (const v of [null, undefined, 'text', 42, [], [good]]) refused(v);
    for (const key of Object.keys(good)) {
      const truncated: Record<string, unknown> = { ...good };
      delete truncated[key];
      refused(truncated);
    }
    refused(withForm({ action: good.form.action }));
    refused(withForm(null));
  });

  void it('refuses unknown keys, at the top and in the form', () => {
    refused({ ...good, preload: '/tmp/x.js' }, /unknown key preload/);
    refused(withForm({ ...good.form, method: 'GET' }), /unknown key form\.method/);
  });

  void it('refuses malformed ids, numbers and dates', () => {
    refused({ ...good, handOffId: 'not-a-uuid' });
    refused({ ...good, handOffId: good.handOffId.toUpperCase() });
    refused({ ...good, arriveId: '12345' });
    refused({ ...good, payNumber: '000000000000020' });
    refused({ ...good, payNumber: 203 });
    refused({ ...good, bankName: '' });
    refused({ ...good, startedAt: '2026-11-30 10:00' });
    refused({ ...good, expiresAt: '2026-02-31T99:00:00Z' });
    refused({ ...good, expiresAt: good.startedAt }, /not after/);
  });

  void it('refuses a window that would outlive the 30 minutes of e-Gov, accepts a shorter one', () => {
    refused({ ...good, expiresAt: '2026-11-30T10:30:00.001Z' }, /more than 30 minutes/);
    assert.equal(checkPaymentWindowRequest({ ...good, expiresAt: '2026-11-30T10:00:01Z' }).expiresAt, '2026-11-30T10:00:01Z');
  });

  void it('refuses huge values and lists', () => {
    refused({ ...good, bankName: 'x'.repeat(201) });
    refused({ ...good, allowedOrigins: [] });
    refused({ ...good, allowedOrigins: Array.from({ length: MAX_ALLOWED_ORIGINS + 1 }, (_, i) => `https://b${i}.example`) });
    refused(withForm({ action: `https://bank.example/${'a'.repeat(2048)}`, fields: {} }));
    refused(withForm({ action: good.form.action, fields: Object.fromEntries(Array.from({ length: MAX_FORM_FIELDS + 1 }, (_, i) => [`f${i}`, 'v'])) }));
    refused(withForm({ action: good.form.action, fields: { big: 'v'.repeat(1025) } }));
    refused(withForm({ action: good.form.action, fields: { ['n'.repeat(101)]: 'v' } }));
  });

  void it('refuses hostile origins', () => {
    const hostile = [
      'http://bank.example',
      'https://bank.example/',
      'https://bank.example/path',
      'https://user@bank.example',
      'HTTPS://BANK.EXAMPLE',
      'http://localhost:40123',
      'http://127.0.0.1',
      'http://127.0.0.2:40123',
      'javascript:alert(1)',
      'data:text/html,x',
      'file:///',
      'null',
      '',
      'https://bank.example\n',
    ];
    for (const origin of hostile) {
      assert.equal(isAllowedOriginText(origin), false, origin);
      refused({ ...good, allowedOrigins: [origin] });
    }
    assert.equal(isAllowedOriginText('http://[::1]:40123'), true);
    refused({ ...good, allowedOrigins: [42] });
  });

  void it('refuses a form action off the allowed origins, or hiding a user name', () => {
    for (const action of ['https://evil.example/', 'https://bank.example.evil.example/', 'https://bank.example@evil.example/', 'https://u:p@bank.example/', 'javascript:alert(1)', 'not a url', 'http://127.0.0.1:40124/']) {
      refused(withForm({ action, fields: {} }), /form\.action/);
    }
  });

  void it('refuses hostile field names and values', () => {
    refused(withForm({ action: good.form.action, fields: { 'a b': 'v' } }));
    refused(withForm({ action: good.form.action, fields: { 'ａ': 'v' } }));
    refused(withForm({ action: good.form.action, fields: { a: 'line\nbreak' } }));
    refused(withForm({ action: good.form.action, fields: { a: 7 } }));
    refused(withForm({ action: good.form.action, fields: JSON.parse('{"__proto__":"x"}') as unknown }), /reserved/);
    refused(withForm({ action: good.form.action, fields: ['a'] }));
  });
});
