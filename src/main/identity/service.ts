// Main process. The identity use cases of one profile, shared by every host (desktop app, harness,
// CLI): first-run set-up (register or take an existing 利用者ID, then log in), login, certificate
// add / update / delete, forget, and the EgovSession later APIs call through. Changes are made one
// at a time; what is kept on disk is the profile (no secrets) and, in the secret store, the access key.
import { X509Certificate } from 'node:crypto';
import type { CredentialPurpose } from '../../shared/domain.js';
import { isTodokeError } from '../../shared/errors.js';
import { printableAscii } from '../../shared/text.js';
import { EgovV1Gateway } from '../egov/gateway-v1.js';
import type { EgovCaller, EgovClient } from '../egov/http.js';
import type { CertificateChangeOutcome, EgovGateway } from '../session/gateway.js';
import { EgovSession, type AccessKeyRecord } from '../session/session.js';
import { ProfileError } from '../profiles/errors.js';
import { PROFILE_VERSION, type EnvironmentSetting, type Profile, type SignerReference } from '../profiles/profile.js';
import type { ProfileStore } from '../profiles/profile-store.js';
import type { SecretStore } from '../profiles/secret-store.js';
import type { Signer } from '../signing/signer.js';
import { clientFor, type ClientTuning, type SandboxProvider } from './endpoint.js';
import { IdentityError, notSetUp, registeredButLoginFailed } from './errors.js';
import { openSignerFor, type AskSecret } from './signer-reference.js';

export interface IdentityServiceOptions {
  profiles: ProfileStore;
  profileName: string;
  /** the secret store of a profile folder (FileSecretStore for the CLI, SealedSecretStore in Electron) */
  secrets: (profileDir: string) => SecretStore;
  ask: AskSecret;
  sandbox?: SandboxProvider;
  now?: () => Date;
  client?: ClientTuning;
  /** told after every change of profile or key (the app turns it into an `identity.changed` event) */
  onChange?: () => void;
}

export interface SetupInput {
  environment: EnvironmentSetting;
  /** custom endpoints only; kept in the secret store, never in the profile */
  basicAuthPassword?: string;
  signer: SignerReference;
  /** the password just typed for a certificate file; tried before asking */
  password?: string;
  userId: string;
  mode: 'register' | 'login';
}

export interface IdentitySnapshot {
  profileName: string;
  profile: Profile;
  certificate: X509Certificate;
  key: AccessKeyRecord | null;
  /** the key is in the secret store (false: memory only, or no key) */
  keyPersisted: boolean;
  /** the secret store can keep a key on this machine */
  canPersist: boolean;
}

export interface CertificateChange {
  snapshot: IdentitySnapshot;
  /** the certificate added, the new one after an update, or the one deleted */
  certificate: X509Certificate;
  result: CertificateChangeOutcome;
}

export class IdentityService {
  readonly profileName: string;
  readonly #o: IdentityServiceOptions;
  readonly #now: () => Date;
  #queue: Promise<unknown> = Promise.resolve();
  #secrets: SecretStore | null = null;
  #session: EgovSession | null = null;
  #sessionProfile: Profile | null = null;
  #keyPersisted = false;

  constructor(options: IdentityServiceOptions) {
    this.#o = options;
    this.profileName = options.profileName;
    this.#now = options.now ?? (() => new Date());
    // validates the name now rather than at the first call
    options.profiles.dir(options.profileName);
  }

  /** The profile and key as they are now; null before set-up. */
  async snapshot(): Promise<IdentitySnapshot | null> {
    const profile = await this.#o.profiles.load(this.profileName);
    if (!profile) return null;
    const session = await this.#sessionFor(profile);
    // read under the session's lock: never a key that a login under way is replacing
    const state = await session.snapshot();
    await this.#pendingKeyWrite;
    const key = state.hasKey ? this.#memoryKey : null;
    return {
      profileName: this.profileName,
      profile,
      certificate: new X509Certificate(profile.certificatePem),
      key,
      keyPersisted: key !== null && this.#keyPersisted,
      canPersist: this.#secretStore().canPersist,
    };
  }

  /** First run (or starting over): register the ID unless it exists, log in, keep the profile. */
  setup(input: SetupInput): Promise<IdentitySnapshot> {
    return this.#exclusive(async () => {
      const gateway = new EgovV1Gateway(await clientFor(input.environment, input.basicAuthPassword ?? null, this.#o.sandbox, this.#o.client));
      const purpose: CredentialPurpose = input.mode === 'register' ? 'register' : 'login';
      const signer = await openSignerFor(input.signer, this.#o.ask, { purpose, ...(input.password !== undefined ? { password: input.password } : {}) });
      let profile: Profile;
      try {
        if (input.mode === 'register') await gateway.register(signer, input.userId);
        profile = this.#newProfile(input, signer.certificate);
        // After a registration the ID exists at e-Gov: keep the profile even if the login below fails.
        if (input.mode === 'register') await this.#saveProfile(profile, input.basicAuthPassword);
        let result;
        try {
          result = await gateway.login(signer, input.userId);
        } catch (e) {
          // a typed outcome for every host: the ID exists now, what is left is a login
          throw input.mode === 'register' ? registeredButLoginFailed(input.userId, e) : e;
        }
        profile = { ...profile, lastLogin: { at: this.#now().toISOString(), lastAuthenticationDate: result.lastAuthenticationDate } };
        await this.#saveProfile(profile, input.basicAuthPassword);
        await this.#forgetSession();
        const key: AccessKeyRecord = { accessKey: result.accessKey, obtainedAt: this.#now(), lastAuthenticationDate: result.lastAuthenticationDate };
        await this.#storeKey(key);
        this.#rebuildSession(profile, key);
      } finally {
        await signer.close().catch(() => undefined);
        this.#changed();
      }
      return this.#requireSnapshot();
    });
  }

  /** 利用者認証 now, whether or not a key is held. */
  login(): Promise<IdentitySnapshot> {
    return this.#exclusive(async () => {
      const profile = await this.#requireProfile();
      const session = await this.#sessionFor(profile);
      try {
        const { state, certificate } = await session.login();
        const current = await this.#requireProfile();
        // e-Gov accepted this certificate for the ID, so it is the one to show from now on
        await this.#saveProfile({
          ...current,
          certificatePem: certificate.toString(),
          lastLogin: { at: this.#now().toISOString(), lastAuthenticationDate: state.lastAuthenticationDate ?? '' },
        });
      } finally {
        this.#changed();
      }
      return this.#requireSnapshot();
    });
  }

  /** 証明書識別情報追加, signed by the profile's certificate. */
  addCertificate(certificate: X509Certificate): Promise<CertificateChange> {
    return this.#exclusive(async () => {
      const profile = await this.#requireProfile();
      const result = await this.#withProfileSigner(profile, 'certificate.add', (gateway, signer) => gateway.appendCertificate(signer, profile.userId, certificate));
      return { snapshot: await this.#requireSnapshot(), certificate, result };
    });
  }

  /** 証明書識別情報削除, signed by the profile's certificate. The certificate it signs with cannot be deleted. */
  deleteCertificate(certificate: X509Certificate): Promise<CertificateChange> {
    return this.#exclusive(async () => {
      const profile = await this.#requireProfile();
      if (certificate.raw.equals(new X509Certificate(profile.certificatePem).raw)) {
        throw new IdentityError('CERTIFICATE_NOT_ACCEPTED', {
          ja: 'この証明書は、いま署名に使っている証明書です。削除するとログインできなくなるため、先に「証明書を更新」で新しい証明書に切り替えてください。',
          en: 'the certificate to delete is the one this profile signs with; update to another certificate first',
        });
      }
      const result = await this.#withProfileSigner(profile, 'certificate.delete', (gateway, signer) => gateway.deleteCertificate(signer, profile.userId, certificate));
      return { snapshot: await this.#requireSnapshot(), certificate, result };
    });
  }

  /**
   * 証明書識別情報更新: signed by the NEW certificate, naming the registered one. Afterwards the
   * profile signs with the new certificate; the access key already held stays in use.
   */
  updateCertificate(newSigner: SignerReference, password?: string): Promise<CertificateChange> {
    return this.#exclusive(async () => {
      const profile = await this.#requireProfile();
      // the key held now (restored from the secret store if this is the first call of the run) stays in use
      await this.#sessionFor(profile);
      const oldCertificate = new X509Certificate(profile.certificatePem);
      const gateway = await this.#gateway(profile);
      const signer = await openSignerFor(newSigner, this.#o.ask, { purpose: 'certificate.update', ...(password !== undefined ? { password } : {}) });
      let result: CertificateChangeOutcome;
      let certificate: X509Certificate;
      try {
        certificate = signer.certificate;
        result = await gateway.updateCertificate(signer, profile.userId, oldCertificate);
      } finally {
        await signer.close().catch(() => undefined);
      }
      const updated: Profile = { ...profile, signer: newSigner, certificatePem: certificate.toString(), updatedAt: this.#now().toISOString() };
      await this.#saveProfile(updated);
      // the session signs future logins with the new certificate; keep the key it holds
      this.#rebuildSession(updated, this.#memoryKey);
      this.#changed();
      return { snapshot: await this.#requireSnapshot(), certificate, result };
    });
  }

  /**
   * Forgets the profile and its secrets on this computer; nothing changes at e-Gov. A profile that
   * cannot be read is set aside rather than deleted (someone may want to look at it).
   */
  forget(): Promise<{ setAside: string | null }> {
    return this.#exclusive(async () => {
      const corrupt = await this.#o.profiles.load(this.profileName).then(
        () => false,
        (e: unknown) => e instanceof ProfileError && e.code === 'PROFILE_CORRUPT',
      );
      // the key goes in any case: a set-aside folder should not carry a working credential
      await this.#forgetSession();
      this.#memoryKey = null;
      let setAside: string | null = null;
      if (corrupt) setAside = await this.#o.profiles.quarantine(this.profileName, this.#now());
      else await this.#o.profiles.remove(this.profileName);
      this.#secrets = null;
      this.#changed();
      return { setAside };
    });
  }

  /** The session for /access/ calls (issues 4+): logs in by itself when it has no key. */
  async session(): Promise<EgovSession> {
    return this.#sessionFor(await this.#requireProfile());
  }

  /**
   * The gateway to the saved profile's endpoint, for the /access/ calls made through session()
   * (一括申請, 送信案件一覧 …). Lazy like the session's: the built-in sandbox starts at its first call.
   */
  async gateway(): Promise<EgovGateway> {
    const profile = await this.#requireProfile();
    return new EgovV1Gateway(lazyCaller(() => this.#client(profile)), { allowLoopbackStandIn: isSandboxEndpoint(profile.environment) });
  }

  // -------------------------------------------------------------------------------------------

  #newProfile(input: SetupInput, certificate: X509Certificate): Profile {
    const at = this.#now().toISOString();
    return { version: PROFILE_VERSION, environment: input.environment, userId: input.userId, signer: input.signer, certificatePem: certificate.toString(), createdAt: at, updatedAt: at };
  }

  async #saveProfile(profile: Profile, basicAuthPassword?: string): Promise<void> {
    const saved = { ...profile, updatedAt: this.#now().toISOString() };
    await this.#o.profiles.save(this.profileName, saved);
    if (basicAuthPassword !== undefined) await this.#writeSecret('basicAuthPassword', basicAuthPassword);
    if (this.#sessionProfile) this.#sessionProfile = saved;
  }

  async #requireProfile(): Promise<Profile> {
    const profile = await this.#o.profiles.load(this.profileName);
    if (!profile) throw notSetUp(this.profileName);
    return profile;
  }

  async #requireSnapshot(): Promise<IdentitySnapshot> {
    const snapshot = await this.snapshot();
    if (!snapshot) throw notSetUp(this.profileName);
    return snapshot;
  }

  #secretStore(): SecretStore {
    this.#secrets ??= this.#o.secrets(this.#o.profiles.dir(this.profileName));
    return this.#secrets;
  }

  async #client(profile: Profile): Promise<EgovClient> {
    const password = profile.environment.kind === 'custom' && profile.environment.basicAuthUser !== undefined ? await this.#readSecret('basicAuthPassword') : null;
    return clientFor(profile.environment, password, this.#o.sandbox, this.#o.client);
  }

  /** The gateway to the profile's endpoint (the built-in sandbox is started by its first call, not here). */
  async #gateway(profile: Profile): Promise<EgovV1Gateway> {
    return new EgovV1Gateway(await this.#client(profile));
  }

  async #withProfileSigner<T>(profile: Profile, purpose: CredentialPurpose, call: (gateway: EgovGateway, signer: Signer) => Promise<T>): Promise<T> {
    const gateway = await this.#gateway(profile);
    const signer = await openSignerFor(profile.signer, this.#o.ask, { purpose });
    try {
      return await call(gateway, signer);
    } finally {
      await signer.close().catch(() => undefined);
    }
  }

  /** The session of the stored profile, made once per profile content (endpoint, ID, signer). */
  async #sessionFor(profile: Profile): Promise<EgovSession> {
    if (this.#session && this.#sessionProfile && sameSessionInputs(this.#sessionProfile, profile)) return this.#session;
    return this.#rebuildSession(profile, await this.#restoredKey());
  }

  #rebuildSession(profile: Profile, key: AccessKeyRecord | null): EgovSession {
    const session = new EgovSession({
      // the sandbox's address is resolved (and the sandbox started) at the first call, not now
      gateway: new EgovV1Gateway(lazyCaller(() => this.#client(profile))),
      userId: profile.userId,
      signerProvider: () => openSignerFor(profile.signer, this.#o.ask, { purpose: 'login' }),
      ...(key ? { restoredKey: key } : {}),
      onKeyChange: (k) => {
        this.#pendingKeyWrite = this.#storeKey(k).finally(() => this.#changed());
      },
      now: this.#now,
    });
    this.#session = session;
    this.#sessionProfile = profile;
    return session;
  }

  async #forgetSession(): Promise<void> {
    this.#session = null;
    this.#sessionProfile = null;
    await this.#secretStore()
      .delete('accessKey')
      .catch(() => undefined);
    this.#keyPersisted = false;
  }

  #memoryKey: AccessKeyRecord | null = null;
  #pendingKeyWrite: Promise<void> = Promise.resolve();

  async #storeKey(key: AccessKeyRecord | null): Promise<void> {
    this.#memoryKey = key;
    if (key === null) {
      this.#keyPersisted = false;
      await this.#secretStore()
        .delete('accessKey')
        .catch(() => undefined);
      return;
    }
    const store = this.#secretStore();
    if (!store.canPersist) {
      this.#keyPersisted = false;
      return;
    }
    try {
      await store.write('accessKey', JSON.stringify({ accessKey: key.accessKey, obtainedAt: key.obtainedAt.toISOString(), lastAuthenticationDate: key.lastAuthenticationDate }));
      this.#keyPersisted = true;
    } catch {
      // the key still works for this run; the view says it is not kept
      this.#keyPersisted = false;
    }
  }

  async #restoredKey(): Promise<AccessKeyRecord | null> {
    let text: string | null;
    try {
      text = await this.#secretStore().read('accessKey');
    } catch (e) {
      if (e instanceof ProfileError) text = null;
      else throw e;
    }
    const key = text === null ? null : parseStoredKey(text);
    this.#memoryKey = key;
    this.#keyPersisted = key !== null;
    return key;
  }

  async #readSecret(name: 'basicAuthPassword'): Promise<string | null> {
    try {
      return await this.#secretStore().read(name);
    } catch (e) {
      if (isTodokeError(e)) return null;
      throw e;
    }
  }

  async #writeSecret(name: 'basicAuthPassword', value: string): Promise<void> {
    try {
      await this.#secretStore().write(name, value);
    } catch (e) {
      if (!isTodokeError(e)) throw e;
      // no safe store: the password is asked again next run (custom endpoints only)
    }
  }

  #changed(): void {
    try {
      this.#o.onChange?.();
    } catch {
      // a listener's failure is not the use case's failure
    }
  }

  #exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.catch(() => undefined).then(task);
    this.#queue = run;
    return run;
  }
}

function sameSessionInputs(a: Profile, b: Profile): boolean {
  return a.userId === b.userId && stableJson(a.environment) === stableJson(b.environment) && stableJson(a.signer) === stableJson(b.signer);
}

/** JSON with keys in sorted order: a profile read back from disk lists its keys in schema order. */
function stableJson(value: object): string {
  return JSON.stringify(Object.fromEntries(Object.entries(value).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))));
}

function parseStoredKey(text: string): AccessKeyRecord | null {
  try {
    const v = JSON.parse(text) as { accessKey?: unknown; obtainedAt?: unknown; lastAuthenticationDate?: unknown };
    if (typeof v.accessKey !== 'string' || !printableAscii(1, 4096).test(v.accessKey)) return null;
    const obtainedAt = typeof v.obtainedAt === 'string' ? new Date(v.obtainedAt) : null;
    if (!obtainedAt || Number.isNaN(obtainedAt.getTime())) return null;
    return { accessKey: v.accessKey, obtainedAt, lastAuthenticationDate: typeof v.lastAuthenticationDate === 'string' ? v.lastAuthenticationDate : '' };
  } catch {
    return null;
  }
}

/** A caller whose client (which may start the sandbox) is made at the first call; a failed make is retried next call. */
function lazyCaller(make: () => Promise<EgovClient>): EgovCaller {
  let client: Promise<EgovClient> | null = null;
  const ready = () =>
    (client ??= make().catch((e: unknown) => {
      client = null;
      throw e;
    }));
  return {
    async call(request) {
      return (await ready()).call(request);
    },
    async callReading(request, read) {
      return (await ready()).callReading(request, read);
    },
  };
}

/**
 * The profile talks to a sandbox: the built-in one, or one on this machine (plain http is only ever
 * allowed to a loopback endpoint). Only then is the sandbox's loopback stand-in bank a bank.
 */
export function isSandboxEndpoint(environment: Profile['environment']): boolean {
  if (environment.kind === 'sandbox') return true;
  try {
    const host = new URL(environment.baseUrl).hostname;
    return host === '127.0.0.1' || host === '[::1]' || host === 'localhost';
  } catch {
    return false;
  }
}
