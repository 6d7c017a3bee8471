// Sandbox (Node). Issues X.509 certificates: the sandbox's TLS CA and server certificate, and test
// CAs and users. Keys come from node:crypto (native, fast); node-forge only assembles and signs the
// certificate, which node:crypto cannot do.
import { generateKeyPairSync, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';

export interface DistinguishedName {
  commonName: string;
  organization?: string;
  organizationalUnit?: string;
  country?: string;
}

export interface IssuedCertificate {
  certificate: X509Certificate;
  certificatePem: string;
  privateKey: KeyObject;
  privateKeyPem: string;
}

export interface IssueOptions {
  subject: DistinguishedName;
  /** the issuing CA; omitted = self-signed */
  issuer?: IssuedCertificate;
  ca: boolean;
  notBefore: Date;
  notAfter: Date;
  keyBits?: number;
  /** Japanese names as a directoryName in subjectAltName / issuerAltName (官職 certificates, REFERENCE §7.3) */
  subjectAltDirectoryName?: AltDirectoryName;
  issuerAltDirectoryName?: AltDirectoryName;
  /** TLS server names */
  dnsNames?: readonly string[];
  ipAddresses?: readonly string[];
}

/** A directoryName of an alternative name: any of the parts (a CA's name has no CN). */
export type AltDirectoryName = Partial<DistinguishedName>;

const UTF8 = forge.asn1.Type.UTF8 as unknown as forge.asn1.Class;
const { asn1 } = forge;

/** GeneralNames holding one directoryName ([4] explicit, since Name is a CHOICE); UTF8String values. */
function directoryNameExtension(id: string, dn: AltDirectoryName): unknown {
  const parts: Array<[string, string | undefined, boolean]> = [
    ['2.5.4.6', dn.country, false],
    ['2.5.4.10', dn.organization, true],
    ['2.5.4.11', dn.organizationalUnit, true],
    ['2.5.4.3', dn.commonName, true],
  ];
  const rdns = parts
    .filter((p): p is [string, string, boolean] => p[1] !== undefined)
    .map(([oid, value, utf8]) =>
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, [
        asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
          asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(oid).getBytes()),
          utf8
            ? asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTF8, false, forge.util.encodeUtf8(value))
            : asn1.create(asn1.Class.UNIVERSAL, asn1.Type.PRINTABLESTRING, false, value),
        ]),
      ]),
    );
  const name = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, rdns);
  return { id, critical: false, value: asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [asn1.create(asn1.Class.CONTEXT_SPECIFIC, 4, true, [name])]) };
}

function attributes(dn: DistinguishedName): forge.pki.CertificateField[] {
  const out: forge.pki.CertificateField[] = [];
  if (dn.country) out.push({ shortName: 'C', value: dn.country });
  // UTF8String, so that Japanese names survive (forge would otherwise write the UTF-16 code units).
  if (dn.organization) out.push({ shortName: 'O', value: dn.organization, valueTagClass: UTF8 });
  if (dn.organizationalUnit) out.push({ shortName: 'OU', value: dn.organizationalUnit, valueTagClass: UTF8 });
  out.push({ shortName: 'CN', value: dn.commonName, valueTagClass: UTF8 });
  return out;
}

/** forge parses a UTF8String into UTF-8 bytes but encodes the value it is given: decode first. */
function reencodable(fields: forge.pki.CertificateField[]): forge.pki.CertificateField[] {
  return fields.map((f) =>
    f.valueTagClass === UTF8 && typeof f.value === 'string' ? { ...f, value: forge.util.decodeUtf8(f.value) } : f,
  );
}

export function issueCertificate(opts: IssueOptions): IssuedCertificate {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: opts.keyBits ?? 2048 });
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(privateKeyPem) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e);
  // Positive 16-byte serial: a leading 0x01..0x7f byte keeps the DER INTEGER non-negative.
  cert.serialNumber = (0x10 + (randomBytes(1)[0]! % 0x60)).toString(16) + randomBytes(15).toString('hex');
  cert.validity.notBefore = opts.notBefore;
  cert.validity.notAfter = opts.notAfter;
  cert.setSubject(attributes(opts.subject));
  const issuerCert = opts.issuer ? forge.pki.certificateFromPem(opts.issuer.certificatePem) : null;
  cert.setIssuer(issuerCert ? reencodable(issuerCert.subject.attributes) : attributes(opts.subject));
  const extensions: unknown[] = [
    { name: 'basicConstraints', cA: opts.ca, critical: true },
    opts.ca
      ? { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true }
      : { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, keyEncipherment: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ];
  if (issuerCert) extensions.push({ name: 'authorityKeyIdentifier', keyIdentifier: issuerCert.generateSubjectKeyIdentifier().getBytes() });
  const altNames = [
    ...(opts.dnsNames ?? []).map((value) => ({ type: 2, value })),
    ...(opts.ipAddresses ?? []).map((ip) => ({ type: 7, ip })),
  ];
  if (opts.subjectAltDirectoryName) extensions.push(directoryNameExtension('2.5.29.17', opts.subjectAltDirectoryName));
  if (opts.issuerAltDirectoryName) extensions.push(directoryNameExtension('2.5.29.18', opts.issuerAltDirectoryName));
  if (altNames.length) {
    extensions.push({ name: 'subjectAltName', altNames });
    extensions.push({ name: 'extKeyUsage', serverAuth: true });
  }
  cert.setExtensions(extensions);
  const signingKey = opts.issuer ? (forge.pki.privateKeyFromPem(opts.issuer.privateKeyPem) as forge.pki.rsa.PrivateKey) : forgeKey;
  cert.sign(signingKey, forge.md.sha256.create());
  const certificatePem = forge.pki.certificateToPem(cert);
  return { certificate: new X509Certificate(certificatePem), certificatePem, privateKey, privateKeyPem };
}
