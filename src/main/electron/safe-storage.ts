// Main process (Electron). safeStorage as the core's Sealer. On Linux, getSelectedStorageBackend()
// says 'basic_text' when no keyring is reachable: the "encryption" then uses a hard-coded key, so
// the core's SealedSecretStore refuses to persist (sealerIsSafe) and keeps the key in memory only.
import type { SafeStorage } from 'electron';
import type { Sealer } from '../profiles/secret-store.js';

export function safeStorageSealer(safeStorage: SafeStorage, platform: NodeJS.Platform = process.platform): Sealer {
  return {
    isEncryptionAvailable: () => safeStorage.isEncryptionAvailable(),
    ...(platform === 'linux' ? { backend: () => safeStorage.getSelectedStorageBackend() } : {}),
    encryptString: (text) => safeStorage.encryptString(text),
    decryptString: (sealed) => safeStorage.decryptString(sealed),
  };
}
