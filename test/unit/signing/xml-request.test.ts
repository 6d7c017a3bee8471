import assert from 'node:assert/strict';
import { createHash, createPrivateKey } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseCertificate } from '../../../src/main/signing/certificate.js';
import { SigningError, type SigningErrorCode } from '../../../src/main/signing/errors.js';
import { KeyObjectSigner } from '../../../src/main/signing/signer.js';
import { parseXmlSafely, signRequestBody, verifySignedXml, xmlText, type VerificationReport } from '../../../src/main/signing/xml/index.js';
import { egovCertificatePath, generatedSigner, openEgovSigner } from '../../support/egov-signer.js';
import { egovDir, recordedDir } from '../../support/paths.js';

const REGISTER = join(recordedDir, 'register', 'request.xml');
/** REFERENCE Appendix C.1 */
const REGISTER_SHA256 = '97daf27549d6db5099c5c2b08f00216e67d0d4aaaaaa6b56353629b87db2a177';

const RECORDED_SIGNED_REQUESTS = [
  'recorded/register',
  'recorded/certificate-append/1',
  'recorded/certificate-append/2',
  'recorded/certificate-delete/1',
  'recorded/certificate-delete/2',
  'recorded/certificate-delete/3',
  'recorded-history/register-already-registered-400',
];

async function rejectsWith(p: Promise<unknown>, code: SigningErrorCode): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof SigningError, `expected SigningError ${code}, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    assert.ok(e.messageJa.length > 0);
    return true;
  });
}

function recordedAt(folder: string): Date {
  const meta = JSON.parse(readFileSync(join(egovDir, folder, 'meta.json'), 'utf8')) as { recorded_at: string };
  const at = new Date(meta.recorded_at);
  assert.ok(!Number.isNaN(at.getTime()), `recorded_at of ${folder}`);
  return at;
}

/** Replaces exactly one occurrence, so a test cannot silently tamper with nothing. */
function replaceOnce(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  assert.ok(at >= 0 && text.indexOf(from, at + 1) < 0, `"${from}" must occur exactly once`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

function between(text: string, open: string, close: string): { start: number; end: number } {
  const start = text.indexOf(open) + open.length;
  const end = text.indexOf(close, start);
  assert.ok(start >= open.length && end > start);
  return { start, end };
}

/** Changes the character at `index` to another base64 character. */
function flipAt(text: string, index: number): string {
  const c = text[index]!;
  return text.slice(0, index) + (c === 'A' ? 'B' : 'A') + text.slice(index + 1);
}

const at2015 = new Date('2015-04-28T12:00:00+09:00');

void describe('request profile: signRequestBody', () => {
  let ee01: KeyObjectSigner;
  before(() => {
    ee01 = openEgovSigner('e-GovEE01_sha2');
  });
  after(async () => {
    await ee01.close();
  });

  void it('reproduces the recorded 利用者ID登録 body byte for byte (golden vector)', async () => {
    const body = await signRequestBody('<UserID>150428114507</UserID>', ee01, { signatureId: '20150428114507' });
    const recorded = readFileSync(REGISTER);
    assert.equal(createHash('sha256').update(recorded).digest('hex'), REGISTER_SHA256, 'the recorded file is the one REFERENCE C.1 describes');
    assert.equal(body, recorded.toString('utf8'));
    assert.ok(Buffer.from(body, 'utf8').equals(recorded));
  });

  void it('signs what our verifier accepts, with the signer reported', async () => {
    const body = await signRequestBody(`<UserID>${xmlText('A&B<C>"\'')}</UserID>`, ee01, { signatureId: 'x-1' });
    const report = await verifySignedXml(Buffer.from(body), { at: at2015 });
    assert.equal(report.profile, 'request');
    assert.equal(report.valid, true, report.problems.join('\n'));
    assert.equal(report.signer.commonName, 'Ichiro Madoguchi');
    assert.equal(parseXmlSafely(body).getElementsByTagName('UserID')[0]!.textContent, 'A&B<C>"\'');
  });

  void it('signs with a freshly generated key too', async () => {
    const { signer } = generatedSigner();
    const body = await signRequestBody('<UserID>u</UserID><X509Certificate>AAAA\nBBBB</X509Certificate>', signer, { signatureId: '20250101000000' });
    const report = await verifySignedXml(Buffer.from(body), { trustAnchors: [signer.certificate] });
    assert.equal(report.valid, true, report.problems.join('\n'));
    assert.equal(report.validity.state, 'valid');
    assert.equal(report.chain.trusted, true);
    assert.deepEqual(report.problems, []);
  });

  void it('refuses a key that does not match the certificate', async () => {
    const { keyPem } = generatedSigner();
    const mismatched = new KeyObjectSigner('pem', createPrivateKey(keyPem), ee01.certificate);
    await rejectsWith(signRequestBody('<UserID>1</UserID>', mismatched, { signatureId: '1' }), 'KEY_CERT_MISMATCH');
  });

  void it('refuses bad signature Ids and inner XML that escapes ApplData', async () => {
    await rejectsWith(signRequestBody('<UserID>1</UserID>', ee01, { signatureId: 'a"b' }), 'SIGNATURE_ID_INVALID');
    await rejectsWith(signRequestBody('<UserID>1</UserID>', ee01, { signatureId: '' }), 'SIGNATURE_ID_INVALID');
    await rejectsWith(signRequestBody('<UserID>1</UserID>', ee01, { signatureId: 'ApplData' }), 'XML_DUPLICATE_ID');
    await rejectsWith(signRequestBody('</ApplData><ApplData Id="x">', ee01, { signatureId: '1' }), 'XML_MALFORMED');
    await rejectsWith(signRequestBody('<UserID>1', ee01, { signatureId: '1' }), 'XML_MALFORMED');
    await rejectsWith(signRequestBody('<UserID>AT&T</UserID>', ee01, { signatureId: '1' }), 'XML_MALFORMED');
    await rejectsWith(signRequestBody('<X Id="ApplData"/>', ee01, { signatureId: '1' }), 'XML_DUPLICATE_ID');
    await rejectsWith(
      signRequestBody('<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"/>', ee01, { signatureId: '1' }),
      'SIGNATURE_UNSUPPORTED',
    );
  });

  void it('xmlText escapes markup and refuses characters XML cannot carry', () => {
    assert.equal(xmlText('a&b<c>d"e\'f\r'), 'a&amp;b&lt;c&gt;d"e\'f&#xD;');
    assert.throws(() => xmlText('a\u0000b'), (e: unknown) => e instanceof SigningError && e.code === 'XML_MALFORMED');
  });
});

void describe('request profile: verification of recorded requests', () => {
  for (const folder of RECORDED_SIGNED_REQUESTS) {
    void it(`${folder}/request.xml verifies as of its recording time and is expired now`, async () => {
      const file = join(egovDir, folder, 'request.xml');
      assert.ok(existsSync(file), `${file} is part of the reference material`);
      const xml = readFileSync(file);
      const then = await verifySignedXml(xml, { at: recordedAt(folder) });
      assert.equal(then.valid, true, then.problems.join('\n'));
      assert.equal(then.signatureValueValid, true);
      assert.deepEqual(then.references, [{ uri: '#ApplData', kind: 'element', valid: true }]);
      assert.equal(then.validity.state, 'valid');
      assert.deepEqual(then.problems, []);
      const now = await verifySignedXml(xml);
      assert.equal(now.valid, true, 'validity is reported beside the signature, not folded into it');
      assert.equal(now.validity.state, 'expired');
      assert.equal(now.problems.length, 1);
      assert.match(now.problems[0]!, /有効期限/);
    });
  }

  void it('the two requests with the filtered user ID cannot even be parsed (README of egov-v1)', () => {
    for (const folder of ['recorded/login', 'recorded/certificate-update']) {
      const xml = readFileSync(join(egovDir, folder, 'request.xml'));
      assert.ok(xml.includes('<EGOV-TEST-USER-ID>'));
      assert.throws(() => parseXmlSafely(xml), (e: unknown) => e instanceof SigningError && e.code === 'XML_MALFORMED');
    }
  });

  void it('judges the chain against trust anchors at the given time', async () => {
    const xml = readFileSync(REGISTER);
    const ee01Cert = parseCertificate(readFileSync(egovCertificatePath('e-GovEE01_sha2')));
    const ee02Cert = parseCertificate(readFileSync(egovCertificatePath('e-GovEE02_sha2')));
    const own = await verifySignedXml(xml, { at: at2015, trustAnchors: [ee01Cert] });
    assert.equal(own.chain.trusted, true);
    assert.equal(own.chain.anchor?.commonName, 'Ichiro Madoguchi');
    const later = await verifySignedXml(xml, { trustAnchors: [ee01Cert] });
    assert.equal(later.chain.trusted, false);
    assert.match(later.chain.reason ?? '', /有効期限/);
    const stranger = await verifySignedXml(xml, { at: at2015, trustAnchors: [ee02Cert] });
    assert.equal(stranger.chain.trusted, false);
    assert.equal(stranger.valid, true);
    assert.ok(stranger.problems.some((p) => p.includes('信頼できません')));
    const none = await verifySignedXml(xml, { at: at2015 });
    assert.equal(none.chain.trusted, null);
  });
});

void describe('request profile: tampering', () => {
  const original = readFileSync(REGISTER, 'utf8');
  const verify = (text: string): Promise<VerificationReport> => verifySignedXml(Buffer.from(text, 'utf8'), { at: at2015 });

  void it('one byte of ApplData content', async () => {
    const r = await verify(replaceOnce(original, '<UserID>150428114507<', '<UserID>150428114508<'));
    assert.equal(r.valid, false);
    assert.equal(r.signatureValueValid, true);
    assert.equal(r.references[0]!.valid, false);
    assert.match(r.problems.join(), /ApplData の内容が署名後に変更されています/);
  });

  void it('one byte of SignedInfo (the DigestValue)', async () => {
    const { start } = between(original, '<DigestValue>', '</DigestValue>');
    const r = await verify(flipAt(original, start + 5));
    assert.equal(r.valid, false);
    assert.equal(r.signatureValueValid, false);
    assert.equal(r.references[0]!.valid, false);
  });

  void it('one byte of SignedInfo outside any value (whitespace between its elements)', async () => {
    const r = await verify(replaceOnce(original, '<SignatureMethod', ' <SignatureMethod'));
    assert.equal(r.valid, false);
    assert.equal(r.signatureValueValid, false);
    assert.equal(r.references[0]!.valid, true);
  });

  void it('one byte of SignatureValue', async () => {
    const { start } = between(original, '<SignatureValue>', '</SignatureValue>');
    const r = await verify(flipAt(original, start + 100));
    assert.equal(r.valid, false);
    assert.equal(r.signatureValueValid, false);
    assert.match(r.problems.join(), /署名値/);
  });

  void it('one byte of the certificate (inside its public key)', async () => {
    const spkiStart = original.indexOf('AOCAQ8AMIIBCgKCAQEA');
    assert.ok(spkiStart > 0);
    const r = await verify(flipAt(original, spkiStart + 19 + 40));
    assert.equal(r.valid, false);
    assert.equal(r.signatureValueValid, false);
  });

  void it('a certificate that is no longer DER', async () => {
    const { start, end } = between(original, '<X509Certificate>', '</X509Certificate>');
    await rejectsWith(verify(original.slice(0, start) + original.slice(start, end - 200) + original.slice(end)), 'CERT_FORMAT');
    await rejectsWith(verify(original.slice(0, start) + '%%%%' + original.slice(end)), 'CERT_FORMAT');
  });

  void it('a SignatureValue that is not base64 is reported, not thrown', async () => {
    const { start, end } = between(original, '<SignatureValue>', '</SignatureValue>');
    const r = await verify(original.slice(0, start) + '!!!' + original.slice(end));
    assert.equal(r.signatureValueValid, false);
  });
});

void describe('request profile: hostile documents', () => {
  const original = readFileSync(REGISTER, 'utf8');
  const verify = (text: string) => verifySignedXml(Buffer.from(text, 'utf8'), { at: at2015 });
  const signedApplData = '<ApplData Id="ApplData"><UserID>150428114507</UserID></ApplData>';

  void it('a second, unsigned ApplData before the signed one (what a codec would read first)', async () => {
    await rejectsWith(verify(replaceOnce(original, '<DataRoot>', '<DataRoot><ApplData><UserID>evil</UserID></ApplData>')), 'XML_TARGET_MISSING');
  });

  void it('the signed ApplData moved into a wrapper, a fake one in its place', async () => {
    const wrapped = replaceOnce(original, signedApplData, `<ApplData Id="Fake"><UserID>evil</UserID></ApplData><Wrapper>${signedApplData}</Wrapper>`);
    await rejectsWith(verify(wrapped), 'XML_TARGET_MISSING');
  });

  void it('the signed ApplData moved inside the Signature, a fake one in its place', async () => {
    const moved = replaceOnce(
      replaceOnce(original, signedApplData, '<ApplData><UserID>evil</UserID></ApplData>'),
      '</KeyInfo>',
      `</KeyInfo><Object>${signedApplData}</Object>`,
    );
    await rejectsWith(verify(moved), 'XML_TARGET_MISSING');
  });

  void it('two elements with the same Id', async () => {
    await rejectsWith(verify(replaceOnce(original, '<UserID>', '<UserID Id="ApplData">')), 'XML_DUPLICATE_ID');
    await rejectsWith(verify(replaceOnce(original, 'Id="20150428114507"', 'Id="ApplData"')), 'XML_DUPLICATE_ID');
  });

  void it('a reference to another element', async () => {
    await rejectsWith(verify(replaceOnce(replaceOnce(original, '<UserID>', '<UserID Id="u">'), 'URI="#ApplData"', 'URI="#u"')), 'XML_TARGET_MISSING');
    await rejectsWith(verify(replaceOnce(original, 'URI="#ApplData"', 'URI="#nowhere"')), 'XML_TARGET_MISSING');
  });

  void it('algorithms outside the profile', async () => {
    await rejectsWith(verify(replaceOnce(original, '2001/04/xmldsig-more#rsa-sha256', '2000/09/xmldsig#rsa-sha1')), 'SIGNATURE_UNSUPPORTED');
    await rejectsWith(verify(replaceOnce(original, '2001/04/xmlenc#sha256', '2000/09/xmldsig#sha1')), 'SIGNATURE_UNSUPPORTED');
    for (const c14n of ['http://www.w3.org/2001/10/xml-exc-c14n#', 'http://www.w3.org/2006/12/xml-c14n11']) {
      const changed = replaceOnce(original, 'TR/2001/REC-xml-c14n-20010315"/><SignatureMethod', `${c14n.slice('http://www.w3.org/'.length)}"/><SignatureMethod`);
      await rejectsWith(verify(changed), 'SIGNATURE_UNSUPPORTED');
    }
    const xpath =
      '<Transform Algorithm="http://www.w3.org/TR/1999/REC-xpath-19991116"><XPath>not(ancestor-or-self::UserID)</XPath></Transform>';
    await rejectsWith(verify(replaceOnce(original, '<Transforms>', `<Transforms>${xpath}`)), 'SIGNATURE_UNSUPPORTED');
    await rejectsWith(
      verify(replaceOnce(original, '<SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>', '<SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"><HMACOutputLength>8</HMACOutputLength></SignatureMethod>')),
      'SIGNATURE_UNSUPPORTED',
    );
  });

  void it('key material from elsewhere', async () => {
    await rejectsWith(verify(replaceOnce(original, '<KeyInfo>', '<KeyInfo><RetrievalMethod URI="http://127.0.0.1/key"/>')), 'SIGNATURE_UNSUPPORTED');
    const { start, end } = between(original, '<KeyInfo>', '</KeyInfo>');
    await rejectsWith(verify(original.slice(0, start) + '<KeyName>k</KeyName>' + original.slice(end)), 'SIGNATURE_UNSUPPORTED');
  });

  void it('no signature, two signatures, a stray element beside them', async () => {
    const { start } = between(original, '</ApplData>', '</DataRoot>');
    const sigEnd = original.indexOf('</DataRoot>');
    const signature = original.slice(start, sigEnd);
    await rejectsWith(verify(original.slice(0, start) + original.slice(sigEnd)), 'SIGNATURE_MISSING');
    await rejectsWith(verify(original.slice(0, sigEnd) + signature + original.slice(sigEnd)), 'XML_DUPLICATE_ID');
    const second = signature.replace('Id="20150428114507"', 'Id="second"');
    await rejectsWith(verify(original.slice(0, sigEnd) + second + original.slice(sigEnd)), 'SIGNATURE_UNSUPPORTED');
    await rejectsWith(verify(replaceOnce(original, '</KeyInfo>', '</KeyInfo><Object>x</Object>')), 'SIGNATURE_UNSUPPORTED');
    await rejectsWith(verify(replaceOnce(original, '</DataRoot>', '<Extra/></DataRoot>')), 'SIGNATURE_UNSUPPORTED');
  });

  void it('a profile that does not match the document', async () => {
    await rejectsWith(verifySignedXml(Buffer.from(original), { profile: 'kousei' }), 'SIGNATURE_UNSUPPORTED');
    await rejectsWith(verifySignedXml(Buffer.from(original), { profile: 'official' }), 'SIGNATURE_UNSUPPORTED');
  });

  void it('an ECDSA certificate behind an rsa-sha256 SignatureMethod (algorithm confusion)', async () => {
    const { signer: ec } = generatedSigner({ keyType: 'ec' });
    const { start, end } = between(original, '<X509Certificate>', '</X509Certificate>');
    const { start: sv, end: svEnd } = between(original, '<SignatureValue>', '</SignatureValue>');
    const signedInfo = original.slice(original.indexOf('<SignedInfo>'), original.indexOf('</SignedInfo>') + '</SignedInfo>'.length);
    const canonical = signedInfo.replace('<SignedInfo>', '<SignedInfo xmlns="http://www.w3.org/2000/09/xmldsig#">').replace(/<(\w+) Algorithm="([^"]*)"\/>/g, '<$1 Algorithm="$2"></$1>');
    const ecdsa = (await ec.sign(Buffer.from(canonical, 'utf8'))).toString('base64');
    let forged = original.slice(0, start) + ec.certificate.raw.toString('base64') + original.slice(end);
    forged = forged.slice(0, sv) + ecdsa + forged.slice(svEnd);
    const r = await verify(forged);
    assert.equal(r.valid, false);
    assert.equal(r.signatureValueValid, false);
    assert.match(r.problems.join(), /RSA ではない/);
  });
});
