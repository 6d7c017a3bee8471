// Main process. PKCS#12 (RFC 7292) files decoded to their keys and certificates, read as BER with
// node-forge's parser rather than forge.pkcs12: OpenSSL hashes the password as UTF-16 (BMPString)
// for the MAC and the PKCS#12 PBE ciphers but as UTF-8 for PBES2 (RFC 8018), and forge uses one
// form for both, so Japanese passwords fail with forge alone. Key derivation and ciphers are Node's
// (RC2, in OpenSSL's legacy provider only, is forge's).
import { createDecipheriv, createHash, createHmac, pbkdf2Sync, timingSafeEqual } from 'node:crypto';
import forge from 'node-forge';
import { SigningError } from './errors.js';

/** Hostile files can ask for billions of KDF rounds; real ones use 2,000-600,000. */
const MAX_KDF_ITERATIONS = 1_000_000;

/** A wrong password, for a PKCS#12 file here and for an encrypted PEM key in file-signer.ts. */
export function badPassword(cause?: unknown): SigningError {
  return new SigningError(
    'BAD_PASSWORD',
    {
      ja: 'パスワードが違います。証明書ファイルのパスワードを確かめて、もう一度入力してください。',
      en: 'wrong password for the certificate file',
    },
    cause === undefined ? {} : { cause },
  );
}

type Asn1 = forge.asn1.Asn1;
const { asn1 } = forge;

const OID = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  safeContentsBag: '1.2.840.113549.1.12.10.1.6',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
} as const;

const HASHES: Record<string, { name: string; blockBytes: number }> = {
  '1.3.14.3.2.26': { name: 'sha1', blockBytes: 64 },
  '2.16.840.1.101.3.4.2.4': { name: 'sha224', blockBytes: 64 },
  '2.16.840.1.101.3.4.2.1': { name: 'sha256', blockBytes: 64 },
  '2.16.840.1.101.3.4.2.2': { name: 'sha384', blockBytes: 128 },
  '2.16.840.1.101.3.4.2.3': { name: 'sha512', blockBytes: 128 },
};

const PBKDF2_PRFS: Record<string, string> = {
  '1.2.840.113549.2.7': 'sha1',
  '1.2.840.113549.2.8': 'sha224',
  '1.2.840.113549.2.9': 'sha256',
  '1.2.840.113549.2.10': 'sha384',
  '1.2.840.113549.2.11': 'sha512',
};

const PBES2_CIPHERS: Record<string, { name: string; keyBytes: number }> = {
  '2.16.840.1.101.3.4.1.2': { name: 'aes-128-cbc', keyBytes: 16 },
  '2.16.840.1.101.3.4.1.22': { name: 'aes-192-cbc', keyBytes: 24 },
  '2.16.840.1.101.3.4.1.42': { name: 'aes-256-cbc', keyBytes: 32 },
  '1.2.840.113549.3.7': { name: 'des-ede3-cbc', keyBytes: 24 },
};

/** PKCS#12 PBE (RFC 7292 appendix C); RC2 is in Node's legacy provider only, so forge does it. */
const PKCS12_PBES: Record<string, { cipher: 'des-ede3-cbc' | 'des-ede-cbc' | 'rc2'; keyBytes: number }> = {
  '1.2.840.113549.1.12.1.3': { cipher: 'des-ede3-cbc', keyBytes: 24 },
  '1.2.840.113549.1.12.1.4': { cipher: 'des-ede-cbc', keyBytes: 16 },
  '1.2.840.113549.1.12.1.5': { cipher: 'rc2', keyBytes: 16 },
  '1.2.840.113549.1.12.1.6': { cipher: 'rc2', keyBytes: 5 },
};

export interface Pkcs12Contents {
  /** PKCS#8 PrivateKeyInfo DER, decrypted */
  keys: Buffer[];
  /** X.509 certificate DER */
  certificates: Buffer[];
}

/** The password as each algorithm wants it: BMPString for PKCS#12 KDFs, UTF-8 for PBKDF2. */
interface PasswordForms {
  bmp: Buffer;
  utf8: Buffer;
}

class BadPassword extends Error {}

export function decodePkcs12(bytes: Buffer, password: string): Pkcs12Contents {
  try {
    return decodePfx(bytes, password);
  } catch (e) {
    if (e instanceof SigningError) throw e;
    if (e instanceof BadPassword) throw badPassword();
    throw pkcs12FormatError(e instanceof Error ? e.message : String(e), e);
  }
}

function decodePfx(bytes: Buffer, password: string): Pkcs12Contents {
  const pfx = parseBer(bytes.toString('binary'));
  const [version, authSafe, macData] = children(pfx, 'PFX', 2);
  if (integer(version!) !== 3) throw new Error('PFX version is not 3');
  const [contentType, content] = contentInfo(authSafe!);
  if (contentType !== OID.data) {
    throw pkcs12FormatError(`authSafe content type ${contentType} (public-key integrity mode) is not supported`);
  }
  const authSafeBytes = octets(content!);
  const passwords = macData ? verifyMac(macData, authSafeBytes, password) : { forms: passwordForms(password), verified: false };

  const contents: Pkcs12Contents = { keys: [], certificates: [] };
  for (const info of children(parseBer(authSafeBytes.toString('binary')), 'AuthenticatedSafe', 0)) {
    const [type, value] = contentInfo(info);
    let safeContents: Buffer;
    if (type === OID.data) {
      safeContents = octets(value!);
    } else if (type === OID.encryptedData) {
      // EncryptedData ::= SEQUENCE { version, EncryptedContentInfo SEQUENCE { contentType, algorithm, [0] IMPLICIT content } }
      const [, encryptedContentInfo] = children(value!, 'EncryptedData', 2);
      const [, algorithm, encrypted] = children(encryptedContentInfo!, 'EncryptedContentInfo', 3);
      safeContents = decrypt(algorithm!, octets(encrypted!), passwords.forms);
    } else {
      throw pkcs12FormatError(`authenticated safe content type ${type} (public-key privacy mode) is not supported`);
    }
    readSafeContents(safeContents, passwords, contents, 0);
  }
  return contents;
}

function readSafeContents(safeContents: Buffer, passwords: { forms: PasswordForms; verified: boolean }, out: Pkcs12Contents, depth: number): void {
  if (depth > 4) throw new Error('safe contents nested too deeply');
  let bags: Asn1[];
  try {
    bags = children(parseBer(safeContents.toString('binary')), 'SafeContents', 0);
  } catch (e) {
    // Without a MAC, undecodable plaintext is what a wrong password looks like.
    if (!passwords.verified) throw new BadPassword();
    throw e;
  }
  for (const bag of bags) {
    const [bagId, wrapped] = children(bag, 'SafeBag', 2);
    const value = explicitValue(wrapped!);
    switch (oid(bagId!)) {
      case OID.keyBag:
        out.keys.push(der(value));
        break;
      case OID.shroudedKeyBag: {
        const [algorithm, encrypted] = children(value, 'EncryptedPrivateKeyInfo', 2);
        out.keys.push(decrypt(algorithm!, octets(encrypted!), passwords.forms));
        break;
      }
      case OID.certBag: {
        const [certType, certValue] = children(value, 'CertBag', 2);
        if (oid(certType!) === OID.x509Certificate) out.certificates.push(octets(explicitValue(certValue!)));
        break;
      }
      case OID.safeContentsBag:
        readSafeContents(der(value), passwords, out, depth + 1);
        break;
      default:
        break; // CRLs and secrets are of no use for signing
    }
  }
}

function verifyMac(macData: Asn1, authSafe: Buffer, password: string): { forms: PasswordForms; verified: true } {
  // MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING, iterations INTEGER DEFAULT 1 }
  const [digestInfo, salt, iterationsNode] = children(macData, 'MacData', 2);
  const [algorithm, digest] = children(digestInfo!, 'DigestInfo', 2);
  const hashOid = oid(children(algorithm!, 'AlgorithmIdentifier', 1)[0]!);
  const hash = HASHES[hashOid];
  if (!hash) throw pkcs12FormatError(`MAC algorithm ${hashOid} is not supported`);
  const iterations = iterationsNode ? integer(iterationsNode) : 1;
  checkIterations(iterations);
  const expected = octets(digest!);
  const saltBytes = octets(salt!);
  for (const forms of passwordCandidates(password)) {
    const macKey = pkcs12Kdf(hash, forms.bmp, saltBytes, 3, iterations, createHash(hash.name).digest().length);
    const actual = createHmac(hash.name, macKey).update(authSafe).digest();
    if (actual.length === expected.length && timingSafeEqual(actual, expected)) return { forms, verified: true };
  }
  throw new BadPassword();
}

/**
 * The encodings OpenSSL tries: UTF-16 with a terminating NUL (since 1.1.0); for an empty password
 * also no bytes at all (what NULL means); for non-ASCII also each UTF-8 byte widened to 16 bits
 * (files written by OpenSSL before 1.1.0).
 */
function passwordCandidates(password: string): PasswordForms[] {
  const utf8 = Buffer.from(password, 'utf8');
  const candidates = [passwordForms(password)];
  if (password === '') candidates.push({ bmp: Buffer.alloc(0), utf8 });
  if ([...password].some((c) => c.charCodeAt(0) > 0x7f)) {
    const widened = Buffer.alloc(utf8.length * 2 + 2);
    utf8.forEach((b, i) => widened.writeUInt16BE(b, i * 2));
    candidates.push({ bmp: widened, utf8 });
  }
  return candidates;
}

function passwordForms(password: string): PasswordForms {
  const bmp = Buffer.alloc(password.length * 2 + 2);
  for (let i = 0; i < password.length; i++) bmp.writeUInt16BE(password.charCodeAt(i), i * 2);
  return { bmp, utf8: Buffer.from(password, 'utf8') };
}

function decrypt(algorithm: Asn1, ciphertext: Buffer, password: PasswordForms): Buffer {
  const [algOidNode, params] = children(algorithm, 'AlgorithmIdentifier', 1);
  const algOid = oid(algOidNode!);
  if (algOid === OID.pbes2) return decryptPbes2(params!, ciphertext, password.utf8);
  const pbe = PKCS12_PBES[algOid];
  if (!pbe) throw pkcs12FormatError(`encryption algorithm ${algOid} is not supported`);
  const [salt, iterationsNode] = children(params!, 'PBEParameter', 2);
  const iterations = integer(iterationsNode!);
  checkIterations(iterations);
  const sha1 = HASHES['1.3.14.3.2.26']!;
  const key = pkcs12Kdf(sha1, password.bmp, octets(salt!), 1, iterations, pbe.keyBytes);
  const iv = pkcs12Kdf(sha1, password.bmp, octets(salt!), 2, iterations, 8);
  if (pbe.cipher === 'rc2') {
    const cipher = forge.rc2.createDecryptionCipher(key.toString('binary'), pbe.keyBytes * 8);
    cipher.start(iv.toString('binary'));
    cipher.update(forge.util.createBuffer(ciphertext.toString('binary')));
    if (!cipher.finish()) throw new BadPassword();
    return Buffer.from(cipher.output.getBytes(), 'binary');
  }
  return nodeDecrypt(pbe.cipher, key, iv, ciphertext);
}

function decryptPbes2(params: Asn1, ciphertext: Buffer, password: Buffer): Buffer {
  // PBES2-params ::= SEQUENCE { keyDerivationFunc AlgorithmIdentifier, encryptionScheme AlgorithmIdentifier }
  const [kdf, scheme] = children(params, 'PBES2-params', 2);
  const [kdfOid, kdfParams] = children(kdf!, 'AlgorithmIdentifier', 2);
  if (oid(kdfOid!) !== OID.pbkdf2) throw pkcs12FormatError(`key derivation ${oid(kdfOid!)} is not supported`);
  // PBKDF2-params ::= SEQUENCE { salt OCTET STRING, iterationCount INTEGER, keyLength INTEGER OPTIONAL, prf DEFAULT hmacWithSHA1 }
  const [salt, iterationsNode, ...rest] = children(kdfParams!, 'PBKDF2-params', 2);
  const prfNode = rest.find((n) => n.type === asn1.Type.SEQUENCE);
  const prfOid = prfNode ? oid(children(prfNode, 'AlgorithmIdentifier', 1)[0]!) : '1.2.840.113549.2.7';
  const prf = PBKDF2_PRFS[prfOid];
  if (!prf) throw pkcs12FormatError(`PBKDF2 PRF ${prfOid} is not supported`);
  const [cipherOid, ivNode] = children(scheme!, 'AlgorithmIdentifier', 2);
  const cipher = PBES2_CIPHERS[oid(cipherOid!)];
  if (!cipher) throw pkcs12FormatError(`PBES2 cipher ${oid(cipherOid!)} is not supported`);
  const iterations = integer(iterationsNode!);
  checkIterations(iterations);
  const key = pbkdf2Sync(password, octets(salt!), iterations, cipher.keyBytes, prf);
  return nodeDecrypt(cipher.name, key, octets(ivNode!), ciphertext);
}

function nodeDecrypt(cipher: string, key: Buffer, iv: Buffer, ciphertext: Buffer): Buffer {
  let decipher;
  try {
    decipher = createDecipheriv(cipher, key, iv);
  } catch (cause) {
    throw pkcs12FormatError(`cannot start ${cipher}`, cause);
  }
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    throw new BadPassword(); // bad padding: the key was derived from another password
  }
}

/** RFC 7292 appendix B.2 key derivation. */
function pkcs12Kdf(hash: { name: string; blockBytes: number }, password: Buffer, salt: Buffer, id: 1 | 2 | 3, iterations: number, length: number): Buffer {
  const v = hash.blockBytes;
  const repeatTo = (src: Buffer, len: number): Buffer => {
    const out = Buffer.alloc(len);
    for (let i = 0; i < len; i++) out[i] = src[i % src.length]!;
    return out;
  };
  const fill = (src: Buffer): Buffer => (src.length === 0 ? Buffer.alloc(0) : repeatTo(src, v * Math.ceil(src.length / v)));
  const diversifier = Buffer.alloc(v, id);
  const input = Buffer.concat([fill(salt), fill(password)]);
  const out: Buffer[] = [];
  let produced = 0;
  while (produced < length) {
    let a = createHash(hash.name).update(diversifier).update(input).digest();
    for (let i = 1; i < iterations; i++) a = createHash(hash.name).update(a).digest();
    out.push(a);
    produced += a.length;
    if (produced >= length) break;
    const b = repeatTo(a, v);
    for (let j = 0; j < input.length; j += v) {
      // I_j = (I_j + B + 1) mod 2^(8v)
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = input[j + k]! + b[k]! + carry;
        input[j + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return Buffer.concat(out).subarray(0, length);
}

function checkIterations(iterations: number): void {
  if (!Number.isSafeInteger(iterations) || iterations < 1 || iterations > MAX_KDF_ITERATIONS) {
    throw pkcs12FormatError(`iteration count ${iterations} is out of range`);
  }
}

export function pkcs12FormatError(reason: string, cause?: unknown): SigningError {
  return new SigningError(
    'CERT_FORMAT',
    {
      ja: 'PKCS#12 ファイル（.p12 / .pfx）として読み取れませんでした。ファイルが壊れていないか、正しいファイルを選んだかを確かめてください。',
      en: `not a usable PKCS#12 file: ${reason}`,
    },
    cause === undefined ? {} : { cause },
  );
}

// -- BER helpers (forge's parser accepts indefinite lengths and chunked strings; strict mode only
// refuses values longer than their input, i.e. truncated files)

function parseBer(bytes: string): Asn1 {
  const fromDer = asn1.fromDer as unknown as (input: string, options: { strict: boolean; parseAllBytes: boolean; decodeBitStrings: boolean }) => Asn1;
  return fromDer(bytes, { strict: true, parseAllBytes: true, decodeBitStrings: false });
}

function children(node: Asn1, what: string, atLeast: number): Asn1[] {
  if (!node.constructed || !Array.isArray(node.value) || node.value.length < atLeast) {
    throw new Error(`${what} is not a SEQUENCE of at least ${atLeast} elements`);
  }
  return node.value;
}

/** [n] EXPLICIT wrapper -> its single inner value */
function explicitValue(node: Asn1): Asn1 {
  if (node.tagClass !== asn1.Class.CONTEXT_SPECIFIC) throw new Error('expected an explicit tag');
  return children(node, 'explicit tag', 1)[0]!;
}

function contentInfo(node: Asn1): [string, Asn1 | undefined] {
  const [type, content] = children(node, 'ContentInfo', 1);
  return [oid(type!), content && content.tagClass === asn1.Class.CONTEXT_SPECIFIC && content.constructed ? explicitValue(content) : content];
}

/** The bytes of an OCTET STRING, primitive or BER-constructed from chunks. */
function octets(node: Asn1): Buffer {
  if (typeof node.value === 'string') return Buffer.from(node.value, 'binary');
  return Buffer.concat(node.value.map(octets));
}

function oid(node: Asn1): string {
  if (node.type !== asn1.Type.OID || typeof node.value !== 'string') throw new Error('expected an OBJECT IDENTIFIER');
  return asn1.derToOid(node.value);
}

function integer(node: Asn1): number {
  if (node.type !== asn1.Type.INTEGER || typeof node.value !== 'string' || node.value.length === 0 || node.value.length > 4) {
    throw new Error('expected a small INTEGER');
  }
  return asn1.derToInteger(node.value);
}

function der(node: Asn1): Buffer {
  return Buffer.from(asn1.toDer(node).getBytes(), 'binary');
}
