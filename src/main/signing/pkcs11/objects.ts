// Main process. Objects on a token: certificates (public, readable without the PIN) and the keys
// that belong to them by CKA_ID, and choosing the signing certificate.
import { X509Certificate } from 'node:crypto';
import pkcs11js from 'pkcs11js';
import type { PKCS11, Template } from 'pkcs11js';
import { SigningError } from '../errors.js';
import { describeCertificate } from '../certificate.js';
import { mapPkcs11Error, type Pkcs11ErrorContext } from './errors.js';

/** A hostile or broken token could list objects without end; real cards hold a handful. */
const MAX_OBJECTS = 256;

export interface TokenCertificateObject {
  id: string;
  label: string;
  certificate: X509Certificate;
  /** a public or private key with the same CKA_ID is visible (private keys may show only after login) */
  hasKeyObject: boolean;
}

export function withSession<T>(p11: PKCS11, slot: Buffer, context: Pkcs11ErrorContext, fn: (session: Buffer) => T): T {
  let session: Buffer;
  try {
    session = p11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION);
  } catch (e) {
    throw mapPkcs11Error(e, { ...context, operation: 'openSession' });
  }
  try {
    return fn(session);
  } finally {
    try {
      p11.C_CloseSession(session);
    } catch {
      // the session dies with a removed card anyway
    }
  }
}

export function findObjects(p11: PKCS11, session: Buffer, template: Template, context: Pkcs11ErrorContext): Buffer[] {
  try {
    p11.C_FindObjectsInit(session, template);
  } catch (e) {
    throw mapPkcs11Error(e, context);
  }
  const found: Buffer[] = [];
  let failure: unknown = null;
  try {
    while (found.length < MAX_OBJECTS) {
      const batch = p11.C_FindObjects(session, 32);
      if (batch.length === 0) break;
      found.push(...batch);
    }
  } catch (e) {
    failure = e;
  }
  try {
    p11.C_FindObjectsFinal(session);
  } catch (e) {
    failure ??= e;
  }
  if (failure !== null) throw mapPkcs11Error(failure, context);
  return found.slice(0, MAX_OBJECTS);
}

function attributes(p11: PKCS11, session: Buffer, handle: Buffer, types: number[], context: Pkcs11ErrorContext): Map<number, Buffer> {
  try {
    const result = p11.C_GetAttributeValue(session, handle, types.map((type) => ({ type })));
    return new Map(result.map((a) => [a.type, a.value]));
  } catch (e) {
    throw mapPkcs11Error(e, context);
  }
}

export function readCertificates(p11: PKCS11, session: Buffer, context: Pkcs11ErrorContext): TokenCertificateObject[] {
  const handles = findObjects(
    p11,
    session,
    [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE },
      { type: pkcs11js.CKA_CERTIFICATE_TYPE, value: pkcs11js.CKC_X_509 },
    ],
    context,
  );
  const keyIds = new Set(
    [pkcs11js.CKO_PUBLIC_KEY, pkcs11js.CKO_PRIVATE_KEY].flatMap((cls) =>
      findObjects(p11, session, [{ type: pkcs11js.CKA_CLASS, value: cls }], context).map((h) =>
        (attributes(p11, session, h, [pkcs11js.CKA_ID], context).get(pkcs11js.CKA_ID) ?? Buffer.alloc(0)).toString('hex'),
      ),
    ),
  );
  const certificates: TokenCertificateObject[] = [];
  for (const handle of handles) {
    const attrs = attributes(p11, session, handle, [pkcs11js.CKA_ID, pkcs11js.CKA_LABEL, pkcs11js.CKA_VALUE], context);
    let certificate: X509Certificate;
    try {
      certificate = new X509Certificate(attrs.get(pkcs11js.CKA_VALUE) ?? Buffer.alloc(0));
    } catch {
      continue; // an unparseable certificate object cannot be the signing certificate
    }
    const id = (attrs.get(pkcs11js.CKA_ID) ?? Buffer.alloc(0)).toString('hex');
    certificates.push({ id, label: (attrs.get(pkcs11js.CKA_LABEL) ?? Buffer.alloc(0)).toString('utf8'), certificate, hasKeyObject: keyIds.has(id) });
  }
  // tokens return objects in no particular order; people (and messages) want a stable one
  return certificates.sort((a, b) => a.id.localeCompare(b.id) || a.certificate.fingerprint256.localeCompare(b.certificate.fingerprint256));
}

/**
 * Pure: the signing certificate. By `certId` when given; otherwise the only certificate, or the
 * only end-entity certificate, or the only one with a key beside it.
 */
export function chooseCertificate(certificates: readonly TokenCertificateObject[], certId: string | undefined, tokenLabel: string): TokenCertificateObject {
  if (certId !== undefined) {
    const wanted = certId.trim().toLowerCase().replace(/^0x/, '').replace(/[\s:]/g, '');
    const byId = certificates.filter((c) => c.id === wanted);
    const endEntity = byId.filter((c) => !c.certificate.ca);
    const matches = endEntity.length > 0 ? endEntity : byId;
    if (matches.length === 1) return matches[0]!;
    if (matches.length === 0) throw noCertificate(tokenLabel, certificates, wanted);
    throw ambiguous(tokenLabel, matches);
  }
  if (certificates.length === 0) throw noCertificate(tokenLabel, certificates);
  if (certificates.length === 1) return certificates[0]!;
  const endEntity = certificates.filter((c) => !c.certificate.ca);
  if (endEntity.length === 1) return endEntity[0]!;
  const pool = endEntity.length > 0 ? endEntity : certificates;
  const withKey = pool.filter((c) => c.hasKeyObject);
  if (withKey.length === 1) return withKey[0]!;
  throw ambiguous(tokenLabel, withKey.length > 1 ? withKey : pool);
}

function noCertificate(tokenLabel: string, certificates: readonly TokenCertificateObject[], certId?: string): SigningError {
  return new SigningError(
    'PKCS11_NO_CERTIFICATE',
    {
      ja:
        certId === undefined
          ? `IC カード「${tokenLabel}」に証明書が見つかりません。署名用の証明書が入ったカードか確かめてください。`
          : `IC カード「${tokenLabel}」に ID ${certId} の証明書が見つかりません。証明書を選び直してください。`,
      en: certId === undefined ? 'no certificate on the token' : `no certificate with CKA_ID ${certId} on the token`,
    },
    { detail: { tokenLabel, ...(certId !== undefined ? { certId } : {}), ids: certificates.map((c) => c.id) } },
  );
}

function ambiguous(tokenLabel: string, candidates: readonly TokenCertificateObject[]): SigningError {
  const ids = candidates.map((c) => c.id);
  return new SigningError(
    'PKCS11_CERT_AMBIGUOUS',
    {
      ja: `IC カード「${tokenLabel}」に署名に使える証明書が ${candidates.length} 枚あります（ID: ${ids.join(', ')}）。使う証明書を選んでください。`,
      en: `${candidates.length} candidate certificates on the token (CKA_ID ${ids.join(', ')}); pass certId`,
    },
    {
      detail: {
        tokenLabel,
        ids,
        certificates: candidates.map((c) => ({ id: c.id, label: c.label, commonName: describeCertificate(c.certificate).commonName })),
      },
    },
  );
}

/** After login: the private key with the certificate's CKA_ID whose modulus is the certificate's. */
export function findPrivateKey(p11: PKCS11, session: Buffer, cert: TokenCertificateObject, context: Pkcs11ErrorContext): Buffer {
  const keys = findObjects(
    p11,
    session,
    [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
      { type: pkcs11js.CKA_ID, value: Buffer.from(cert.id, 'hex') },
    ],
    context,
  );
  if (keys.length === 0) {
    throw new SigningError(
      'PKCS11_NO_KEY',
      {
        ja: `IC カード「${context.tokenLabel ?? ''}」に、この証明書の秘密鍵が見つかりません。署名用の証明書を選んでいるか確かめてください。`,
        en: `no private key with CKA_ID ${cert.id} on the token`,
      },
      { detail: { certId: cert.id, ...(context.tokenLabel !== undefined ? { tokenLabel: context.tokenLabel } : {}) } },
    );
  }
  const modulus = certificateModulus(cert.certificate);
  for (const key of keys) {
    let keyModulus: Buffer | undefined;
    try {
      keyModulus = attributes(p11, session, key, [pkcs11js.CKA_MODULUS], context).get(pkcs11js.CKA_MODULUS);
    } catch {
      keyModulus = undefined; // some cards hide it; then the CKA_ID has to do
    }
    if (!keyModulus || !modulus || stripZeros(keyModulus).equals(modulus)) return key;
  }
  throw new SigningError(
    'KEY_CERT_MISMATCH',
    {
      ja: `IC カード「${context.tokenLabel ?? ''}」の秘密鍵と証明書が対になっていません。カードの内容を発行元に確認してください。`,
      en: `the private key with CKA_ID ${cert.id} does not match the certificate`,
    },
    { detail: { certId: cert.id } },
  );
}

function certificateModulus(cert: X509Certificate): Buffer | null {
  const jwk = cert.publicKey.export({ format: 'jwk' });
  return typeof jwk.n === 'string' ? stripZeros(Buffer.from(jwk.n, 'base64url')) : null;
}

function stripZeros(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
}
