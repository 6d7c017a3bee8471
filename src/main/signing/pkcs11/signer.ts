// Main process. A Signer over a key on a PKCS#11 token (IC card, HSM). Opening needs no PIN: the
// certificate is public. The PIN is asked for lazily at the first sign(), through the caller's
// PinProvider, and goes straight into C_Login: it is never kept on this object, logged, or put in
// an error. Calls on one signer are serialized (a PKCS#11 session is not re-entrant).
import type { X509Certificate } from 'node:crypto';
import pkcs11js from 'pkcs11js';
import type { PKCS11 } from 'pkcs11js';
import { isTodokeError, type TodokeError } from '../../../shared/errors.js';
import { SigningError } from '../errors.js';
import type { Signer } from '../signer.js';
import { ckrName, mapPkcs11Error, tokenRemovedError, type Pkcs11Operation } from './errors.js';
import { chooseMechanism, mechanismCode, signInput, type MechanismPreference, type SigningMechanism } from './mechanism.js';
import { acquireModule, type ModuleLease } from './module.js';
import { chooseCertificate, findPrivateKey, readCertificates, type TokenCertificateObject } from './objects.js';
import { pinRequest, tokenFlags, type PinProvider } from './pin.js';
import { readTokens, selectToken, slotHandle, type TokenInfo, type TokenSelector } from './tokens.js';

// CK_STATE values (PKCS#11 2.40 section 5.7); pkcs11js does not export them
const CKS_RO_USER_FUNCTIONS = 1;
const CKS_RW_USER_FUNCTIONS = 3;

export interface Pkcs11SignerOptions {
  modulePath: string;
  token: TokenSelector;
  /** hex CKA_ID of the certificate; needed only when the token holds several signing certificates */
  certId?: string;
  pinProvider: PinProvider;
  mechanism?: MechanismPreference;
}

export async function openPkcs11Signer(options: Pkcs11SignerOptions): Promise<Pkcs11Signer> {
  const lease = acquireModule(options.modulePath);
  let session: Buffer | null = null;
  try {
    const token = selectToken(readTokens(lease.p11, options.modulePath), options.token);
    const slot = slotHandle(token);
    const context = { modulePath: options.modulePath, tokenLabel: token.label };
    let mechanisms: number[];
    try {
      mechanisms = lease.p11.C_GetMechanismList(slot);
    } catch (e) {
      throw mapPkcs11Error(e, { ...context, operation: 'mechanisms' });
    }
    const mechanism = chooseMechanism(mechanisms, options.mechanism ?? 'auto', token.label);
    try {
      session = lease.p11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION);
    } catch (e) {
      throw mapPkcs11Error(e, { ...context, operation: 'openSession' });
    }
    const certificate = chooseCertificate(readCertificates(lease.p11, session, { ...context, operation: 'findObjects' }), options.certId, token.label);
    const keyType = certificate.certificate.publicKey.asymmetricKeyType;
    if (keyType !== 'rsa') {
      throw new SigningError(
        'KEY_UNSUPPORTED',
        {
          ja: `IC カード「${token.label}」の証明書の鍵の種類（${keyType ?? '不明'}）には対応していません。RSA 鍵の証明書を使ってください。`,
          en: `unsupported key type ${keyType ?? 'unknown'} on the token`,
        },
        { detail: { keyType: keyType ?? 'unknown', certId: certificate.id } },
      );
    }
    return new Pkcs11Signer(lease, token, session, certificate, mechanism, options.pinProvider);
  } catch (e) {
    if (session) {
      try {
        lease.p11.C_CloseSession(session);
      } catch {
        // already gone with the token
      }
    }
    lease.release();
    throw e;
  }
}

export class Pkcs11Signer implements Signer {
  readonly kind = 'pkcs11' as const;
  readonly certificate: X509Certificate;
  /** hex CKA_ID of the certificate (and of its private key) */
  readonly certificateId: string;
  readonly token: { readonly label: string; readonly serial: string };
  readonly mechanism: SigningMechanism;

  readonly #lease: ModuleLease;
  readonly #p11: PKCS11;
  readonly #slot: Buffer;
  readonly #slotId: string;
  readonly #session: Buffer;
  readonly #cert: TokenCertificateObject;
  readonly #pinProvider: PinProvider;
  #key: Buffer | null = null;
  #loggedIn = false;
  #closed = false;
  #removed: SigningError | null = null;
  #queue: Promise<unknown> = Promise.resolve();
  #inFlight: Promise<unknown> = Promise.resolve();

  /** Use openPkcs11Signer(). */
  constructor(lease: ModuleLease, token: TokenInfo, session: Buffer, cert: TokenCertificateObject, mechanism: SigningMechanism, pinProvider: PinProvider) {
    this.#lease = lease;
    this.#p11 = lease.p11;
    this.#slot = slotHandle(token);
    this.#slotId = token.slotId;
    this.#session = session;
    this.#cert = cert;
    this.#pinProvider = pinProvider;
    this.certificate = cert.certificate;
    this.certificateId = cert.id;
    this.token = { label: token.label, serial: token.serial };
    this.mechanism = mechanism;
  }

  sign(data: Uint8Array): Promise<Buffer> {
    return this.#serialize(async () => {
      try {
        return await this.#signOnce(data);
      } catch (e) {
        // Another holder of this token's login logged out under us (or the card dropped the
        // login state): log in again once.
        if (ckrName(e) !== 'CKR_USER_NOT_LOGGED_IN' || this.#removed) throw this.#map(e, 'sign');
        this.#forgetLogin();
        return await this.#signOnce(data);
      }
    }).catch((e: unknown) => {
      throw this.#map(e, 'sign');
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // never close the session under a C_SignAsync running on another thread
    await this.#inFlight.catch(() => undefined);
    this.#forgetLogin();
    try {
      this.#p11.C_CloseSession(this.#session);
    } catch {
      // a removed card took the session with it
    }
    this.#lease.release();
  }

  async #signOnce(data: Uint8Array): Promise<Buffer> {
    this.#checkUsable();
    await this.#login();
    this.#checkUsable();
    const context = { operation: 'sign' as const, modulePath: this.#lease.modulePath, tokenLabel: this.token.label };
    this.#key ??= findPrivateKey(this.#p11, this.#session, this.#cert, { ...context, operation: 'findObjects' });
    const output = Buffer.alloc(Math.ceil((this.certificate.publicKey.asymmetricKeyDetails?.modulusLength ?? 4096) / 8));
    this.#p11.C_SignInit(this.#session, { mechanism: mechanismCode(this.mechanism) }, this.#key);
    const pending = this.#p11.C_SignAsync(this.#session, signInput(this.mechanism, data), output);
    this.#inFlight = pending;
    return Buffer.from(await pending);
  }

  async #login(): Promise<void> {
    if (this.#loggedIn) return;
    if (this.#sessionLoggedIn()) {
      // this process is already logged in to the token (PKCS#11 logins are per application)
      this.#holdLogin();
      return;
    }
    let attempt = 1;
    let previousError: 'PIN_INCORRECT' | 'PIN_LEN_RANGE' | undefined;
    for (;;) {
      const info = this.#freshTokenInfo();
      const flags = tokenFlags(info.flags);
      if (!flags.loginRequired) return;
      // the card says it is locked: asking for a PIN would be pointless
      if (flags.pinLocked) throw mapPkcs11Error(new Error('CKR_PIN_LOCKED (token flags)'), this.#context('login'));
      let pin: string | null;
      try {
        pin = await this.#pinProvider(pinRequest(this.token, flags, attempt, previousError));
      } catch (cause) {
        // A typed error is the prompt's own word (e.g. it timed out); anything else means it went away.
        if (isTodokeError(cause)) throw cause;
        throw pinCancelled(cause); // the prompt went away (window closed): nothing was tried
      }
      this.#checkUsable();
      if (typeof pin !== 'string') throw pinCancelled();
      // A PIN the token cannot take is refused here, without spending one of the card's tries.
      if (!pinLengthFits(pin, info.minPinLen, info.maxPinLen)) {
        attempt += 1;
        previousError = 'PIN_LEN_RANGE';
        continue;
      }
      try {
        this.#p11.C_Login(this.#session, pkcs11js.CKU_USER, pin);
      } catch (e) {
        if (ckrName(e) === 'CKR_USER_ALREADY_LOGGED_IN') break;
        const mapped = this.#map(e, 'login');
        if (mapped.code === 'PIN_INCORRECT' || mapped.code === 'PIN_LEN_RANGE') {
          attempt += 1;
          previousError = mapped.code;
          continue;
        }
        throw mapped;
      }
      break;
    }
    this.#holdLogin();
  }

  #holdLogin(): void {
    this.#loggedIn = true;
    this.#lease.holdLogin(this.#slotId);
  }

  #forgetLogin(): void {
    this.#key = null;
    if (!this.#loggedIn) return;
    this.#loggedIn = false;
    if (this.#lease.dropLogin(this.#slotId)) {
      try {
        this.#p11.C_Logout(this.#session);
      } catch {
        // not logged in any more, or the card is gone: either way nobody is logged in
      }
    }
  }

  #sessionLoggedIn(): boolean {
    try {
      const { state } = this.#p11.C_GetSessionInfo(this.#session);
      return state === CKS_RO_USER_FUNCTIONS || state === CKS_RW_USER_FUNCTIONS;
    } catch (e) {
      throw this.#map(e, 'login');
    }
  }

  #freshTokenInfo(): pkcs11js.TokenInfo {
    let info: pkcs11js.TokenInfo;
    try {
      info = this.#p11.C_GetTokenInfo(this.#slot);
    } catch (e) {
      throw this.#removedError(e);
    }
    // same slot, another card: what was there is gone
    if (info.serialNumber.trim() !== this.token.serial) throw this.#removedError(new Error('token serial changed'));
    return info;
  }

  /** Maps a failure; any failure while the token is gone (or swapped) is PKCS11_TOKEN_REMOVED. */
  #map(e: unknown, operation: Pkcs11Operation): TodokeError<string> {
    // typed errors pass through: ours, and a PIN prompt's own (e.g. it timed out)
    if (isTodokeError(e)) return e;
    const mapped = mapPkcs11Error(e, this.#context(operation));
    if (mapped.code.startsWith('PIN_') || mapped.code === 'PKCS11_TOKEN_REMOVED') {
      if (mapped.code === 'PKCS11_TOKEN_REMOVED') this.#removed = mapped;
      return mapped;
    }
    if (!this.#tokenStillThere()) return this.#removedError(e);
    return mapped;
  }

  #tokenStillThere(): boolean {
    try {
      return this.#p11.C_GetTokenInfo(this.#slot).serialNumber.trim() === this.token.serial;
    } catch {
      return false;
    }
  }

  #removedError(cause: unknown): SigningError {
    this.#removed = tokenRemovedError(this.#context('sign'), cause);
    return this.#removed;
  }

  #context(operation: Pkcs11Operation): { operation: Pkcs11Operation; modulePath: string; tokenLabel: string } {
    return { operation, modulePath: this.#lease.modulePath, tokenLabel: this.token.label };
  }

  #checkUsable(): void {
    if (this.#closed) throw closedError();
    if (this.#removed) throw this.#removed;
  }

  #serialize<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}

function pinLengthFits(pin: string, min: number, max: number): boolean {
  // CK_UNAVAILABLE_INFORMATION and nonsense bounds mean "unknown": let the token judge
  const plausible = Number.isSafeInteger(min) && Number.isSafeInteger(max) && min > 0 && min <= max && max <= 1024;
  if (!plausible) return true;
  const length = Buffer.byteLength(pin, 'utf8');
  return length >= min && length <= max;
}

function pinCancelled(cause?: unknown): SigningError {
  return new SigningError(
    'PIN_CANCELLED',
    {
      ja: 'PIN の入力が取り消されました。署名はしていません。',
      en: 'PIN entry cancelled',
    },
    cause === undefined ? {} : { cause },
  );
}

function closedError(): SigningError {
  return new SigningError('SIGNER_CLOSED', {
    ja: '署名鍵はすでに閉じられています。証明書を選び直してください。',
    en: 'the signer has been closed',
  });
}
