// Unit: the 補正 working copy (src/main/filing/amendment-draft.ts) and where the filed application comes
// from (amendment-filed.ts). A draft lays the filed files out privately, a replacement is a copy (the
// picked file may change or vanish afterwards), restore gives the filed file back, the newest draft is
// reopened, and hostile input is refused: relative paths, links, folders, empty and huge files, names
// that escape, a manifest tampered with. The filed application is found inside the outbox's recorded
// batch (several applications, the case's folder picked), or read from a folder the person gives.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { packBatchToBuffer } from '../../src/main/application/pack.js';
import { EgovV1Gateway } from '../../src/main/egov/gateway-v1.js';
import { EgovClient } from '../../src/main/egov/http.js';
import { AmendmentDrafts, isSpent, readPickedFile } from '../../src/main/filing/amendment-draft.js';
import { filedFromFolder, filedFromOutbox } from '../../src/main/filing/amendment-filed.js';
import type { AmendmentFolder } from '../../src/main/filing/amendment-package.js';
import { openStore } from '../../src/main/store/db.js';
import { Outbox } from '../../src/main/store/outbox.js';
import { scratchHome } from '../support/home.js';
import { recordedDir } from '../support/paths.js';

const A = '9002026000000001';
const FORM = '900A01020000100001_01.xml';
const filedDir = join(recordedDir, 'apply', 'request-filedata-1', '900A010200001000(1)');
const filed = (): AmendmentFolder => ({
  kousei: readFileSync(join(filedDir, 'kousei.xml')),
  files: [
    { name: FORM, bytes: readFileSync(join(filedDir, FORM)) },
    { name: 'tenpu.txt', bytes: readFileSync(join(filedDir, 'tenpu.txt')) },
  ],
});
const invalid = (e: unknown) => (e as { code?: string }).code === 'AMENDMENT_DRAFT_INVALID' && String((e as { messageJa?: string }).messageJa).length > 0;

describe('AmendmentDrafts', () => {
  it('lays out the filed files, copies a replacement, restores it and reopens the newest draft', async () => {
    const home = scratchHome();
    let clock = 1000;
    const drafts = new AmendmentDrafts(home, { now: () => clock++ });
    const draft = await drafts.create(A, filed(), 'outbox');
    assert.ok(draft.dir.startsWith(join(home, 'amendments', A)));
    assert.deepEqual(readFileSync(join(draft.dir, 'filed', FORM)), filed().files[0]!.bytes);
    assert.deepEqual(draft.files.map((f) => [f.name, f.replaced]), [['kousei.xml', false], [FORM, false], ['tenpu.txt', false]]);
    assert.ok(drafts.changes(draft, 'amendapply').every((c) => c.change === 'same'));

    const picked = join(scratchHome(), 'corrected.xml');
    writeFileSync(picked, filed().files[0]!.bytes.toString('utf8').replace('<年>59</年>', '<年>60</年>'));
    const replaced = await drafts.replace(A, draft.manifest.draftId, FORM, picked);
    // the picked file changing afterwards does not change the draft
    writeFileSync(picked, 'changed later');
    const again = await drafts.open(A, draft.manifest.draftId);
    assert.deepEqual(again.corrected.files.find((f) => f.name === FORM)!.bytes, replaced.corrected.files.find((f) => f.name === FORM)!.bytes);
    const formChange = drafts.changes(again, 'amendapply').find((c) => c.name === FORM)!;
    assert.deepEqual([formChange.change, formChange.fields?.changes[0]?.after], ['changed', '60']);
    assert.equal(again.files.find((f) => f.name === FORM)!.replaced, true);

    // an added attachment, then removed again
    const extra = join(scratchHome(), 'extra.pdf');
    writeFileSync(extra, '%PDF-1.4 test');
    const added = await drafts.replace(A, draft.manifest.draftId, 'tenpu2.pdf', extra);
    assert.deepEqual(added.files.find((f) => f.name === 'tenpu2.pdf'), { name: 'tenpu2.pdf', size: 13, filedSize: null, replaced: true });
    const restored = await drafts.restore(A, draft.manifest.draftId, 'tenpu2.pdf');
    assert.equal(restored.files.some((f) => f.name === 'tenpu2.pdf'), false);
    await assert.rejects(drafts.restore(A, draft.manifest.draftId, 'tenpu2.pdf'), invalid);

    // a broken kousei.xml put in the draft: still shown (compared whole, with why), restorable
    const broken = join(scratchHome(), 'kousei.xml');
    writeFileSync(broken, '<DataRoot><構成情報');
    const withBroken = await drafts.replace(A, draft.manifest.draftId, 'kousei.xml', broken);
    const kousei = drafts.changes(withBroken, 'amendapply')[0]!;
    assert.deepEqual([kousei.name, kousei.change, kousei.fields, kousei.fieldsError?.code], ['kousei.xml', 'changed', null, 'AMENDMENT_DRAFT_INVALID']);
    await drafts.restore(A, draft.manifest.draftId, 'kousei.xml');

    const newer = await drafts.create(A, filed(), 'folder');
    assert.equal((await drafts.latest(A))!.manifest.draftId, newer.manifest.draftId);
    assert.equal(await drafts.latest('9002026000000002'), null);
  });

  it('refuses hostile paths and names, and a manifest tampered with', async () => {
    const home = scratchHome();
    const drafts = new AmendmentDrafts(home, { limits: { maxFileBytes: 64 * 1024 } });
    const draft = await drafts.create(A, filed(), 'outbox');
    const id = draft.manifest.draftId;
    const dir = scratchHome();
    const ok = join(dir, 'ok.txt');
    writeFileSync(ok, 'x');
    await assert.rejects(drafts.replace(A, id, FORM, 'relative/ok.txt'), invalid);
    await assert.rejects(drafts.replace(A, id, FORM, join(dir, 'missing.txt')), invalid);
    await assert.rejects(drafts.replace(A, id, FORM, dir), invalid);
    symlinkSync(ok, join(dir, 'link.txt'));
    await assert.rejects(drafts.replace(A, id, FORM, join(dir, 'link.txt')), invalid);
    writeFileSync(join(dir, 'empty.txt'), '');
    await assert.rejects(drafts.replace(A, id, FORM, join(dir, 'empty.txt')), invalid);
    writeFileSync(join(dir, 'huge.bin'), Buffer.alloc(64 * 1024 + 1));
    await assert.rejects(drafts.replace(A, id, FORM, join(dir, 'huge.bin')), (e: unknown) => invalid(e) && (e as { detail?: { size?: number } }).detail?.size === 64 * 1024 + 1);
    for (const name of ['../escape.xml', 'a/b.xml', '', 'draft.json', '..']) await assert.rejects(drafts.replace(A, id, name, ok), invalid);
    await assert.rejects(drafts.open(A, '../../etc'), invalid);
    await assert.rejects(drafts.open('12', id), invalid);
    await assert.rejects(drafts.create(A, { ...filed(), files: [{ name: '../x', bytes: Buffer.from('x') }] }, 'folder'), invalid);

    writeFileSync(join(draft.dir, 'draft.json'), JSON.stringify({ ...draft.manifest, replacements: { '../../x': { from: '/x', size: 1, at: 1 } } }));
    await assert.rejects(drafts.open(A, id), invalid);
    writeFileSync(join(draft.dir, 'draft.json'), '{"version":1');
    await assert.rejects(drafts.open(A, id), invalid);
    // a broken draft is not the newest one: it is skipped
    assert.equal(await drafts.latest(A), null);
  });

  it('reads a picked file whole and refuses one that is not absolute', async () => {
    const p = join(scratchHome(), 'f.bin');
    writeFileSync(p, Buffer.from([1, 2, 3]));
    assert.deepEqual(await readPickedFile(p, 3), Buffer.from([1, 2, 3]));
    await assert.rejects(readPickedFile(p, 2), invalid);
    await assert.rejects(readPickedFile('f.bin', 10), invalid);
  });
});

describe('the filed application', () => {
  it('is found in the recorded batch request by the case folder', async () => {
    const store = openStore(scratchHome(), 'p');
    try {
      const v1 = new EgovV1Gateway(new EgovClient({ baseUrl: 'http://127.0.0.1:9/shinsei/1/', softwareId: 'TEST' }));
      const other = { folderName: '900A010000004000(2)', files: [{ name: 'kousei.xml', data: Buffer.from('<DataRoot/>') }] };
      const mine = { folderName: '900A010200001000(1)', files: [{ name: 'kousei.xml', data: filed().kousei }, ...filed().files.map((f) => ({ name: f.name, data: f.bytes }))] };
      const { zip } = await packBatchToBuffer([other, mine]);
      const outbox = new Outbox(store);
      const entry = await outbox.record({
        userId: 'u',
        kind: 'batch',
        request: v1.prepareBatch({ fileName: 'a.zip', zip }).body,
        sourcePaths: [],
        contentSha256: 'e'.repeat(64),
        applicationCount: 2,
        folderNames: [other.folderName, mine.folderName],
        applicantNames: ['', ''],
      });
      const found = await filedFromOutbox(outbox, v1, { entryId: entry.id, procedureFolderName: '900A010200001000(1)', applicantName: 'x' });
      assert.deepEqual(found?.kousei, filed().kousei);
      assert.deepEqual(found?.files.map((f) => f.name), [FORM, 'tenpu.txt']);
      // a case sent elsewhere, an unknown entry, a case whose folder cannot be singled out: nothing
      assert.equal(await filedFromOutbox(outbox, v1, { entryId: null, procedureFolderName: 'x', applicantName: '' }), null);
      assert.equal(await filedFromOutbox(outbox, v1, { entryId: 'nope', procedureFolderName: 'x', applicantName: '' }), null);
      assert.equal(await filedFromOutbox(outbox, v1, { entryId: entry.id, procedureFolderName: '900A999999999999(1)', applicantName: 'だれ' }), null);
    } finally {
      store.close();
    }
  });

  it('is read from one application folder, and anything else is refused', async () => {
    const folder = await filedFromFolder(filedDir);
    assert.deepEqual(folder.files.map((f) => f.name), [FORM, 'tenpu.txt']);
    const parent = scratchHome();
    for (const name of ['900A010200001000(1)', '900A010200001000(2)']) {
      mkdirSync(join(parent, name));
      writeFileSync(join(parent, name, 'kousei.xml'), filed().kousei);
    }
    await assert.rejects(filedFromFolder(parent), invalid);
    const bare = join(scratchHome(), '900A010200001000(1)');
    mkdirSync(bare);
    writeFileSync(join(bare, FORM), 'x');
    await assert.rejects(filedFromFolder(bare), invalid);
  });
});

void describe('a spent draft', () => {
  void it('is one whose case had a 補正 arrive after it was made; refused, unknown or earlier ones do not spend it', () => {
    const draft = { createdAt: 1_000 };
    assert.equal(isSpent(draft, []), false);
    assert.equal(isSpent(draft, [{ state: 'done', createdAt: 999 }]), false, 'an earlier 補正 (the draft was laid out after it)');
    for (const state of ['failed', 'unknown', 'ambiguous', 'sending', 'ready', 'ready-for-resend']) assert.equal(isSpent(draft, [{ state, createdAt: 2_000 }]), false, state);
    assert.equal(isSpent(draft, [{ state: 'failed', createdAt: 1_500 }, { state: 'done', createdAt: 1_000 }]), true);
  });
});
