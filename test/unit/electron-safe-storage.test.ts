// Unit: the Electron adapter from safeStorage to the core's Sealer. Electron cannot run here, so
// safeStorage is played by an object with its exact method names and types (checked by tsc against
// electron.d.ts) over a real AES-256-GCM cipher; what is tested is the adapter's decision, per
// platform, of when a backend is only obfuscation and must not receive the access key.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SafeStorage } from 'electron';
import { safeStorageSealer } from '../../src/main/electron/safe-storage.js';
import { SealedSecretStore, sealerIsSafe } from '../../src/main/profiles/secret-store.js';
import { aesStringCipher } from '../support/aes-cipher.js';
import { scratchHome } from '../support/home.js';

type Backend = ReturnType<SafeStorage['getSelectedStorageBackend']>;

function safeStorageLike(backend: Backend, available = true): SafeStorage {
  const impl: Pick<SafeStorage, 'isEncryptionAvailable' | 'getSelectedStorageBackend' | 'encryptString' | 'decryptString'> = {
    ...aesStringCipher(),
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
  };
  return impl as SafeStorage;
}

void describe('safeStorageSealer', () => {
  void test('Linux: a keyring backend persists, basic_text and unknown do not', async () => {
    for (const backend of ['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6'] as const) {
      assert.equal(sealerIsSafe(safeStorageSealer(safeStorageLike(backend), 'linux')), true, backend);
    }
    for (const backend of ['basic_text', 'unknown'] as const) {
      const store = new SealedSecretStore(scratchHome(), safeStorageSealer(safeStorageLike(backend), 'linux'));
      assert.equal(store.canPersist, false, backend);
      await assert.rejects(store.write('accessKey', 'K'), { code: 'SECRET_STORE_UNAVAILABLE' });
    }
  });

  void test('Windows and macOS: DPAPI / Keychain, judged by isEncryptionAvailable alone', async () => {
    for (const platform of ['win32', 'darwin'] as const) {
      // getSelectedStorageBackend is Linux-only; its answer must not be consulted elsewhere
      const store = new SealedSecretStore(scratchHome(), safeStorageSealer(safeStorageLike('basic_text'), platform));
      assert.equal(store.canPersist, true, platform);
      await store.write('accessKey', 'KEY');
      assert.equal(await store.read('accessKey'), 'KEY');
      assert.equal(sealerIsSafe(safeStorageSealer(safeStorageLike('unknown', false), platform)), false);
    }
  });
});
