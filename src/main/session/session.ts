// Main process (core). The one e-Gov session of a 利用者ID, shared by every feature: the access key,
// logging in, and logging in again when e-Gov refuses the key. One login at a time: a login under
// way is joined, not repeated, and calls and snapshots wait for it, so nobody reads a key that is
// being replaced. A call is sent again after a new login only when e-Gov refused the key itself
// (nothing was accepted); every other failure, above all one whose delivery is unknown, goes back to
// the caller unchanged — for 一括申請 and 取下げ the outbox decides what happens next, never the session.
import type { X509Certificate } from 'node:crypto';
import { USER_ID_PATTERN } from '../../shared/contract.js';
import { PRINTABLE_ASCII } from '../../shared/text.js';
import type { Signer } from '../signing/signer.js';
import type { EgovGateway } from './gateway.js';
import { SessionError } from './errors.js';

export interface AccessKeyRecord {
  accessKey: string;
  obtainedAt: Date;
  /** LastAuthenticationDate of the login that gave this key ('' when unknown) */
  lastAuthenticationDate: string;
}

export interface SessionOptions {
  gateway: EgovGateway;
  userId: string;
  /**
   * Called for every login. The session owns the signer it gets and closes it when that login
   * ends, so a PKCS#11 token is logged out again and its PIN is asked at the next login.
   */
  signerProvider: () => Promise<Signer>;
  /** a key kept from an earlier run (e.g. in safeStorage); used until e-Gov refuses it */
  restoredKey?: AccessKeyRecord;
  /** told about every new or dropped key, to keep a stored copy current */
  onKeyChange?: (key: AccessKeyRecord | null) => void;
  now?: () => Date;
}

export interface SessionState {
  userId: string;
  hasKey: boolean;
  keyObtainedAt: Date | null;
  /** from the most recent successful login: the server's previous-authentication time, verbatim */
  lastAuthenticationDate: string | null;
  lastAuthenticatedAt: Date | null;
}

/** What one login gave: the state after it and the certificate it signed with. */
export interface LoginRecord {
  state: SessionState;
  /** e-Gov accepted this certificate for the ID (a file replaced in place may hold a newer one) */
  certificate: X509Certificate;
}

export class EgovSession {
  readonly userId: string;
  readonly #gateway: EgovGateway;
  readonly #signerProvider: () => Promise<Signer>;
  readonly #onKeyChange: ((key: AccessKeyRecord | null) => void) | undefined;
  readonly #now: () => Date;
  #key: AccessKeyRecord | null = null;
  #lastLogin: { lastAuthenticationDate: string; lastAuthenticatedAt: Date | null } | null = null;
  #loginInFlight: Promise<{ key: AccessKeyRecord; certificate: X509Certificate }> | null = null;

  constructor(options: SessionOptions) {
    if (!USER_ID_PATTERN.test(options.userId)) {
      throw new SessionError('SESSION_INVALID_USER_ID', { ja: '利用者IDの形式が正しくありません。利用者の設定を確認してください。', en: 'the user ID is not 1-64 printable ASCII characters' });
    }
    this.userId = options.userId;
    this.#gateway = options.gateway;
    this.#signerProvider = options.signerProvider;
    this.#onKeyChange = options.onKeyChange;
    this.#now = options.now ?? (() => new Date());
    if (options.restoredKey) {
      if (!PRINTABLE_ASCII.test(options.restoredKey.accessKey)) {
        throw new SessionError('SESSION_STORED_KEY_CORRUPT', { ja: '保存されていたアクセスキーが壊れています。ログインし直してください。', en: 'restored access key is not printable ASCII' });
      }
      this.#key = { ...options.restoredKey };
    }
  }

  /** The state once any login under way has ended. */
  async snapshot(): Promise<SessionState> {
    await this.#settled();
    return this.#state();
  }

  /** Logs in now (joining a login already under way). A failure leaves the current key in place. */
  async login(): Promise<LoginRecord> {
    const { certificate } = await this.#sharedLogin();
    return { state: this.#state(), certificate };
  }

  /** Drops the key here (e-Gov v1 has no logout call), once any login under way has ended. */
  async forgetKey(): Promise<void> {
    await this.#settled();
    if (!this.#key) return;
    this.#key = null;
    this.#notify(null);
  }

  /**
   * Runs `call` with the access key, logging in first when there is none. When e-Gov refuses the
   * key, logs in again (once, shared with whoever met the same refusal) and runs `call` once more.
   */
  async withAccessKey<T>(call: (accessKey: string) => Promise<T>): Promise<T> {
    await this.#settled();
    let key = this.#key;
    const fresh = key === null;
    if (!key) key = (await this.#sharedLogin()).key;
    try {
      return await call(key.accessKey);
    } catch (e) {
      if (!this.#gateway.isCredentialRefusal(e)) throw e;
      this.#dropIfCurrent(key);
      // a key obtained for this very call and refused at once: another login would not help
      if (fresh) throw this.#gateway.refusedAfterLogin(e);
    }
    await this.#settled();
    const next = this.#key ?? (await this.#sharedLogin()).key;
    try {
      return await call(next.accessKey);
    } catch (e) {
      if (!this.#gateway.isCredentialRefusal(e)) throw e;
      this.#dropIfCurrent(next);
      throw this.#gateway.refusedAfterLogin(e);
    }
  }

  #state(): SessionState {
    return {
      userId: this.userId,
      hasKey: this.#key !== null,
      keyObtainedAt: this.#key?.obtainedAt ?? null,
      lastAuthenticationDate: this.#lastLogin?.lastAuthenticationDate ?? null,
      lastAuthenticatedAt: this.#lastLogin?.lastAuthenticatedAt ?? null,
    };
  }

  async #settled(): Promise<void> {
    while (this.#loginInFlight) await this.#loginInFlight.catch(() => undefined);
  }

  #sharedLogin(): Promise<{ key: AccessKeyRecord; certificate: X509Certificate }> {
    this.#loginInFlight ??= this.#performLogin().finally(() => {
      this.#loginInFlight = null;
    });
    return this.#loginInFlight;
  }

  async #performLogin(): Promise<{ key: AccessKeyRecord; certificate: X509Certificate }> {
    const signer = await this.#signerProvider();
    let outcome;
    const certificate = signer.certificate;
    try {
      outcome = await this.#gateway.login(signer, this.userId);
    } finally {
      await signer.close().catch(() => undefined);
    }
    const key: AccessKeyRecord = { accessKey: outcome.accessKey, obtainedAt: this.#now(), lastAuthenticationDate: outcome.lastAuthenticationDate };
    this.#key = key;
    this.#lastLogin = { lastAuthenticationDate: outcome.lastAuthenticationDate, lastAuthenticatedAt: outcome.lastAuthenticatedAt };
    this.#notify(key);
    return { key, certificate };
  }

  #dropIfCurrent(key: AccessKeyRecord): void {
    if (this.#key !== key) return;
    this.#key = null;
    this.#notify(null);
  }

  #notify(key: AccessKeyRecord | null): void {
    try {
      this.#onKeyChange?.(key ? { ...key } : null);
    } catch {
      // a failing store must not leave the session half-updated; the key in memory stays valid
    }
  }
}
