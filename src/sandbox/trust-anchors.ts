// Sandbox (Node). The certificates the sandbox trusts: the bundled Todoke Sandbox Test CA and any
// added with --trust (PEM, possibly several blocks, or DER).
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { X509Certificate } from 'node:crypto';
import { parseCertificates } from '../main/signing/certificate.js';
import { SandboxError } from './errors.js';

/** The Todoke Sandbox Test CA certificate (assets/sandbox-pki/README.md). */
export const BUNDLED_CA_FILE = fileURLToPath(new URL('../../assets/sandbox-pki/sandbox-ca.cert.pem', import.meta.url));

/** A certificate, or a PEM bundle of a few, is kilobytes. */
const MAX_TRUST_FILE_BYTES = 1024 * 1024;

export function readTrustFile(path: string): X509Certificate[] {
  let bytes: Buffer;
  try {
    if (statSync(path).size > MAX_TRUST_FILE_BYTES) {
      throw new SandboxError('SANDBOX_TRUST_FILE', {
        ja: `信頼する証明書のファイル ${path} が大きすぎます（${MAX_TRUST_FILE_BYTES} バイトまで）。証明書ファイルを指定してください。`,
        en: `trust file ${path} is larger than ${MAX_TRUST_FILE_BYTES} bytes`,
      });
    }
    bytes = readFileSync(path);
  } catch (cause) {
    if (cause instanceof SandboxError) throw cause;
    throw new SandboxError(
      'SANDBOX_TRUST_FILE',
      { ja: `信頼する証明書のファイル ${path} を読めません。パスを確認してください。`, en: `cannot read trust file ${path}` },
      { cause },
    );
  }
  try {
    return parseCertificates(bytes);
  } catch (cause) {
    throw new SandboxError(
      'SANDBOX_TRUST_FILE',
      { ja: `${path} を証明書（PEM または DER）として読めません。証明書ファイルを指定してください。`, en: `${path} is not a PEM or DER certificate` },
      { cause },
    );
  }
}

export function loadTrustAnchors(trust: ReadonlyArray<string | X509Certificate>, bundled: boolean): X509Certificate[] {
  const anchors: X509Certificate[] = bundled ? readTrustFile(BUNDLED_CA_FILE) : [];
  for (const t of trust) {
    if (typeof t === 'string') anchors.push(...readTrustFile(t));
    else anchors.push(t);
  }
  return anchors;
}
