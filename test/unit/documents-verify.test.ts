import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { remoteVerdict, verifyOfficialDocument } from '../../src/main/documents/verify-document.js';
import { certificateFromBase64, parseCertificate } from '../../src/main/signing/certificate.js';
import { recordedDir, repoRoot } from '../support/paths.js';

const SIGNED = readFileSync(join(recordedDir, 'officialdocument-verify', '1', 'response-filedata-1', '0000-API-002.xml'));
const UNSIGNED = readFileSync(join(recordedDir, 'officialdocument', 'response-filedata-1', '0000-API-001.xml'));
const text = SIGNED.toString('utf8');
const [, demoCa] = [...text.matchAll(/<X509Certificate>([^<]*)<\/X509Certificate>/g)].map((m) => certificateFromBase64(m[1]!));
const sandboxKanshokuCa = parseCertificate(readFileSync(join(repoRoot, 'assets', 'sandbox-pki', 'kanshoku-ca.cert.pem')));
const issued2015 = new Date('2015-04-28T12:00:00+09:00');
const now = new Date('2026-11-30T10:00:00Z');

const verify = (xml: Uint8Array, anchors = [demoCa!], issuedAt = issued2015) =>
  verifyOfficialDocument({ xml, fileName: '0000-API-002.xml', issuedAt, anchors, now });

void describe('verifyOfficialDocument (Todoke checks a 公文書 itself)', () => {
  void it('the recorded signed 公文書 is valid as of its issue, with its signer expired today', async () => {
    const v = await verify(SIGNED);
    assert.equal(v.verdict, 'valid', v.problems.join('\n'));
    assert.deepEqual(v.problems, []);
    assert.equal(v.signer?.commonName, 'testEE 01A');
    assert.equal(v.certificates.length, 2);
    assert.match(v.anchor?.subject ?? '', /DemoOfficialStatusCA/);
    assert.equal(v.signerValidityNow, 'expired');
    assert.equal(v.judgedAt, issued2015.toISOString());
    assert.ok(v.checks.length >= 4);
    assert.ok(v.checks.every((c) => c.ok === true), JSON.stringify(v.checks));
  });

  void it('without anchors the signature checks out but the document is untrusted, never valid', async () => {
    const v = await verify(SIGNED, []);
    assert.equal(v.verdict, 'untrusted');
    assert.equal(v.checks.at(-1)?.ok, null);
    assert.ok(v.problems.some((p) => p.includes('官職認証局')));
  });

  void it('a signer that does not chain to the configured CA is untrusted', async () => {
    const v = await verify(SIGNED, [sandboxKanshokuCa]);
    assert.equal(v.verdict, 'untrusted');
    assert.equal(v.checks.at(-1)?.ok, false);
  });

  void it('issued after the signer expired: untrusted, with the expiry named', async () => {
    const v = await verify(SIGNED, [demoCa!], new Date('2020-01-01T00:00:00+09:00'));
    assert.equal(v.verdict, 'untrusted');
    assert.ok(v.problems.some((p) => p.includes('有効期限')), v.problems.join('\n'));
  });

  void it('a changed BODY is invalid, whatever the chain says', async () => {
    const tampered = Buffer.from(text.replace('特になし', '特にあり'), 'utf8');
    assert.notEqual(tampered.toString('utf8'), text);
    const v = await verify(tampered);
    assert.equal(v.verdict, 'invalid');
    assert.ok(v.checks.some((c) => c.ok === false && c.label.includes('#DOCBODY')));
  });

  void it('a changed SignatureValue is invalid', async () => {
    const m = /<SignatureValue>([A-Za-z0-9+/])/.exec(text)!;
    const flipped = m[1] === 'A' ? 'B' : 'A';
    const tampered = Buffer.from(text.replace(m[0], `<SignatureValue>${flipped}`), 'utf8');
    const v = await verify(tampered);
    assert.equal(v.verdict, 'invalid');
    assert.equal(v.checks[0]?.ok, false);
  });

  void it('an unsigned 公文書 is reported as unsigned, not as an error', async () => {
    const v = await verify(UNSIGNED);
    assert.equal(v.verdict, 'unsigned');
    assert.deepEqual(v.problems, []);
    assert.equal(v.signer, null);
  });

  void it('malformed, truncated, hostile and oversized XML are unverifiable with a reason', async () => {
    const cases: [string, Uint8Array][] = [
      ['garbage', Buffer.from('not xml at all')],
      ['truncated', SIGNED.subarray(0, Math.floor(SIGNED.length / 2))],
      ['doctype', Buffer.from('<?xml version="1.0"?><!DOCTYPE DOC [<!ENTITY x SYSTEM "file:///etc/passwd">]><DOC>&x;</DOC>')],
      ['empty', new Uint8Array(0)],
    ];
    for (const [name, xml] of cases) {
      const v = await verify(xml);
      assert.equal(v.verdict, 'unverifiable', name);
      assert.equal(v.problems.length, 1, name);
      assert.ok(v.problems[0]!.length > 5, name);
    }
    const big = await verifyOfficialDocument({ xml: SIGNED, fileName: 'x.xml', issuedAt: issued2015, anchors: [demoCa!], now, maxBytes: 100 });
    assert.equal(big.verdict, 'unverifiable');
  });
});

void describe('remoteVerdict (e-Gov 公文書署名検証 read as one answer)', () => {
  const official = { validationResult: '正常です。' };
  void it('the recorded answer is ok', () => assert.equal(remoteVerdict({ errorCount: 0, official }), true));
  void it('errors counted, an error text or no Official block are not ok', () => {
    assert.equal(remoteVerdict({ errorCount: 1, official }), false);
    assert.equal(remoteVerdict({ errorCount: 0, official: { validationResult: '署名検証結果はエラーです。' } }), false);
    assert.equal(remoteVerdict({ errorCount: 0, official: { validationResult: '' } }), false);
    assert.equal(remoteVerdict({ errorCount: 0, official: null }), false);
  });
});
