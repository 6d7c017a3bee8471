// Benchmarks (Node). The batch work the filing benchmarks time: N generated application folders
// read from disk, checked, every kousei.xml signed in memory with a file key, and the batch packed
// into one ZIP in memory — readApplicationFolders, checkApplicationDataInSteps and buildBatch, the
// calls sending makes (src/main/filing/send-batch.ts), so what is timed and weighed is the product's
// own code and not a copy of it: the folders are never written, the signed bytes are what gets packed.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkApplicationDataInSteps } from '../src/main/application/check.js';
import { readApplicationFolders } from '../src/main/application/read-folders.js';
import { openPkcs12 } from '../src/main/signing/file-signer.js';
import type { Signer } from '../src/main/signing/signer.js';
import { buildBatch } from '../src/main/filing/build-batch.js';
import { repoRoot } from '../test/support/paths.js';

const samples = join(repoRoot, 'test', 'fixtures', 'egov-v1', 'samples');
export const PROCEDURE_ID = '900A010200001000';
const FORM_NAME = '900A01020000100001_01.xml';

/** The training file key every filing benchmark signs with. */
export function openBenchSigner(): Signer {
  return openPkcs12(readFileSync(join(repoRoot, 'assets', 'sandbox-pki', 'yamada-taro.p12')), 'todoke');
}

/**
 * Writes `count` applications into `dir`: folders `900A010200001000(1)` … `(count)`, each with the
 * sample kousei.xml (its one 添付書類 entry removed, so it lists exactly the one 申請書) and the sample
 * 申請書 it names. Each application differs (the applicant's name in both files carries its number),
 * so no two 申請書 digests are alike.
 */
export function generateApplications(dir: string, count: number): void {
  const kouseiTemplate = readFileSync(join(samples, `${PROCEDURE_ID}_base_kousei.xml`), 'utf8').replace(/\s*<添付書類属性情報>[\s\S]*?<\/添付書類属性情報>/, '');
  const formTemplate = readFileSync(join(samples, FORM_NAME), 'utf8');
  if (!kouseiTemplate.includes(`<申請書ファイル名称>${FORM_NAME}</申請書ファイル名称>`) || !formTemplate.includes('えーぴーあい\u3000太郎')) {
    throw new Error('the sample kousei.xml or 申請書 changed shape');
  }
  mkdirSync(dir, { recursive: true });
  for (let n = 1; n <= count; n++) {
    const folder = join(dir, `${PROCEDURE_ID}(${n})`);
    mkdirSync(folder);
    writeFileSync(join(folder, 'kousei.xml'), kouseiTemplate.replace('<氏名>ほげ\u3000ほげ</氏名>', `<氏名>ほげ\u3000ほげ${n}</氏名>`));
    writeFileSync(join(folder, FORM_NAME), formTemplate.replace('えーぴーあい\u3000太郎', `えーぴーあい\u3000太郎${n}`));
  }
}

export interface BatchOutcome {
  applications: number;
  zipBytes: number;
}

/**
 * read + check + sign + pack of every application folder in `dir`. Throws when the check finds an
 * error: the benchmark must time a batch that would really be sent.
 *
 * The check runs with `maxApplications` raised to the batch size: Todoke's default limit is 100
 * applications per batch (src/main/application/limits.ts), and the issue asks for 1,000.
 */
export async function checkSignPack(dir: string, signer: Signer): Promise<BatchOutcome> {
  const data = await readApplicationFolders([dir]);
  const report = await checkApplicationDataInSteps(data, { maxApplications: Math.max(data.applications.length, 1) });
  if (!report.ok) throw new Error(`the generated batch does not pass the check: ${report.problems.map((p) => p.code).join(', ')}`);
  const built = await buildBatch(data, report, { signer, signatureId: '20261127120000', mtime: new Date('2026-11-27T03:00:00Z') });
  return { applications: built.folderNames.length, zipBytes: built.zipBytes };
}
