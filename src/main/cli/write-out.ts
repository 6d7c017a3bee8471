// Main process (CLI host). Writing a kept notice's files (or its rendered HTML) where the person asked
// (`--out DIR`, `--html FILE`). Every target is judged before the first byte is written: a file with
// the same bytes is left as it is, one with other bytes is replaced only with --force, and anything
// that is not a plain file (a folder, a device) is never replaced — so a refusal leaves the folder
// exactly as it was. Names come from the vault's records made safe (exports.ts exportNames); each
// file goes through the durable-write module, owner only, as the vault's own copies.
import { lstat, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { NoticeError } from '../documents/notice-errors.js';
import { exportNames } from '../documents/exports.js';
import { writeFileDurably } from '../store/durable-file.js';
import { shown } from './shown.js';

export type OutState = 'written' | 'replaced' | 'unchanged';

export interface OutFile {
  /** the name the vault records (as e-Gov wrote it) */
  name: string;
  /** where it was written */
  path: string;
  state: OutState;
}

interface Target {
  name: string;
  path: string;
  bytes: Uint8Array;
}

/** Writes `files` into `dir` (made when missing). Refuses, writing nothing, when a file there differs and `force` is not set. */
export async function writeFilesInto(dir: string, files: readonly { name: string; bytes: Uint8Array }[], force: boolean): Promise<OutFile[]> {
  const folder = resolve(dir);
  const info = await stat(folder).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? null : Promise.reject(outIo(folder, e))));
  if (info && !info.isDirectory()) {
    throw new NoticeError('NOTICE_OUT_NOT_A_FOLDER', { ja: `--out に指定した ${shown(folder, 200)} はフォルダーではありません（ファイルがあります）。書き出すフォルダーを指定してください。`, en: `--out ${folder} is not a folder` }, { detail: { path: folder } });
  }
  const names = exportNames(files.map((f) => f.name));
  return writeTargets(files.map((f, i) => ({ name: f.name, path: join(folder, names[i]!), bytes: f.bytes })), force, '--out');
}

/** Writes one file (`--html FILE`) under the same rule. */
export async function writeFileOut(path: string, name: string, bytes: Uint8Array, force: boolean, flag: string): Promise<OutFile> {
  const [written] = await writeTargets([{ name, path: resolve(path), bytes }], force, flag);
  return written!;
}

async function writeTargets(targets: readonly Target[], force: boolean, flag: string): Promise<OutFile[]> {
  const states: OutState[] = [];
  const conflicts: string[] = [];
  for (const t of targets) {
    const state = await judge(t);
    if (state === 'not-a-file') {
      throw new NoticeError('NOTICE_OUT_EXISTS', { ja: `${shown(t.path, 200)} にはファイルではないもの（フォルダーなど）があるため、書き込めません。別の場所を指定してください。`, en: `${t.path} exists and is not a file` }, { detail: { path: t.path } });
    }
    if (state === 'different') conflicts.push(t.path);
    states.push(state === 'different' ? 'replaced' : state);
  }
  if (conflicts.length && !force) {
    throw new NoticeError(
      'NOTICE_OUT_EXISTS',
      {
        ja: `内容の違うファイルがすでにあるため、何も書き込みませんでした: ${conflicts.map((p) => shown(p, 200)).join('、')}。置き換えるには --force を付けるか、${flag} に別の場所を指定してください。`,
        en: `${conflicts.length} file(s) exist with other contents; use --force to replace them`,
      },
      { detail: { paths: conflicts } },
    );
  }
  const out: OutFile[] = [];
  for (const [i, t] of targets.entries()) {
    const state = states[i]!;
    if (state !== 'unchanged') {
      try {
        await writeFileDurably(t.path, t.bytes, { makeFolders: true });
      } catch (e) {
        throw outIo(t.path, e);
      }
    }
    out.push({ name: t.name, path: t.path, state });
  }
  return out;
}

async function judge(t: Target): Promise<'written' | 'unchanged' | 'different' | 'not-a-file'> {
  let info;
  try {
    info = await lstat(t.path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'written';
    throw outIo(t.path, e);
  }
  // a symbolic link is replaced as a link (the rename swaps the entry), never followed
  if (info.isSymbolicLink()) return 'different';
  if (!info.isFile()) return 'not-a-file';
  if (info.size !== t.bytes.byteLength) return 'different';
  const present = await readFile(t.path).catch((e: unknown) => Promise.reject(outIo(t.path, e)));
  return present.equals(Buffer.from(t.bytes.buffer, t.bytes.byteOffset, t.bytes.byteLength)) ? 'unchanged' : 'different';
}

function outIo(path: string, cause: unknown): NoticeError {
  const code = (cause as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOTDIR' || code === 'EEXIST') {
    return new NoticeError('NOTICE_OUT_NOT_A_FOLDER', { ja: `${shown(path, 200)} の途中にフォルダーではないもの（ファイル）があるため、書き込めません。別の場所を指定してください。`, en: `a part of ${path} is not a folder` }, { cause, detail: { path } });
  }
  return new NoticeError(
    'NOTICE_OUT_IO',
    { ja: `${shown(path, 200)} に書き込めませんでした（${shown(code ?? (cause instanceof Error ? cause.message : String(cause)), 80)}）。空き容量とフォルダーの権限を確かめてください。保管庫の書類はそのままです。`, en: `cannot write ${path}` },
    { cause, detail: { path } },
  );
}
