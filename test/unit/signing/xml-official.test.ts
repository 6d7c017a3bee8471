import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { certificateFromBase64, parseCertificate } from '../../../src/main/signing/certificate.js';
import { SigningError, type SigningErrorCode } from '../../../src/main/signing/errors.js';
import { verifySignedXml } from '../../../src/main/signing/xml/index.js';
import { egovCertificatePath } from '../../support/egov-signer.js';
import { recordedDir } from '../../support/paths.js';

const OFFICIAL = join(recordedDir, 'officialdocument-verify', '1', 'response-filedata-1', '0000-API-002.xml');
const original = readFileSync(OFFICIAL, 'utf8');
const at2015 = new Date('2015-04-28T12:00:00+09:00');

function keyInfoCertificates(text: string) {
  return [...text.matchAll(/<X509Certificate>([^<]*)<\/X509Certificate>/g)].map((m) => certificateFromBase64(m[1]!));
}

function replaceOnce(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  assert.ok(at >= 0 && text.indexOf(from, at + 1) < 0, `"${from}" must occur exactly once`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

async function rejectsWith(p: Promise<unknown>, code: SigningErrorCode): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof SigningError, `expected SigningError ${code}, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    return true;
  });
}

const verify = (text: string, at = at2015) => verifySignedXml(Buffer.from(text, 'utf8'), { at });

void describe('official profile (官職署名 on a 公文書)', () => {
  void it('the recorded 0000-API-002.xml is CRLF, WithComments SignedInfo, two certificates', () => {
    assert.ok(original.includes('\r\n'));
    assert.ok(original.includes('REC-xml-c14n-20010315#WithComments'));
    assert.equal(keyInfoCertificates(original).length, 2);
  });

  void it('verifies, reports signer and issuer, and trusts its own CA as of 2015-04-28', async () => {
    const ca = keyInfoCertificates(original)[1]!;
    const r = await verifySignedXml(readFileSync(OFFICIAL), { at: at2015, trustAnchors: [ca] });
    assert.equal(r.profile, 'official');
    assert.equal(r.valid, true, r.problems.join('\n'));
    assert.equal(r.signatureValueValid, true);
    assert.deepEqual(r.references, [{ uri: '#DOCBODY', kind: 'element', valid: true }]);
    assert.equal(r.signer.commonName, 'testEE 01A');
    assert.match(r.signer.issuer, /DemoOfficialStatusCA/);
    assert.equal(r.certificates.length, 2);
    assert.equal(r.certificates[0]!.fingerprintSha256, r.signer.fingerprintSha256);
    assert.equal(r.certificates[1]!.selfIssued, true);
    assert.equal(r.validity.state, 'valid');
    assert.equal(r.validity.at, at2015.toISOString());
    assert.equal(r.chain.trusted, true);
    assert.equal(r.chain.anchor?.fingerprintSha256, r.certificates[1]!.fingerprintSha256);
    assert.deepEqual(r.problems, []);
  });

  void it('is expired now, still validly signed, and the chain is judged now too', async () => {
    const ca = keyInfoCertificates(original)[1]!;
    const r = await verifySignedXml(readFileSync(OFFICIAL), { trustAnchors: [ca] });
    assert.equal(r.valid, true);
    assert.equal(r.validity.state, 'expired');
    assert.equal(r.chain.trusted, false);
    assert.match(r.chain.reason ?? '', /有効期限/);
    assert.equal(r.problems.length, 2);
  });

  void it('does not trust it through an unrelated anchor', async () => {
    const unrelated = parseCertificate(readFileSync(egovCertificatePath('e-GovEE01_sha2')));
    const r = await verifySignedXml(readFileSync(OFFICIAL), { at: at2015, trustAnchors: [unrelated] });
    assert.equal(r.valid, true);
    assert.equal(r.chain.trusted, false);
    assert.match(r.chain.reason ?? '', /自己署名証明書/);
  });

  void it('with only the signer certificate in KeyInfo, the anchor completes the chain', async () => {
    const [ee, ca] = keyInfoCertificates(original) as [ReturnType<typeof certificateFromBase64>, ReturnType<typeof certificateFromBase64>];
    const swapped = original
      .replace(ca.raw.toString('base64').slice(0, 60), '@@CA@@')
      .replace(/<X509Certificate>@@CA@@[^<]*<\/X509Certificate>/, '');
    assert.equal(keyInfoCertificates(swapped).length, 1);
    const r = await verify(swapped);
    assert.equal(r.valid, true, 'the signature needs only the signer certificate');
    assert.equal((await verifySignedXml(Buffer.from(swapped), { at: at2015, trustAnchors: [ca] })).chain.trusted, true, 'the anchor itself issued it');
    assert.equal((await verifySignedXml(Buffer.from(swapped), { at: at2015, trustAnchors: [ee] })).chain.trusted, true, 'a trusted end-entity certificate is its own anchor');
  });

  void it('a changed body is invalid', async () => {
    const tampered = original.replace('<REFERENC>\r\n<P>特になし</P>', '<REFERENC>\r\n<P>特にあり</P>');
    assert.notEqual(tampered, original);
    const r = await verify(tampered);
    assert.equal(r.valid, false);
    assert.equal(r.signatureValueValid, true);
    assert.equal(r.references[0]!.valid, false);
    assert.match(r.problems.join(), /BODY の内容が署名後に変更されています/);
  });

  void it('a comment inside SignedInfo breaks the signature (WithComments), one inside BODY does not touch the digest', async () => {
    const inSignedInfo = await verify(replaceOnce(original, '<SignatureMethod', '<!--x--><SignatureMethod'));
    assert.equal(inSignedInfo.signatureValueValid, false);
    const inBody = await verify(replaceOnce(original, '<DOCNO>', '<!--x--><DOCNO>'));
    assert.equal(inBody.valid, true);
  });

  void it('LF line ends verify the same as CRLF (digests are over parsed text)', async () => {
    const r = await verify(original.replace(/\r\n/g, '\n'));
    assert.equal(r.valid, true);
  });

  void describe('signature wrapping', () => {
    const bodyStart = original.indexOf('<BODY ID="DOCBODY">');
    const bodyEnd = original.indexOf('</BODY>') + '</BODY>'.length;
    const body = original.slice(bodyStart, bodyEnd);
    const fake = body.replace('特になし', '全額を支払え');

    void it('a second BODY with ID DOCBODY', async () => {
      await rejectsWith(verify(original.replace(body, fake + body)), 'XML_DUPLICATE_ID');
    });

    void it('an unsigned BODY before the signed one', async () => {
      await rejectsWith(verify(original.replace(body, fake.replace(' ID="DOCBODY"', '') + body)), 'XML_TARGET_MISSING');
    });

    void it('the signed BODY moved into FRONT, a fake one in its place', async () => {
      const moved = original.replace(body, fake.replace(' ID="DOCBODY"', '')).replace('</FRONT>', `${body}</FRONT>`);
      await rejectsWith(verify(moved), 'XML_TARGET_MISSING');
    });

    void it('the signed BODY moved into the Signature, a fake one in its place', async () => {
      const moved = original.replace(body, fake.replace(' ID="DOCBODY"', ' ID="OTHER"')).replace('</KeyInfo>', `</KeyInfo><Object>${body}</Object>`);
      await rejectsWith(verify(moved), 'XML_TARGET_MISSING');
    });

    void it('a Signature moved into BODY', async () => {
      const sigStart = original.indexOf('<Signature');
      const sigEnd = original.indexOf('</Signature>') + '</Signature>'.length;
      const sig = original.slice(sigStart, sigEnd);
      const moved = original.replace(sig, '').replace('</BODY>', `${sig}</BODY>`);
      await rejectsWith(verify(moved), 'SIGNATURE_UNSUPPORTED');
    });
  });
});
