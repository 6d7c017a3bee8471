// Main process (core). `application.check`: reads 申請データ from the paths the person chose
// (application folders, or one ZIP — never both, as `todoke check`) and checks it, answering the
// view the 申請 screen shows. Nothing is signed or sent. A ZIP that cannot be read safely (corrupt,
// cut short, a bomb) is an ApplicationError with a Japanese message that says what to do.
import { stat } from 'node:fs/promises';
import { basename, isAbsolute } from 'node:path';
import type { OperationArgs } from '../../shared/contract.js';
import type { ApplicationCheckView } from '../../shared/domain.js';
import { checkApplicationDataInSteps } from '../application/check.js';
import { ApplicationError, pathUnreadable } from '../application/errors.js';
import type { ApplicationData } from '../application/model.js';
import type { CheckReport } from '../application/problems.js';
import { readApplicationFolders } from '../application/read-folders.js';
import { readApplicationZip } from '../application/read-zip.js';
import type { Handlers } from './dispatch.js';
import { invalidArgument, printable } from './errors.js';
import { applicationSummaries, plainProblem } from '../application/report-view.js';

const OPERATION = 'application.check';

export function applicationHandlers(): Pick<Handlers, 'application.check'> {
  return { 'application.check': checkApplication };
}

export async function checkApplication(args: OperationArgs<'application.check'>): Promise<ApplicationCheckView> {
  const { data, report } = await readAndCheck(OPERATION, args.paths);
  return toView(data, report);
}

/**
 * Reads 申請データ from the paths the person chose (application folders, or one ZIP alone) and
 * checks it, in steps: the core host keeps serving the window's other calls while a large batch
 * is checked. Used by application.check and, again right before signing, by batch.send.
 */
export async function readAndCheck(operation: string, paths: readonly string[]): Promise<{ data: ApplicationData; report: CheckReport }> {
  if (paths.length === 0) throw invalidArgument(operation, { path: 'args.paths', reason: 'tooShort', message: 'names no path' });
  const relative = paths.findIndex((p) => !isAbsolute(p) || p.includes('\0'));
  if (relative >= 0) throw invalidArgument(operation, { path: `args.paths[${relative}]`, reason: 'pattern', message: 'is not an absolute path' });
  const kinds = await Promise.all(paths.map(kindOf));
  const zips = kinds.filter((k) => k === 'zip').length;
  if (zips > 0 && paths.length > 1) throw zipNotAlone(zips);
  const data = zips === 1 ? await readApplicationZip(paths[0] as string) : await readApplicationFolders(paths);
  return { data, report: await checkApplicationDataInSteps(data) };
}

/** A folder is read as application folders; a file as a batch ZIP (the reader says when it is not one). */
async function kindOf(path: string): Promise<'zip' | 'folder'> {
  // stat, not lstat: a link the person chose is followed to what it names; links inside a folder
  // are refused by the folder reader (FOLDER_SYMLINK)
  const info = await stat(path).catch((cause: unknown) => {
    throw pathUnreadable(shownName(path), cause);
  });
  return info.isDirectory() ? 'folder' : 'zip';
}

function zipNotAlone(zips: number): ApplicationError {
  return zips > 1
    ? new ApplicationError('APPLICATION_PATH_INVALID', {
        ja: 'ZIP ファイルは 1 つだけ選んでください（1 つの ZIP が 1 回の申請データです）。',
        en: 'choose one ZIP at a time',
      })
    : new ApplicationError('APPLICATION_PATH_INVALID', {
        ja: 'ZIP ファイルとフォルダーは一緒に選べません。1 回の申請データは ZIP 1 つか、フォルダーのどちらかです。',
        en: 'a ZIP and folders cannot be checked together: one batch is one ZIP or folders',
      });
}

/** The name of what was chosen, not where it is (the harness stages files under a random folder). */
export function shownName(path: string): string {
  return printable(basename(path) || path, 255);
}

function toView(data: ApplicationData, report: CheckReport): ApplicationCheckView {
  return {
    ok: report.ok,
    source: { kind: data.source.kind, names: data.source.paths.map(shownName) },
    applications: applicationSummaries(data),
    problems: report.problems.map(plainProblem),
    errors: report.errors,
    warnings: report.warnings,
  };
}
