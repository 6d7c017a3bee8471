// Main process. Which PKCS#11 mechanism makes an RSASSA-PKCS1-v1_5/SHA-256 signature on a token.
// Cards that cannot hash on-card only offer raw CKM_RSA_PKCS; then we hash and wrap the digest in
// a DigestInfo ourselves, which yields the byte-identical signature (PKCS#1 v1.5 is deterministic).
import { createHash } from 'node:crypto';
import pkcs11js from 'pkcs11js';
import { SigningError } from '../errors.js';

export type SigningMechanism = 'CKM_SHA256_RSA_PKCS' | 'CKM_RSA_PKCS';
export type MechanismPreference = 'auto' | SigningMechanism;

/** DER of DigestInfo { AlgorithmIdentifier { sha256, NULL }, OCTET STRING (32 bytes) } minus the hash */
export const SHA256_DIGEST_INFO_PREFIX = Buffer.from('3031300d060960864801650304020105000420', 'hex');

export function sha256DigestInfo(data: Uint8Array): Buffer {
  return Buffer.concat([SHA256_DIGEST_INFO_PREFIX, createHash('sha256').update(data).digest()]);
}

export function mechanismCode(mechanism: SigningMechanism): number {
  return mechanism === 'CKM_SHA256_RSA_PKCS' ? pkcs11js.CKM_SHA256_RSA_PKCS : pkcs11js.CKM_RSA_PKCS;
}

/** The bytes to hand to C_Sign for `data` under `mechanism`. */
export function signInput(mechanism: SigningMechanism, data: Uint8Array): Buffer {
  return mechanism === 'CKM_SHA256_RSA_PKCS' ? Buffer.from(data) : sha256DigestInfo(data);
}

/** Pure: the mechanism to use given the token's C_GetMechanismList answer. */
export function chooseMechanism(available: readonly number[], preference: MechanismPreference, tokenLabel: string): SigningMechanism {
  const has = (m: SigningMechanism): boolean => available.includes(mechanismCode(m));
  const order: SigningMechanism[] = preference === 'auto' ? ['CKM_SHA256_RSA_PKCS', 'CKM_RSA_PKCS'] : [preference];
  const chosen = order.find(has);
  if (chosen) return chosen;
  throw new SigningError(
    'PKCS11_NO_MECHANISM',
    {
      ja: `IC カード「${tokenLabel}」は RSA-SHA256 の電子署名に対応していません。別のカードを使ってください。`,
      en: `token offers none of ${order.join(', ')}`,
    },
    { detail: { tokenLabel, wanted: order } },
  );
}
