// Unit (Node): the chrome strip's only input, its URL fragment (src/shared/payment-chrome.ts): what the
// host writes reads back the same; anything malformed, huge, hostile or truncated is refused whole.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chromeStateFragment, chromeView, EXPIRED_TEXT, MAX_CHROME_STATE_CHARS, parseChromeState, type ChromeState } from '../../src/shared/payment-chrome.js';

const state: ChromeState = {
  lang: 'ja',
  bankName: 'Todoke練習銀行',
  origin: 'https://www.bank.example',
  expiresAt: '2026-11-30T10:30:00.000Z',
  blocked: { kind: 'navigation', target: 'https://evil.example' },
};

const raw = (v: unknown) => `#${encodeURIComponent(JSON.stringify(v))}`;

void describe('payment chrome state', () => {
  void it('reads back what the host writes, with and without a block', () => {
    assert.deepEqual(parseChromeState(chromeStateFragment(state)), state);
    const quiet = { ...state, lang: 'en' as const, blocked: null, origin: 'http://[::1]:4000' };
    assert.deepEqual(parseChromeState(chromeStateFragment(quiet)), quiet);
  });

  void it('refuses malformed and truncated fragments', () => {
    const whole = chromeStateFragment(state);
    for (const hash of ['', '#', 'x', whole.slice(1), whole.slice(0, whole.length - 3), '#%E3%81', '#null', '#[]', '#"text"', '#42', '#{}']) {
      assert.equal(parseChromeState(hash), null, hash);
    }
  });

  void it('refuses a huge fragment', () => {
    assert.equal(parseChromeState(raw({ ...state, bankName: 'x'.repeat(MAX_CHROME_STATE_CHARS) })), null);
    assert.equal(parseChromeState(`#${' '.repeat(MAX_CHROME_STATE_CHARS)}`), null);
    assert.equal(parseChromeState(raw({ ...state, bankName: 'x'.repeat(201) })), null);
  });

  void it('refuses wrong types, extra or missing keys, unknown kinds', () => {
    const bad: unknown[] = [
      { ...state, lang: 'fr' },
      { ...state, bankName: '' },
      { ...state, bankName: 7 },
      { ...state, expiresAt: 'tomorrow' },
      { ...state, expiresAt: '2026-13-45T99:99:99Z' },
      { ...state, extra: 1 },
      { lang: 'ja', bankName: 'x', origin: 'https://a.example', expiresAt: state.expiresAt },
      { ...state, blocked: { kind: 'teleport', target: 'x' } },
      { ...state, blocked: { kind: 'window' } },
      { ...state, blocked: { kind: 'window', target: 'x', more: 1 } },
      { ...state, blocked: ['window', 'x'] },
      { ...state, blocked: { kind: 'window', target: 'x'.repeat(201) } },
    ];
    for (const v of bad) assert.equal(parseChromeState(raw(v)), null, JSON.stringify(v).slice(0, 120));
  });

  void it('refuses hostile values: a URL with a path, a script scheme, control characters, a prototype key', () => {
    const hostile: unknown[] = [
      { ...state, origin: 'https://bank.example/login?sid=1' },
      { ...state, origin: 'javascript:alert(1)' },
      { ...state, origin: 'https://bank.example"><img src=x>' },
      { ...state, bankName: 'a\u0000b' },
      { ...state, blocked: { kind: 'download', target: 'a\nb' } },
    ];
    for (const v of hostile) assert.equal(parseChromeState(raw(v)), null, JSON.stringify(v));
    assert.equal(parseChromeState('#{"__proto__":{"lang":"ja"},"lang":"ja","bankName":"x","origin":"https://a.example","expiresAt":"2026-11-30T10:30:00Z"}'), null);
  });

  void it('the view: host emphasised apart from scheme and port, lock only for https, countdown then expiry text', () => {
    const at = Date.parse('2026-11-30T10:00:19Z');
    const v = chromeView({ ...state, origin: 'https://www.bank.example:8443' }, at);
    assert.deepEqual([v.scheme, v.host, v.port, v.secure], ['https://', 'www.bank.example', ':8443', true]);
    assert.equal(v.countdown, '残り 29:41');
    assert.equal(v.phase, 'running');
    assert.equal(v.message, 'ブロックしました: https://evil.example への移動（電子納付対応金融機関一覧にないサイト）');
    assert.equal(v.title, 'Todoke — 銀行サイト（Todoke練習銀行）');
    const loopback = chromeView({ ...state, origin: 'http://[::1]:4000', blocked: null, lang: 'en' }, at);
    assert.deepEqual([loopback.scheme, loopback.host, loopback.port, loopback.secure, loopback.message], ['http://', '[::1]', ':4000', false, '']);
    assert.equal(loopback.countdown, '29:41 left');
    assert.equal(chromeView(state, Date.parse('2026-11-30T10:26:00Z')).phase, 'last-5-minutes');
    const expired = chromeView(state, Date.parse('2026-11-30T10:30:00Z'));
    assert.equal(expired.phase, 'expired');
    assert.equal(expired.message, EXPIRED_TEXT.ja, 'the expiry outranks the last refusal');
  });
});
