import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { signKouseiDetailed } from '../../../src/main/signing/xml/kousei-profile.js';
import { verifySignedXml } from '../../../src/main/signing/xml/index.js';
import { kouseiFixture } from '../../../bench/kousei-fixture.js';
import { generatedSigner } from '../../support/egov-signer.js';
import { recordedDir } from '../../support/paths.js';

function recordedKouseiFiles(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? walk(p) : n === 'kousei.xml' ? [p] : [];
    });
  return walk(recordedDir);
}

describe('kousei signing: the fast path and the DOM path give the same bytes', async () => {
  const { signer } = generatedSigner();
  const opts = { signatureId: '20261127120000' } as const;

  for (const file of recordedKouseiFiles()) {
    for (const referenceForm of ['percent-encoded', 'raw'] as const) {
      it(`${file.slice(recordedDir.length + 1)} (${referenceForm})`, async () => {
        const xml = readFileSync(file);
        const readFile = async (name: string) => readFileSync(join(dirname(file), name));
        const fast = await signKouseiDetailed(xml, readFile, signer, { ...opts, referenceForm });
        const dom = await signKouseiDetailed(xml, readFile, signer, { ...opts, referenceForm }, { path: 'dom' });
        assert.equal(fast.xml.toString('utf8'), dom.xml.toString('utf8'));
        assert.deepEqual(fast.references, dom.references);
        const report = await verifySignedXml(fast.xml, { readFile });
        assert.equal(report.valid, true, report.problems.join('\n'));
      });
    }
  }

  it('the 20 KB benchmark fixture with two 申請書 and an unsigned start', async () => {
    const { kousei, files } = kouseiFixture();
    const readFile = async (name: string) => files.get(name) ?? Promise.reject(new Error(name));
    const fast = await signKouseiDetailed(kousei, readFile, signer, opts);
    const dom = await signKouseiDetailed(kousei, readFile, signer, opts, { path: 'dom' });
    assert.ok(fast.xml.equals(dom.xml));
    assert.equal(fast.references.length, 3);
  });

  it('a document outside the fast subset (a namespace on DataRoot) still signs, through the DOM path', async () => {
    const { kousei, files } = kouseiFixture();
    const namespaced = Buffer.from(kousei.toString('utf8').replace('<DataRoot>', '<DataRoot xmlns:x="urn:x">'));
    const readFile = async (name: string) => files.get(name) ?? Promise.reject(new Error(name));
    const signed = await signKouseiDetailed(namespaced, readFile, signer, opts);
    assert.equal((await verifySignedXml(signed.xml, { readFile })).valid, true);
  });

  it('a key that does not match its certificate is refused on the fast path too', async () => {
    const { signer: other } = generatedSigner({ commonName: 'other' });
    const mismatched = { kind: signer.kind, certificate: other.certificate, sign: (d: Uint8Array) => signer.sign(d), close: async () => {} };
    const { kousei, files } = kouseiFixture();
    await assert.rejects(
      signKouseiDetailed(kousei, async (n) => files.get(n) as Buffer, mismatched, opts),
      (e: { code?: string }) => e.code === 'KEY_CERT_MISMATCH',
    );
  });
});
