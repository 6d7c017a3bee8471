// Main process. Signers over certificate files a filer already has: PKCS#12 (.p12 / .pfx, from
// OpenSSL 3, OpenSSL -legacy or a Windows export; decoded by ./pkcs12.ts) and PEM key +
// certificate pairs (the e-Gov test keys are legacy encrypted PEM with "Bag Attributes" text in front).
import { readFile, stat } from 'node:fs/promises';
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { MAX_CERTIFICATE_FILE_BYTES } from '../../shared/contract.js';
import { parseCertificates } from './certificate.js';
import { SigningError } from './errors.js';
import { badPassword, decodePkcs12, pkcs12FormatError } from './pkcs12.js';
import { KeyObjectSigner } from './signer.js';

// Certificate files bigger than MAX_CERTIFICATE_FILE_BYTES are refused before parsing (real ones
// are a few KiB): the limit the contract puts on an upload, so a file the CLI opens by path and
// one the UI sends are held to the same size.

/** A KeyObjectSigner that also carries the other certificates found beside the key (the chain). */
export class CertificateFileSigner extends KeyObjectSigner {
  constructor(
    kind: 'pkcs12' | 'pem',
    key: KeyObject,
    certificate: X509Certificate,
    readonly chain: readonly X509Certificate[],
  ) {
    super(kind, key, certificate);
  }
}

// ---------------------------------------------------------------------------------------------
// Entry points

export function openPkcs12(bytes: Buffer, password: string): CertificateFileSigner {
  checkSize(bytes);
  const contents = decodePkcs12(bytes, password);
  if (contents.keys.length === 0) {
    throw new SigningError('KEY_FORMAT', {
      ja: 'この PKCS#12 ファイルには秘密鍵が含まれていません。秘密鍵を含めてエクスポートした .p12 / .pfx ファイルを選んでください。',
      en: 'the PKCS#12 file holds no private key',
    });
  }
  const keys = contents.keys.map((der) => privateKeyFromPkcs8(der));
  const certificates = contents.certificates.map((der) => certificateFromDer(der));
  return pairKeyAndCertificate('pkcs12', keys, certificates);
}

export function openPemKeyAndCertificate(keyBytes: Buffer, certBytes: Buffer, passphrase?: string): CertificateFileSigner {
  checkSize(keyBytes);
  checkSize(certBytes);
  const key = privateKeyFromPemOrDer(keyBytes, passphrase);
  const certificates = parseCertificates(certBytes);
  return pairKeyAndCertificate('pem', [key], certificates);
}

/**
 * Opens a certificate file by its content: PKCS#12, or PEM holding the key (and the certificate,
 * unless `certificatePath` names a separate certificate file).
 */
export async function openCertificateFile(
  path: string,
  password: string,
  options: { certificatePath?: string } = {},
): Promise<CertificateFileSigner> {
  const bytes = await readCapped(path);
  const certBytes = options.certificatePath === undefined ? null : await readCapped(options.certificatePath);
  if (looksLikePem(bytes)) {
    if (!PEM_KEY.test(bytes.toString('latin1'))) {
      throw new SigningError('KEY_FORMAT', {
        ja: 'このファイルには秘密鍵が含まれていません。秘密鍵のファイル（.key / .pem）か、.p12 / .pfx ファイルを選んでください。',
        en: 'the PEM file holds no private key',
      });
    }
    return openPemKeyAndCertificate(bytes, certBytes ?? bytes, password);
  }
  if (certBytes) return openPemKeyAndCertificate(bytes, certBytes, password);
  if (isBareCertificate(bytes)) {
    throw new SigningError('KEY_FORMAT', {
      ja: 'このファイルは証明書だけで、秘密鍵が含まれていません。秘密鍵を含む .p12 / .pfx ファイルを選んでください。',
      en: 'the file is a bare certificate without a private key',
    });
  }
  return openPkcs12(bytes, password);
}

// ---------------------------------------------------------------------------------------------
// Reading files

async function readCapped(path: string): Promise<Buffer> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'EISDIR' });
    size = info.size;
  } catch (cause) {
    throw unreadable(path, cause);
  }
  if (size > MAX_CERTIFICATE_FILE_BYTES) throw tooLarge(size);
  try {
    const bytes = await readFile(path);
    checkSize(bytes); // the file may have grown since stat()
    return bytes;
  } catch (cause) {
    if (cause instanceof SigningError) throw cause;
    throw unreadable(path, cause);
  }
}

function unreadable(path: string, cause: unknown): SigningError {
  const code = (cause as { code?: unknown }).code;
  return new SigningError(
    'CERT_FILE_UNREADABLE',
    {
      ja: `証明書ファイル「${path}」を開けませんでした。ファイルの場所と読み取り権限を確かめてください。`,
      en: `cannot read certificate file ${path}${typeof code === 'string' ? ` (${code})` : ''}`,
    },
    { cause, detail: { path, ...(typeof code === 'string' ? { errno: code } : {}) } },
  );
}

function checkSize(bytes: Buffer): void {
  if (bytes.length === 0) {
    throw new SigningError('CERT_FORMAT', {
      ja: '証明書ファイルが空です。正しい .p12 / .pfx / .pem ファイルを選んでください。',
      en: 'the certificate file is empty',
    });
  }
  if (bytes.length > MAX_CERTIFICATE_FILE_BYTES) throw tooLarge(bytes.length);
}

function tooLarge(size: number): SigningError {
  return new SigningError(
    'CERT_FORMAT',
    {
      ja: '証明書ファイルが大きすぎます（上限 1 MiB）。証明書ファイル（.p12 / .pfx / .pem）を選んだか確かめてください。',
      en: `certificate file too large (${size} bytes, limit ${MAX_CERTIFICATE_FILE_BYTES})`,
    },
    { detail: { size, limit: MAX_CERTIFICATE_FILE_BYTES } },
  );
}

function looksLikePem(bytes: Buffer): boolean {
  return bytes.includes('-----BEGIN ');
}

function isBareCertificate(bytes: Buffer): boolean {
  try {
    new X509Certificate(bytes);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Keys and certificates

function pairKeyAndCertificate(kind: 'pkcs12' | 'pem', keys: KeyObject[], certificates: X509Certificate[]): CertificateFileSigner {
  if (certificates.length === 0) {
    throw new SigningError('CERT_FORMAT', {
      ja: 'ファイルに証明書が含まれていません。証明書を含む .p12 / .pfx ファイル、または証明書ファイルを選んでください。',
      en: 'no certificate found beside the key',
    });
  }
  for (const key of keys) {
    const type = key.asymmetricKeyType;
    if (type !== 'rsa') {
      throw new SigningError(
        'KEY_UNSUPPORTED',
        {
          ja: `この証明書の鍵の種類（${type ?? '不明'}）には対応していません。e-Gov の電子署名には RSA 鍵の証明書を使ってください。`,
          en: `unsupported key type ${type ?? 'unknown'}; only RSA keys can sign for e-Gov`,
        },
        { detail: { keyType: type ?? 'unknown' } },
      );
    }
    const certificate = certificates.find((c) => c.checkPrivateKey(key));
    if (certificate) {
      return new CertificateFileSigner(kind, key, certificate, certificates.filter((c) => c !== certificate));
    }
  }
  throw new SigningError('KEY_CERT_MISMATCH', {
    ja: '秘密鍵と証明書が対になっていません。同じ証明書の秘密鍵と証明書を選んでください。',
    en: 'the private key does not match any certificate',
  });
}

function privateKeyFromPkcs8(der: Buffer): KeyObject {
  try {
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } catch (cause) {
    throw keyFormatError(cause);
  }
}

function certificateFromDer(der: Buffer): X509Certificate {
  try {
    return new X509Certificate(der);
  } catch (cause) {
    throw pkcs12FormatError('a certificate bag does not hold an X.509 certificate', cause);
  }
}

const PEM_KEY = /-----BEGIN ((?:RSA |EC |DSA |ENCRYPTED )?PRIVATE KEY)-----[\s\S]*?-----END \1-----/;

function privateKeyFromPemOrDer(bytes: Buffer, passphrase: string | undefined): KeyObject {
  const pem = PEM_KEY.exec(bytes.toString('latin1'))?.[0];
  if (pem) {
    const encrypted = pem.startsWith('-----BEGIN ENCRYPTED') || /^Proc-Type:\s*4,ENCRYPTED/m.test(pem);
    if (encrypted && passphrase === undefined) throw passwordRequired();
    try {
      return createPrivateKey({ key: pem, format: 'pem', ...(encrypted ? { passphrase } : {}) });
    } catch (cause) {
      throw encrypted ? badPassword(cause) : keyFormatError(cause);
    }
  }
  if (looksLikePem(bytes)) throw keyFormatError();
  // a DER key file: PKCS#8 (maybe encrypted) or PKCS#1
  for (const type of ['pkcs8', 'pkcs1'] as const) {
    try {
      return createPrivateKey({ key: bytes, format: 'der', type });
    } catch {
      // try the next form
    }
  }
  if (passphrase !== undefined) {
    try {
      return createPrivateKey({ key: bytes, format: 'der', type: 'pkcs8', passphrase });
    } catch (cause) {
      throw badPassword(cause);
    }
  }
  throw keyFormatError();
}

function keyFormatError(cause?: unknown): SigningError {
  return new SigningError(
    'KEY_FORMAT',
    {
      ja: '秘密鍵を読み取れませんでした。PEM 形式（-----BEGIN … PRIVATE KEY-----）の秘密鍵ファイルか、.p12 / .pfx ファイルを選んでください。',
      en: 'not a readable private key',
    },
    cause === undefined ? {} : { cause },
  );
}

function passwordRequired(): SigningError {
  return new SigningError('BAD_PASSWORD', {
    ja: 'この秘密鍵はパスワードで保護されています。パスワードを入力してください。',
    en: 'the private key is encrypted and no password was given',
  });
}
