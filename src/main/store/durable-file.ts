// Main process. Files that must never be half-written (profiles, secrets, kousei.xml and its
// backups, the documents of the vault): the bytes go to a temp file in the same folder, are
// fsynced, renamed over the target, and the folder is fsynced so the rename itself survives a
// power cut. A crash at any moment leaves the old file or the new one, never a mix (at worst a
// stray `.<name>.<hex>.tmp` that nothing reads); a write that fails removes its temp file itself.
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface DurableWriteOptions {
  /** permissions of the file, exactly (not narrowed by the umask); default 0o600, owner only */
  mode?: number;
  /** create missing folders first, owner only (0o700) */
  makeFolders?: boolean;
  /** fail with EEXIST rather than replace a file already there (a backup is never overwritten) */
  noReplace?: boolean;
}

const PRIVATE_FILE_MODE = 0o600;
const PRIVATE_FOLDER_MODE = 0o700;

/** Creates `dir` and its missing parents, owner only. An existing folder keeps its permissions. */
async function makePrivateFolder(dir: string): Promise<void> {
  const first = await mkdir(dir, { recursive: true, mode: PRIVATE_FOLDER_MODE });
  if (first === undefined) return;
  // a new folder is an entry in its parent, lost to a power cut like a rename unless the parent is
  // synced: the vault records a document in SQLite (and tells e-Gov it was received) right after
  // writing it into a folder this call may just have made
  for (let made = dir; ; made = dirname(made)) {
    await syncFolder(dirname(made));
    if (made === first || dirname(made) === made) break;
  }
}

/** Writes `data` to `path` so that it is there whole, or not at all, once this resolves. */
export async function writeFileDurably(path: string, data: string | Uint8Array, options: DurableWriteOptions = {}): Promise<void> {
  const dir = dirname(path);
  const mode = options.mode ?? PRIVATE_FILE_MODE;
  if (options.makeFolders) await makePrivateFolder(dir);
  // Claims the name first: an empty file is what a crash can leave there, never a cut-off one
  // that looks like a real backup. The rename below then replaces this placeholder.
  if (options.noReplace) await (await open(path, 'wx', mode)).close();
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', mode);
    try {
      // open() narrows the mode by the umask; a file written for someone else's folder (kousei.xml)
      // keeps exactly the permissions it had
      await handle.chmod(mode);
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true });
    if (options.noReplace) await rm(path, { force: true });
    throw e;
  }
  await syncFolder(dir);
}

/** Makes a rename in `dir` durable. */
async function syncFolder(dir: string): Promise<void> {
  // Windows cannot open a folder for fsync; NTFS journals the rename itself.
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch (e) {
    // Some file systems (a few network and FUSE mounts) cannot fsync a folder at all; the file's
    // own fsync has happened, and that is the most they offer. Real I/O errors still surface.
    if (!FOLDER_SYNC_UNSUPPORTED.has((e as NodeJS.ErrnoException).code ?? '')) throw e;
  } finally {
    await handle.close();
  }
}

const FOLDER_SYNC_UNSUPPORTED = new Set(['EINVAL', 'ENOTSUP', 'EOPNOTSUPP', 'EISDIR', 'EBADF']);
