// Test support (Node). Real SoftHSM2 tokens in a private temp directory, filled with the same
// command-line tools an administrator would use (softhsm2-util, pkcs11-tool). SoftHSM reads
// SOFTHSM2_CONF at C_Initialize, so a test file creates its token(s) before its first PKCS#11 call;
// several tokens can share one config (one SoftHSM "machine" with several cards).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { X509Certificate } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pkcs11js from 'pkcs11js';

const MODULE_CANDIDATES = [
  '/usr/lib/softhsm/libsofthsm2.so',
  '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so',
  '/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so',
  '/usr/lib64/softhsm/libsofthsm2.so',
  '/usr/lib64/pkcs11/libsofthsm2.so',
  '/usr/local/lib/softhsm/libsofthsm2.so',
  '/opt/homebrew/lib/softhsm/libsofthsm2.so',
];

export function findSoftHsmModule(): string {
  const fromEnv = process.env.TODOKE_SOFTHSM_MODULE;
  const found = [fromEnv, ...MODULE_CANDIDATES].find((p): p is string => typeof p === 'string' && existsSync(p));
  if (!found) {
    throw new Error(`SoftHSM2 not found (looked in ${MODULE_CANDIDATES.join(', ')}); install softhsm2 (scripts/system-deps.mjs) or set TODOKE_SOFTHSM_MODULE`);
  }
  return found;
}

export interface SoftHsmConfig {
  dir: string;
  configPath: string;
  tokenDir: string;
  modulePath: string;
  /** removes the directory and restores the previous SOFTHSM2_CONF */
  cleanup(): void;
}

export function createSoftHsmConfig(): SoftHsmConfig {
  const dir = mkdtempSync(join(tmpdir(), 'todoke-softhsm-'));
  const tokenDir = join(dir, 'tokens');
  mkdirSync(tokenDir);
  const configPath = join(dir, 'softhsm2.conf');
  writeFileSync(configPath, `directories.tokendir = ${tokenDir}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`);
  const previous = process.env.SOFTHSM2_CONF;
  process.env.SOFTHSM2_CONF = configPath;
  let cleaned = false;
  return {
    dir,
    configPath,
    tokenDir,
    modulePath: findSoftHsmModule(),
    cleanup() {
      if (cleaned) return;
      cleaned = true;
      rmSync(dir, { recursive: true, force: true });
      if (process.env.SOFTHSM2_CONF === configPath) {
        if (previous === undefined) delete process.env.SOFTHSM2_CONF;
        else process.env.SOFTHSM2_CONF = previous;
      }
    },
  };
}

export interface TokenObjectSpec {
  /** hex CKA_ID, e.g. '01' */
  id: string;
  label: string;
  /** PKCS#8 PEM, unencrypted; imported as a private key (softhsm2-util also adds the public key) */
  keyPem?: string;
  certDer?: Buffer;
}

export interface SoftHsmTokenOptions {
  label: string;
  pin: string;
  soPin?: string;
  objects?: TokenObjectSpec[];
  /** put the token into this config (to have several tokens); by default a new config is made */
  config?: SoftHsmConfig;
}

export interface SoftHsmToken {
  modulePath: string;
  configPath: string;
  dir: string;
  label: string;
  serial: string;
  /** the slot ID SoftHSM assigned (changes with every init; tests must not rely on it) */
  slotId: number;
  config: SoftHsmConfig;
  /** deletes the token's files: what a process holding it open sees as the card being pulled out */
  remove(): void;
  /** sets or clears CKF_USER_PIN_* flags in the token's stored state, as a card's own counter would */
  setPinFlags(flags: { countLow?: boolean; finalTry?: boolean; locked?: boolean }): void;
  cleanup(): void;
}

export function createSoftHsmToken(options: SoftHsmTokenOptions): SoftHsmToken {
  const ownsConfig = options.config === undefined;
  const config = options.config ?? createSoftHsmConfig();
  try {
    process.env.SOFTHSM2_CONF = config.configPath;
    const env = { ...process.env, SOFTHSM2_CONF: config.configPath };
    const run = (cmd: string, args: string[]): string => execFileSync(cmd, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

    const initOut = run('softhsm2-util', ['--init-token', '--free', '--label', options.label, '--so-pin', options.soPin ?? '12345678', '--pin', options.pin]);
    const slotMatch = /reassigned to slot (\d+)/.exec(initOut);
    if (!slotMatch) throw new Error(`unexpected softhsm2-util output: ${initOut}`);
    const slotId = Number(slotMatch[1]);
    const serial = serialOfSlot(run('softhsm2-util', ['--show-slots']), slotId);

    for (const object of options.objects ?? []) {
      const work = mkdtempSync(join(config.dir, 'obj-'));
      try {
        if (object.keyPem) {
          const keyPath = join(work, 'key.pem');
          writeFileSync(keyPath, object.keyPem, { mode: 0o600 });
          run('softhsm2-util', ['--import', keyPath, '--slot', String(slotId), '--label', object.label, '--id', object.id, '--pin', options.pin]);
        }
        if (object.certDer) {
          const certPath = join(work, 'cert.der');
          writeFileSync(certPath, object.certDer);
          run('pkcs11-tool', [
            '--module', config.modulePath, '--slot', String(slotId), '--login', '--pin', options.pin,
            '--write-object', certPath, '--type', 'cert', '--id', object.id, '--label', object.label,
          ]);
        }
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    }

    const tokenFiles = (): string => {
      for (const name of readdirSync(config.tokenDir)) {
        const object = join(config.tokenDir, name, 'token.object');
        if (existsSync(object) && readFileSync(object).includes(serial)) return join(config.tokenDir, name);
      }
      throw new Error(`token ${serial} has no directory in ${config.tokenDir}`);
    };
    const tokenPath = tokenFiles();

    return {
      modulePath: config.modulePath,
      configPath: config.configPath,
      dir: config.dir,
      label: options.label,
      serial,
      slotId,
      config,
      remove() {
        rmSync(tokenPath, { recursive: true, force: true });
      },
      setPinFlags(flags) {
        patchTokenFlags(join(tokenPath, 'token.object'), flags);
      },
      cleanup() {
        if (ownsConfig) config.cleanup();
        else rmSync(tokenPath, { recursive: true, force: true });
      },
    };
  } catch (e) {
    if (ownsConfig) config.cleanup();
    throw e;
  }
}

function serialOfSlot(showSlots: string, slotId: number): string {
  const blocks = showSlots.split(/^Slot /m);
  const block = blocks.find((b) => b.startsWith(`${slotId}\n`) || b.startsWith(`${slotId}\r\n`));
  const serial = block && /Serial number:\s*(\S+)/.exec(block)?.[1];
  if (!serial) throw new Error(`no serial for slot ${slotId} in softhsm2-util --show-slots`);
  return serial;
}

// SoftHSM 2.6 keeps the token flags as attribute CKA_OS_TOKENFLAGS (vendor 0x8000534B, an 8-byte
// big-endian CK_ULONG) in token.object, and re-reads the file when its leading 8-byte generation
// counter changes. It sets CKF_USER_PIN_COUNT_LOW itself after a wrong PIN, but never
// FINAL_TRY or LOCKED (and never locks); this is how tests make it report what a real card
// reports after several wrong tries.
const TOKEN_FLAGS_HEADER = Buffer.from('000000008000534b0000000000000002', 'hex');

function patchTokenFlags(path: string, flags: { countLow?: boolean; finalTry?: boolean; locked?: boolean }): void {
  const bytes = readFileSync(path);
  const at = bytes.indexOf(TOKEN_FLAGS_HEADER);
  if (at < 0) throw new Error(`no token flags attribute in ${path}`);
  const offset = at + TOKEN_FLAGS_HEADER.length;
  let value = bytes.readBigUInt64BE(offset);
  const bits: [boolean | undefined, number][] = [
    [flags.countLow, pkcs11js.CKF_USER_PIN_COUNT_LOW],
    [flags.finalTry, pkcs11js.CKF_USER_PIN_FINAL_TRY],
    [flags.locked, pkcs11js.CKF_USER_PIN_LOCKED],
  ];
  for (const [on, bit] of bits) {
    if (on === true) value |= BigInt(bit);
    if (on === false) value &= ~BigInt(bit);
  }
  bytes.writeBigUInt64BE(value, offset);
  bytes.writeBigUInt64BE(bytes.readBigUInt64BE(0) + 1n, 0);
  writeFileSync(path, bytes);
}

/** The sandbox's IC-card training identity (佐藤 健: assets/sandbox-pki/token-user.*) as an object to put on a token. */
export function sandboxTokenUser(label = 'sato', id = '01'): TokenObjectSpec {
  const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'assets', 'sandbox-pki');
  return {
    id,
    label,
    keyPem: readFileSync(join(dir, 'token-user.key.pem'), 'utf8'),
    certDer: Buffer.from(new X509Certificate(readFileSync(join(dir, 'token-user.cert.pem'))).raw),
  };
}
