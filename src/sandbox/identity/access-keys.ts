// Sandbox (Node). Access keys as e-Gov issued them in 2015: 192 random bytes in base64, i.e. 256
// characters on one line (REFERENCE §2.7). Only a SHA-256 of each key is stored, so the database
// file alone does not let anyone act as a user.
import { createHash, randomBytes } from 'node:crypto';

export const ACCESS_KEY_BYTES = 192;

export function newAccessKey(): string {
  return randomBytes(ACCESS_KEY_BYTES).toString('base64');
}

export function hashAccessKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
