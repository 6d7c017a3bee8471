// Sandbox (Node). HTTPS material, made at first start in <data>/tls/ and reused afterwards: a CA
// of this data folder ("Todoke Sandbox TLS CA", ca.pem — the file clients trust) and a server
// certificate it issues for localhost and the listening host. The server certificate is reissued
// when it no longer covers the host or is near its end; the CA stays, so clients keep trusting it.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { SandboxError } from './errors.js';
import { issueCertificate, type IssuedCertificate } from './pki/issue.js';

export interface TlsMaterial {
  key: string;
  cert: string;
  /** the PEM clients add to their trusted CAs */
  caPem: string;
  caPath: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function tlsDir(dataDir: string): string {
  return join(dataDir, 'tls');
}

function writePrivate(path: string, text: string): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

function loadIssued(certPath: string, keyPath: string): IssuedCertificate | null {
  if (!existsSync(certPath) || !existsSync(keyPath)) return null;
  const certificatePem = readFileSync(certPath, 'utf8');
  const privateKeyPem = readFileSync(keyPath, 'utf8');
  return { certificate: new X509Certificate(certificatePem), certificatePem, privateKey: createPrivateKey(privateKeyPem), privateKeyPem };
}

function covers(cert: X509Certificate, host: string): boolean {
  return isIP(host) ? cert.checkIP(host) !== undefined : cert.checkHost(host) !== undefined;
}

/** TLS uses the real time, not the sandbox clock: clients check certificates against their own. */
export function ensureTlsMaterial(dataDir: string, listenHost: string, now: Date = new Date()): TlsMaterial {
  // A wildcard listener is reached as localhost (or by an address the certificate cannot know).
  const host = listenHost === '0.0.0.0' || listenHost === '::' || listenHost === '' ? 'localhost' : listenHost;
  const dir = tlsDir(dataDir);
  const caPath = join(dir, 'ca.pem');
  const caKeyPath = join(dir, 'ca-key.pem');
  const certPath = join(dir, 'server.pem');
  const keyPath = join(dir, 'server-key.pem');
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    let ca = loadIssued(caPath, caKeyPath);
    if (!ca || new Date(ca.certificate.validTo).getTime() < now.getTime() + DAY_MS) {
      ca = issueCertificate({
        subject: { commonName: 'Todoke Sandbox TLS CA', organization: 'Todoke Sandbox' },
        ca: true,
        notBefore: new Date(now.getTime() - DAY_MS),
        notAfter: new Date(now.getTime() + 3650 * DAY_MS),
      });
      writePrivate(caKeyPath, ca.privateKeyPem);
      writeFileSync(caPath, ca.certificatePem);
    }
    let server = loadIssued(certPath, keyPath);
    const stale =
      !server ||
      !server.certificate.checkIssued(ca.certificate) ||
      !server.certificate.verify(ca.certificate.publicKey) ||
      new Date(server.certificate.validTo).getTime() < now.getTime() + 7 * DAY_MS ||
      !covers(server.certificate, host);
    if (stale) {
      const names = new Set(['localhost']);
      const ips = new Set(['127.0.0.1', '::1']);
      if (isIP(host)) ips.add(host);
      else names.add(host);
      server = issueCertificate({
        subject: { commonName: isIP(host) ? 'localhost' : host, organization: 'Todoke Sandbox' },
        issuer: ca,
        ca: false,
        notBefore: new Date(now.getTime() - DAY_MS),
        // under 398 days, what browsers accept for a server certificate
        notAfter: new Date(now.getTime() + 397 * DAY_MS),
        dnsNames: [...names],
        ipAddresses: [...ips],
      });
      writePrivate(keyPath, server!.privateKeyPem);
      writeFileSync(certPath, server!.certificatePem);
    }
    return { key: server!.privateKeyPem, cert: server!.certificatePem, caPem: ca.certificatePem, caPath };
  } catch (cause) {
    if (cause instanceof SandboxError) throw cause;
    throw new SandboxError(
      'SANDBOX_TLS',
      { ja: `HTTPS 用の証明書を ${dir} に用意できません。フォルダーの権限を確認するか、壊れたファイルを削除してやり直してください。`, en: `cannot prepare TLS material in ${dir}` },
      { cause },
    );
  }
}
