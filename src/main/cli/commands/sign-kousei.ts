// Main process (CLI host). `todoke sign kousei DIR`: signs an application folder's kousei.xml in
// place, after writing a backup.
import { stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { jstTimestamp } from '../../../shared/jst.js';
import { signKouseiInFolder } from '../../signing/xml/index.js';
import type { CliIo } from '../io.js';
import { EXIT_OK } from '../io.js';
import { printCertificateWarnings } from '../certificate-warnings.js';
import { withSignerFromFlags } from '../with-signer.js';
import { signerOptions } from '../signer-flags.js';
import { UsageError } from '../usage-error.js';

export async function signKouseiCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { ...signerOptions, 'signature-id': { type: 'string' }, 'reference-form': { type: 'string', default: 'percent-encoded' }, json: { type: 'boolean', default: false } },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length !== 1) {
    throw new UsageError('申請データのフォルダ（kousei.xml があるフォルダ）を 1 つ指定してください。', 'give exactly one application folder');
  }
  const form = values['reference-form'];
  if (form !== 'percent-encoded' && form !== 'raw') {
    throw new UsageError('--reference-form は percent-encoded か raw です。', '--reference-form is percent-encoded or raw');
  }
  const dir = await applicationFolder(resolve(io.cwd, positionals[0] as string));
  await withSignerFromFlags(values, io, 'sign.kousei', async (signer) => {
    printCertificateWarnings(io, signer.certificate);
    const result = await signKouseiInFolder(dir, signer, { signatureId: values['signature-id'] ?? jstTimestamp(io.now()), referenceForm: form });
    if (values.json) io.stdout(`${JSON.stringify({ signed: resolve(dir, 'kousei.xml'), backup: result.backupPath, references: result.references }, null, 2)}\n`);
    else io.stdout(`署名しました: ${resolve(dir, 'kousei.xml')}\nバックアップ: ${result.backupPath}\n参照: ${result.references.join(', ')}\n`);
  });
  return EXIT_OK;
}

/** Accepts the folder or the kousei.xml inside it. */
async function applicationFolder(path: string): Promise<string> {
  const info = await stat(path).catch(() => null);
  if (!info) throw new UsageError(`${path} が見つかりません。`, `${path} does not exist`);
  if (info.isDirectory()) return path;
  if (basename(path) === 'kousei.xml') return dirname(path);
  throw new UsageError('フォルダか kousei.xml を指定してください。', 'give the folder or its kousei.xml');
}
