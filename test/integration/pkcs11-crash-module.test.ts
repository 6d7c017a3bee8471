// The crash module (test/support/pkcs11-crash): a PKCS#11 library that forwards to SoftHSM2 and
// aborts inside C_Sign, standing in for a vendor driver that crashes. Checked in child processes
// only: through it pkcs11js and the app's own PKCS#11 code list tokens and read certificates as
// with SoftHSM itself, and signing kills the process with SIGABRT.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { X509Certificate, verify } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { buildCrashModule, crashModuleEnv } from '../support/pkcs11-crash.js';
import { repoRoot } from '../support/paths.js';
import { createSoftHsmToken, sandboxTokenUser, type SoftHsmToken } from '../support/softhsm.js';

const PIN = '246810';
const LABEL = 'クラッシュ カード';
const DATA = Buffer.from('<DataRoot><ApplData Id="ApplData">届出</ApplData></DataRoot>', 'utf8');
const CHILDREN = {
  pkcs11js: [process.execPath, 'test/support/pkcs11-crash/child-pkcs11js.mjs'],
  signer: [process.execPath, '--import', 'tsx', 'test/support/pkcs11-crash/child-signer.ts'],
};

/** The JSON lines the children write before each step (test/support/pkcs11-crash/child-*). */
type ChildStep =
  | { step: 'loaded'; manufacturer: string }
  | { step: 'tokens'; tokens: { label: string; serial: string; manufacturer: string }[] }
  | { step: 'certificate'; id: string; label: string; der: string }
  | { step: 'logged-in' }
  | { step: 'sign-init' }
  | { step: 'sign' }
  | { step: 'signed'; signature: string }
  | { step: 'error'; message: string };

interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  steps: ChildStep[];
  stderr: string;
}

let card: SoftHsmToken;
let modulePath: string;
const user = sandboxTokenUser('crash-user', '0a');
const userCert = new X509Certificate(user.certDer!);

before(() => {
  modulePath = buildCrashModule();
  card = createSoftHsmToken({ label: LABEL, pin: PIN, objects: [user] });
});
after(() => card?.cleanup());

/** Runs a child against the crash module (without core dumps: the aborts are expected). */
function runChild(mode: keyof typeof CHILDREN, crashIn = 'C_Sign'): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', 'ulimit -c 0; exec "$0" "$@"', ...CHILDREN[mode]], {
      cwd: repoRoot,
      env: {
        ...process.env,
        ...crashModuleEnv(card, crashIn),
        CRASH_CHILD_MODULE: modulePath,
        CRASH_CHILD_LABEL: LABEL,
        CRASH_CHILD_PIN: PIN,
        CRASH_CHILD_DATA: DATA.toString('base64'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 12_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const steps = stdout
        .split('\n')
        .filter((line) => line.trim())
        .map((line) => JSON.parse(line) as ChildStep);
      resolve({ code, signal, steps, stderr });
    });
  });
}

function stepNames(result: ChildResult): string[] {
  return result.steps.map((s) => s.step);
}

function describeRun(result: ChildResult): string {
  return `exit ${result.code ?? result.signal}; steps ${stepNames(result).join(' > ')}; stderr: ${result.stderr}`;
}

/** The child saw our token (served by SoftHSM behind the crash module) and its certificate. */
function assertForwarded(result: ChildResult): void {
  const tokens = result.steps.find((s) => s.step === 'tokens');
  assert.ok(tokens, describeRun(result));
  const mine = tokens.tokens.find((t) => t.serial === card.serial);
  assert.deepEqual(mine, { label: LABEL, serial: card.serial, manufacturer: 'SoftHSM project' });
  const certificate = result.steps.find((s) => s.step === 'certificate');
  assert.ok(certificate, describeRun(result));
  assert.equal(certificate.id, '0a');
  assert.equal(certificate.label, 'crash-user');
  assert.ok(Buffer.from(certificate.der, 'base64').equals(userCert.raw), 'the certificate read through the crash module is the one on the token');
}

function assertAbortedIn(result: ChildResult, fn: string): void {
  assert.equal(result.signal, 'SIGABRT', describeRun(result));
  assert.match(result.stderr, new RegExp(`todoke-pkcs11-crash: abort\\(\\) in ${fn}\\n`));
  assert.ok(!result.steps.some((s) => s.step === 'signed' || s.step === 'error'), describeRun(result));
}

// each test is one child process on the shared token, one after another: SoftHSM keeps a token in
// files, and a child that reads them while another aborts mid-session sometimes found them unreadable
void describe('the PKCS#11 crash module', () => {
  void test('through pkcs11js it forwards listing, certificate and login to SoftHSM, and C_Sign aborts the process', async () => {
    const result = await runChild('pkcs11js');
    assertForwarded(result);
    assert.deepEqual(stepNames(result), ['loaded', 'tokens', 'certificate', 'logged-in', 'sign-init', 'sign']);
    assert.deepEqual(result.steps[0], { step: 'loaded', manufacturer: 'SoftHSM' });
    assertAbortedIn(result, 'C_Sign');
  });

  void test('with TODOKE_CRASH_IN=none it is a plain forwarder: the same run signs, and the signature verifies', async () => {
    const result = await runChild('pkcs11js', 'none');
    assert.equal(result.code, 0, describeRun(result));
    assert.deepEqual(stepNames(result), ['loaded', 'tokens', 'certificate', 'logged-in', 'sign-init', 'sign', 'signed']);
    const signed = result.steps.at(-1);
    assert.ok(signed?.step === 'signed');
    assert.ok(verify('sha256', DATA, userCert.publicKey, Buffer.from(signed.signature, 'base64')));
  });

  void test('TODOKE_CRASH_IN=C_SignInit aborts one call earlier', async () => {
    const result = await runChild('pkcs11js', 'C_SignInit');
    assert.deepEqual(stepNames(result), ['loaded', 'tokens', 'certificate', 'logged-in']);
    assertAbortedIn(result, 'C_SignInit');
  });

  void test('an unknown TODOKE_CRASH_IN fails loading instead of forwarding silently', async () => {
    const result = await runChild('pkcs11js', 'C_Sing');
    assert.equal(result.signal, null, describeRun(result));
    assert.equal(result.code, 1, describeRun(result));
    assert.match(result.stderr, /TODOKE_CRASH_IN=C_Sing is not a PKCS#11 2\.40 function name/);
    assert.deepEqual(stepNames(result), ['error']);
  });

  void test("through the app's PKCS#11 signer: tokens and certificates list, sign() aborts the process", async () => {
    const result = await runChild('signer');
    assertForwarded(result);
    assert.deepEqual(stepNames(result), ['tokens', 'certificate', 'sign']);
    assertAbortedIn(result, 'C_Sign');
  });
});
