// Main process. One 利用者ID's access key and the /access/ calls made with it. When e-Gov turns a key
// down, the session logs in again once (asking for a signer again, so a token's PIN is asked again)
// and retries once; callers that hit the same refusal at the same time share that one login.
import type { Signer } from '../signing/signer.js';
import { login, type LoginResult } from './authentication.js';
import { assertUserId } from './authentication-codec.js';
import { authFailed, invalidArgument, isEgovError } from './errors.js';
import type { EgovCaller, HttpMethod } from './http.js';
import type { EgovReply } from './reply.js';

export interface AccessKeyRecord {
  accessKey: string;
  obtainedAt: Date;
  /** LastAuthenticationDate of the login that gave this key ('' when unknown) */
  lastAuthenticationDate: string;
}

export interface SessionOptions {
  client: EgovCaller;
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

export interface AccessOptions {
  /** element names to read as lists even when they occur once */
  arrayElements?: readonly string[];
}

// e-Gov's answer to a bad or expired key was never recorded (REFERENCE §4.2). SIM-CHOICE: HTTP 401,
// or Code 1 with a message about the access key or authentication.
const ACCESS_KEY_MESSAGE = /アクセスキー|access\s*key|再認証|認証(?:に|が)?(?:失敗|できません|されていません)|有効期限が切れ|ログイン/i;

export function isAccessKeyRejection(e: unknown): boolean {
  if (isEgovError(e, 'EGOV_AUTH_FAILED')) return true;
  return isEgovError(e, 'EGOV_API_ERROR') && ACCESS_KEY_MESSAGE.test(e.serverMessage ?? '');
}

export class EgovSession {
  readonly userId: string;
  readonly #client: EgovCaller;
  readonly #signerProvider: () => Promise<Signer>;
  readonly #onKeyChange: ((key: AccessKeyRecord | null) => void) | undefined;
  readonly #now: () => Date;
  #key: AccessKeyRecord | null = null;
  #lastLogin: Pick<LoginResult, 'lastAuthenticationDate' | 'lastAuthenticatedAt'> | null = null;
  #loginInFlight: Promise<AccessKeyRecord> | null = null;

  constructor(options: SessionOptions) {
    assertUserId(options.userId);
    this.userId = options.userId;
    this.#client = options.client;
    this.#signerProvider = options.signerProvider;
    this.#onKeyChange = options.onKeyChange;
    this.#now = options.now ?? (() => new Date());
    if (options.restoredKey) {
      if (!/^[\x21-\x7e]+$/.test(options.restoredKey.accessKey)) {
        throw invalidArgument('保存されていたアクセスキーが壊れています。ログインし直してください', 'restored access key is not printable ASCII');
      }
      this.#key = { ...options.restoredKey };
    }
  }

  get state(): SessionState {
    return {
      userId: this.userId,
      hasKey: this.#key !== null,
      keyObtainedAt: this.#key?.obtainedAt ?? null,
      lastAuthenticationDate: this.#lastLogin?.lastAuthenticationDate ?? null,
      lastAuthenticatedAt: this.#lastLogin?.lastAuthenticatedAt ?? null,
    };
  }

  /** Logs in now (joining a login already under way). A failure leaves the current key in place. */
  async login(): Promise<SessionState> {
    await this.#sharedLogin();
    return this.state;
  }

  /** Drops the key here (e-Gov v1 has no logout call). */
  forgetKey(): void {
    if (!this.#key) return;
    this.#key = null;
    this.#notify(null);
  }

  /**
   * An /access/ API call: `path` is what follows `/shinsei/1/access/`, e.g. `reference/9002015000243941`
   * or `apply;id=201504281145005643`. Logs in first when there is no key.
   */
  async access(method: HttpMethod, path: string, body?: string, options: AccessOptions = {}): Promise<EgovReply> {
    let key = this.#key;
    const fresh = key === null;
    if (!key) key = await this.#sharedLogin();
    try {
      return await this.#send(method, path, body, options, key);
    } catch (e) {
      if (!isAccessKeyRejection(e)) throw e;
      this.#dropIfCurrent(key);
      // a key obtained for this very call and refused at once: another login would not help
      if (fresh) throw rejectedAfterLogin(e);
    }
    const next = this.#key ?? (await this.#sharedLogin());
    try {
      return await this.#send(method, path, body, options, next);
    } catch (e) {
      if (!isAccessKeyRejection(e)) throw e;
      this.#dropIfCurrent(next);
      throw rejectedAfterLogin(e);
    }
  }

  #send(method: HttpMethod, path: string, body: string | undefined, options: AccessOptions, key: AccessKeyRecord): Promise<EgovReply> {
    const request = { method, path: `access/${path}`, accessKey: key.accessKey, arrayElements: options.arrayElements ?? [] };
    return this.#client.call(body === undefined ? request : { ...request, body });
  }

  #sharedLogin(): Promise<AccessKeyRecord> {
    this.#loginInFlight ??= this.#performLogin().finally(() => {
      this.#loginInFlight = null;
    });
    return this.#loginInFlight;
  }

  async #performLogin(): Promise<AccessKeyRecord> {
    const signer = await this.#signerProvider();
    let result: LoginResult;
    try {
      result = await login(this.#client, signer, { userId: this.userId });
    } finally {
      await signer.close().catch(() => undefined);
    }
    const record: AccessKeyRecord = { accessKey: result.accessKey, obtainedAt: this.#now(), lastAuthenticationDate: result.lastAuthenticationDate };
    this.#key = record;
    this.#lastLogin = { lastAuthenticationDate: result.lastAuthenticationDate, lastAuthenticatedAt: result.lastAuthenticatedAt };
    this.#notify(record);
    return record;
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

function rejectedAfterLogin(e: unknown): Error {
  if (!isEgovError(e)) return e as Error;
  return authFailed(e.status ?? 401, e.serverMessage, true);
}
