// Main process (core). The identity operations of contract.ts on top of IdentityService: turns
// what the UI sends (a chosen certificate file as bytes, a token chosen from a list) into signer
// references, and snapshots into views. A certificate file chosen in the UI is kept as a copy in
// the profile folder (owner-only; it stays protected by its own password), because a browser-side
// file picker gives bytes, not a path Todoke could open again at the next login.
import { createHash } from 'node:crypto';
import { readdir, rm, stat } from 'node:fs/promises';
import { extname, isAbsolute, join } from 'node:path';
import type { OperationArgs } from '../../shared/contract.js';
import type { CertificateChangeView, IdentityStatus, IdentityView, TokenCertificateView, TokenView } from '../../shared/domain.js';
import { writeFileAtomic } from '../profiles/atomic-file.js';
import type { EnvironmentSetting, SignerReference } from '../profiles/profile.js';
import type { ProfileStore } from '../profiles/profile-store.js';
import type { SandboxEndpoint, SandboxProvider } from '../identity/endpoint.js';
import type { CertificateChange, IdentityService } from '../identity/service.js';
import { listTokenCertificates, listTokens } from '../signing/pkcs11/index.js';
import { certificateFromUpload, describeWithWarnings } from './certificates.js';
import { AppError } from './errors.js';
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
    if (!v) throw new AppError('INVALID_ARGUMENT', { ja: '利用者IDが設定されていません。', en: 'no identity' });
    return v;
  }

  async function status(): Promise<IdentityStatus> {
    return { identity: await view(), sandboxAvailable: deps.sandbox !== undefined };
  }

  async function signerReference(choice: SignerChoice): Promise<SignerReference> {
    if (choice.kind === 'file') {
      const bytes = Buffer.from(choice.dataBase64, 'base64');
      const digest = createHash('sha256').update(bytes).digest('hex').slice(0, 32);
      const ext = safeExtension(choice.fileName);
      const path = join(deps.profiles.dir(service.profileName), CERTIFICATES_DIR, `${digest}${ext}`);
      await writeFileAtomic(path, bytes);
      return { kind: 'file', path, displayName: choice.fileName };
    }
    const modulePath = checkModulePath(choice.modulePath);
    await checkModuleFile(modulePath);
    const tokens = await listTokens(modulePath);
    const token = tokens.find((t) => t.serial === choice.tokenSerial);
    return { kind: 'pkcs11', modulePath, tokenSerial: choice.tokenSerial, tokenLabel: token?.label ?? '', certId: choice.certId };
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

  function changeView(change: CertificateChange, identity: IdentityView): CertificateChangeView {
    return { identity, certificate: describeWithWarnings(change.certificate, 'der', deps.now()) };
  }

  return {
    'identity.status': async () => status(),
    'identity.setup': async (args: OperationArgs<'identity.setup'>) => {
      const signer = await signerReference(args.signer);
      try {
        await service.setup({
          environment: environmentSetting(args.environment),
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
      const { certificate } = await certificateFromUpload(args.certificate);
      const change = await service.addCertificate(certificate);
      return changeView(change, await requireView());
    },
    'identity.certificate.delete': async (args: OperationArgs<'identity.certificate.delete'>) => {
      const { certificate } = await certificateFromUpload(args.certificate);
      const change = await service.deleteCertificate(certificate);
      return changeView(change, await requireView());
    },
    'identity.certificate.update': async (args: OperationArgs<'identity.certificate.update'>) => {
      const signer = await signerReference(args.signer);
      let change: CertificateChange;
      try {
        change = await service.updateCertificate(signer, args.signer.kind === 'file' ? args.signer.password : undefined);
      } finally {
        await pruneCopies();
      }
      return changeView(change, await requireView());
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
      const certificates = await listTokenCertificatesWithDer(modulePath, args.tokenSerial);
      return certificates.map((c) => ({ id: c.id, label: c.label, description: describeWithWarnings(c.certificate, 'pkcs11', deps.now()) }));
    },
  };
}

function environmentSetting(choice: EnvironmentChoice): EnvironmentSetting {
  if (choice.kind === 'sandbox') return { kind: 'sandbox' };
  return {
    kind: 'custom',
    baseUrl: choice.baseUrl.trim(),
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

async function listTokenCertificatesWithDer(modulePath: string, serial: string) {
  const certificates = await listTokenCertificates(modulePath, { serial });
  return certificates.map((c) => ({ id: c.id, label: c.label, certificate: c.certificate }));
}
