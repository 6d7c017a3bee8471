// Unit (Node): the hand-off window's policy (src/main/payments/hand-off-policy.ts) — which documents,
// subresources and pop-ups the bank window may load, the short targets it reports, the form body and
// the countdown; and the words and state of the chrome strip (src/shared/payment-chrome.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formBody, judgeDocument, judgePopup, judgeSubresource, remaining, shortTarget, targetOf } from '../../src/main/payments/hand-off-policy.js';
import { blockedText, EXPIRED_TEXT, PAYMENT_WINDOW_BLOCK_KINDS } from '../../src/shared/payment-chrome.js';

const rules = { allowedOrigins: ['https://bank.example', 'https://www.xn--bcher-kva.example', 'https://port.example:8443', 'http://127.0.0.1:40123'] };

void describe('hand-off policy: documents', () => {
  void it('allows exactly the listed origins, with any path, query and fragment', () => {
    for (const url of ['https://bank.example/', 'https://bank.example/login?sid=abc#top', 'https://BANK.example/x', 'https://bank.example:443/', 'https://port.example:8443/a', 'http://127.0.0.1:40123/standin-bank/']) {
      const v = judgeDocument(rules, url);
      assert.equal(v.allowed, true, url);
    }
    assert.deepEqual(judgeDocument(rules, 'https://bank.example/login?sid=secret'), { allowed: true, origin: 'https://bank.example' });
  });

  void it('compares IDN hosts as their punycode: the listed one passes, a look-alike does not', () => {
    assert.equal(judgeDocument(rules, 'https://www.bücher.example/').allowed, true);
    const lookAlike = judgeDocument(rules, 'https://bаnk.example/'); // Cyrillic а
    assert.equal(lookAlike.allowed, false);
    assert.ok(!lookAlike.allowed && lookAlike.target.startsWith('https://xn--'), JSON.stringify(lookAlike));
  });

  void it('refuses every other origin and scheme with a navigation block', () => {
    const hostile = [
      'https://evil.example/',
      'https://bank.example@evil.example/',
      'https://user:pass@bank.example/',
      'https://bank.example./',
      'https://bank.example.evil.example/',
      'https://evil.example/https://bank.example/',
      'https://bank.example:8443/',
      'https://port.example/',
      'http://127.0.0.1:40124/',
      'http://[::1]:40123/',
      'http://localhost:40123/',
      'javascript:alert(document.cookie)',
      'data:text/html,<script>alert(1)</script>',
      'blob:https://bank.example/1234',
      'file:///etc/passwd',
      'chrome://settings',
      'devtools://devtools/bundled/inspector.html',
      'about:blank',
      'about:srcdoc',
      'not a url',
      '',
    ];
    for (const url of hostile) {
      const v = judgeDocument(rules, url);
      assert.equal(v.allowed, false, url);
      assert.ok(!v.allowed && (v.kind === 'navigation' || v.kind === 'insecure'), url);
    }
  });

  void it('names plain http to a real host as insecure, even for a listed host name', () => {
    assert.deepEqual(judgeDocument(rules, 'http://bank.example/login'), { allowed: false, kind: 'insecure', target: 'http://bank.example' });
  });

  void it('about:blank passes only as the first document of a pop-up', () => {
    assert.equal(judgeDocument(rules, 'about:blank', { firstPopupDocument: true }).allowed, true);
    assert.equal(judgeDocument(rules, 'about:blank').allowed, false);
    assert.equal(judgeDocument(rules, 'about:blank#x', { firstPopupDocument: true }).allowed, false);
    assert.equal(judgeDocument(rules, 'https://evil.example/', { firstPopupDocument: true }).allowed, false);
  });

  void it('reports an origin or a scheme, never the path, query or a data payload, at most 200 characters', () => {
    const v = judgeDocument(rules, 'https://evil.example/pay?session=SECRET');
    assert.deepEqual(v, { allowed: false, kind: 'navigation', target: 'https://evil.example' });
    assert.equal(targetOf('data:text/html,SECRET'), 'data:');
    assert.equal(targetOf('javascript:SECRET()'), 'javascript:');
    assert.equal(targetOf('https://user:SECRET@evil.example/'), 'https://evil.example');
    assert.equal(targetOf('::'), '(malformed URL)');
    const long = targetOf(`https://${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.example/`);
    assert.ok(long.length <= 200, String(long.length));
    assert.equal(shortTarget(`x\u0000y\nz${'w'.repeat(300)}`).length, 200);
    assert.ok(!shortTarget('a\u0007b').includes('\u0007'));
  });
});

void describe('hand-off policy: subresources', () => {
  void it('any https or wss origin, data: and blob:, the listed loopback origin', () => {
    for (const url of ['https://cdn.other.example/app.js', 'wss://push.other.example/', 'data:image/png;base64,AAAA', 'blob:https://bank.example/1', 'http://127.0.0.1:40123/style.css', 'ws://127.0.0.1:40123/x']) {
      assert.equal(judgeSubresource(rules, url).allowed, true, url);
    }
  });

  void it('never plain http or ws to anything else, nor userinfo, files or odd schemes', () => {
    for (const url of ['http://cdn.example/app.js', 'ws://cdn.example/', 'http://127.0.0.1:9/x', 'http://bank.example/x.js']) {
      const v = judgeSubresource(rules, url);
      assert.ok(!v.allowed && v.kind === 'insecure', url);
    }
    for (const url of ['https://u:p@cdn.example/x.js', 'file:///etc/passwd', 'chrome://gpu', 'javascript:1', 'nonsense']) {
      const v = judgeSubresource(rules, url);
      assert.ok(!v.allowed && v.kind === 'navigation', url);
    }
  });
});

void describe('hand-off policy: pop-ups', () => {
  void it('a listed URL opens in the same window', () => {
    assert.deepEqual(judgePopup(rules, 'https://bank.example/login'), { action: 'same-window', url: 'https://bank.example/login', origin: 'https://bank.example' });
  });

  void it('anything else is refused as a window, about:blank and plain http included', () => {
    assert.deepEqual(judgePopup(rules, 'https://evil.example/x?y'), { action: 'refuse', kind: 'window', target: 'https://evil.example' });
    assert.deepEqual(judgePopup(rules, 'about:blank'), { action: 'refuse', kind: 'window', target: 'about:' });
    assert.deepEqual(judgePopup(rules, ''), { action: 'refuse', kind: 'window', target: '(malformed URL)' });
    assert.deepEqual(judgePopup(rules, 'http://evil.example/'), { action: 'refuse', kind: 'insecure', target: 'http://evil.example' });
  });
});

void describe('hand-off policy: form and countdown', () => {
  void it('encodes the form fields in order, urlencoded', () => {
    assert.equal(formBody({ facility: '10005', payNumber: '0000000000000203', note: 'あ &=+' }), 'facility=10005&payNumber=0000000000000203&note=%E3%81%82+%26%3D%2B');
    assert.equal(formBody({}), '');
  });

  void it('counts down in mm:ss, rounding up, with the last five minutes and expiry', () => {
    const start = Date.parse('2026-11-30T10:00:00Z');
    const end = '2026-11-30T10:30:00Z';
    assert.deepEqual(remaining(start, end), { ms: 1_800_000, text: '30:00', phase: 'running' });
    assert.deepEqual(remaining(start + 19_000, end), { ms: 1_781_000, text: '29:41', phase: 'running' });
    assert.equal(remaining(start + 25 * 60_000 - 1, end).phase, 'running');
    assert.deepEqual(remaining(start + 25 * 60_000, end), { ms: 300_000, text: '05:00', phase: 'last-5-minutes' });
    assert.deepEqual(remaining(start + 30 * 60_000 - 1, end), { ms: 1, text: '00:01', phase: 'last-5-minutes' });
    assert.deepEqual(remaining(start + 30 * 60_000, end), { ms: 0, text: '00:00', phase: 'expired' });
    assert.deepEqual(remaining(start + 99 * 60_000, end), { ms: 0, text: '00:00', phase: 'expired' });
  });

  void it('a malformed expiry counts as expired, never as endless', () => {
    assert.equal(remaining(0, 'tomorrow').phase, 'expired');
    assert.equal(remaining(Number.NaN, Date.now()).phase, 'expired');
    assert.equal(remaining(0, Number.POSITIVE_INFINITY).phase, 'expired');
  });

  void it('has Japanese and English words for every block kind, naming the target', () => {
    for (const kind of PAYMENT_WINDOW_BLOCK_KINDS) {
      const ja = blockedText(kind, 'https://evil.example', 'ja');
      const en = blockedText(kind, 'https://evil.example', 'en');
      assert.ok(ja.startsWith('ブロックしました: '), ja);
      assert.ok(en.startsWith('Blocked: '), en);
      if (kind !== 'webview') assert.ok(ja.includes('https://evil.example') && en.includes('https://evil.example'), kind);
    }
    assert.equal(blockedText('navigation', 'https://evil.example', 'ja'), 'ブロックしました: https://evil.example への移動（電子納付対応金融機関一覧にないサイト）');
    assert.ok(EXPIRED_TEXT.ja.startsWith('ログインの期限（30分）を過ぎました。'));
  });
});
