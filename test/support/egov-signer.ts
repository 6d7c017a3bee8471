// Test support (Node). Signers for tests: e-Gov's published test keys (egov-v1/certs, expired demo CA
// "DemoMin1 / CA1"), so tests can reproduce the recorded signatures byte for byte, and freshly
// generated keys with self-signed certificates.
import { execFileSync } from 'node:child_process';
import { createPrivateKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCertificate } from '../../src/main/signing/certificate.js';
import { KeyObjectSigner } from '../../src/main/signing/signer.js';
import { egovCertsDir, egovKeyPassphrase } from './paths.js';

export type EgovCertName = 'e-GovEE01_sha2' | 'e-GovEE02_sha2' | 'e-GovEE04-1_sha2' | 'e-GovEE04-2_sha2' | 'ikkatsu';

// The .pem files start with "Bag Attributes" lines that OpenSSL prints and Node refuses; only the
// encrypted PEM block itself is a key.
const PEM_BLOCK = /-----BEGIN ([A-Z ]+)-----[\s\S]+?-----END \1-----/;

export function egovCertificatePath(name: EgovCertName): string {
  return join(egovCertsDir, `${name}.cer`);
}

export function openEgovSigner(name: EgovCertName = 'e-GovEE01_sha2'): KeyObjectSigner {
  const pem = readFileSync(join(egovCertsDir, `${name}.pem`), 'latin1');
  const block = PEM_BLOCK.exec(pem)?.[0];
  if (!block) throw new Error(`no PEM key block in ${name}.pem`);
  const key = createPrivateKey({ key: block, passphrase: egovKeyPassphrase });
  const certificate = parseCertificate(readFileSync(egovCertificatePath(name)));
  return new KeyObjectSigner('pem', key, certificate);
}

export interface GeneratedSigner {
  signer: KeyObjectSigner;
  certPem: string;
  keyPem: string;
}

/**
 * A fresh key (made by Node) with a self-signed certificate (made by the openssl CLI), for tests
 * that need a certificate that has not expired or a key type e-Gov never used.
 */
export function generatedSigner(opts: { keyType?: 'rsa' | 'ec'; commonName?: string; days?: number } = {}): GeneratedSigner {
  const { privateKey } =
    opts.keyType === 'ec' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const dir = mkdtempSync(join(tmpdir(), 'todoke-signer-'));
  try {
    writeFileSync(join(dir, 'key.pem'), keyPem, { mode: 0o600 });
    execFileSync('openssl', [
      'req', '-x509', '-new', '-key', join(dir, 'key.pem'), '-sha256', '-days', String(opts.days ?? 30),
      '-subj', `/C=JP/O=Todoke Test/CN=${opts.commonName ?? 'Todoke Test Signer'}`, '-out', join(dir, 'cert.pem'),
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    const certPem = readFileSync(join(dir, 'cert.pem'), 'utf8');
    return { signer: new KeyObjectSigner('pem', privateKey, new X509Certificate(certPem)), certPem, keyPem };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
