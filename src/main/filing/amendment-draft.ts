// Core host. The 補正 workbench's working copy (issue #10 item 6): the filed application laid out in a
// private folder `<profile>/amendments/<到達番号>/<draftId>/filed/`, the files the person picks to
// replace (or adds) copied into `…/replaced/`, and a `draft.json` saying which is which. Every write
// goes through writeFileDurably, the manifest last: a crash leaves the draft as it was before the
// step, at worst with a copied file the manifest does not name (never read).
//
// Why a copy and not the person's own files: the draft must stay what was checked and diffed until
// it is sent, whatever happens to the files picked in a dialog meanwhile; and "restore" must give the
// filed file back without asking anyone where it went.
//
// The filed application comes from the outbox's recorded batch request when Todoke sent the case
// (./amendment-filed.ts), or — for a case filed elsewhere — from a whole application folder the
// person gives, which then is the draft's content.
import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { open, readdir, readFile, rm } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { AmendmentKind } from '../../shared/documents.js';
import { DEFAULT_APPLICATION_LIMITS } from '../application/limits.js';
import { KOUSEI_FILE } from '../application/model.js';
import { isSafeFileName } from '../signing/xml/kousei-files.js';
import { writeFileDurably } from '../store/durable-file.js';
import { amendmentChanges } from './amendment-changes.js';
import { AmendmentError } from './amendment-errors.js';
import type { AmendmentFolder } from './amendment-package.js';
import type { FileComparison } from './xml-diff.js';

const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const MANIFEST = 'draft.json';
const DRAFT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ARRIVE_ID = /^\d{16,18}$/;

export interface DraftReplacement {
  /** the path the person picked (shown, never read again) */
  from: string;
  size: number;
  /** epoch ms */
  at: number;
}

export interface DraftManifest {
  version: 1;
  arriveId: string;
  draftId: string;
  /** epoch ms */
  createdAt: number;
  /**
   * where the filed application came from: the outbox's copy of what Todoke sent, a folder the person
   * gave, or an earlier draft of this case whose 補正 arrived (what e-Gov holds now)
   */
  source: 'outbox' | 'folder' | 'amendment';
  /** by file name; a name the filed application does not have is an added attachment */
  replacements: Record<string, DraftReplacement>;
}

export interface DraftFile {
  name: string;
  /** the size of what the 補正 will send */
  size: number;
  /** the filed size; null for an added file */
  filedSize: number | null;
  replaced: boolean;
}

export interface AmendmentDraft {
  manifest: DraftManifest;
  /** the folder that holds filed/ and replaced/ */
  dir: string;
  filed: AmendmentFolder;
  /** filed with the replacements applied: what the 補正 sends */
  corrected: AmendmentFolder;
  files: DraftFile[];
}

export interface DraftLimits {
  /** one file, as the application check allows */
  maxFileBytes: number;
  /** files of the application, kousei.xml included */
  maxFiles: number;
}

const DEFAULT_LIMITS: DraftLimits = { maxFileBytes: DEFAULT_APPLICATION_LIMITS.maxFileBytes, maxFiles: DEFAULT_APPLICATION_LIMITS.maxFilesPerApplication };

/** A file name inside the one application folder: safe, and no subfolder (the 申請データ reader allows none). */
const isFlatName = (name: string): boolean => isSafeFileName(name) && !name.includes('/') && name !== MANIFEST;

function invalid(ja: string, en: string, detail: Record<string, unknown> = {}, cause?: unknown): AmendmentError {
  return new AmendmentError('AMENDMENT_DRAFT_INVALID', { ja, en }, { detail, ...(cause === undefined ? {} : { cause }) });
}

/**
 * Reads one file the person picked: an absolute path to a regular file (no link followed), at most
 * `maxBytes`, read through one descriptor so that what was measured is what is read.
 */
export async function readPickedFile(path: string, maxBytes: number): Promise<Buffer> {
  if (typeof path !== 'string' || !isAbsolute(path)) throw invalid('ファイルは絶対パスで指定してください。', 'the path is not absolute', { path: String(path).slice(0, 200) });
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | NOFOLLOW);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const ja = code === 'ENOENT' ? 'が見つかりません' : code === 'ELOOP' ? 'はシンボリックリンクのため使えません' : 'を読み込めません';
    throw invalid(`ファイル「${path}」${ja}。`, `cannot open ${path}: ${code ?? String(cause)}`, { path }, cause);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw invalid(`「${path}」は通常のファイルではありません。`, `${path} is not a regular file`, { path });
    if (info.size > maxBytes) throw invalid(`ファイル「${path}」は大きすぎます（${info.size} バイト、上限 ${maxBytes} バイト）。`, `${path} is ${info.size} bytes, over ${maxBytes}`, { path, size: info.size, limit: maxBytes });
    if (info.size === 0) throw invalid(`ファイル「${path}」は空です。`, `${path} is empty`, { path });
    const bytes = await handle.readFile();
    if (bytes.length > maxBytes) throw invalid(`ファイル「${path}」は読み込み中に大きくなりました。`, `${path} grew while read`, { path });
    return bytes;
  } finally {
    await handle.close();
  }
}

/**
 * Whether a draft is spent: a 補正 of its case recorded after the draft was made has reached e-Gov
 * (the workbench sends only the newest draft). The next 補正 then starts from what that one sent.
 */
export function isSpent(manifest: Pick<DraftManifest, 'createdAt'>, amendments: ReadonlyArray<{ state: string; createdAt: number }>): boolean {
  return amendments.some((e) => e.state === 'done' && e.createdAt >= manifest.createdAt);
}

/** The working copies of one profile: `<profileDir>/amendments/`. */
export class AmendmentDrafts {
  readonly #root: string;
  readonly #limits: DraftLimits;
  readonly #now: () => number;

  constructor(profileDir: string, options: { limits?: Partial<DraftLimits>; now?: () => number } = {}) {
    this.#root = join(profileDir, 'amendments');
    this.#limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.#now = options.now ?? Date.now;
  }

  #dir(arriveId: string, draftId: string): string {
    if (!ARRIVE_ID.test(arriveId)) throw invalid('到達番号が正しくありません（16〜18桁の数字）。', 'bad arriveId');
    if (!DRAFT_ID.test(draftId)) throw invalid('補正の下書きの番号が正しくありません。', 'bad draftId');
    return join(this.#root, arriveId, draftId);
  }

  /** Lays out a new draft of the filed application (all files durable, the manifest last). */
  async create(arriveId: string, filed: AmendmentFolder, source: DraftManifest['source']): Promise<AmendmentDraft> {
    this.#checkFolder(filed);
    const draftId = randomUUID();
    const dir = this.#dir(arriveId, draftId);
    await writeFileDurably(join(dir, 'filed', KOUSEI_FILE), filed.kousei, { makeFolders: true, noReplace: true });
    for (const f of filed.files) await writeFileDurably(join(dir, 'filed', f.name), f.bytes, { noReplace: true });
    const manifest: DraftManifest = { version: 1, arriveId, draftId, createdAt: this.#now(), source, replacements: {} };
    await this.#writeManifest(dir, manifest);
    return this.open(arriveId, draftId);
  }

  /** The newest draft of the case, or null. */
  async latest(arriveId: string): Promise<AmendmentDraft | null> {
    if (!ARRIVE_ID.test(arriveId)) throw invalid('到達番号が正しくありません（16〜18桁の数字）。', 'bad arriveId');
    let names: string[];
    try {
      names = await readdir(join(this.#root, arriveId));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
    const drafts: AmendmentDraft[] = [];
    for (const name of names.filter((n) => DRAFT_ID.test(n))) {
      // a folder a crash left before its manifest was written is not a draft
      const draft = await this.open(arriveId, name).catch((e: unknown) => (e instanceof AmendmentError ? null : Promise.reject(e)));
      if (draft) drafts.push(draft);
    }
    drafts.sort((a, b) => b.manifest.createdAt - a.manifest.createdAt);
    return drafts[0] ?? null;
  }

  async open(arriveId: string, draftId: string): Promise<AmendmentDraft> {
    const dir = this.#dir(arriveId, draftId);
    let manifest: DraftManifest;
    try {
      manifest = parseManifest(await readFile(join(dir, MANIFEST), 'utf8'), arriveId, draftId);
    } catch (cause) {
      if (cause instanceof AmendmentError) throw cause;
      throw invalid('補正の下書きが見つからないか、読めません。もう一度下書きを作ってください。', `draft ${draftId} unreadable`, { draftId }, cause);
    }
    const filedNames = (await readdir(join(dir, 'filed'))).filter((n) => n !== KOUSEI_FILE && !n.startsWith('.')).sort();
    const read = (sub: string, name: string) => readPickedFile(join(dir, sub, name), this.#limits.maxFileBytes);
    const filed: AmendmentFolder = { kousei: await read('filed', KOUSEI_FILE), files: await Promise.all(filedNames.map(async (name) => ({ name, bytes: await read('filed', name) }))) };
    const replaced = new Map<string, Buffer>();
    for (const name of Object.keys(manifest.replacements)) replaced.set(name, await read('replaced', name));
    const names = [...new Set([...filedNames, ...replaced.keys()].filter((n) => n !== KOUSEI_FILE))].sort();
    const filedBytes = new Map(filed.files.map((f) => [f.name, f.bytes]));
    const corrected: AmendmentFolder = {
      kousei: replaced.get(KOUSEI_FILE) ?? filed.kousei,
      files: names.map((name) => ({ name, bytes: replaced.get(name) ?? filedBytes.get(name)! })),
    };
    const files: DraftFile[] = [KOUSEI_FILE, ...names].map((name) => {
      const before = name === KOUSEI_FILE ? filed.kousei : (filedBytes.get(name) ?? null);
      const now = replaced.get(name) ?? before!;
      return { name, size: now.length, filedSize: before ? before.length : null, replaced: replaced.has(name) };
    });
    return { manifest, dir, filed, corrected, files };
  }

  /**
   * Replaces (or adds) the file `fileName` of the draft with a copy of the file at `path`. A name the
   * filed application does not have adds an attachment (kousei.xml must list it to be sent).
   */
  async replace(arriveId: string, draftId: string, fileName: string, path: string): Promise<AmendmentDraft> {
    if (typeof fileName !== 'string' || !isFlatName(fileName)) {
      throw invalid(`ファイル名「${String(fileName).slice(0, 100)}」は使えません（フォルダーの区切りや使えない文字を含みます）。`, 'unsafe file name', { fileName: String(fileName).slice(0, 100) });
    }
    const draft = await this.open(arriveId, draftId);
    if (draft.files.length >= this.#limits.maxFiles && !draft.files.some((f) => f.name === fileName)) {
      throw invalid(`1つの申請に入れられるファイルは ${this.#limits.maxFiles} 個までです。`, 'too many files', { limit: this.#limits.maxFiles });
    }
    const bytes = await readPickedFile(path, this.#limits.maxFileBytes);
    await writeFileDurably(join(draft.dir, 'replaced', fileName), bytes, { makeFolders: true });
    const manifest: DraftManifest = { ...draft.manifest, replacements: { ...draft.manifest.replacements, [fileName]: { from: path, size: bytes.length, at: this.#now() } } };
    await this.#writeManifest(draft.dir, manifest);
    return this.open(arriveId, draftId);
  }

  /** Undoes a replacement (the filed file again) or removes an added file. */
  async restore(arriveId: string, draftId: string, fileName: string): Promise<AmendmentDraft> {
    const draft = await this.open(arriveId, draftId);
    if (!(fileName in draft.manifest.replacements)) throw invalid(`「${String(fileName).slice(0, 100)}」は差し替えられていません。`, 'not replaced', { fileName: String(fileName).slice(0, 100) });
    const replacements = { ...draft.manifest.replacements };
    delete replacements[fileName];
    await this.#writeManifest(draft.dir, { ...draft.manifest, replacements });
    // after the manifest: a crash in between leaves an unnamed copy, never a named one missing
    await rm(join(draft.dir, 'replaced', fileName), { force: true });
    return this.open(arriveId, draftId);
  }

  /** The draft's files compared with the filed ones (the diff per replaced XML). */
  changes(draft: AmendmentDraft, kind: AmendmentKind): FileComparison[] {
    return amendmentChanges(draft.filed, draft.corrected, { arriveId: draft.manifest.arriveId, kind });
  }

  #checkFolder(folder: AmendmentFolder): void {
    if (folder.files.length + 1 > this.#limits.maxFiles) throw invalid(`1つの申請に入れられるファイルは ${this.#limits.maxFiles} 個までです。`, 'too many files', { limit: this.#limits.maxFiles });
    for (const f of [{ name: KOUSEI_FILE, bytes: folder.kousei }, ...folder.files]) {
      if (!isFlatName(f.name)) throw invalid(`ファイル名「${f.name.slice(0, 100)}」は使えません。`, 'unsafe file name', { fileName: f.name.slice(0, 100) });
      if (f.bytes.length > this.#limits.maxFileBytes) throw invalid(`「${f.name}」は大きすぎます（上限 ${this.#limits.maxFileBytes} バイト）。`, `${f.name} too large`, { fileName: f.name });
    }
  }

  async #writeManifest(dir: string, manifest: DraftManifest): Promise<void> {
    await writeFileDurably(join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  }
}

/** Reads a draft.json, refusing anything that is not one Todoke wrote for this draft. */
function parseManifest(text: string, arriveId: string, draftId: string): DraftManifest {
  const bad = () => invalid('補正の下書きの記録が壊れています。もう一度下書きを作ってください。', `draft ${draftId}: manifest invalid`, { draftId });
  if (text.length > 1024 * 1024) throw bad();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw bad();
  }
  const m = value as Partial<DraftManifest> | null;
  if (!m || typeof m !== 'object' || m.version !== 1 || m.arriveId !== arriveId || m.draftId !== draftId || typeof m.createdAt !== 'number') throw bad();
  if ((m.source !== 'outbox' && m.source !== 'folder' && m.source !== 'amendment') || !m.replacements || typeof m.replacements !== 'object' || Array.isArray(m.replacements)) throw bad();
  for (const [name, r] of Object.entries(m.replacements)) {
    if (!isFlatName(name) || !r || typeof r.from !== 'string' || typeof r.size !== 'number' || typeof r.at !== 'number') throw bad();
  }
  return m as DraftManifest;
}
