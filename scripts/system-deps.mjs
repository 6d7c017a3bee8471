// Checks (and on Debian/Ubuntu as root, installs) the system packages the tests use:
// SoftHSM2 + OpenSC (PKCS#11 token tests), xmlsec1 (independent signature cross-check),
// Chromium (Playwright end-to-end specs), xsltproc, and Japanese fonts for screenshots.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const REQUIRED = [
  { check: () => has('softhsm2-util') && existsSync(softhsmModule()), pkg: 'softhsm2', what: 'SoftHSM2 (PKCS#11 test token)' },
  { check: () => has('pkcs11-tool'), pkg: 'opensc', what: 'OpenSC pkcs11-tool' },
  // the PKCS#11 crash-module test builds a small C library (test/support/pkcs11-crash.ts);
  // /usr/bin/cc is gcc's alternatives link, and gcc only recommends the C library headers
  { check: () => has('cc'), pkg: 'gcc', what: 'C compiler cc (PKCS#11 crash-module test)' },
  { check: () => process.platform !== 'linux' || existsSync('/usr/include/dlfcn.h'), pkg: 'libc6-dev', what: 'C library headers (libc6-dev)' },
  { check: () => has('xmlsec1'), pkg: 'xmlsec1', what: 'xmlsec1 (signature cross-check)' },
  { check: () => existsSync('/usr/bin/chromium'), pkg: 'chromium', what: 'Chromium (Playwright specs)' },
  { check: () => has('xsltproc'), pkg: 'xsltproc', what: 'xsltproc' },
  { check: () => has('openssl'), pkg: 'openssl', what: 'OpenSSL command line' },
  { check: () => existsSync('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc'), pkg: 'fonts-noto-cjk', what: 'Japanese fonts' },
];

export function softhsmModule() {
  return ['/usr/lib/softhsm/libsofthsm2.so', '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so', '/usr/local/lib/softhsm/libsofthsm2.so', '/opt/homebrew/lib/softhsm/libsofthsm2.so']
    .find((p) => existsSync(p)) ?? '/usr/lib/softhsm/libsofthsm2.so';
}

function has(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

export function ensureSystemDeps({ install = true } = {}) {
  const missing = REQUIRED.filter((r) => !r.check());
  if (missing.length === 0) return;
  const pkgs = [...new Set(missing.map((m) => m.pkg))];
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const isApt = existsSync('/usr/bin/apt-get');
  console.error(`missing system packages: ${missing.map((m) => m.what).join(', ')}`);
  if (install && isRoot && isApt) {
    console.error(`installing with apt-get: ${pkgs.join(' ')}`);
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...pkgs], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    const still = REQUIRED.filter((r) => !r.check());
    if (still.length) throw new Error(`still missing after install: ${still.map((m) => m.what).join(', ')}`);
    return;
  }
  const cmd = isApt ? `sudo apt-get install -y ${pkgs.join(' ')}` : `install: ${pkgs.join(' ')} (Homebrew: brew install softhsm opensc libxmlsec1 chromium)`;
  console.error(`run this, then npm test again:\n  ${cmd}`);
  process.exit(2);
}

if (import.meta.url === `file://${process.argv[1]}`) ensureSystemDeps();
