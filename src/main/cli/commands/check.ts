// Main process (CLI host). `todoke check DIR|ZIP...`: checks 申請データ (folder names, kousei.xml
// and the files it lists, file names, UTF-8 and characters, sizes) without a signer, a profile or
// the network. Several arguments are one batch: folders together, or one ZIP alone (a batch is
// either a ZIP or folders, never both). Problems in the data (a hostile or broken ZIP included)
// exit 1; a malformed command line or a path that does not exist exits 2.
import { lstat, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { checkApplicationDataInSteps } from '../../application/check.js';
import { isApplicationError } from '../../application/errors.js';
import type { ApplicationLimits } from '../../application/limits.js';
import type { ApplicationData } from '../../application/model.js';
import type { CheckProblem, CheckReport } from '../../application/problems.js';
import { readApplicationFolders } from '../../application/read-folders.js';
import { readApplicationZip } from '../../application/read-zip.js';
import type { CliIo } from '../io.js';
import { EXIT_INVALID, EXIT_OK } from '../io.js';
import { shown } from '../shown.js';
import { UsageError } from '../usage-error.js';
import { applicationSummaries, plainProblem } from '../../application/report-view.js';

/** Long enough for every catalogue message; still cuts a name crafted to flood the terminal. */
const MESSAGE_MAX = 1000;

export async function checkCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { json: { type: 'boolean', default: false }, 'max-file-bytes': { type: 'string' } },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length === 0) {
    throw new UsageError('確かめる申請データのフォルダーか ZIP ファイルを指定してください。', 'give the application folders or the ZIP to check');
  }
  const limits: Partial<ApplicationLimits> = {};
  if (values['max-file-bytes'] !== undefined) limits.maxFileBytes = parseBytes(values['max-file-bytes']);

  const paths = positionals.map((p) => resolve(io.cwd, p));
  const kinds = await Promise.all(paths.map((p, i) => kindOf(p, positionals[i] as string)));
  const zips = kinds.filter((k) => k === 'zip').length;
  if (zips > 0 && zips < paths.length) {
    throw new UsageError(
      'ZIP ファイルとフォルダーは一緒に指定できません。1 回の申請データは ZIP 1 つか、フォルダー（いくつでも）のどちらかです。',
      'a ZIP and folders cannot be checked together: one batch is one ZIP or folders',
    );
  }
  if (zips > 1) throw new UsageError('ZIP ファイルは 1 つだけ指定してください（1 つの ZIP が 1 回の申請データです）。', 'give one ZIP at a time');

  let data: ApplicationData;
  let report: CheckReport;
  try {
    data = zips === 1 ? await readApplicationZip(paths[0] as string) : await readApplicationFolders(paths);
    report = await checkApplicationDataInSteps(data, limits);
  } catch (e) {
    // the data cannot be read safely (a corrupt or truncated ZIP, a bomb, an unreadable file): the data's fault
    if (!isApplicationError(e)) throw e;
    if (values.json) io.stdout(`${JSON.stringify({ error: { code: e.code, message: e.message, messageJa: e.messageJa } })}\n`);
    io.stderr(`エラー [${e.code}]: ${shown(e.messageJa, MESSAGE_MAX)}\n`);
    return EXIT_INVALID;
  }
  io.stdout(values.json ? `${JSON.stringify(toJson(data, report), null, 2)}\n` : formatReport(data, report));
  return report.ok ? EXIT_OK : EXIT_INVALID;
}

/** A folder is read as application folders; anything else (a .zip, any file) as a batch ZIP. */
async function kindOf(path: string, given: string): Promise<'zip' | 'folder'> {
  const info = await stat(path).catch(() => null);
  if (info === null) {
    // a symbolic link that leads nowhere exists: the folder reader reports it as a link it does not follow
    if ((await lstat(path).catch(() => null))?.isSymbolicLink()) return 'folder';
    throw new UsageError(`「${shown(given)}」が見つかりません。`, `${given} does not exist`);
  }
  if (info.isDirectory()) return 'folder';
  if (info.isFile() || given.toLowerCase().endsWith('.zip')) return 'zip';
  throw new UsageError(`「${shown(given)}」はフォルダーでも ZIP ファイルでもありません。`, `${given} is neither a folder nor a file`);
}

function parseBytes(text: string): number {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new UsageError('--max-file-bytes は 1 以上のバイト数です（例: 10485760）。', '--max-file-bytes takes a positive number of bytes');
  }
  return n;
}

function toJson(data: ApplicationData, report: CheckReport) {
  return {
    ok: report.ok,
    source: data.source,
    applications: applicationSummaries(data),
    problems: report.problems.map(plainProblem),
    errors: report.errors,
    warnings: report.warnings,
  };
}

const SEVERITY_JA = { error: 'エラー', warning: '警告' } as const;

function problemLine(p: CheckProblem): string {
  const where = [p.file !== undefined ? shown(p.file) : '', p.line !== undefined ? `${p.line}:${p.column ?? 1}` : ''].filter(Boolean).join(' ');
  return `  ${SEVERITY_JA[p.severity]}  ${where ? `${where}  ` : ''}${shown(p.messageJa, MESSAGE_MAX)}`;
}

/** The report grouped by application folder; problems of the batch as a whole come last. */
function formatReport(data: ApplicationData, report: CheckReport): string {
  const lines = [`申請データ: ${data.source.paths.map((p) => shown(p)).join(', ')}（${data.source.kind === 'zip' ? 'ZIP' : 'フォルダー'}）`, ''];
  const folders = [...new Set(data.applications.map((a) => a.folderName))];
  for (const folder of folders) {
    const apps = data.applications.filter((a) => a.folderName === folder);
    const files = apps.reduce((n, a) => n + a.files.length + (a.kousei ? 1 : 0), 0);
    const procedureId = apps[0]?.procedureId;
    lines.push(`${shown(folder)}（${procedureId ? `手続ID ${procedureId}、` : ''}ファイル ${files} 個）`);
    const mine = report.problems.filter((p) => p.folder === folder);
    lines.push(...(mine.length ? mine.map(problemLine) : ['  問題はありません']), '');
  }
  const rest = report.problems.filter((p) => p.folder === undefined || !folders.includes(p.folder));
  if (rest.length) lines.push('申請データ全体', ...rest.map(problemLine), '');
  lines.push(`申請 ${data.applications.length} 件、エラー ${report.errors} 件、警告 ${report.warnings} 件`);
  if (report.errors > 0) lines.push('エラーを直してから、もう一度 todoke check で確かめてください。エラーがあるままでは送信できません。');
  else if (report.warnings > 0) lines.push('エラーはありません。警告は送信を止めませんが、内容を確かめてください。');
  else lines.push('問題は見つかりませんでした。');
  return `${lines.join('\n')}\n`;
}
