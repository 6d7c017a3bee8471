// Main process. The one interface every signing key implements: a certificate and an
// RSASSA-PKCS1-v1_5/SHA-256 signature over bytes. XML profiles only ever see this.
import { sign as rsaSign, type KeyObject, type X509Certificate } from 'node:crypto';
import { SigningError } from './errors.js';

export type SignerKind = 'pkcs12' | 'pem' | 'pkcs11';

export interface Signer {
  readonly kind: SignerKind;
  readonly certificate: X509Certificate;
  /** RSASSA-PKCS1-v1_5 with SHA-256 over `data` (the hash is computed by the signer). */
  sign(data: Uint8Array): Promise<Buffer>;
  /** Releases the key (logs out of a token). Idempotent. */
  close(): Promise<void>;
}

/** A signer over a private key held in this process's memory (PKCS#12 or PEM files). */
export class KeyObjectSigner implements Signer {
  #key: KeyObject | null;

  constructor(
    readonly kind: 'pkcs12' | 'pem',
    key: KeyObject,
    readonly certificate: X509Certificate,
  ) {
    this.#key = key;
  }

  async sign(data: Uint8Array): Promise<Buffer> {
    return this.signSync(data);
  }

  /** Synchronous variant for hot loops (benchmarks); same bytes as sign(). */
  signSync(data: Uint8Array): Buffer {
    if (!this.#key) throw closedError();
    // One-shot: no Sign stream object per signature (measurably faster in the batch-signing loop).
    return rsaSign('sha256', data, this.#key);
  }

  async close(): Promise<void> {
    this.#key = null;
  }
}

function closedError(): SigningError {
  return new SigningError('SIGNER_CLOSED', {
    ja: '署名鍵はすでに閉じられています。証明書を選び直してください。',
    en: 'the signer has been closed',
  });
}
