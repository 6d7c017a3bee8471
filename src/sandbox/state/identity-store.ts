// Sandbox (Node). SQL for the identity tables: users, which certificates may act for them, and the
// access keys issued to them (stored as hashes). Times are epoch milliseconds of the sandbox clock.
import type { SqliteDatabase } from './sqlite.js';

export interface CertificateRecord {
  /** SHA-256 of the DER, lowercase hex */
  fingerprint: string;
  der: Buffer;
  subject: string;
  serialNumber: string;
  notAfter: string;
}

export interface AccessKeyRow {
  userId: string;
  issuedAt: number;
  expiresAt: number;
}

export class IdentityStore {
  constructor(private readonly db: SqliteDatabase) {}

  /** Runs fn in one IMMEDIATE transaction: checks and writes of one request see no interleaving. */
  transaction<R>(fn: () => R): R {
    return this.db.transaction(fn).immediate();
  }

  userExists(userId: string): boolean {
    return this.db.prepare('SELECT 1 FROM users WHERE user_id = ?').get(userId) !== undefined;
  }

  createUser(userId: string, now: number): void {
    this.db.prepare('INSERT INTO users (user_id, registered_at, last_authenticated_at) VALUES (?, ?, NULL)').run(userId, now);
  }

  lastAuthenticatedAt(userId: string): number | null {
    const row = this.db.prepare('SELECT last_authenticated_at AS t FROM users WHERE user_id = ?').get(userId) as { t: number | null } | undefined;
    return row?.t ?? null;
  }

  setLastAuthenticatedAt(userId: string, now: number): void {
    this.db.prepare('UPDATE users SET last_authenticated_at = ? WHERE user_id = ?').run(now, userId);
  }

  isBound(userId: string, fingerprint: string): boolean {
    return this.db.prepare('SELECT 1 FROM certificate_bindings WHERE user_id = ? AND fingerprint = ?').get(userId, fingerprint) !== undefined;
  }

  bindingCount(userId: string): number {
    const row = this.db.prepare('SELECT count(*) AS n FROM certificate_bindings WHERE user_id = ?').get(userId) as { n: number };
    return row.n;
  }

  bindings(userId: string): CertificateRecord[] {
    const rows = this.db
      .prepare('SELECT fingerprint, der, subject, serial_number AS serialNumber, not_after AS notAfter FROM certificate_bindings WHERE user_id = ? ORDER BY bound_at, fingerprint')
      .all(userId) as CertificateRecord[];
    return rows;
  }

  bind(userId: string, cert: CertificateRecord, now: number): void {
    this.db
      .prepare('INSERT INTO certificate_bindings (user_id, fingerprint, der, subject, serial_number, not_after, bound_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(userId, cert.fingerprint, cert.der, cert.subject, cert.serialNumber, cert.notAfter, now);
  }

  unbind(userId: string, fingerprint: string): void {
    this.db.prepare('DELETE FROM certificate_bindings WHERE user_id = ? AND fingerprint = ?').run(userId, fingerprint);
  }

  insertAccessKey(keyHash: string, userId: string, issuedAt: number, expiresAt: number): void {
    this.db.prepare('INSERT INTO access_keys (key_hash, user_id, issued_at, expires_at) VALUES (?, ?, ?, ?)').run(keyHash, userId, issuedAt, expiresAt);
  }

  findAccessKey(keyHash: string): AccessKeyRow | null {
    const row = this.db
      .prepare('SELECT user_id AS userId, issued_at AS issuedAt, expires_at AS expiresAt FROM access_keys WHERE key_hash = ?')
      .get(keyHash) as AccessKeyRow | undefined;
    return row ?? null;
  }

  /** Expired keys can never be accepted again (the clock only moves forward outside tests). */
  purgeAccessKeysExpiredBefore(cutoff: number): number {
    return this.db.prepare('DELETE FROM access_keys WHERE expires_at <= ?').run(cutoff).changes;
  }

  countAccessKeys(userId: string): number {
    const row = this.db.prepare('SELECT count(*) AS n FROM access_keys WHERE user_id = ?').get(userId) as { n: number };
    return row.n;
  }
}
