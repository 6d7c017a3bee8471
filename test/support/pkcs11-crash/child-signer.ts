// Test support (child process, node --import tsx). The same walk as child-pkcs11js.mjs, through
// the app's own PKCS#11 code (src/main/signing/pkcs11): list tokens, list the token's
// certificates, open a signer and sign, each step reported on stdout before it is taken.
// Same environment as child-pkcs11js.mjs.
import { writeSync } from 'node:fs';
import { listTokenCertificates, listTokens, openPkcs11Signer } from '../../../src/main/signing/pkcs11/index.js';

function emit(step: Record<string, unknown> & { step: string }): void {
  // synchronous: the line must be out before an abort() in the next native call
  writeSync(1, `${JSON.stringify(step)}\n`);
}

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

async function run(): Promise<void> {
  const modulePath = env('CRASH_CHILD_MODULE');
  const label = env('CRASH_CHILD_LABEL');
  const pin = env('CRASH_CHILD_PIN');
  const tokens = await listTokens(modulePath);
  emit({ step: 'tokens', tokens: tokens.map((t) => ({ label: t.label, serial: t.serial, manufacturer: t.manufacturer })) });
  const [cert, ...more] = await listTokenCertificates(modulePath, { label });
  if (!cert || more.length) throw new Error('expected one certificate on the token');
  emit({ step: 'certificate', id: cert.id, label: cert.label, der: cert.certificate.raw.toString('base64') });
  const signer = await openPkcs11Signer({ modulePath, token: { label }, pinProvider: async () => pin });
  try {
    emit({ step: 'sign' });
    const signature = await signer.sign(Buffer.from(env('CRASH_CHILD_DATA'), 'base64'));
    emit({ step: 'signed', signature: signature.toString('base64') });
  } finally {
    await signer.close();
  }
}

run().catch((e: unknown) => {
  emit({ step: 'error', message: e instanceof Error ? e.message : String(e) });
  process.exitCode = 1;
});
