// Test support (child process, plain Node: no tsx to start). Through pkcs11js alone: loads a
// PKCS#11 module, lists the tokens, reads the certificate, logs in and signs, reporting each step
// as a JSON line on stdout before taking it, so that the parent sees how far the process got
// before the crash module's abort() killed it.
//   CRASH_CHILD_MODULE  the PKCS#11 library    CRASH_CHILD_LABEL / CRASH_CHILD_PIN  the token
//   CRASH_CHILD_DATA    base64 of what to sign
// The module's own settings (SOFTHSM2_CONF, TODOKE_CRASH_*) come from the environment too.
import { writeSync } from 'node:fs';
import pkcs11js from 'pkcs11js';

function emit(step) {
  // synchronous: the line must be out before an abort() in the next native call
  writeSync(1, `${JSON.stringify(step)}\n`);
}

function env(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

function run() {
  const label = env('CRASH_CHILD_LABEL');
  const p11 = new pkcs11js.PKCS11();
  p11.load(env('CRASH_CHILD_MODULE'));
  p11.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
  emit({ step: 'loaded', manufacturer: p11.C_GetInfo().manufacturerID.trim() });
  const tokens = p11.C_GetSlotList(true).map((slot) => ({ slot, info: p11.C_GetTokenInfo(slot) }));
  emit({
    step: 'tokens',
    tokens: tokens.map(({ info }) => ({ label: info.label.trim(), serial: info.serialNumber.trim(), manufacturer: info.manufacturerID.trim() })),
  });
  const mine = tokens.find(({ info }) => info.label.trim() === label);
  if (!mine) throw new Error(`no token labelled ${label}`);
  const session = p11.C_OpenSession(mine.slot, pkcs11js.CKF_SERIAL_SESSION);

  const find = (template) => {
    p11.C_FindObjectsInit(session, template);
    try {
      return p11.C_FindObjects(session, 16);
    } finally {
      p11.C_FindObjectsFinal(session);
    }
  };
  const [cert] = find([{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE }]);
  if (!cert) throw new Error('no certificate on the token');
  const [der, id, certLabel] = p11
    .C_GetAttributeValue(session, cert, [{ type: pkcs11js.CKA_VALUE }, { type: pkcs11js.CKA_ID }, { type: pkcs11js.CKA_LABEL }])
    .map((a) => a.value);
  emit({ step: 'certificate', id: id.toString('hex'), label: certLabel.toString('utf8'), der: der.toString('base64') });

  p11.C_Login(session, pkcs11js.CKU_USER, env('CRASH_CHILD_PIN'));
  emit({ step: 'logged-in' });
  const [key] = find([
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
    { type: pkcs11js.CKA_ID, value: id },
  ]);
  if (!key) throw new Error('no private key for the certificate');
  p11.C_SignInit(session, { mechanism: pkcs11js.CKM_SHA256_RSA_PKCS }, key);
  emit({ step: 'sign-init' });
  emit({ step: 'sign' });
  const signature = p11.C_Sign(session, Buffer.from(env('CRASH_CHILD_DATA'), 'base64'), Buffer.alloc(1024));
  emit({ step: 'signed', signature: signature.toString('base64') });
  p11.C_Logout(session);
  p11.C_CloseSession(session);
  p11.C_Finalize();
  p11.close();
}

try {
  run();
} catch (e) {
  emit({ step: 'error', message: e instanceof Error ? e.message : String(e) });
  process.exitCode = 1;
}
