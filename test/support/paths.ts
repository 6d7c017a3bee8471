// Test support (Node). Where the repository and the shared e-Gov reference material live.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** `../shared/egov-v1` beside the checkout (CI lays shared/ there), or $TODOKE_SHARED_DIR/egov-v1. */
export const egovDir = (() => {
  const base = process.env.TODOKE_SHARED_DIR ?? join(repoRoot, '..', 'shared');
  const dir = join(base, 'egov-v1');
  if (!existsSync(dir)) {
    throw new Error(`e-Gov reference material not found at ${dir}; set TODOKE_SHARED_DIR to the folder that holds egov-v1/`);
  }
  return dir;
})();

export const recordedDir = join(egovDir, 'recorded');
export const egovCertsDir = join(egovDir, 'certs');
/** Passphrase of the encrypted PEM keys in egov-v1/certs (egov-v1/README.md). */
export const egovKeyPassphrase = 'hoge';
