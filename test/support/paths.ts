// Test support (Node). Where the repository and its e-Gov reference fixtures live. The fixtures are
// committed (test/fixtures/egov-v1, see PROVENANCE.md there) so that a fresh clone tests on its own.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Recorded e-Gov traffic, samples and demo certificates (test/fixtures/egov-v1/PROVENANCE.md). */
export const egovDir = join(repoRoot, 'test', 'fixtures', 'egov-v1');

export const recordedDir = join(egovDir, 'recorded');
export const egovCertsDir = join(egovDir, 'certs');
/**
 * Passphrase of the encrypted PEM keys in egov-v1/certs (chosen when the keys were exported from
 * e-Gov's .pfx files; PROVENANCE.md). e-GovEE02_sha2.pem does not open with it.
 */
export const egovKeyPassphrase = 'hoge';
