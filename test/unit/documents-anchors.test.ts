import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { OFFICIAL_CA_FOLDER, officialAnchors } from '../../src/main/documents/anchors.js';
import { scratchHome } from '../support/home.js';
import { repoRoot } from '../support/paths.js';

const pki = join(repoRoot, 'assets', 'sandbox-pki');

void describe('officialAnchors (the 官職 CA certificates documents are judged against)', () => {
  void it('none configured and not the sandbox: no anchors, no problems', async () => {
    assert.deepEqual(await officialAnchors({ home: scratchHome('todoke-anchors-'), sandboxPkiDir: null }), { certificates: [], problems: [] });
  });

  void it('the sandbox profile trusts the sandbox 官職 CA; a real profile does not', async () => {
    const home = scratchHome('todoke-anchors-');
    const sandbox = await officialAnchors({ home, sandboxPkiDir: pki });
    assert.equal(sandbox.certificates.length, 1);
    assert.ok(sandbox.certificates[0]!.ca);
    assert.deepEqual((await officialAnchors({ home, sandboxPkiDir: null })).certificates, []);
  });

  void it('reads PEM files of the folder, skips other files, dedupes, and names what it cannot use', async () => {
    const home = scratchHome('todoke-anchors-');
    const folder = join(home, OFFICIAL_CA_FOLDER);
    mkdirSync(folder, { recursive: true });
    copyFileSync(join(pki, 'kanshoku-ca.cert.pem'), join(folder, 'gpki.pem'));
    copyFileSync(join(pki, 'kanshoku-ca.cert.pem'), join(folder, 'same-again.crt'));
    writeFileSync(join(folder, 'notes.txt'), 'not a certificate, not read');
    writeFileSync(join(folder, 'broken.pem'), '-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n');
    writeFileSync(join(folder, 'huge.cer'), Buffer.alloc(2 * 1024 * 1024));
    copyFileSync(join(pki, 'kanshoku-01.cert.pem'), join(folder, 'not-a-ca.pem'));
    mkdirSync(join(folder, 'folder.pem'));
    const found = await officialAnchors({ home, sandboxPkiDir: null });
    assert.equal(found.certificates.length, 1);
    assert.equal(found.certificates[0]!.raw.toString('base64'), new (await import('node:crypto')).X509Certificate(readFileSync(join(pki, 'kanshoku-ca.cert.pem'))).raw.toString('base64'));
    assert.equal(found.problems.length, 3, found.problems.join('\n'));
    assert.ok(found.problems.some((p) => p.includes('broken.pem')));
    assert.ok(found.problems.some((p) => p.includes('huge.cer')));
    assert.ok(found.problems.some((p) => p.includes('not-a-ca.pem') && p.includes('CA の証明書ではない')));
  });
});
