// Main process (core). The identity operations of contract.ts on top of IdentityService: turns
// what the UI sends (a chosen certificate file as bytes, a token chosen from a list) into signer
// references, and snapshots into views. A certificate file chosen in the UI is kept as a copy in
// the profile folder (owner-only; it stays protected by its own password), because a browser-side
// file picker gives bytes, not a path Todoke could open again at the next login.
import { createHash } from 'node:crypto';
import { readdir, rm, stat } from 'node:fs/promises';
import { extname, isAbsolute, join } from 'node:path';
import type { OperationArgs } from '../../shared/contract.js';
import type { CertificateChangeView, CertificateSource, IdentityStatus, IdentityView, TokenCertificateView, TokenView } from '../../shared/domain.js';
import { checkEndpoint } from '../../shared/endpoint.js';
import type { EnvironmentSetting, SignerReference } from '../profiles/profile.js';
import type { ProfileStore } from '../profiles/profile-store.js';
import type { SandboxEndpoint, SandboxProvider } from '../identity/endpoint.js';
import { notSetUp } from '../identity/errors.js';
import type { CertificateChange, IdentityService } from '../identity/service.js';
import { listTokenCertificates, listTokens } from '../signing/pkcs11/index.js';
import { writeFileDurably } from '../store/durable-file.js';
import { certificateFromUpload, decodeUpload, describeWithWarnings } from './certificates.js';
import { AppError, invalidEndpoint } from './errors.js';
import { identityView } from './identity-views.js';

export interface IdentityHandlerDeps {
  service: IdentityService;
  profiles: ProfileStore;
  sandbox: SandboxProvider | undefined;
  now: () => Date;
}

type SignerChoice = OperationArgs<'identity.setup'>['signer'];
type EnvironmentChoice = OperationArgs<'identity.setup'>['environment'];

const CERTIFICATES_DIR = 'certificates';
/** A PKCS#11 module is a shared library: refuse anything else before handing it to dlopen. */
const MODULE_NAME = /\.(?:so(?:\.\d+)*|dylib|dll)$/i;

export function identityHandlers(deps: IdentityHandlerDeps) {
  const { service } = deps;

  async function sandboxEndpoint(): Promise<SandboxEndpoint | null> {
    if (!deps.sandbox) return null;
    try {
      return await deps.sandbox();
    } catch {
      return null;
    }
  }

  async function view(): Promise<IdentityView | null> {
    const snapshot = await service.snapshot();
    if (!snapshot) return null;
    return identityView(snapshot, snapshot.profile.environment.kind === 'sandbox' ? await sandboxEndpoint() : null, deps.now());
  }

  async function requireView(): Promise<IdentityView> {
    const v = await view();
    // the profile went away under the operation (forgotten from another window)
    if (!v) throw notSetUp(service.profileName);
    return v;
  }

  async function status(): Promise<IdentityStatus> {
    return { identity: await view(), sandboxAvailable: deps.sandbox !== undefined };
  }

  /** The chosen signer as the profile keeps it, and what kind of certificate source it is. */
  async function signerReference(choice: SignerChoice): Promise<{ reference: SignerReference; source: CertificateSource }> {
    if (choice.kind === 'file') {
      const { bytes, format } = decodeUpload(choice);
      const digest = createHash('sha256').update(bytes).digest('hex').slice(0, 32);
      const ext = safeExtension(choice.fileName);
      const path = join(deps.profiles.dir(service.profileName), CERTIFICATES_DIR, `${digest}${ext}`);
      await writeFileDurably(path, bytes, { makeFolders: true });
      // a file that signs holds its key: PEM text, or else PKCS#12 whatever its name (a bare DER
      // certificate has no key, and opening it as a signer fails)
      return { reference: { kind: 'file', path, displayName: choice.fileName }, source: format === 'pem' ? 'pem' : 'pkcs12' };
    }
    const modulePath = checkModulePath(choice.modulePath);
    await checkModuleFile(modulePath);
    const tokens = await listTokens(modulePath);
    const token = tokens.find((t) => t.serial === choice.tokenSerial);
    return { reference: { kind: 'pkcs11', modulePath, tokenSerial: choice.tokenSerial, tokenLabel: token?.label ?? '', certId: choice.certId }, source: 'pkcs11' };
  }

  /** Removes stored certificate copies the profile no longer uses (after an update or a failed set-up). */
  async function pruneCopies(): Promise<void> {
    const dir = join(deps.profiles.dir(service.profileName), CERTIFICATES_DIR);
    const profile = await deps.profiles.load(service.profileName).catch(() => null);
    const keep = profile?.signer.kind === 'file' ? profile.signer.path : null;
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return;
    }
    await Promise.all(names.map((n) => join(dir, n)).filter((p) => p !== keep).map((p) => rm(p, { force: true })));
  }

  function changeView(change: CertificateChange, source: CertificateSource, identity: IdentityView): CertificateChangeView {
    return { identity, certificate: describeWithWarnings(change.certificate, source, deps.now()) };
  }

  return {
    'identity.status': async () => status(),
    'identity.setup': async (args: OperationArgs<'identity.setup'>) => {
      // before the certificate is copied or a PKCS#11 module loaded: a typo in the URL costs nothing
      const environment = environmentSetting(args.environment);
      const { reference: signer } = await signerReference(args.signer);
      try {
        await service.setup({
          environment,
          ...(args.environment.kind === 'custom' && args.environment.basicAuthPassword !== undefined ? { basicAuthPassword: args.environment.basicAuthPassword } : {}),
          signer,
          ...(args.signer.kind === 'file' ? { password: args.signer.password } : {}),
          userId: args.userId,
          mode: args.mode,
        });
      } finally {
        await pruneCopies();
      }
      return requireView();
    },
    'identity.login': async () => {
      await service.login();
      return requireView();
    },
    'identity.certificate.add': async (args: OperationArgs<'identity.certificate.add'>) => {
      const { certificate, source } = await certificateFromUpload(args.certificate);
      const change = await service.addCertificate(certificate);
      return changeView(change, source, await requireView());
    },
    'identity.certificate.delete': async (args: OperationArgs<'identity.certificate.delete'>) => {
      const { certificate, source } = await certificateFromUpload(args.certificate);
      const change = await service.deleteCertificate(certificate);
      return changeView(change, source, await requireView());
    },
    'identity.certificate.update': async (args: OperationArgs<'identity.certificate.update'>) => {
      const { reference, source } = await signerReference(args.signer);
      let change: CertificateChange;
      try {
        change = await service.updateCertificate(reference, args.signer.kind === 'file' ? args.signer.password : undefined);
      } finally {
        await pruneCopies();
      }
      return changeView(change, source, await requireView());
    },
    'identity.forget': async () => {
      await service.forget();
      return status();
    },
    'pkcs11.tokens': async (args: OperationArgs<'pkcs11.tokens'>): Promise<TokenView[]> => {
      const modulePath = checkModulePath(args.modulePath);
      await checkModuleFile(modulePath);
      const tokens = await listTokens(modulePath);
      return tokens
        .filter((t) => t.flags.tokenInitialized)
        .map((t) => ({
          label: t.label,
          serial: t.serial,
          manufacturer: t.manufacturer,
          model: t.model,
          pinCountLow: t.flags.pinCountLow,
          pinFinalTry: t.flags.pinFinalTry,
          pinLocked: t.flags.pinLocked,
        }));
    },
    'pkcs11.certificates': async (args: OperationArgs<'pkcs11.certificates'>): Promise<TokenCertificateView[]> => {
      const modulePath = checkModulePath(args.modulePath);
      await checkModuleFile(modulePath);
      const certificates = await listTokenCertificates(modulePath, { serial: args.tokenSerial });
      return certificates.map((c) => ({ id: c.id, label: c.label, description: describeWithWarnings(c.certificate, 'pkcs11', deps.now()) }));
    },
  };
}

function environmentSetting(choice: EnvironmentChoice): EnvironmentSetting {
  if (choice.kind === 'sandbox') return { kind: 'sandbox' };
  const endpoint = checkEndpoint(choice.baseUrl);
  if (!endpoint.ok) throw invalidEndpoint('identity.setup', endpoint);
  return {
    kind: 'custom',
    baseUrl: endpoint.baseUrl,
    softwareId: choice.softwareId,
    ...(choice.basicAuthUser !== undefined ? { basicAuthUser: choice.basicAuthUser } : {}),
    ...(choice.caPem !== undefined ? { caPem: choice.caPem } : {}),
  };
}

function safeExtension(fileName: string): string {
  const ext = extname(fileName).toLowerCase();
  return /^\.[a-z0-9]{1,8}$/.test(ext) ? ext : '.bin';
}

function moduleError(ja: string, en: string): AppError {
  return new AppError('INVALID_ARGUMENT', { ja, en });
}

function checkModulePath(path: string): string {
  const trimmed = path.trim();
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f]/.test(trimmed) || !isAbsolute(trimmed)) {
    throw moduleError(
      'PKCS#11 モジュールは、ファイルの場所を絶対パスで指定してください（例: /usr/lib/softhsm/libsofthsm2.so、C:\\Windows\\System32\\xxx.dll）。',
      'the PKCS#11 module path must be absolute',
    );
  }
  if (!MODULE_NAME.test(trimmed)) {
    throw moduleError('PKCS#11 モジュールは .so / .dylib / .dll のファイルを指定してください。IC カードの説明書に書かれたファイルです。', 'the PKCS#11 module must be a shared library');
  }
  return trimmed;
}

async function checkModuleFile(path: string): Promise<void> {
  let ok = false;
  try {
    ok = (await stat(path)).isFile();
  } catch {
    ok = false;
  }
  if (!ok) {
    throw moduleError(
      `PKCS#11 モジュール「${path.slice(0, 200)}」が見つかりません。IC カードのドライバーが入っているか、パスが正しいか確かめてください。`,
      'the PKCS#11 module file does not exist',
    );
  }
}
