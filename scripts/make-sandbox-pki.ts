// Dev tool (Node). Writes the bundled sandbox test credentials to assets/sandbox-pki/ (committed):
// a test CA the sandbox issues from, training certificates for filers, a key + certificate to put
// on a SoftHSM token, and a 官職 CA + certificate for signing official documents in the sandbox.
// Every run makes new keys, so re-run only when the set must change, and commit the result.
//   node --import tsx scripts/make-sandbox-pki.ts [--out <dir>] [--only kanshoku]
// --only kanshoku rewrites the 官職 CA and signer alone (and this README), leaving every other file as it is.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { issueCertificate, makeCa, makePkcs12, type TestCertificate } from '../test/support/pki.js';

const NOT_BEFORE = new Date('2025-01-01T00:00:00Z');
const NOT_AFTER = new Date('2045-12-31T23:59:59Z');
const SANDBOX_P12_PASSWORD = 'todoke';

const root = resolve(fileURLToPath(import.meta.url), '..', '..');
const outIndex = process.argv.indexOf('--out');
const onlyIndex = process.argv.indexOf('--only');
const only = onlyIndex > 0 ? process.argv[onlyIndex + 1] : undefined;
if (only !== undefined && only !== 'kanshoku') throw new Error(`--only: unknown set ${only} (known: kanshoku)`);
const outDir = outIndex > 0 && process.argv[outIndex + 1] ? resolve(process.argv[outIndex + 1]!) : join(root, 'assets', 'sandbox-pki');

function freshKey(): KeyObject {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
}

function write(name: string, content: string | Buffer, secret = false): void {
  writeFileSync(join(outDir, name), content, secret ? { mode: 0o600 } : {});
  console.log(`  ${name}`);
}

function writeKeyAndCert(base: string, cert: TestCertificate): void {
  write(`${base}.key.pem`, cert.keyPem, true);
  write(`${base}.cert.pem`, cert.certPem);
}

function writeP12(base: string, cert: TestCertificate, ca: TestCertificate): void {
  write(`${base}.p12`, makePkcs12(cert.key, cert.certificate, SANDBOX_P12_PASSWORD, { chain: [ca.certificate], friendlyName: cert.subject.CN }), true);
  write(`${base}.cert.pem`, cert.certPem);
}

mkdirSync(outDir, { recursive: true });
console.log(`writing ${outDir}`);
const validity = { notBefore: NOT_BEFORE, notAfter: NOT_AFTER };

if (only === undefined) writeFilerSet();

function writeFilerSet(): void {
const ca = makeCa({ commonName: 'Todoke サンドボックス テスト認証局', subject: { C: 'JP', O: 'Todoke Sandbox' }, key: freshKey(), ...validity });
writeKeyAndCert('sandbox-ca', ca);

const person = (CN: string): { subject: { C: string; O: string; CN: string } } => ({ subject: { C: 'JP', O: 'Todoke Sandbox', CN } });
writeP12('yamada-taro', issueCertificate(ca, { ...person('山田 太郎'), key: freshKey(), ...validity }), ca);
writeP12('yamada-taro-renewed', issueCertificate(ca, { ...person('山田 太郎'), key: freshKey(), ...validity }), ca);
writeP12('suzuki-hanako', issueCertificate(ca, { ...person('鈴木 花子'), key: freshKey(), ...validity }), ca);
writeKeyAndCert('token-user', issueCertificate(ca, { ...person('佐藤 健'), key: freshKey(), ...validity }));
}

// The 官職 names in Japanese ride in subjectAltName / issuerAltName directoryNames, as on e-Gov's demo
// 官職 certificates (REFERENCE §7.3): 公文書署名検証 reads Publisher / Owner from there (§4.15).
const OFFICIAL_CA_NAME = { C: 'JP', O: 'Todoke サンドボックス', OU: 'サンドボックス官職認証局' };
const OFFICIAL_SIGNER_NAME = { C: 'JP', O: 'Todoke サンドボックス', OU: 'テスト省', CN: 'テスト用官職証明書０１' };

const officialCa = makeCa({
  commonName: 'Todoke Sandbox 官職認証局',
  subject: { C: 'JP', O: 'Todoke Sandbox' },
  key: freshKey(),
  subjectAltName: OFFICIAL_CA_NAME,
  issuerAltName: OFFICIAL_CA_NAME,
  ...validity,
});
writeKeyAndCert('kanshoku-ca', officialCa);
writeKeyAndCert(
  'kanshoku-01',
  issueCertificate(officialCa, {
    subject: { C: 'JP', O: 'Todoke Sandbox', OU: '官職', CN: 'Todoke Sandbox 官職 01' },
    key: freshKey(),
    subjectAltName: OFFICIAL_SIGNER_NAME,
    issuerAltName: OFFICIAL_CA_NAME,
    ...validity,
  }),
);

write(
  'README.md',
  `# Sandbox test credentials — TEST ONLY

Everything in this folder is a **test credential** for Todoke's built-in e-Gov sandbox. The private
keys are public (they are committed here). Never use them, or anything they sign, with a real
e-Gov endpoint; e-Gov would not accept them anyway, since no real CA issued them.

| File | What |
| --- | --- |
| \`sandbox-ca.cert.pem\`, \`sandbox-ca.key.pem\` | "Todoke Sandbox Test CA" (C=JP, O=Todoke Sandbox, CN=Todoke サンドボックス テスト認証局); the sandbox issues and trusts certificates from it |
| \`yamada-taro.p12\` | 山田 太郎, training certificate (PKCS#12, password \`${SANDBOX_P12_PASSWORD}\`) |
| \`yamada-taro-renewed.p12\` | 山田 太郎's renewal certificate: same subject, new key (for 証明書更新 training) |
| \`suzuki-hanako.p12\` | 鈴木 花子, a second filer (password \`${SANDBOX_P12_PASSWORD}\`) |
| \`token-user.key.pem\`, \`token-user.cert.pem\` | 佐藤 健, key + certificate to import into a SoftHSM token (IC card training) |
| \`*.cert.pem\` | each certificate alone, PEM |
| \`kanshoku-ca.cert.pem\`, \`kanshoku-ca.key.pem\` | "Todoke Sandbox 官職認証局", the CA of the sandbox's official-document signer; Japanese name (subjectAltName and issuerAltName directoryName) C=JP/O=Todoke サンドボックス/OU=サンドボックス官職認証局 |
| \`kanshoku-01.cert.pem\`, \`kanshoku-01.key.pem\` | "Todoke Sandbox 官職 01", signs the sandbox's 公文書; subjectAltName C=JP/O=Todoke サンドボックス/OU=テスト省/CN=テスト用官職証明書０１, issuerAltName the CA's |

All are RSA 2048 / SHA-256, valid 2025-01-01 to 2045-12-31 (UTC). The PKCS#12 files are written
by \`openssl pkcs12 -export\` with OpenSSL 3 defaults (AES-256-CBC, PBKDF2, SHA-256 MAC) and carry
the CA certificate as their chain.

## Regenerate

    node --import tsx scripts/make-sandbox-pki.ts                  # everything
    node --import tsx scripts/make-sandbox-pki.ts --only kanshoku  # the 官職 CA and signer only

This makes **new keys** for everything, so anything already signed or issued with the old ones
(sandbox databases, recorded fixtures) stops verifying. Tests only read these files; they never
need the script to run.
`,
);
