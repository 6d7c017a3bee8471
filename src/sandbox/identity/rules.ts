// Sandbox (Node). The identity rules of the five signed APIs (REFERENCE §4.1, §4.2, §4.21–4.23,
// §9), applied to an already verified request. Each operation runs in one transaction: it checks,
// then writes, or fails without writing anything.
//
// What counts as an authentication: login, append, update and delete (SEEN: a delete answered
// LastAuthenticationDate = the time of the preceding append). Registration does not (SEEN: the
// append right after a registration answered an empty LastAuthenticationDate). Every one of them
// answers the PREVIOUS authentication time and then records the current one.
import { failure, type SandboxFailure } from '../messages.js';
import type { CertificateRecord, IdentityStore } from '../state/identity-store.js';
import { hashAccessKey, newAccessKey } from './access-keys.js';

export type Outcome<T> = ({ ok: true } & T) | ({ ok: false } & SandboxFailure);

export interface AuthenticatedOutcome {
  /** epoch ms of the previous authentication, null if there was none */
  previousAuthentication: number | null;
}

const fail = (f: SandboxFailure): { ok: false } & SandboxFailure => ({ ok: false, ...f });

export class IdentityRules {
  constructor(private readonly store: IdentityStore) {}

  register(userId: string, signer: CertificateRecord, now: number): Outcome<object> {
    return this.store.transaction(() => {
      if (this.store.isBound(userId, signer.fingerprint)) return fail(failure('ALREADY_REGISTERED'));
      // [SIM-CHOICE] A UserID already held by another certificate is not handed to a newcomer:
      // certificates are added by the holder through 証明書識別情報追加.
      if (this.store.userExists(userId)) return fail(failure('USER_ID_TAKEN'));
      this.store.createUser(userId, now);
      this.store.bind(userId, signer, now);
      return { ok: true as const };
    });
  }

  login(userId: string, signer: CertificateRecord, now: number, keyTtlMs: number): Outcome<AuthenticatedOutcome & { accessKey: string }> {
    return this.store.transaction(() => {
      if (!this.store.isBound(userId, signer.fingerprint)) return fail(failure('NOT_REGISTERED'));
      const previousAuthentication = this.authenticate(userId, now);
      this.store.purgeAccessKeysExpiredBefore(now);
      const accessKey = newAccessKey();
      this.store.insertAccessKey(hashAccessKey(accessKey), userId, now, now + keyTtlMs);
      return { ok: true as const, accessKey, previousAuthentication };
    });
  }

  append(userId: string, signer: CertificateRecord, added: CertificateRecord, now: number): Outcome<AuthenticatedOutcome> {
    return this.store.transaction(() => {
      if (!this.store.isBound(userId, signer.fingerprint)) return fail(failure('NOT_REGISTERED'));
      if (this.store.isBound(userId, added.fingerprint)) return fail(failure('CERTIFICATE_ALREADY_BOUND'));
      this.store.bind(userId, added, now);
      return { ok: true as const, previousAuthentication: this.authenticate(userId, now) };
    });
  }

  /** `signer` is the NEW certificate; `oldFingerprint` names the registered one it replaces. */
  update(userId: string, signer: CertificateRecord, oldFingerprint: string, now: number): Outcome<AuthenticatedOutcome> {
    return this.store.transaction(() => {
      if (!this.store.userExists(userId) || !this.store.isBound(userId, oldFingerprint)) return fail(failure('OLD_CERTIFICATE_NOT_BOUND'));
      if (signer.fingerprint === oldFingerprint) return fail(failure('SAME_CERTIFICATE'));
      // [SIM-CHOICE] Renewing onto a certificate the user already has is refused rather than
      // silently merged; 証明書識別情報削除 removes the old one in that case.
      if (this.store.isBound(userId, signer.fingerprint)) return fail(failure('CERTIFICATE_ALREADY_BOUND'));
      this.store.unbind(userId, oldFingerprint);
      this.store.bind(userId, signer, now);
      return { ok: true as const, previousAuthentication: this.authenticate(userId, now) };
    });
  }

  delete(userId: string, signer: CertificateRecord, deletedFingerprint: string, now: number): Outcome<AuthenticatedOutcome> {
    return this.store.transaction(() => {
      if (!this.store.isBound(userId, signer.fingerprint)) return fail(failure('NOT_REGISTERED'));
      if (!this.store.isBound(userId, deletedFingerprint)) return fail(failure('DEL_CERTIFICATE_NOT_BOUND'));
      // [SIM-CHOICE] The last certificate stays: without one the UserID could never authenticate
      // again, nor be registered again by anyone. Deleting the signing certificate itself is fine
      // while another remains (the request was signed while it was still registered).
      if (this.store.bindingCount(userId) <= 1) return fail(failure('LAST_CERTIFICATE'));
      this.store.unbind(userId, deletedFingerprint);
      return { ok: true as const, previousAuthentication: this.authenticate(userId, now) };
    });
  }

  /** The user of a live access key, or null for an unknown or expired one. */
  resolveAccessKey(key: string, now: number): string | null {
    const row = this.store.findAccessKey(hashAccessKey(key));
    if (!row || now >= row.expiresAt) return null;
    return row.userId;
  }

  private authenticate(userId: string, now: number): number | null {
    const previous = this.store.lastAuthenticatedAt(userId);
    this.store.setLastAuthenticatedAt(userId, now);
    return previous;
  }
}
