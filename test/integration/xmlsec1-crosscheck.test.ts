// xmlsec1 (libxmlsec1 + libxml2 + OpenSSL) is the independent verifier: what Todoke signs must pass
// it, and what Todoke's verifier rejects after tampering must fail it too. Each signer kind is one
// case below; a PKCS#11 signer is added by one more entry in SIGNERS.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Signer } from '../../src/main/signing/signer.js';
import { folderFileReader, signKouseiInFolder, signRequestBody, verifySignedXml } from '../../src/main/signing/xml/index.js';
import { openPkcs11Signer } from '../../src/main/signing/pkcs11/index.js';
import { generatedSigner } from '../support/egov-signer.js';
import { createSoftHsmToken, type SoftHsmToken } from '../support/softhsm.js';
import { recordedDir } from '../support/paths.js';

const APPLY_FOLDER = join(recordedDir, 'apply', 'request-filedata-1', '900A010200001000(1)');
const FORM = '900A01020000100001_01.xml';

interface Xmlsec1Result {
  ok: boolean;
  output: string;
}

function xmlsec1Verify(file: string, args: string[], cwd: string): Xmlsec1Result {
  const r = spawnSync('xmlsec1', ['--verify', ...args, file], { cwd, encoding: 'utf8' });
  if (r.error) throw r.error;
  const output = `${r.stdout}${r.stderr}`;
  return { ok: r.status === 0 && /^OK$/m.test(output), output };
}

function prepareApplicationFolder(workDir: string, name: string, edit?: (kousei: string) => string): string {
  const dir = join(workDir, name);
  mkdirSync(dir);
  cpSync(APPLY_FOLDER, dir, { recursive: true });
  for (const f of readdirSync(dir)) chmodSync(join(dir, f), 0o644);
  if (edit) writeFileSync(join(dir, 'kousei.xml'), edit(readFileSync(join(dir, 'kousei.xml'), 'utf8')));
  return dir;
}

/** Signs a request body and a kousei (raw reference form) with `signer`; xmlsec1 must agree with us. */
async function crossCheck(signer: Signer, workDir: string): Promise<void> {
  const trusted = join(workDir, 'trusted.pem');
  writeFileSync(trusted, signer.certificate.toString());

  // Request profile.
  const body = await signRequestBody('<UserID>todoke-xmlsec1</UserID>', signer, { signatureId: '20250101090000' });
  writeFileSync(join(workDir, 'request.xml'), body);
  const request = xmlsec1Verify('request.xml', ['--id-attr:Id', 'ApplData', '--trusted-pem', trusted], workDir);
  assert.ok(request.ok, request.output);
  assert.match(request.output, /SignedInfo References \(ok\/all\): 1\/1/);

  writeFileSync(join(workDir, 'request-tampered.xml'), body.replace('todoke-xmlsec1', 'todoke-xmlsec2'));
  const tamperedRequest = xmlsec1Verify('request-tampered.xml', ['--id-attr:Id', 'ApplData', '--trusted-pem', trusted], workDir);
  assert.equal(tamperedRequest.ok, false, tamperedRequest.output);
  assert.equal((await verifySignedXml(readFileSync(join(workDir, 'request-tampered.xml')))).valid, false);

  // Kousei profile: xmlsec1 resolves the file reference against its working directory.
  const kouseiArgs = ['--id-attr:ID', '構成情報', '--trusted-pem', trusted];
  const app = prepareApplicationFolder(workDir, 'app');
  const { references } = await signKouseiInFolder(app, signer, { signatureId: '20250101090001', referenceForm: 'raw' });
  assert.deepEqual(references, ['#構成情報', FORM]);
  const kousei = xmlsec1Verify('kousei.xml', kouseiArgs, app);
  assert.ok(kousei.ok, kousei.output);
  assert.match(kousei.output, /SignedInfo References \(ok\/all\): 2\/2/);
  assert.equal((await verifySignedXml(readFileSync(join(app, 'kousei.xml')), { readFile: folderFileReader(app) })).valid, true);

  // Tampering with the 申請書 file: both verifiers refuse.
  const form = readFileSync(join(app, FORM));
  writeFileSync(join(app, FORM), Buffer.concat([form, Buffer.from(' ')]));
  const tamperedFile = xmlsec1Verify('kousei.xml', kouseiArgs, app);
  assert.equal(tamperedFile.ok, false, tamperedFile.output);
  assert.equal((await verifySignedXml(readFileSync(join(app, 'kousei.xml')), { readFile: folderFileReader(app) })).valid, false);
  writeFileSync(join(app, FORM), form);

  // Tampering with 構成情報: both verifiers refuse.
  const signedKousei = readFileSync(join(app, 'kousei.xml'), 'utf8');
  writeFileSync(join(app, 'kousei-tampered.xml'), signedKousei.replace('<住所>東京都足立区大谷田</住所>', '<住所>東京都足立区大谷田１</住所>'));
  const tamperedKousei = xmlsec1Verify('kousei-tampered.xml', kouseiArgs, app);
  assert.equal(tamperedKousei.ok, false, tamperedKousei.output);

  // xml:lang on an ancestor: our canonical 構成情報 must match libxml2's (C14N 1.0 inheritance).
  const lang = prepareApplicationFolder(workDir, 'app-lang', (k) => k.replace('<DataRoot>', '<DataRoot xml:lang="ja" xml:space="preserve">'));
  await signKouseiInFolder(lang, signer, { signatureId: '20250101090002', referenceForm: 'raw' });
  const langResult = xmlsec1Verify('kousei.xml', kouseiArgs, lang);
  assert.ok(langResult.ok, langResult.output);
}

let token: SoftHsmToken | undefined;

/** The same kind of key and self-signed certificate, imported into a fresh SoftHSM2 token. */
async function openTokenSigner(): Promise<Signer> {
  const { keyPem, certPem } = generatedSigner({ commonName: 'Todoke PKCS#11 xmlsec1' });
  const certDer = Buffer.from(certPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  token = createSoftHsmToken({ label: 'XmlsecToken', pin: '4321', objects: [{ id: '01', label: 'xmlsec', keyPem, certDer }] });
  return openPkcs11Signer({ modulePath: token.modulePath, token: { label: 'XmlsecToken' }, pinProvider: async () => '4321' });
}

const SIGNERS: Array<{ name: string; open: () => Promise<Signer> }> = [
  { name: 'KeyObjectSigner (generated RSA 2048 key, openssl self-signed certificate)', open: async () => generatedSigner().signer },
  { name: 'Pkcs11Signer (the same on a SoftHSM2 token)', open: openTokenSigner },
];

void describe('xmlsec1 --verify accepts what Todoke signs', () => {
  const probe = spawnSync('xmlsec1', ['--version'], { encoding: 'utf8' });
  void it('xmlsec1 is installed', () => {
    assert.equal(probe.status, 0, `xmlsec1 is a required system tool: ${probe.error?.message ?? probe.stderr}`);
  });

  for (const { name, open } of SIGNERS) {
    void it(name, async () => {
      const workDir = mkdtempSync(join(tmpdir(), 'todoke-xmlsec1-'));
      const signer = await open();
      try {
        await crossCheck(signer, workDir);
      } finally {
        await signer.close();
        token?.cleanup();
        token = undefined;
        rmSync(workDir, { recursive: true, force: true });
      }
    });
  }
});
