// application.check through the core's one door (createApp().dispatch), as the 申請 screen calls it:
// the sample batch ZIP, folders built from it (one broken), and the paths the core refuses.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createApp, type App } from '../../src/main/app/create-app.js';
import { readApplicationZip } from '../../src/main/application/read-zip.js';
import type { ApplicationCheckView } from '../../src/shared/domain.js';
import { repoRoot } from '../support/paths.js';
import { scratchHome } from '../support/home.js';

const SAMPLE_ZIP = join(repoRoot, 'test', 'fixtures', 'egov-v1', 'samples', 'bulk_apply_for_api.zip');
const APPLY_XML = '900A01020000100001_01.xml';

let app: App;
let scratch: string;

/** The sample's one application, written out as folders `900A010200001000(1)` and `(2)` under `batch`. */
async function twoFolders(name: string, options: { withoutApplyIn?: 1 | 2 } = {}): Promise<string> {
  const data = await readApplicationZip(SAMPLE_ZIP);
  const [sample] = data.applications;
  assert.ok(sample?.kousei);
  const batch = join(scratch, name);
  for (const n of [1, 2] as const) {
    const folder = join(batch, `900A010200001000(${n})`);
    mkdirSync(folder, { recursive: true });
    for (const file of [sample.kousei, ...sample.files]) {
      if (options.withoutApplyIn === n && file.name === APPLY_XML) continue;
      writeFileSync(join(folder, file.name), await file.read());
    }
  }
  return batch;
}

async function check(args: unknown): Promise<ApplicationCheckView> {
  const answer = await app.dispatch('application.check', args);
  assert.ok(answer.ok, answer.ok ? '' : `${answer.error.code}: ${answer.error.message}`);
  return answer.value as ApplicationCheckView;
}

async function refused(args: unknown): Promise<{ code: string; messageJa: string }> {
  const answer = await app.dispatch('application.check', args);
  assert.ok(!answer.ok, 'expected an error');
  return answer.error;
}

before(() => {
  scratch = mkdtempSync(join(tmpdir(), 'todoke-app-application-'));
  app = createApp({ host: 'harness', home: scratchHome(), version: '0.0.0', onUnexpected: (op, e) => assert.fail(`${op} failed unexpectedly: ${String(e)}`) });
});

after(() => rmSync(scratch, { recursive: true, force: true }));

void describe('application.check', () => {
  void it('reads the sample batch ZIP: one application, its files, no problem', async () => {
    const view = await check({ paths: [SAMPLE_ZIP] });
    assert.deepEqual(view.source, { kind: 'zip', names: ['bulk_apply_for_api.zip'] });
    assert.deepEqual(view.applications, [{ folder: '900A010200001000(1)', procedureId: '900A010200001000', files: ['kousei.xml', APPLY_XML, 'tenpu.txt'] }]);
    assert.deepEqual({ ok: view.ok, errors: view.errors, warnings: view.warnings, problems: view.problems }, { ok: true, errors: 0, warnings: 0, problems: [] });
  });

  void it('reads a folder of two applications and finds the missing 申請書 in the right one, with the file name', async () => {
    const view = await check({ paths: [await twoFolders('broken', { withoutApplyIn: 2 })] });
    assert.equal(view.source.kind, 'folders');
    assert.deepEqual(view.applications.map((a) => a.folder), ['900A010200001000(1)', '900A010200001000(2)']);
    assert.equal(view.ok, false);
    assert.equal(view.errors, 1);
    const [problem] = view.problems;
    assert.equal(problem?.severity, 'error');
    assert.equal(problem?.folder, '900A010200001000(2)');
    assert.equal(problem?.file, APPLY_XML);
    assert.match(problem?.messageJa ?? '', /[ぁ-んァ-ヶ一-龠]/);
  });

  void it('takes application folders themselves, several at once', async () => {
    const batch = await twoFolders('good');
    const view = await check({ paths: [join(batch, '900A010200001000(1)'), join(batch, '900A010200001000(2)')] });
    assert.equal(view.applications.length, 2);
    assert.equal(view.ok, true);
  });

  void it('refuses a ZIP together with folders, or two ZIPs, in Japanese', async () => {
    const batch = await twoFolders('mixed');
    const mixed = await refused({ paths: [SAMPLE_ZIP, batch] });
    assert.equal(mixed.code, 'APPLICATION_PATH_INVALID');
    assert.match(mixed.messageJa, /ZIP ファイルとフォルダーは一緒に選べません/);
    assert.match((await refused({ paths: [SAMPLE_ZIP, SAMPLE_ZIP] })).messageJa, /ZIP ファイルは 1 つだけ/);
  });

  void it('answers a typed error with a Japanese message for a ZIP that cannot be read', async () => {
    const cut = join(scratch, 'cut.zip');
    const bytes = readFileSync(SAMPLE_ZIP);
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const error = await refused({ paths: [cut] });
    assert.equal(error.code, 'APPLICATION_ZIP_CORRUPT');
    assert.match(error.messageJa, /ZIP ファイルが壊れているか、途中で切れています/);
    const missing = await refused({ paths: [join(scratch, 'nowhere.zip')] });
    assert.equal(missing.code, 'APPLICATION_PATH_UNREADABLE');
    assert.match(missing.messageJa, /「nowhere\.zip」を読み込めませんでした/);
  });

  void it('validates its argument: bounded, absolute paths, at least one', async () => {
    for (const args of [{}, { paths: [] }, { paths: ['relative/path'] }, { paths: [''] }, { paths: ['/a'.repeat(3000)] }, { paths: Array.from({ length: 101 }, (_, i) => `/p${i}`) }, { paths: [SAMPLE_ZIP], extra: 1 }, { paths: [1] }]) {
      assert.equal((await refused(args)).code, 'INVALID_ARGUMENT', JSON.stringify(args).slice(0, 80));
    }
  });
});
