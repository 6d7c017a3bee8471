// Test support (Node). A small in-memory PKI: CAs and end-entity certificates built as ASN.1 with
// node-forge (UTF8String names, so Japanese names survive) and signed with Node crypto, plus
// PKCS#12 files written by the OpenSSL command line, because that is what filers' files look like.
import { execFileSync } from 'node:child_process';
import {
  X509Certificate,
  createHash,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  sign,
  type KeyObject,
} from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';

const { asn1 } = forge;

export interface Subject {
  C?: string;
  O?: string;
  OU?: string;
  CN: string;
}

export interface TestCertificate {
  key: KeyObject;
  /** PKCS#8, unencrypted */
  keyPem: string;
  certPem: string;
  certDer: Buffer;
  certificate: X509Certificate;
  subject: Subject;
}

export type TestCa = TestCertificate;

export interface CertificateOptions {
  notBefore?: Date;
  notAfter?: Date;
  keyBits?: number;
  /** the key to certify; by default a per-process cached RSA key named after the subject CN */
  key?: KeyObject;
  /** a directoryName in subjectAltName: how 官職 certificates carry their Japanese name (REFERENCE §4.15, §7.3) */
  subjectAltName?: Partial<Subject>;
  /** a directoryName in issuerAltName: the issuing CA's Japanese name */
  issuerAltName?: Partial<Subject>;
}

const DAY = 24 * 60 * 60 * 1000;
const keyCache = new Map<string, KeyObject>();

/** An RSA key, generated once per process per `name` (key generation is the slow part of tests). */
export function testRsaKey(name: string, bits = 2048): KeyObject {
  const cacheKey = `${bits}:${name}`;
  let key = keyCache.get(cacheKey);
  if (!key) {
    key = generateKeyPairSync('rsa', { modulusLength: bits }).privateKey;
    keyCache.set(cacheKey, key);
  }
  return key;
}

/** A fresh (uncached) P-256 key, for "unsupported key type" tests. */
export function testEcKey(): KeyObject {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
}

export function makeCa(options: { commonName: string; subject?: Omit<Subject, 'CN'> } & CertificateOptions): TestCa {
  const subject: Subject = { C: 'JP', O: 'Todoke Test', ...options.subject, CN: options.commonName };
  const key = options.key ?? testRsaKey(`ca:${options.commonName}`, options.keyBits ?? 2048);
  return build({ subject, key, issuer: null, isCa: true, ...altNames(options), ...validity(options, 3650) });
}

export function issueCertificate(ca: TestCa, options: { subject: Subject } & CertificateOptions): TestCertificate {
  const key = options.key ?? testRsaKey(`ee:${options.subject.CN}`, options.keyBits ?? 2048);
  return build({ subject: options.subject, key, issuer: ca, isCa: false, ...altNames(options), ...validity(options, 365) });
}

/** A self-signed end-entity certificate (no CA flag), as some test tools make. */
export function selfSigned(options: { subject: Subject } & CertificateOptions): TestCertificate {
  const key = options.key ?? testRsaKey(`self:${options.subject.CN}`, options.keyBits ?? 2048);
  return build({ subject: options.subject, key, issuer: null, isCa: false, ...validity(options, 365) });
}

function altNames(options: CertificateOptions): Pick<CertificateOptions, 'subjectAltName' | 'issuerAltName'> {
  return {
    ...(options.subjectAltName ? { subjectAltName: options.subjectAltName } : {}),
    ...(options.issuerAltName ? { issuerAltName: options.issuerAltName } : {}),
  };
}

/** GeneralNames with one directoryName ([4], explicit: Name is a CHOICE) */
function directoryNames(dn: Partial<Subject>): forge.asn1.Asn1 {
  return seq([asn1.create(asn1.Class.CONTEXT_SPECIFIC, 4, true, [name(dn)])]);
}

function validity(options: CertificateOptions, days: number): { notBefore: Date; notAfter: Date } {
  const notBefore = options.notBefore ?? new Date(Date.now() - DAY);
  const notAfter = options.notAfter ?? new Date(notBefore.getTime() + days * DAY);
  return { notBefore, notAfter };
}

interface BuildInput extends Pick<CertificateOptions, 'subjectAltName' | 'issuerAltName'> {
  subject: Subject;
  key: KeyObject;
  issuer: TestCa | null;
  isCa: boolean;
  notBefore: Date;
  notAfter: Date;
}

function build(input: BuildInput): TestCertificate {
  const spkiDer = createPublicKey(input.key).export({ type: 'spki', format: 'der' });
  const ski = subjectKeyIdentifier(spkiDer);
  const signerKey = input.issuer?.key ?? input.key;
  const issuerName = input.issuer ? input.issuer.subject : input.subject;
  const issuerSki = input.issuer ? subjectKeyIdentifier(createPublicKey(input.issuer.key).export({ type: 'spki', format: 'der' })) : ski;

  const sigAlg = seq([oid(forge.pki.oids.sha256WithRSAEncryption!), asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '')]);
  const extensions = [
    extension('2.5.29.19', true, seq(input.isCa ? [asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BOOLEAN, false, '\xff')] : [])),
    // CA: keyCertSign + cRLSign; end entity: digitalSignature + nonRepudiation (what signing certs carry)
    extension('2.5.29.15', true, asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, input.isCa ? '\x01\x06' : '\x06\xc0')),
    extension('2.5.29.14', false, asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, bytes(ski))),
    extension('2.5.29.35', false, seq([asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, false, bytes(issuerSki))])),
    ...(input.subjectAltName ? [extension('2.5.29.17', false, directoryNames(input.subjectAltName))] : []),
    ...(input.issuerAltName ? [extension('2.5.29.18', false, directoryNames(input.issuerAltName))] : []),
  ];
  const tbs = seq([
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, '\x02')]),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, bytes(serialNumber())),
    sigAlg,
    name(issuerName),
    seq([time(input.notBefore), time(input.notAfter)]),
    name(input.subject),
    fromDerRaw(bytes(spkiDer)),
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 3, true, [seq(extensions)]),
  ]);
  const tbsDer = der(tbs);
  const signature = sign('sha256', tbsDer, signerKey);
  const certDer = der(seq([tbs, sigAlg, asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, '\x00' + bytes(signature))]));
  const certificate = new X509Certificate(certDer);
  return {
    key: input.key,
    keyPem: input.key.export({ type: 'pkcs8', format: 'pem' }).toString(),
    certPem: certificate.toString(),
    certDer,
    certificate,
    subject: input.subject,
  };
}

const NAME_OIDS: [keyof Subject, string][] = [
  ['C', '2.5.4.6'],
  ['O', '2.5.4.10'],
  ['OU', '2.5.4.11'],
  ['CN', '2.5.4.3'],
];

function name(subject: Partial<Subject>): forge.asn1.Asn1 {
  const rdns = NAME_OIDS.flatMap(([field, type]) => {
    const value = subject[field];
    if (value === undefined) return [];
    // countryName is PrintableString by definition; everything else UTF8String (RFC 5280 4.1.2.4)
    const atv =
      field === 'C'
        ? asn1.create(asn1.Class.UNIVERSAL, asn1.Type.PRINTABLESTRING, false, value)
        : asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTF8, false, forge.util.encodeUtf8(value));
    return [asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, [seq([oid(type), atv])])];
  });
  return seq(rdns);
}

function time(date: Date): forge.asn1.Asn1 {
  return date.getUTCFullYear() < 2050
    ? asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTCTIME, false, asn1.dateToUtcTime(date))
    : asn1.create(asn1.Class.UNIVERSAL, asn1.Type.GENERALIZEDTIME, false, asn1.dateToGeneralizedTime(date));
}

function extension(id: string, critical: boolean, value: forge.asn1.Asn1): forge.asn1.Asn1 {
  return seq([
    oid(id),
    ...(critical ? [asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BOOLEAN, false, '\xff')] : []),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, der(value).toString('binary')),
  ]);
}

function subjectKeyIdentifier(spkiDer: Buffer): Buffer {
  // RFC 5280 4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING value
  const spki = fromDerRaw(bytes(spkiDer));
  const bitString = (spki.value as forge.asn1.Asn1[])[1]!.value as string;
  return createHash('sha1').update(Buffer.from(bitString.slice(1), 'binary')).digest();
}

function serialNumber(): Buffer {
  const serial = randomBytes(16);
  serial[0] = (serial[0]! & 0x7f) | 0x10; // positive, and no leading zero byte to strip
  return serial;
}

function seq(value: forge.asn1.Asn1[]): forge.asn1.Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, value);
}

function oid(dotted: string): forge.asn1.Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(dotted).getBytes());
}

function bytes(buffer: Buffer): string {
  return buffer.toString('binary');
}

/** forge's parser, leaving BIT STRING contents alone (its typings lack the options object) */
function fromDerRaw(input: string): forge.asn1.Asn1 {
  const fromDer = asn1.fromDer as unknown as (bytes: string, options: { decodeBitStrings: boolean }) => forge.asn1.Asn1;
  return fromDer(input, { decodeBitStrings: false });
}

function der(node: forge.asn1.Asn1): Buffer {
  return Buffer.from(asn1.toDer(node).getBytes(), 'binary');
}

// ---------------------------------------------------------------------------------------------
// PKCS#12 files, written by `openssl pkcs12 -export`

export type Pkcs12Style =
  /** OpenSSL 3 defaults: PBES2 AES-256-CBC, PBKDF2/HMAC-SHA-256, SHA-256 MAC */
  | 'openssl3'
  /** `-legacy`: RC2-40 for certificates, 3DES for the key, SHA-1 MAC */
  | 'legacy'
  /**
   * What Windows' "TripleDES-SHA1" export writes: 3DES for key and certificates, SHA-1 MAC, a
   * Microsoft CSP name and GUID-like friendly name on the bags, re-encoded with BER
   * indefinite lengths and a chunked OCTET STRING around the authenticated safe.
   */
  | 'windows';

export interface Pkcs12Options {
  style?: Pkcs12Style;
  /** shorthand for style 'legacy' */
  legacy?: boolean;
  /** more certificates to put in the bag (the issuing chain) */
  chain?: (X509Certificate | string)[];
  friendlyName?: string;
  /** write the certificates only, no private key */
  noKey?: boolean;
  /** no MAC (`-nomac`): a wrong password then shows only as undecryptable content */
  noMac?: boolean;
}

export function makePkcs12(key: KeyObject | null, cert: X509Certificate | string, password: string, options: Pkcs12Options = {}): Buffer {
  const style = options.style ?? (options.legacy ? 'legacy' : 'openssl3');
  return withTempDir((dir) => {
    const certPath = join(dir, 'cert.pem');
    const outPath = join(dir, 'out.p12');
    writeFileSync(certPath, pem(cert));
    const args = ['pkcs12', '-export', '-in', certPath, '-out', outPath, '-passout', 'env:TODOKE_TEST_P12_PASSWORD'];
    if (key && !options.noKey) {
      const keyPath = join(dir, 'key.pem');
      writeFileSync(keyPath, key.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
      args.push('-inkey', keyPath);
    } else {
      args.push('-nokeys');
    }
    if (options.chain?.length) {
      const chainPath = join(dir, 'chain.pem');
      writeFileSync(chainPath, options.chain.map(pem).join(''));
      args.push('-certfile', chainPath);
    }
    if (style === 'legacy') args.push('-legacy');
    if (options.noMac) args.push('-nomac');
    if (style === 'windows') {
      args.push('-keypbe', 'PBE-SHA1-3DES', '-certpbe', 'PBE-SHA1-3DES', '-macalg', 'sha1');
      args.push('-CSP', 'Microsoft Enhanced RSA and AES Cryptographic Provider');
      args.push('-name', options.friendlyName ?? `le-${randomBytes(4).toString('hex')}-2974-4031-9b74-ae1b4a3782b5`);
    } else if (options.friendlyName) {
      args.push('-name', options.friendlyName);
    }
    // The password goes through the environment so non-ASCII and empty passwords reach OpenSSL as
    // the UTF-8 bytes a user would type, exactly like a filer's own `openssl pkcs12` run.
    execFileSync('openssl', args, { env: { ...process.env, TODOKE_TEST_P12_PASSWORD: password }, stdio: ['ignore', 'ignore', 'pipe'] });
    const out = readFileSync(outPath);
    return style === 'windows' ? toIndefiniteLengthBer(out) : out;
  });
}

/**
 * Re-encodes the outer layers of a PFX with BER indefinite lengths and the authenticated safe as
 * a constructed OCTET STRING of 1000-byte chunks. The MAC covers only the authenticated safe's
 * content octets, so the file stays valid.
 */
export function toIndefiniteLengthBer(pfxDer: Buffer): Buffer {
  const pfx = fromDerRaw(bytes(pfxDer));
  const [version, authSafe, macData] = pfx.value as forge.asn1.Asn1[];
  const [contentType, explicit] = authSafe!.value as forge.asn1.Asn1[];
  const octets = (explicit!.value as forge.asn1.Asn1[])[0]!.value as string;
  const chunks: string[] = [];
  for (let i = 0; i < octets.length; i += 1000) {
    const chunk = octets.slice(i, i + 1000);
    chunks.push(der(asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, chunk)).toString('binary'));
  }
  const indefinite = (tag: number, parts: string[]): string => String.fromCharCode(tag, 0x80) + parts.join('') + '\x00\x00';
  const content = indefinite(0x24, chunks); // constructed OCTET STRING
  const authSafeBer = indefinite(0x30, [der(contentType!).toString('binary'), indefinite(0xa0, [content])]);
  const out = indefinite(0x30, [der(version!).toString('binary'), authSafeBer, macData ? der(macData).toString('binary') : '']);
  return Buffer.from(out, 'binary');
}

/** Encrypts a key as legacy PEM (`Proc-Type: 4,ENCRYPTED`, DES-EDE3-CBC) or encrypted PKCS#8. */
export function encryptedKeyPem(key: KeyObject, passphrase: string, form: 'pkcs1-des3' | 'pkcs8-aes'): string {
  return form === 'pkcs1-des3'
    ? key.export({ type: 'pkcs1', format: 'pem', cipher: 'des-ede3-cbc', passphrase }).toString()
    : key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }).toString();
}

export function withTempDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'todoke-pki-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function pem(cert: X509Certificate | string): string {
  const text = typeof cert === 'string' ? cert : cert.toString();
  return text.endsWith('\n') ? text : `${text}\n`;
}
