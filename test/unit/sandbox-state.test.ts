// The sandbox's state: its SQLite file (WAL, numbered migrations, refusal of newer or foreign
// files), the identity rules applied directly to the store (no HTTP, no signatures), access keys,
// certificate records and the trust judgement of certificates to be bound.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, describe, it } from 'node:test';
import { createHash } from 'node:crypto';
import { isTodokeError } from '../../src/shared/errors.js';
import { ACCESS_KEY_BYTES, hashAccessKey, newAccessKey } from '../../src/sandbox/identity/access-keys.js';
import { certificateRecord, parseDerCertificate } from '../../src/sandbox/identity/certificates.js';
import { IdentityRules } from '../../src/sandbox/identity/rules.js';
import { judgeTrust } from '../../src/sandbox/identity/trust.js';
import { issueCertificate } from '../../src/sandbox/pki/issue.js';
import { DATABASE_FILE, openSandboxDatabase } from '../../src/sandbox/state/db.js';
import { IdentityStore, type CertificateRecord } from '../../src/sandbox/state/identity-store.js';
import { MIGRATIONS } from '../../src/sandbox/state/migrations.js';
import { openSqlite, type SqliteDatabase } from '../../src/sandbox/state/sqlite.js';

const root = mkdtempSync(join(tmpdir(), 'todoke-sandbox-state-'));
after(() => rmSync(root, { recursive: true, force: true }));
const fresh = () => mkdtempSync(join(root, 'db-'));

function cert(name: string): CertificateRecord {
  const der = Buffer.from(`certificate of ${name}`);
  return { fingerprint: createHash('sha256').update(der).digest('hex'), der, subject: `CN=${name}`, serialNumber: '01', notAfter: '2030-01-01T00:00:00.000Z' };
}

void describe('sandbox database', () => {
  void it('is created in WAL mode with every migration applied, and reopening applies nothing twice', () => {
    const d = fresh();
    const db = openSandboxDatabase(d);
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.at(-1)!.version);
    assert.deepEqual(MIGRATIONS.map((m) => m.version), MIGRATIONS.map((_, i) => i + 1), 'numbered 1..n without gaps');
    new IdentityStore(db).createUser('u1', 1);
    db.close();
    const again = openSandboxDatabase(d);
    assert.equal((again.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n, 1);
    again.close();
  });

  void it('refuses a file made by a newer sandbox', () => {
    const d = fresh();
    const raw = openSqlite(join(d, DATABASE_FILE));
    raw.pragma('user_version = 99');
    raw.close();
    assert.throws(() => openSandboxDatabase(d), (e: unknown) => isTodokeError(e, 'SANDBOX_DATABASE_NEWER') && /新しい版/.test((e as { messageJa: string }).messageJa));
  });

  void it('refuses a file that is not SQLite (garbage, truncated header)', () => {
    for (const content of [Buffer.from('this is not a database, but it is long enough to have a header region of 100 bytes .............'), Buffer.from('SQLite format 3\u0000')]) {
      const d = fresh();
      writeFileSync(join(d, DATABASE_FILE), content);
      assert.throws(() => openSandboxDatabase(d), (e: unknown) => isTodokeError(e, 'SANDBOX_DATABASE'));
    }
  });

  void it('a failing migration step leaves the database at the previous step', () => {
    const d = fresh();
    const broken = [...MIGRATIONS, { version: MIGRATIONS.length + 1, name: 'broken', sql: 'CREATE TABLE half (x INTEGER); THIS IS NOT SQL;' }];
    assert.throws(() => openSandboxDatabase(d, broken), (e: unknown) => isTodokeError(e, 'SANDBOX_DATABASE'));
    const db = openSandboxDatabase(d);
    assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length);
    assert.equal(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'half'").get() !== undefined, true);
    assert.equal((db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'half'").get() as { n: number }).n, 0);
    db.close();
  });
});

void describe('identity rules', () => {
  let db: SqliteDatabase;
  let rules: IdentityRules;
  let store: IdentityStore;
  const a = cert('a');
  const b = cert('b');
  const c = cert('c');
  const HOUR = 3_600_000;

  beforeEach(() => {
    db?.close();
    db = openSandboxDatabase(fresh());
    store = new IdentityStore(db);
    rules = new IdentityRules(store);
  });
  after(() => db?.close());

  void it('register binds the pair; the same pair again → ALREADY_REGISTERED; the user id with another certificate → USER_ID_TAKEN', () => {
    assert.deepEqual(rules.register('u', a, 0), { ok: true });
    assert.deepEqual(rules.register('u', a, 1), { ok: false, kind: 'ALREADY_REGISTERED' });
    assert.deepEqual(rules.register('u', b, 1), { ok: false, kind: 'USER_ID_TAKEN' });
    assert.deepEqual(rules.register('v', a, 1), { ok: true });
    assert.equal(store.lastAuthenticatedAt('u'), null, 'registration is not an authentication');
  });

  void it('login: previous authentication, a key per login, each valid until its own expiry; expired keys are purged at the next login', () => {
    rules.register('u', a, 0);
    const first = rules.login('u', a, 1000, HOUR);
    assert.ok(first.ok);
    assert.equal(first.previousAuthentication, null);
    const second = rules.login('u', a, 2000, HOUR);
    assert.ok(second.ok);
    assert.equal(second.previousAuthentication, 1000);
    assert.equal(rules.resolveAccessKey(first.accessKey, 1000 + HOUR - 1), 'u');
    assert.equal(rules.resolveAccessKey(first.accessKey, 1000 + HOUR), null);
    assert.equal(rules.resolveAccessKey(second.accessKey, 1000 + HOUR), 'u');
    assert.equal(store.countAccessKeys('u'), 2);
    assert.ok(rules.login('u', a, 2000 + HOUR, HOUR).ok);
    assert.equal(store.countAccessKeys('u'), 1, 'both earlier keys had expired');
    assert.deepEqual(rules.login('u', b, 3000, HOUR), { ok: false, kind: 'NOT_REGISTERED' });
    assert.deepEqual(rules.login('nobody', a, 3000, HOUR), { ok: false, kind: 'NOT_REGISTERED' });
    assert.equal(rules.resolveAccessKey('', 0), null);
  });

  void it('append, update and delete count as authentications and answer the previous one', () => {
    rules.register('u', a, 0);
    assert.deepEqual(rules.append('u', a, b, 10), { ok: true, previousAuthentication: null });
    assert.deepEqual(rules.delete('u', b, a.fingerprint, 20), { ok: true, previousAuthentication: 10 });
    assert.deepEqual(rules.update('u', c, b.fingerprint, 30), { ok: true, previousAuthentication: 20 });
    assert.equal(store.lastAuthenticatedAt('u'), 30);
    assert.deepEqual(store.bindings('u').map((r) => r.subject), ['CN=c']);
  });

  void it('failures change nothing', () => {
    rules.register('u', a, 0);
    const snapshot = () => JSON.stringify([store.bindings('u').map((r) => r.fingerprint), store.lastAuthenticatedAt('u')]);
    const before = snapshot();
    assert.deepEqual(rules.append('u', b, c, 1), { ok: false, kind: 'NOT_REGISTERED' });
    assert.deepEqual(rules.append('u', a, a, 1), { ok: false, kind: 'CERTIFICATE_ALREADY_BOUND' });
    assert.deepEqual(rules.update('u', b, c.fingerprint, 1), { ok: false, kind: 'OLD_CERTIFICATE_NOT_BOUND' });
    assert.deepEqual(rules.update('x', b, a.fingerprint, 1), { ok: false, kind: 'OLD_CERTIFICATE_NOT_BOUND' });
    assert.deepEqual(rules.update('u', a, a.fingerprint, 1), { ok: false, kind: 'SAME_CERTIFICATE' });
    assert.deepEqual(rules.delete('u', a, a.fingerprint, 1), { ok: false, kind: 'LAST_CERTIFICATE' });
    assert.deepEqual(rules.delete('u', a, b.fingerprint, 1), { ok: false, kind: 'DEL_CERTIFICATE_NOT_BOUND' });
    assert.deepEqual(rules.delete('u', b, a.fingerprint, 1), { ok: false, kind: 'NOT_REGISTERED' });
    assert.equal(snapshot(), before);
    rules.append('u', a, b, 2);
    assert.deepEqual(rules.update('u', b, a.fingerprint, 3), { ok: false, kind: 'CERTIFICATE_ALREADY_BOUND' });
  });

  void it('deleting a user id cascades nothing it should not: another user keeps the shared certificate', () => {
    rules.register('u', a, 0);
    rules.register('v', a, 0);
    rules.append('u', a, b, 1);
    rules.delete('u', b, a.fingerprint, 2);
    assert.ok(store.isBound('v', a.fingerprint));
    assert.ok(!store.isBound('u', a.fingerprint));
  });
});

void describe('access keys and certificate records', () => {
  void it('keys are 256 base64 characters of 192 random bytes; only their SHA-256 is kept', () => {
    const keys = new Set(Array.from({ length: 50 }, newAccessKey));
    assert.equal(keys.size, 50);
    for (const k of keys) {
      assert.match(k, /^[A-Za-z0-9+/]{256}$/);
      assert.equal(Buffer.from(k, 'base64').length, ACCESS_KEY_BYTES);
    }
    const k = [...keys][0]!;
    assert.equal(hashAccessKey(k), createHash('sha256').update(k).digest('hex'));
    assert.notEqual(hashAccessKey(k), hashAccessKey(` ${k}`));
  });

  void it('a certificate is known by the SHA-256 of its DER; DER with trailing bytes or garbage is not a certificate', () => {
    const issued = issueCertificate({ subject: { commonName: 'Record' }, ca: false, notBefore: new Date('2025-01-01'), notAfter: new Date('2026-01-01') });
    const record = certificateRecord(issued.certificate);
    assert.equal(record.fingerprint, createHash('sha256').update(issued.certificate.raw).digest('hex'));
    assert.equal(record.subject, 'CN=Record');
    assert.ok(parseDerCertificate(issued.certificate.raw));
    assert.equal(parseDerCertificate(Buffer.concat([issued.certificate.raw, Buffer.from([0])])), null);
    assert.equal(parseDerCertificate(Buffer.from('nope')), null);
    assert.equal(parseDerCertificate(issued.certificate.raw.subarray(0, 100)), null);
  });
});

void describe('judgeTrust', () => {
  const at = new Date('2026-06-01T00:00:00Z');
  const ca = issueCertificate({ subject: { commonName: 'Root' }, ca: true, notBefore: new Date('2020-01-01'), notAfter: new Date('2040-01-01') });
  const sub = issueCertificate({ subject: { commonName: 'Sub' }, issuer: ca, ca: true, notBefore: new Date('2020-01-01'), notAfter: new Date('2039-01-01') });
  const ee = issueCertificate({ subject: { commonName: 'EE' }, issuer: ca, ca: false, notBefore: new Date('2025-01-01'), notAfter: new Date('2030-01-01') });
  const underSub = issueCertificate({ subject: { commonName: 'Under Sub' }, issuer: sub, ca: false, notBefore: new Date('2025-01-01'), notAfter: new Date('2030-01-01') });
  const byEe = issueCertificate({ subject: { commonName: 'Issued by EE' }, issuer: ee, ca: false, notBefore: new Date('2025-01-01'), notAfter: new Date('2030-01-01') });
  const expiredCa = issueCertificate({ subject: { commonName: 'Old Root' }, ca: true, notBefore: new Date('2010-01-01'), notAfter: new Date('2020-01-01') });
  const underExpired = issueCertificate({ subject: { commonName: 'Under Old' }, issuer: expiredCa, ca: false, notBefore: new Date('2025-01-01'), notAfter: new Date('2030-01-01') });

  void it('trusts a certificate issued by an anchor, through an anchored intermediate, or that is itself an anchor', () => {
    assert.deepEqual(judgeTrust(ee.certificate, [ca.certificate], at), { trusted: true });
    assert.deepEqual(judgeTrust(underSub.certificate, [ca.certificate, sub.certificate], at), { trusted: true });
    assert.deepEqual(judgeTrust(ee.certificate, [ee.certificate], at), { trusted: true });
  });

  void it('refuses an unknown issuer, an issuer without the CA flag, an expired link and a certificate out of its validity', () => {
    assert.equal(judgeTrust(underSub.certificate, [ca.certificate], at).trusted, false);
    assert.equal(judgeTrust(byEe.certificate, [ee.certificate], at).trusted, false);
    assert.equal(judgeTrust(underExpired.certificate, [expiredCa.certificate], at).trusted, false);
    assert.equal(judgeTrust(ee.certificate, [ca.certificate], new Date('2031-01-01')).trusted, false);
    assert.equal(judgeTrust(ee.certificate, [], at).trusted, false);
  });
});
