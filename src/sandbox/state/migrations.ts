// Sandbox (Node). The sandbox database's schema, one numbered step per change. A step is never
// edited once released; a new one is appended. PRAGMA user_version records the last step applied.

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'identity: users, certificate bindings, access keys',
    sql: `
      CREATE TABLE users (
        user_id TEXT PRIMARY KEY,
        registered_at INTEGER NOT NULL,
        -- epoch ms of the latest successful authentication (login, append, update, delete); NULL = never
        last_authenticated_at INTEGER
      ) STRICT;

      CREATE TABLE certificate_bindings (
        user_id TEXT NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
        -- SHA-256 of the certificate's DER, lowercase hex
        fingerprint TEXT NOT NULL,
        der BLOB NOT NULL,
        subject TEXT NOT NULL,
        serial_number TEXT NOT NULL,
        not_after TEXT NOT NULL,
        bound_at INTEGER NOT NULL,
        PRIMARY KEY (user_id, fingerprint)
      ) STRICT;

      CREATE TABLE access_keys (
        -- SHA-256 of the key exactly as issued, lowercase hex; the key itself is never stored
        key_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
        issued_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      ) STRICT;

      CREATE INDEX access_keys_by_user ON access_keys(user_id);
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
