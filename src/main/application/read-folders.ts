// Main process. 申請データ from folders on disk: one application folder (`{手続ID}({n})`, bare
// `{手続ID}`, or any folder holding a kousei.xml), or a folder holding several. Symbolic links are
// never followed, only reported; sizes come first, and only XML files are loaded (they are checked
// character by character) — attachments are read when someone asks.
import { constants } from 'node:fs';
import { lstat, open, readdir } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { DEFAULT_APPLICATION_LIMITS, type ApplicationLimits } from './limits.js';
import { KOUSEI_FILE, makeApplication, parseFolderName, type Application, type ApplicationData, type ApplicationFile } from './model.js';
import { problem, type CheckProblem } from './problems.js';
import { pathInvalid, pathUnreadable } from './errors.js';

/** O_NOFOLLOW where the platform has it (not on Windows, where readdir already reported links). */
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;

/**
 * Reads one regular file without following a symlink, and only if it is still the file that was
 * listed (same device and inode): a swap between listing and reading is refused.
 */
async function readListedFile(path: string, dev: number, ino: number): Promise<Buffer> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | NOFOLLOW);
  } catch (cause) {
    throw pathUnreadable(path, cause);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile() || info.dev !== dev || info.ino !== ino) throw pathUnreadable(path, new Error('the file changed after it was listed'));
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

async function fileEntry(dir: string, name: string, limits: ApplicationLimits): Promise<ApplicationFile> {
  const path = join(dir, name);
  const info = await lstat(path);
  const read = () => readListedFile(path, info.dev, info.ino);
  const isXml = name === KOUSEI_FILE || name.toLowerCase().endsWith('.xml');
  const bytes = isXml && info.size <= limits.maxXmlBytes ? await read() : undefined;
  return { name, size: bytes?.length ?? info.size, bytes, read };
}

async function readApplicationFolder(dir: string, limits: ApplicationLimits, problems: CheckProblem[]): Promise<Application> {
  const folderName = basename(dir);
  let kousei: ApplicationFile | null = null;
  const files: ApplicationFile[] = [];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (cause) {
    throw pathUnreadable(dir, cause);
  }
  for (const entry of entries) {
    const ctx = { folder: folderName, file: entry.name };
    if (entry.isSymbolicLink()) problems.push(problem('FOLDER_SYMLINK', ctx));
    else if (entry.isDirectory()) problems.push(problem('FOLDER_NESTED', ctx));
    else if (!entry.isFile()) problems.push(problem('FOLDER_SPECIAL_FILE', ctx));
    else {
      let file: ApplicationFile;
      try {
        file = await fileEntry(dir, entry.name, limits);
      } catch (cause) {
        throw pathUnreadable(join(dir, entry.name), cause);
      }
      if (entry.name === KOUSEI_FILE) kousei = file;
      else files.push(file);
    }
  }
  return makeApplication(folderName, kousei, files);
}

async function holdsKousei(dir: string): Promise<boolean> {
  try {
    await lstat(join(dir, KOUSEI_FILE));
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads application folders. Each path is an application folder (its name follows the rule or it
 * holds a kousei.xml) or a folder of them. What is refused (symlinks, subfolders, special files) or
 * left out (loose files beside application folders) is in `problems`, never silently dropped.
 */
export async function readApplicationFolders(paths: readonly string[], limits: Partial<ApplicationLimits> = {}): Promise<ApplicationData> {
  const lim: ApplicationLimits = { ...DEFAULT_APPLICATION_LIMITS, ...limits };
  const problems: CheckProblem[] = [];
  const applications: Application[] = [];
  for (const given of paths) {
    const path = resolve(given);
    let info;
    try {
      info = await lstat(path);
    } catch (cause) {
      throw pathUnreadable(given, cause);
    }
    if (info.isSymbolicLink()) {
      problems.push(problem('FOLDER_SYMLINK', { file: given }));
      continue;
    }
    if (!info.isDirectory()) throw pathInvalid(given);
    if (parseFolderName(basename(path)) !== null || (await holdsKousei(path))) {
      applications.push(await readApplicationFolder(path, lim, problems));
      continue;
    }
    let entries;
    try {
      entries = await readdir(path, { withFileTypes: true });
    } catch (cause) {
      throw pathUnreadable(given, cause);
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (entry.isSymbolicLink()) problems.push(problem('FOLDER_SYMLINK', { file: entry.name }));
      else if (entry.isDirectory()) applications.push(await readApplicationFolder(join(path, entry.name), lim, problems));
      else if (entry.isFile()) problems.push(problem('FOLDER_LOOSE_FILE', { file: entry.name }));
      else problems.push(problem('FOLDER_SPECIAL_FILE', { file: entry.name }));
    }
  }
  return { source: { kind: 'folders', paths: [...paths] }, applications, problems };
}
