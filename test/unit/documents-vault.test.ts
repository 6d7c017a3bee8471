// Unit: the vault (src/main/documents/vault.ts). A notice ZIP is stored as received under its
// SHA-256, its files under theirs, owner-only; keeping it again writes nothing; a refused ZIP is
// kept all the same; a read re-hashes and never returns wrong bytes; a hash is never a path.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { mediaOf } from '../../src/main/documents/media.js';
import { sha256Hex, Vault, VaultError } from '../../src/main/documents/vault.js';
import { recordedNoticeZip, zeroBombZip } from '../support/notice-zips.js';
import { scratchHome } from '../support/home.js';
import { craftZip } from '../support/zip-craft.js';

const MiB = 1024 * 1024;

function vault(): Vault {
  return new Vault(join(scratchHome('todoke-vault-'), 'vault'));
}

/** Every file under `dir`, relative, sorted. */
function tree(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((d) => (d.isDirectory() ? tree(join(dir, d.name), `${prefix}${d.name}/`) : [`${prefix}${d.name}`]))
    .sort();
}

async function rejectsWith(p: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof VaultError, String(e));
    assert.equal(e.code, code);
    assert.match(e.messageJa, /。/);
    return true;
  });
}

void describe('Vault.keep', () => {
  void it('keeps the recorded 公文書 ZIP and its files by content, with their media', async () => {
    const v = vault();
    const zip = recordedNoticeZip('officialdocument');
    const kept = await v.keep(zip);
    assert.equal(kept.zipSha256, sha256Hex(zip));
    assert.equal(kept.zipSize, zip.length);
    assert.equal(kept.refusal, null);
    assert.deepEqual(
      kept.files!.map((f) => [f.name, f.size, f.media]),
      [
        ['0000-API-001.xml', 1426, 'xml'],
        ['スタイルシート1.xsl', 3578, 'xsl'],
      ],
    );
    assert.deepEqual(tree(v.root), [
      `files/${kept.files![0]!.sha256.slice(0, 2)}/${kept.files![0]!.sha256}`,
      `files/${kept.files![1]!.sha256.slice(0, 2)}/${kept.files![1]!.sha256}`,
      `zips/${kept.zipSha256.slice(0, 2)}/${kept.zipSha256}.zip`,
    ].sort());
    assert.deepEqual(await v.readZip(kept.zipSha256), zip);
    for (const f of kept.files!) assert.equal(sha256Hex(await v.readFile(f.sha256)), f.sha256);
  });

  void it('writes every file owner-only (0o600) in owner-only folders', { skip: process.platform === 'win32' }, async () => {
    const v = vault();
    const kept = await v.keep(recordedNoticeZip('comment'));
    assert.equal(statSync(v.pathOf('zips', kept.zipSha256)).mode & 0o777, 0o600);
    for (const f of kept.files!) assert.equal(statSync(v.pathOf('files', f.sha256)).mode & 0o777, 0o600);
    assert.equal(statSync(join(v.root, 'zips')).mode & 0o777, 0o700);
  });

  void it('is idempotent: keeping the same ZIP again rewrites nothing and answers the same', async () => {
    const v = vault();
    const zip = recordedNoticeZip('officialdocument');
    const first = await v.keep(zip);
    const path = v.pathOf('zips', first.zipSha256);
    // a changed mtime would show a rewrite; set it far in the past
    const past = new Date('2020-01-01T00:00:00Z');
    const { utimesSync } = await import('node:fs');
    utimesSync(path, past, past);
    for (const f of first.files!) utimesSync(v.pathOf('files', f.sha256), past, past);
    const again = await v.keep(zip);
    assert.deepEqual(again, first);
    assert.equal(statSync(path).mtimeMs, past.getTime());
    for (const f of first.files!) assert.equal(statSync(v.pathOf('files', f.sha256)).mtimeMs, past.getTime());
    assert.equal(tree(v.root).length, 3, 'no stray temp files');
  });

  void it('stores one copy of a file two ZIPs share (content addressing)', async () => {
    const v = vault();
    const a = await v.keep(craftZip([{ name: 'style.xsl', data: '<xsl:stylesheet/>' }, { name: 'a.xml', data: '<a/>' }]));
    const b = await v.keep(craftZip([{ name: 'スタイル.xsl', data: '<xsl:stylesheet/>' }, { name: 'b.xml', data: '<b/>' }]));
    assert.equal(a.files![0]!.sha256, b.files![0]!.sha256);
    assert.notEqual(a.zipSha256, b.zipSha256);
    assert.equal(tree(join(v.root, 'files')).length, 3);
  });

  void it('repairs a damaged copy when the same bytes are kept again', async () => {
    const v = vault();
    const zip = recordedNoticeZip('officialdocument');
    const kept = await v.keep(zip);
    const path = v.pathOf('zips', kept.zipSha256);
    writeFileSync(path, 'damaged');
    await rejectsWith(v.readZip(kept.zipSha256), 'VAULT_CORRUPT');
    await v.keep(zip);
    assert.deepEqual(await v.readZip(kept.zipSha256), zip);
  });

  void it('keeps a hostile ZIP whole and reports its refusal instead of its files', async () => {
    const v = vault();
    const zip = craftZip([{ name: 'fine.xml', data: '<a/>' }, { name: '../../escape.xml', data: 'pwned' }]);
    const kept = await v.keep(zip);
    assert.equal(kept.files, null);
    assert.equal(kept.refusal?.code, 'NOTICE_ZIP_UNSAFE_NAME');
    assert.match(kept.refusal!.message, /原本のまま保管してあります/);
    assert.deepEqual(await v.readZip(kept.zipSha256), zip);
    assert.deepEqual(tree(v.root), [`zips/${kept.zipSha256.slice(0, 2)}/${kept.zipSha256}.zip`], 'no entry written, nothing outside the vault');
    assert.ok(!existsSync(join(v.root, '..', 'escape.xml')));
  });

  void it('keeps a bomb, a truncated ZIP and bytes that are not a ZIP, each with its refusal', async () => {
    const v = vault();
    const cases: [Buffer, string][] = [
      [zeroBombZip('bomb.xml', 64, 1024 * MiB), 'NOTICE_ZIP_BOMB'],
      [recordedNoticeZip('comment').subarray(0, 100), 'NOTICE_ZIP_CORRUPT'],
      [Buffer.from('not a zip'), 'NOTICE_ZIP_CORRUPT'],
    ];
    for (const [zip, code] of cases) {
      const kept = await v.keep(zip);
      assert.equal(kept.refusal?.code, code);
      assert.deepEqual(await v.readZip(kept.zipSha256), zip);
    }
  });

  void it('applies the limits it was given', async () => {
    const v = new Vault(join(scratchHome('todoke-vault-'), 'vault'), { limits: { maxEntries: 1 } });
    const kept = await v.keep(recordedNoticeZip('officialdocument'));
    assert.equal(kept.refusal?.code, 'NOTICE_ZIP_TOO_LARGE');
  });

  void it('fails with VAULT_IO, saying nothing was confirmed to e-Gov, when the folder cannot be written', async () => {
    const root = join(scratchHome('todoke-vault-'), 'vault');
    mkdirSync(root);
    // a file where the zips folder should be: no write can succeed, whoever runs the test (root included)
    writeFileSync(join(root, 'zips'), 'in the way');
    const v = new Vault(root);
    await assert.rejects(v.keep(recordedNoticeZip('comment')), (e: unknown) => {
      assert.ok(e instanceof VaultError);
      assert.equal(e.code, 'VAULT_IO');
      assert.match(e.messageJa, /次の同期でもう一度取得します/);
      return true;
    });
  });
});

void describe('Vault.readZip / readFile', () => {
  void it('detects a file changed on disk and never returns its bytes', async () => {
    const v = vault();
    const kept = await v.keep(recordedNoticeZip('officialdocument'));
    const file = kept.files![0]!;
    const path = v.pathOf('files', file.sha256);
    const bytes = await v.readFile(file.sha256);
    bytes[10] = bytes[10]! ^ 1;
    writeFileSync(path, bytes);
    await rejectsWith(v.readFile(file.sha256), 'VAULT_CORRUPT');
  });

  void it('reports a missing file as VAULT_MISSING', async () => {
    const v = vault();
    const kept = await v.keep(recordedNoticeZip('comment'));
    unlinkSync(v.pathOf('zips', kept.zipSha256));
    await rejectsWith(v.readZip(kept.zipSha256), 'VAULT_MISSING');
    await rejectsWith(v.readFile('0'.repeat(64)), 'VAULT_MISSING');
  });

  void it('refuses anything but a lowercase SHA-256 hex digest, so a hash is never a path', async () => {
    const v = vault();
    for (const bad of ['../../etc/passwd', '', 'A'.repeat(64), `${'a'.repeat(63)}/`, 'a'.repeat(65), `${'a'.repeat(62)}\u0000a`]) {
      await rejectsWith(v.readFile(bad), 'VAULT_BAD_HASH');
      await rejectsWith(v.readZip(bad), 'VAULT_BAD_HASH');
    }
  });
});

void describe('mediaOf', () => {
  void it('judges by name and first bytes together', () => {
    assert.equal(mediaOf('a.pdf', Buffer.from('%PDF-1.7\n')), 'pdf');
    assert.equal(mediaOf('a.PDF', Buffer.from('%PDF-1.4')), 'pdf');
    assert.equal(mediaOf('a.pdf', Buffer.from('<html>')), 'other', 'a PDF name on other bytes');
    assert.equal(mediaOf('a.xml', Buffer.from('\ufeff  <?xml version="1.0"?><a/>')), 'xml');
    assert.equal(mediaOf('a.xml', Buffer.from('%PDF-1.7')), 'other');
    assert.equal(mediaOf('スタイルシート1.xsl', Buffer.from('<?xml version="1.0"?><xsl:stylesheet/>')), 'xsl');
    assert.equal(mediaOf('a.xslt', Buffer.from('<xsl:stylesheet/>')), 'xsl');
    assert.equal(mediaOf('a.xsl', Buffer.alloc(0)), 'other');
    assert.equal(mediaOf('README', Buffer.from('%PDF-')), 'other', 'no extension: other, whatever the bytes');
    assert.equal(mediaOf('a.txt', Buffer.from('<a/>')), 'other');
  });
});
