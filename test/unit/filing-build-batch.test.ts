// Unit: buildBatch (src/main/filing/build-batch.ts) gives the same batch as before it signed and
// packed one application at a time. The values below were produced by the earlier implementation
// (every application read first, content hash in a separate pass over a DOM of each kousei.xml,
// packBatchToBuffer at the end) for this input: the content hash decides whether data was sent
// before, and the ZIP's SHA-256 covers every signature byte, so neither may change.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { checkApplicationData, checkApplicationDataInSteps } from '../../src/main/application/check.js';
import { isTodokeError } from '../../src/shared/errors.js';
import { inMemoryFile, makeApplication, type ApplicationData, type ApplicationFile } from '../../src/main/application/model.js';
import { buildBatch, contentHashOf } from '../../src/main/filing/build-batch.js';
import { openPkcs12 } from '../../src/main/signing/file-signer.js';
import { egovDir, repoRoot } from '../support/paths.js';

const samples = join(egovDir, 'samples');
const KOUSEI = readFileSync(join(samples, '900A010200001000_base_kousei.xml'), 'utf8');
const FORM = readFileSync(join(samples, '900A01020000100001_01.xml'));
const TENPU = readFileSync(join(samples, 'tenpu.txt'));
const FORM_NAME = '900A01020000100001_01.xml';

/** An attachment not loaded yet, as read-folders leaves a non-XML file. */
const unread = (name: string, bytes: Buffer): ApplicationFile => ({ name, size: bytes.length, bytes: undefined, read: () => Promise.resolve(bytes) });

function data(): ApplicationData {
  // signed on the fast path: an attachment, the applicant's name with white space around it
  const plain = Buffer.from(KOUSEI.replace('<氏名>ほげ\u3000ほげ</氏名>', '<氏名>\n\tほげ\u3000ほげ1 </氏名>'));
  // signed on the DOM path (a prefixed element is outside the scanner's subset), CRLF line ends
  const namespaced = Buffer.from(
    KOUSEI.replace(/\s*<添付書類属性情報>[\s\S]*?<\/添付書類属性情報>/, '')
      .replace('<DataRoot>', '<DataRoot><x:メモ xmlns:x="urn:example">a</x:メモ>')
      .replace(/\n/g, '\r\n'),
  );
  return {
    source: { kind: 'folders', paths: [] },
    applications: [
      makeApplication('900A010200001000(2)', inMemoryFile('kousei.xml', namespaced), [inMemoryFile(FORM_NAME, FORM)]),
      makeApplication('900A010200001000(1)', inMemoryFile('kousei.xml', plain), [inMemoryFile(FORM_NAME, FORM), unread('tenpu.txt', TENPU)]),
    ],
    problems: [],
  };
}

void describe('buildBatch: the same batch as the implementation that held every application', () => {
  void it('content hash, ZIP (with its signatures), folder and applicant names', async () => {
    const input = data();
    const report = checkApplicationData(input);
    assert.ok(report.ok, JSON.stringify(report.problems));
    const signer = openPkcs12(readFileSync(join(repoRoot, 'assets', 'sandbox-pki', 'yamada-taro.p12')), 'todoke');
    const steps: string[] = [];
    const built = await buildBatch(input, report, {
      signer,
      signatureId: '20261127120000',
      mtime: new Date('2026-11-27T03:00:00Z'),
      onProgress: (p) => steps.push(p.step === 'sign' ? `sign ${p.done}/${p.total}` : p.step),
    });
    await signer.close();
    assert.equal(built.contentSha256, '9eabc09501b7b9b86a81bd39193a80825876113d52cfbbf1fc81a0f107c8823e');
    assert.equal(built.zipSha256, '15b811fe3035e6a2995829dd5f54254a4b85b0791e7a77ad18cd445a80c31405');
    assert.deepEqual(built.folderNames, ['900A010200001000(2)', '900A010200001000(1)']);
    assert.deepEqual(built.applicantNames, ['ほげ\u3000ほげ', 'ほげ\u3000ほげ1']);
    assert.deepEqual(steps, ['sign 0/2', 'sign 1/2', 'pack']);
  });

  void it('contentHashOf: the same content hash without signing (the scan and the DOM reading agree)', async () => {
    assert.equal(await contentHashOf(data()), '9eabc09501b7b9b86a81bd39193a80825876113d52cfbbf1fc81a0f107c8823e');
  });

  void it('data read lazily (as from folders): checked one application at a time, the same batch, nothing kept in memory', async () => {
    const disk = new Map<string, Buffer>();
    const lazy = (folder: string, f: ApplicationFile): ApplicationFile => {
      const key = `${folder}/${f.name}`;
      disk.set(key, (f.bytes ?? readFileSync(join(samples, 'tenpu.txt')))!);
      return { name: f.name, size: f.size, bytes: undefined, read: () => Promise.resolve(Buffer.from(disk.get(key)!)) };
    };
    const input = data();
    for (const app of input.applications) {
      app.kousei = lazy(app.folderName, app.kousei!);
      app.files = app.files.map((f) => lazy(app.folderName, f));
    }
    const report = await checkApplicationDataInSteps(input);
    assert.ok(report.ok, JSON.stringify(report.problems));
    for (const app of input.applications) for (const f of [app.kousei!, ...app.files]) assert.equal(f.bytes, undefined);
    assert.equal(await contentHashOf(input), '9eabc09501b7b9b86a81bd39193a80825876113d52cfbbf1fc81a0f107c8823e');
    const signer = openPkcs12(readFileSync(join(repoRoot, 'assets', 'sandbox-pki', 'yamada-taro.p12')), 'todoke');
    try {
      const built = await buildBatch(input, report, { signer, signatureId: '20261127120000', mtime: new Date('2026-11-27T03:00:00Z') });
      assert.equal(built.zipSha256, '15b811fe3035e6a2995829dd5f54254a4b85b0791e7a77ad18cd445a80c31405');

      // edited after the check, same length: refused by the hash of what was checked, before any prompt (contentHashOf) and at signing
      const key = `900A010200001000(1)/${FORM_NAME}`;
      const edited = Buffer.from(disk.get(key)!);
      edited[edited.length - 2] = edited[edited.length - 2] === 0x20 ? 0x0a : 0x20;
      disk.set(key, edited);
      const changed = (e: unknown) => isTodokeError(e, 'FILING_DATA_CHANGED') && (e as Error & { messageJa: string }).messageJa.includes(key);
      await assert.rejects(contentHashOf(input), changed);
      await assert.rejects(buildBatch(input, report, { signer, signatureId: '20261127120000' }), changed);
    } finally {
      await signer.close();
    }
  });
});
