// Unit: where the access key is kept. The CLI's owner-only file; the desktop app's sealed file,
// which refuses to persist when the OS offers only a plaintext backend (Electron's 'basic_text').
// The Sealer here is a real AES-256-GCM cipher (test/support/aes-cipher.ts) standing in for the OS keychain, which this
// machine does not have; Electron's adapter itself is src/main/electron/safe-storage.ts.
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { FileSecretStore, SealedSecretStore, sealerIsSafe, type Sealer } from '../../../src/main/profiles/secret-store.js';
import { aesStringCipher } from '../../support/aes-cipher.js';
import { scratchHome } from '../../support/home.js';

function aesSealer(backend?: string, available = true): Sealer {
  return { ...aesStringCipher(), isEncryptionAvailable: () => available, ...(backend === undefined ? {} : { backend: () => backend }) };
}

void describe('FileSecretStore (CLI)', () => {
  void test('keeps secrets in an owner-only file in an owner-only folder', async () => {
    const dir = join(scratchHome(), 'profiles', 'default');
    const store = new FileSecretStore(dir);
    assert.equal(await store.read('accessKey'), null);
    await store.write('accessKey', 'KEY1');
    await store.write('basicAuthPassword', 'pw');
    assert.equal(await store.read('accessKey'), 'KEY1');
    assert.equal(statSync(join(dir, 'secrets.json')).mode & 0o777, 0o600);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    await store.delete('accessKey');
    assert.equal(await store.read('accessKey'), null);
    assert.equal(await store.read('basicAuthPassword'), 'pw');
  });

  void test('concurrent writes do not lose each other', async () => {
    const store = new FileSecretStore(join(scratchHome(), 'p'));
    await Promise.all([store.write('accessKey', 'A'), store.write('basicAuthPassword', 'B')]);
    assert.equal(await store.read('accessKey'), 'A');
    assert.equal(await store.read('basicAuthPassword'), 'B');
  });

  void test('corrupt, hostile and huge files are refused with SECRET_CORRUPT', async () => {
    const dir = scratchHome();
    const store = new FileSecretStore(dir);
    for (const bad of ['{', '[1]', '{"accessKey": 5}', 'null', 'x'.repeat(70 * 1024)]) {
      writeFileSync(join(dir, 'secrets.json'), bad);
      await assert.rejects(store.read('accessKey'), { code: 'SECRET_CORRUPT' });
    }
    // a write replaces a corrupt file rather than failing forever
    await store.write('accessKey', 'fresh');
    assert.equal(await store.read('accessKey'), 'fresh');
  });
});

void describe('SealedSecretStore (desktop app, safeStorage)', () => {
  void test('writes only sealed bytes and reads them back', async () => {
    const dir = scratchHome();
    const sealer = aesSealer('gnome_libsecret');
    const store = new SealedSecretStore(dir, sealer);
    assert.equal(store.canPersist, true);
    await store.write('accessKey', 'SECRET-ACCESS-KEY');
    const raw = readFileSync(join(dir, 'secrets.sealed'));
    assert.equal(raw.includes(Buffer.from('SECRET-ACCESS-KEY')), false);
    assert.equal(statSync(join(dir, 'secrets.sealed')).mode & 0o777, 0o600);
    assert.equal(await new SealedSecretStore(dir, sealer).read('accessKey'), 'SECRET-ACCESS-KEY');
  });

  void test('refuses to persist with a plaintext backend or without encryption', async () => {
    for (const sealer of [aesSealer('basic_text'), aesSealer('unknown'), aesSealer(undefined, false)]) {
      assert.equal(sealerIsSafe(sealer), false);
      const dir = scratchHome();
      const store = new SealedSecretStore(dir, sealer);
      assert.equal(store.canPersist, false);
      await assert.rejects(store.write('accessKey', 'K'), (e: { code?: string; messageJa?: string }) => e.code === 'SECRET_STORE_UNAVAILABLE' && /安全に保存/.test(e.messageJa ?? ''));
      assert.equal(await store.read('accessKey'), null);
    }
    assert.equal(sealerIsSafe(aesSealer()), true, 'Windows/macOS report no backend name');
  });

  void test('a file sealed with another key (another user, a reset keychain) is SECRET_CORRUPT', async () => {
    const dir = scratchHome();
    await new SealedSecretStore(dir, aesSealer('kwallet5')).write('accessKey', 'K');
    await assert.rejects(new SealedSecretStore(dir, aesSealer('kwallet5')).read('accessKey'), { code: 'SECRET_CORRUPT' });
  });
});
