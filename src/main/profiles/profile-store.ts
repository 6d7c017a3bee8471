// Main process. Profiles on disk: <home>/profiles/<name>/profile.json, folder 0700, file 0600,
// replaced atomically. A missing profile is `null`; an unreadable or tampered one is a typed
// error that says what to do, never a crash and never silently replaced.
import { mkdir, readdir, readFile, rename, rm, rmdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { SchemaViolation } from '../../shared/schema.js';
import { writeFileDurably } from '../store/durable-file.js';
import { isStoreEntry } from '../store/files.js';
import { ProfileError, profileCorrupt } from './errors.js';
import { isProfileName, parseProfile, type Profile } from './profile.js';

const PROFILE_FILE = 'profile.json';
/** A profile is a few KB (one certificate PEM); anything far larger is not ours. */
const MAX_PROFILE_BYTES = 256 * 1024;

export class ProfileStore {
  constructor(readonly home: string) {}

  /** The folder of one profile; secrets and stored certificate files live beside profile.json. */
  dir(name: string): string {
    if (!isProfileName(name)) {
      throw new ProfileError(
        'PROFILE_NAME_INVALID',
        { ja: `プロファイル名「${name.slice(0, 64)}」は使えません。半角英数字と . _ - で 64 文字以内にしてください。`, en: `invalid profile name` },
        { detail: { name: name.slice(0, 64) } },
      );
    }
    return join(this.home, 'profiles', name);
  }

  async load(name: string): Promise<Profile | null> {
    const path = join(this.dir(name), PROFILE_FILE);
    let text: string;
    try {
      const info = await stat(path);
      if (!info.isFile()) throw profileCorrupt(path, 'not a regular file');
      if (info.size > MAX_PROFILE_BYTES) throw profileCorrupt(path, `larger than ${MAX_PROFILE_BYTES} bytes`);
      text = await readFile(path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      if (e instanceof ProfileError) throw e;
      throw new ProfileError(
        'PROFILE_UNREADABLE',
        { ja: `利用者情報（${path}）を読み込めませんでした。ファイルの権限を確かめてください。`, en: `cannot read ${path}` },
        { cause: e, detail: { path } },
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw profileCorrupt(path, 'not JSON', e);
    }
    try {
      return parseProfile(json);
    } catch (e) {
      if (e instanceof SchemaViolation) throw profileCorrupt(path, e.message, e);
      throw e;
    }
  }

  async save(name: string, profile: Profile): Promise<void> {
    const checked = parseProfile(profile);
    const dir = this.dir(name);
    try {
      await writeFileDurably(join(dir, PROFILE_FILE), `${JSON.stringify(checked, null, 2)}\n`, { makeFolders: true });
    } catch (e) {
      throw new ProfileError(
        'PROFILE_WRITE_FAILED',
        { ja: `利用者情報を保存できませんでした（${dir}）。空き容量と書き込み権限を確かめてください。`, en: `cannot write the profile in ${dir}` },
        { cause: e, detail: { dir } },
      );
    }
  }

  /**
   * Moves the identity files of a profile that cannot be read out of the way (into
   * `<name>.corrupt-<time>` beside it), so a new set-up can start while nothing of the old one is
   * lost. The store (outbox, cases) stays where it is: it belongs to the filings, not to the profile
   * file. Returns where the files went.
   */
  async quarantine(name: string, at: Date = new Date()): Promise<string> {
    const from = this.dir(name);
    const to = `${from}.corrupt-${at.toISOString().replace(/[:.]/g, '-')}`;
    await mkdir(to, { mode: 0o700 });
    for (const entry of await identityEntries(from)) await rename(join(from, entry), join(to, entry));
    await removeIfEmpty(from);
    return to;
  }

  /**
   * Removes the profile's identity: profile.json, stored certificate copies and secrets. The store
   * (src/main/store/files.ts) is kept; the folder goes only when nothing else is left in it.
   */
  async remove(name: string): Promise<void> {
    const dir = this.dir(name);
    for (const entry of await identityEntries(dir)) await rm(join(dir, entry), { recursive: true, force: true });
    await removeIfEmpty(dir);
  }
}

async function removeIfEmpty(dir: string): Promise<void> {
  await rmdir(dir).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'ENOENT' && e.code !== 'ENOTEMPTY' && e.code !== 'EEXIST') throw e;
  });
}

async function identityEntries(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((entry) => !isStoreEntry(entry));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}
