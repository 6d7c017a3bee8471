// Test support (Node). A real AES-256-GCM string cipher with a fresh random key, in the shape of
// Electron safeStorage's encryptString / decryptString: it plays the OS keychain, which these
// machines do not have, wherever a Sealer is tested.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export function aesStringCipher(): { encryptString(text: string): Buffer; decryptString(sealed: Buffer): string } {
  const key = randomBytes(32);
  return {
    encryptString(text) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(text, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    decryptString(sealed) {
      const d = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
      d.setAuthTag(sealed.subarray(12, 28));
      return Buffer.concat([d.update(sealed.subarray(28)), d.final()]).toString('utf8');
    },
  };
}
