// Renderer. Who this app files as: the `identity.status` the core last reported (on start, after
// each identity operation, and on every `identity.changed` event), and what the person last did
// to it, so the 利用者 screen can say so. The identity operations (set-up, login, certificate
// changes, forget) are asked of the core from here; each resolves with the core's answer, so the
// screen can show a failure where the person acted. No password, PIN or access key ever comes
// through here (a PKCS#12 password passes through as an argument, never kept).
import { create } from 'zustand';
import type { Envelope, OperationArgs } from '../../shared/contract.js';
import type { CertificateChangeView, CertificateDescription, IdentityStatus, IdentityView } from '../../shared/domain.js';
import { isRegisteredButLoginFailed, type ErrorPayload } from '../../shared/errors.js';
import { requireCoreApi } from '../api.js';

export type IdentityLoad =
  | { status: 'loading' }
  | { status: 'error'; error: ErrorPayload }
  | { status: 'ready'; identity: IdentityView | null; sandboxAvailable: boolean };

export type SetupArgs = OperationArgs<'identity.setup'>;

/** A change of the registered certificate: a new signer (更新), or a certificate file to add or delete. */
export type CertificateChange =
  | { kind: 'update'; signer: OperationArgs<'identity.certificate.update'>['signer'] }
  | { kind: 'add' | 'delete'; certificate: OperationArgs<'identity.certificate.add'>['certificate'] };

export type IdentityOutcomeKind = 'register' | 'setupLogin' | 'login' | 'certificate.add' | 'certificate.update' | 'certificate.delete';

/** The last thing that changed the identity on this screen, said once as a success message. */
export interface IdentityOutcome {
  kind: IdentityOutcomeKind;
  /** the certificate added, the new one after an update, or the one deleted */
  certificate: CertificateDescription | null;
}

interface IdentityState {
  load: IdentityLoad;
  outcome: IdentityOutcome | null;
  /**
   * The first run registered the 利用者ID but the login right after it failed: the ID exists (at
   * e-Gov and here), so the 利用者 screen replaces the first-run flow and says what is left to do.
   */
  registeredLoginFailure: ErrorPayload | null;
  noteRegisteredLoginFailure(error: ErrorPayload): void;
  /** Increments per refresh, so an answer to a superseded request is dropped. */
  request: number;
  refresh(): Promise<void>;
  /** a whole status from the core (`identity.forget`, the `identity.changed` event) */
  apply(status: IdentityStatus): void;
  /** the identity an operation returned, with what to tell the person about it */
  settle(identity: IdentityView, outcome: IdentityOutcome | null): void;
  clearOutcome(): void;
  /** はじめての設定 (`identity.setup`) */
  setup(args: SetupArgs): Promise<Envelope<IdentityView>>;
  /** 利用者認証 again (`identity.login`) */
  login(): Promise<Envelope<IdentityView>>;
  /** 証明書の追加 / 更新 / 削除 (`identity.certificate.*`) */
  changeCertificate(change: CertificateChange): Promise<Envelope<CertificateChangeView>>;
  /** forgets the 利用者ID on this computer (`identity.forget`) */
  forget(): Promise<Envelope<IdentityStatus>>;
}

export const useIdentityStore = create<IdentityState>()((set, get) => ({
  load: { status: 'loading' },
  outcome: null,
  registeredLoginFailure: null,
  request: 0,
  noteRegisteredLoginFailure(error) {
    set({ registeredLoginFailure: error });
  },
  async refresh() {
    const request = get().request + 1;
    const current = get().load;
    // Keep what is shown while asking again; only the very first load shows a loading state.
    set({ request, load: current.status === 'ready' ? current : { status: 'loading' } });
    const result = await requireCoreApi()['identity.status']();
    if (get().request !== request) return;
    if (result.ok) set({ load: { status: 'ready', identity: result.value.identity, sandboxAvailable: result.value.sandboxAvailable } });
    else set({ load: { status: 'error', error: result.error } });
  },
  apply(status) {
    set((s) => ({
      request: s.request + 1,
      load: { status: 'ready', identity: status.identity, sandboxAvailable: status.sandboxAvailable },
      outcome: status.identity ? s.outcome : null,
    }));
  },
  settle(identity, outcome) {
    set((s) => ({
      registeredLoginFailure: null,
      request: s.request + 1,
      load: { status: 'ready', identity, sandboxAvailable: s.load.status === 'ready' ? s.load.sandboxAvailable : false },
      outcome,
    }));
  },
  clearOutcome() {
    set({ outcome: null, registeredLoginFailure: null });
  },
  async setup(args) {
    const result = await requireCoreApi()['identity.setup'](args);
    if (result.ok) {
      get().settle(result.value, { kind: args.mode === 'register' ? 'register' : 'setupLogin', certificate: null });
      return result;
    }
    // A registration that went through is kept even when the login after it failed (the core says
    // so): then the 利用者 screen takes over (registering again would only be refused) and says what is left.
    if (isRegisteredButLoginFailed(result.error)) {
      const status = await requireCoreApi()['identity.status']();
      if (status.ok && status.value.identity) {
        get().noteRegisteredLoginFailure(result.error);
        get().apply(status.value);
      }
    }
    return result;
  },
  async login() {
    get().clearOutcome();
    const result = await requireCoreApi()['identity.login']();
    if (result.ok) get().settle(result.value, { kind: 'login', certificate: null });
    return result;
  },
  async changeCertificate(change) {
    const api = requireCoreApi();
    const result =
      change.kind === 'update'
        ? await api['identity.certificate.update']({ signer: change.signer })
        : change.kind === 'add'
          ? await api['identity.certificate.add']({ certificate: change.certificate })
          : await api['identity.certificate.delete']({ certificate: change.certificate });
    if (result.ok) get().settle(result.value.identity, { kind: `certificate.${change.kind}`, certificate: result.value.certificate });
    return result;
  },
  async forget() {
    const result = await requireCoreApi()['identity.forget']();
    if (result.ok) get().apply(result.value);
    return result;
  },
}));
