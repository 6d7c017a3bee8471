// Unit: the one durable write (src/main/store/durable-file.ts) behind profiles, secrets, kousei.xml
// and its backups: what lands on disk, with which permissions, what a failure leaves behind, and
// the order of the system calls that make it survive a power cut (watched through node:fs/promises).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import fsp from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { afterEach, describe, it, mock } from 'node:test';
import { writeFileDurably } from '../../src/main/store/durable-file.js';
import { scratchHome } from '../support/home.js';

const posix = process.platform !== 'win32';
const modeOf = (path: string) => statSync(path).mode & 0o777;
const leftovers = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.tmp'));

afterEach(() => {
  mock.restoreAll();
  syncBuiltinESMExports();
});

void describe('writeFileDurably', () => {
  void it('writes a new file and replaces an old one whole', async () => {
    const dir = scratchHome();
    const path = join(dir, 'profile.json');
    await writeFileDurably(path, 'first');
    assert.equal(readFileSync(path, 'utf8'), 'first');
    await writeFileDurably(path, Buffer.from('second, longer than the first'));
    assert.equal(readFileSync(path, 'utf8'), 'second, longer than the first');
    assert.deepEqual(readdirSync(dir), ['profile.json']);
  });

  void it('owner-only by default; a mode given is kept exactly, whatever the umask', { skip: !posix }, async () => {
    const dir = scratchHome();
    await writeFileDurably(join(dir, 'secret'), 'x');
    assert.equal(modeOf(join(dir, 'secret')), 0o600);
    // 0o666 would come out 0o644 under the usual umask if only open() set it
    await writeFileDurably(join(dir, 'kousei.xml'), 'x', { mode: 0o666 });
    assert.equal(modeOf(join(dir, 'kousei.xml')), 0o666);
    // replacing a file gives it the mode asked for, not the old one
    writeFileSync(join(dir, 'loose'), 'old', { mode: 0o644 });
    await writeFileDurably(join(dir, 'loose'), 'new');
    assert.equal(modeOf(join(dir, 'loose')), 0o600);
  });

  void it('makes missing folders owner-only when asked, and only then', async () => {
    const dir = scratchHome();
    const path = join(dir, 'profiles', 'default', 'certificates', 'a.p12');
    await assert.rejects(writeFileDurably(path, 'x'), { code: 'ENOENT' });
    assert.equal(existsSync(join(dir, 'profiles')), false);
    await writeFileDurably(path, 'x', { makeFolders: true });
    assert.equal(readFileSync(path, 'utf8'), 'x');
    if (posix) assert.equal(modeOf(join(dir, 'profiles', 'default')), 0o700);
  });

  void it('noReplace never overwrites: EEXIST, and the file there is untouched', async () => {
    const dir = scratchHome();
    const path = join(dir, 'kousei.xml.bak-20240101000000');
    await writeFileDurably(path, 'backup', { noReplace: true });
    await assert.rejects(writeFileDurably(path, 'other', { noReplace: true }), { code: 'EEXIST' });
    assert.equal(readFileSync(path, 'utf8'), 'backup');
    assert.deepEqual(leftovers(dir), []);
  });

  void it('a failed rename leaves the target as it was and no temp file', async () => {
    const dir = scratchHome();
    // a folder that is not empty cannot be replaced by a file
    const path = join(dir, 'taken');
    mkdirSync(path);
    writeFileSync(join(path, 'inside'), 'x');
    await assert.rejects(writeFileDurably(path, 'data'));
    assert.ok(statSync(path).isDirectory());
    assert.deepEqual(leftovers(dir), []);
  });

  void it('a failed write leaves no temp file, and noReplace gives its claimed name back', async () => {
    const dir = scratchHome();
    const realOpen = fsp.open;
    mock.method(fsp, 'open', async (...args: Parameters<typeof fsp.open>) => {
      const handle = await realOpen(...args);
      if (String(args[0]).endsWith('.tmp')) {
        mock.method(handle, 'writeFile', async () => {
          throw Object.assign(new Error('disk full'), { code: 'ENOSPC' });
        });
      }
      return handle;
    });
    syncBuiltinESMExports();
    writeFileSync(join(dir, 'profile.json'), 'old');
    await assert.rejects(writeFileDurably(join(dir, 'profile.json'), 'new'), { code: 'ENOSPC' });
    await assert.rejects(writeFileDurably(join(dir, 'backup'), 'new', { noReplace: true }), { code: 'ENOSPC' });
    assert.deepEqual(readdirSync(dir), ['profile.json']);
    assert.equal(readFileSync(join(dir, 'profile.json'), 'utf8'), 'old');
  });

  void it('fsyncs the file before the rename and the folder after it', { skip: !posix }, async () => {
    const dir = scratchHome();
    const path = join(dir, 'profile.json');
    const calls: string[] = [];
    const name = (p: unknown) => (String(p) === dir ? '<folder>' : String(p).endsWith('.tmp') ? '<temp>' : String(p));
    const realOpen = fsp.open;
    const realRename = fsp.rename;
    mock.method(fsp, 'open', async (...args: Parameters<typeof fsp.open>) => {
      const handle = await realOpen(...args);
      const realSync = handle.sync.bind(handle);
      mock.method(handle, 'sync', async () => {
        calls.push(`fsync ${name(args[0])}`);
        return realSync();
      });
      calls.push(`open ${name(args[0])}`);
      return handle;
    });
    mock.method(fsp, 'rename', async (from: string, to: string) => {
      calls.push(`rename ${name(from)} -> ${name(to)}`);
      return realRename(from, to);
    });
    syncBuiltinESMExports();
    await writeFileDurably(path, 'x');
    assert.deepEqual(calls, ['open <temp>', 'fsync <temp>', `rename <temp> -> ${path}`, 'open <folder>', 'fsync <folder>']);
  });

  void it('a file system that cannot fsync a folder does not fail the write; a real I/O error does', { skip: !posix }, async () => {
    const dir = scratchHome();
    const realOpen = fsp.open;
    let folderError = 'EINVAL';
    mock.method(fsp, 'open', async (...args: Parameters<typeof fsp.open>) => {
      const handle = await realOpen(...args);
      if (String(args[0]) === dir) {
        mock.method(handle, 'sync', async () => {
          throw Object.assign(new Error('fsync'), { code: folderError });
        });
      }
      return handle;
    });
    syncBuiltinESMExports();
    await writeFileDurably(join(dir, 'a'), 'x');
    assert.equal(readFileSync(join(dir, 'a'), 'utf8'), 'x');
    folderError = 'EIO';
    await assert.rejects(writeFileDurably(join(dir, 'b'), 'x'), { code: 'EIO' });
  });
});
