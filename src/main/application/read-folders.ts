// Main process. 申請データ from folders on disk: one application folder (`{手続ID}({n})`, bare
// `{手続ID}`, or any folder holding a kousei.xml), or a folder holding several. Symbolic links are
// never followed, only reported. Only names, sizes and identities are taken here: the bytes are
// read when the check or signing asks (one application at a time), each read refused when the
// file is no longer the one listed.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { lstat, open, readdir } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { KOUSEI_FILE, makeApplication, parseFolderName, type Application, type ApplicationData, type ApplicationFile } from './model.js';
import { problem, type CheckProblem } from './problems.js';
import { pathInvalid, pathUnreadable } from './errors.js';

/** O_NOFOLLOW where the platform has it (not on Windows, where readdir already reported links). */
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
/** A FIFO swapped in after listing must not block the open; regular files read the same with it. */
const NONBLOCK = constants.O_NONBLOCK ?? 0;
/** Application folders read at the same time: enough to keep libuv's file threads busy. */
const FOLDER_CONCURRENCY = 8;

type Handle = Awaited<ReturnType<typeof open>>;

/** Reads `size` bytes from the start of an open file (fewer if it shrank meanwhile). */
async function readOpened(handle: Handle, size: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafeSlow(size);
  let got = 0;
  while (got < size) {
    const { bytesRead } = await handle.read(buf, got, Math.min(size - got, 0x40000000), got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got === size ? buf : buf.subarray(0, got);
}

/**
 * Opens one listed file without following a symlink, and checks it is a regular file and still the
 * file that was listed: a swap between listing and reading is refused. `use` gets the open handle
 * and its size; the handle is always closed.
 */
async function withListedFile<T>(
  path: string,
  expect: { dev: number; ino: number },
  use: (handle: Handle, info: { size: number; dev: number; ino: number }) => Promise<T>,
): Promise<T> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | NOFOLLOW | NONBLOCK);
  } catch (cause) {
    throw pathUnreadable(path, cause);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile() || info.dev !== expect.dev || info.ino !== expect.ino) {
      throw pathUnreadable(path, new Error('the file changed after it was listed'));
    }
    return await use(handle, info);
  } finally {
    await handle.close();
  }
}

/** Files up to this size are read with blocking calls: four system calls of a few microseconds
 * each cost less than four hops through libuv's thread pool, and a batch reads thousands of them. */
const SYNC_READ_MAX_BYTES = 256 * 1024;

/** The same file and size as listed, else a typed refusal. */
function assertListed(path: string, listed: Listed, info: { isFile(): boolean; dev: number; ino: number; size: number }): void {
  if (!info.isFile() || info.dev !== listed.dev || info.ino !== listed.ino) throw pathUnreadable(path, new Error('the file changed after it was listed'));
  if (info.size !== listed.size) throw pathUnreadable(path, new Error(`the file changed after it was listed (${listed.size} bytes then, ${info.size} now)`));
}

interface Listed {
  dev: number;
  ino: number;
  size: number;
}

/**
 * Reads one regular file without following a symlink, and only if it is still the listed one: the
 * same file (device and inode) and the same size. A file rewritten in place with another length is
 * refused here; one with the same length is caught by checkedSha256 (model.ts).
 */
function readListedFile(path: string, listed: Listed): Promise<Buffer> {
  if (listed.size <= SYNC_READ_MAX_BYTES) {
    try {
      return Promise.resolve(readSmallListedFile(path, listed));
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
  }
  return withListedFile(path, listed, async (handle, info) => {
    if (info.size !== listed.size) throw pathUnreadable(path, new Error(`the file changed after it was listed (${listed.size} bytes then, ${info.size} now)`));
    const bytes = await readOpened(handle, info.size);
    if (bytes.length !== listed.size) throw pathUnreadable(path, new Error('the file shrank while it was read'));
    return bytes;
  });
}

function readSmallListedFile(path: string, listed: Listed): Buffer {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | NOFOLLOW | NONBLOCK);
  } catch (cause) {
    throw pathUnreadable(path, cause);
  }
  try {
    assertListed(path, listed, fstatSync(fd));
    const buf = Buffer.allocUnsafeSlow(listed.size);
    let got = 0;
    while (got < listed.size) {
      const n = readSync(fd, buf, got, listed.size - got, got);
      if (n === 0) break;
      got += n;
    }
    if (got !== listed.size) throw pathUnreadable(path, new Error('the file shrank while it was read'));
    return buf;
  } finally {
    closeSync(fd);
  }
}

/** One listed regular file: its size and identity (lstat); its bytes are read when asked. */
async function fileEntry(dir: string, name: string): Promise<ApplicationFile> {
  const path = join(dir, name);
  const info = await lstat(path);
  const listed = { dev: info.dev, ino: info.ino, size: info.size };
  return { name, size: info.size, bytes: undefined, read: () => readListedFile(path, listed) };
}

async function readApplicationFolder(dir: string, problems: CheckProblem[]): Promise<Application> {
  const folderName = basename(dir);
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (cause) {
    throw pathUnreadable(dir, cause);
  }
  const reading: Array<Promise<ApplicationFile>> = [];
  for (const entry of entries) {
    const ctx = { folder: folderName, file: entry.name };
    if (entry.isSymbolicLink()) problems.push(problem('FOLDER_SYMLINK', ctx));
    else if (entry.isDirectory()) problems.push(problem('FOLDER_NESTED', ctx));
    else if (!entry.isFile()) problems.push(problem('FOLDER_SPECIAL_FILE', ctx));
    else {
      reading.push(
        fileEntry(dir, entry.name).catch((cause: unknown) => {
          throw pathUnreadable(join(dir, entry.name), cause);
        }),
      );
    }
  }
  // Every file is read at once; the first failure in listing order is the one reported.
  const settled = await Promise.allSettled(reading);
  let kousei: ApplicationFile | null = null;
  const files: ApplicationFile[] = [];
  for (const result of settled) {
    if (result.status === 'rejected') throw result.reason;
    if (result.value.name === KOUSEI_FILE) kousei = result.value;
    else files.push(result.value);
  }
  return makeApplication(folderName, kousei, files);
}

/**
 * Runs `tasks` at most `limit` at a time and gives their results in order. After a failure no
 * further task starts; the error thrown is the first in order, as if they had run one by one
 * (every task that started is earlier than any that did not).
 */
async function inOrder<T>(tasks: ReadonlyArray<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: Array<PromiseSettledResult<T> | undefined> = new Array(tasks.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < tasks.length) {
      const i = next++;
      try {
        results[i] = { status: 'fulfilled', value: await tasks[i]!() };
      } catch (reason) {
        results[i] = { status: 'rejected', reason };
        failed = true;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  const out: T[] = [];
  for (const r of results) {
    if (!r) break;
    if (r.status === 'rejected') throw r.reason;
    out.push(r.value);
  }
  return out;
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
export async function readApplicationFolders(paths: readonly string[]): Promise<ApplicationData> {
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
      applications.push(await readApplicationFolder(path, problems));
      continue;
    }
    let entries;
    try {
      entries = await readdir(path, { withFileTypes: true });
    } catch (cause) {
      throw pathUnreadable(given, cause);
    }
    // Each folder's own problems stay where reading one by one would have put them.
    const sorted = entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const slots: Array<{ problems: CheckProblem[]; app?: Application }> = [];
    const tasks: Array<() => Promise<void>> = [];
    for (const entry of sorted) {
      const slot: { problems: CheckProblem[]; app?: Application } = { problems: [] };
      slots.push(slot);
      if (entry.isSymbolicLink()) slot.problems.push(problem('FOLDER_SYMLINK', { file: entry.name }));
      else if (entry.isDirectory()) {
        tasks.push(async () => {
          slot.app = await readApplicationFolder(join(path, entry.name), slot.problems);
        });
      } else if (entry.isFile()) slot.problems.push(problem('FOLDER_LOOSE_FILE', { file: entry.name }));
      else slot.problems.push(problem('FOLDER_SPECIAL_FILE', { file: entry.name }));
    }
    await inOrder(tasks, FOLDER_CONCURRENCY);
    for (const slot of slots) {
      problems.push(...slot.problems);
      if (slot.app) applications.push(slot.app);
    }
  }
  return { source: { kind: 'folders', paths: [...paths] }, applications, problems };
}
