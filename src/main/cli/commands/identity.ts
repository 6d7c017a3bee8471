// Main process (CLI host). The identity commands on top of the core's IdentityService, with the
// state under $TODOKE_HOME (profiles/<name>/profile.json, the access key in secrets.json 0600):
//   todoke register --user-id ID <endpoint> <signer>      利用者ID登録, then 利用者認証
//   todoke login [--user-id ID <endpoint> <signer>]       利用者認証 (with flags: set the profile up)
//   todoke whoami                                         the profile, offline
//   todoke cert add|delete FILE                           証明書識別情報 追加 / 削除
//   todoke cert update --old FILE <new signer>            証明書識別情報更新
//   todoke profile forget                                 forget the profile on this computer
import type { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { isRegisteredButLoginFailed, isTodokeError, TodokeError } from '../../../shared/errors.js';
import { updateCertificate, type CertificateChangeResult } from '../../egov/authentication.js';
import { clientFor } from '../../identity/endpoint.js';
import type { IdentitySnapshot } from '../../identity/service.js';
import { openSignerFor } from '../../identity/signer-reference.js';
import type { Profile } from '../../profiles/profile.js';
import { describeCertificate } from '../../signing/certificate.js';
import { printCertificateWarnings } from '../certificate-warnings.js';
import { readCertificateArgument } from '../certificate-argument.js';
import { CliError } from '../cli-error.js';
import { endpointFromFlags, ENDPOINT_FLAGS, hasEndpoint, requireEndpoint } from '../endpoint-flags.js';
import { notSetUp, profileExists, profileFlag, withIdentity, type IdentityContext } from '../identity-context.js';
import { parseIdentityArgs, userIdFrom, type IdentityFlags } from '../identity-flags.js';
import {
  certificateJson,
  certificateRows,
  environmentJson,
  environmentText,
  jstDisplay,
  keyJson,
  keyText,
  lastAuthenticationText,
  loggedInAt,
  printJson,
  signerJson,
  signerText,
  table,
} from '../identity-output.js';
import type { CliIo } from '../io.js';
import { EXIT_OK } from '../io.js';
import { hasSignerChoice, noSigner, signerReferenceFromFlags, SIGNER_FLAGS } from '../signer-flags.js';
import { UsageError } from '../usage-error.js';

// ---------------------------------------------------------------------------------------------
// register / login

/** What setting a profile up needs from the command line: the ID, the endpoint and the signer. */
async function setupFlags(flags: IdentityFlags, io: CliIo) {
  const userId = userIdFrom(flags);
  const endpoint = requireEndpoint(await endpointFromFlags(flags, io));
  const signer = await signerReferenceFromFlags(flags, io);
  if (!signer) throw noSigner();
  return { userId, endpoint, signer };
}

/** Set-up never overwrites a profile that is there (forget it first, or name another profile). */
async function refuseExistingProfile(ctx: IdentityContext, what: string): Promise<void> {
  const existing = await ctx.profiles.load(ctx.profileName);
  if (existing) throw profileExists(ctx, existing, what);
}

export async function registerCommand(args: string[], io: CliIo): Promise<number> {
  const { flags } = parseIdentityArgs('register', args, ['user-id', 'show-key', ...SIGNER_FLAGS, ...ENDPOINT_FLAGS]);
  const { userId, endpoint, signer } = await setupFlags(flags, io);
  return withIdentity(io, flags, async (ctx) => {
    await refuseExistingProfile(ctx, '新しく利用者ID登録はしません');
    let snapshot: IdentitySnapshot;
    try {
      snapshot = await ctx.service.setup({ ...endpoint, signer, userId, mode: 'register' });
    } catch (e) {
      // The core kept the profile (the ID exists at e-Gov) and says so; the CLI adds its own next step.
      throw e instanceof TodokeError && isRegisteredButLoginFailed(e) ? registeredButNotLoggedIn(ctx, userId, ctx.credentials.explain(e.cause)) : e;
    }
    printLogin(io, ctx, flags, snapshot, 'register');
    return EXIT_OK;
  });
}

export async function loginCommand(args: string[], io: CliIo): Promise<number> {
  const { flags } = parseIdentityArgs('login', args, ['user-id', 'show-key', ...SIGNER_FLAGS, ...ENDPOINT_FLAGS]);
  const settingUp = flags['user-id'] !== undefined || hasEndpoint(flags) || hasSignerChoice(flags);
  if (!settingUp) {
    return withIdentity(io, flags, async (ctx) => {
      const profile = await ctx.profiles.load(ctx.profileName);
      if (!profile) throw notSetUp(ctx);
      ctx.credentials.checkFits(profile.signer);
      const snapshot = await ctx.service.login();
      printLogin(io, ctx, flags, snapshot, 'login');
      return EXIT_OK;
    });
  }
  // Setting a profile up with an ID registered before (another computer, another program).
  const { userId, endpoint, signer } = await setupFlags(flags, io);
  return withIdentity(io, flags, async (ctx) => {
    await refuseExistingProfile(ctx, '--user-id・接続先・署名者の指定は使いません');
    const snapshot = await ctx.service.setup({ ...endpoint, signer, userId, mode: 'login' });
    printLogin(io, ctx, flags, snapshot, 'setup');
    return EXIT_OK;
  });
}

function printLogin(io: CliIo, ctx: IdentityContext, flags: IdentityFlags, snapshot: IdentitySnapshot, kind: 'register' | 'setup' | 'login'): void {
  const now = io.now();
  const { profile, key } = snapshot;
  printCertificateWarnings(io, snapshot.certificate);
  const lastAuthenticationDate = profile.lastLogin?.lastAuthenticationDate ?? '';
  const at = loggedInAt(snapshot);
  if (flags.json) {
    printJson(io, {
      profile: ctx.profileName,
      userId: profile.userId,
      ...(kind === 'register' ? { registered: true } : {}),
      lastAuthenticationDate,
      loggedInAt: at ? at.toISOString() : null,
      keyObtained: key !== null,
      keyPersisted: snapshot.keyPersisted,
      ...(flags['show-key'] && key ? { accessKey: key.accessKey } : {}),
      environment: environmentJson(profile, ctx.sandboxDir),
      certificate: certificateJson(snapshot.certificate, now),
    });
    return;
  }
  const headline = {
    register: `利用者ID ${profile.userId} を登録し、ログイン（利用者認証）しました。`,
    setup: `利用者ID ${profile.userId} でログイン（利用者認証）し、プロファイル「${ctx.profileName}」に保存しました。`,
    login: `利用者ID ${profile.userId} でログイン（利用者認証）しました。`,
  }[kind];
  const rows: Array<[string, string]> = [
    ['プロファイル', `${ctx.profileName}（${join(ctx.profiles.dir(ctx.profileName), 'profile.json')}）`],
    ['接続先', environmentText(profile, ctx.sandboxDir)],
    ...certificateRows(snapshot.certificate),
    ['前回の認証', lastAuthenticationText(lastAuthenticationDate)],
    ['アクセスキー', key ? `取得しました（${snapshot.keyPersisted ? `${join(ctx.profiles.dir(ctx.profileName), 'secrets.json')} に保存` : '保存していません'}）` : 'ありません'],
  ];
  if (flags['show-key'] && key) rows.push(['キーの値', key.accessKey]);
  io.stdout(`${headline}\n${table(rows)}`);
}

function registeredButNotLoggedIn(ctx: IdentityContext, userId: string, e: unknown): unknown {
  if (!(e instanceof TodokeError)) return e;
  return new TodokeError(
    e.code,
    {
      ja: `利用者ID ${userId} は登録され、プロファイル「${ctx.profileName}」に保存しましたが、続くログイン（利用者認証）に失敗しました: ${e.messageJa} 原因を取り除いてから todoke login${profileFlag(ctx)} でログインしてください。`,
      en: `registered ${userId} but the login after it failed: ${e.message}`,
    },
    { cause: e, detail: { ...e.detail, registered: true } },
  );
}

// ---------------------------------------------------------------------------------------------
// whoami

export async function whoamiCommand(args: string[], io: CliIo): Promise<number> {
  const { flags } = parseIdentityArgs('whoami', args, []);
  return withIdentity(io, flags, async (ctx) => {
    const snapshot = await ctx.service.snapshot();
    if (!snapshot) throw notSetUp(ctx);
    const now = io.now();
    const { profile } = snapshot;
    const at = loggedInAt(snapshot);
    const lastAuthentication = profile.lastLogin ? { lastAuthenticationDate: profile.lastLogin.lastAuthenticationDate, loggedInAt: at ? at.toISOString() : null } : null;
    const certificate = certificateJson(snapshot.certificate, now);
    if (flags.json) {
      printJson(io, {
        profile: ctx.profileName,
        home: ctx.home,
        environment: environmentJson(profile, ctx.sandboxDir),
        userId: profile.userId,
        signer: signerJson(profile),
        certificate,
        lastAuthentication,
        key: keyJson(snapshot, now),
      });
      return EXIT_OK;
    }
    const rows: Array<[string, string]> = [
      ['プロファイル', `${ctx.profileName}（${ctx.profiles.dir(ctx.profileName)}）`],
      ['接続先', environmentText(profile, ctx.sandboxDir)],
      ['利用者ID', profile.userId],
      ...certificateRows(snapshot.certificate),
      ['署名に使うもの', signerText(profile)],
      ['前回の認証', lastAuthentication ? lastAuthenticationText(lastAuthentication.lastAuthenticationDate) : 'まだ認証していません'],
      ['この PC でのログイン', at ? `${jstDisplay(at)} JST` : 'まだログインしていません'],
      ['アクセスキー', keyText(snapshot, now)],
    ];
    io.stdout(table(rows, ''));
    for (const w of certificate.warnings) io.stdout(`警告: ${w.messageJa}\n`);
    return EXIT_OK;
  });
}

// ---------------------------------------------------------------------------------------------
// cert add / delete / update

export async function certCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'add' || sub === 'delete') return certAddOrDelete(sub, rest, io);
  if (sub === 'update') return certUpdate(rest, io);
  throw new UsageError('todoke cert の後には add（追加）、update（更新）、delete（削除）のどれかを指定してください。', 'todoke cert add|update|delete');
}

async function certAddOrDelete(action: 'add' | 'delete', args: string[], io: CliIo): Promise<number> {
  const { flags, positionals } = parseIdentityArgs(`cert ${action}`, args, ['password-env', 'pin-env', 'file-password-env'], { min: 1, max: 1, what: '証明書ファイル FILE ' });
  return withIdentity(io, flags, async (ctx) => {
    const profile = await ctx.profiles.load(ctx.profileName);
    if (!profile) throw notSetUp(ctx);
    ctx.credentials.checkFits(profile.signer);
    const certificate = await readCertificateArgument(io, positionals[0] as string, flags['file-password-env']);
    const change = action === 'add' ? await ctx.service.addCertificate(certificate) : await ctx.service.deleteCertificate(certificate);
    printCertificateChange(io, ctx, flags, action, change.snapshot.profile, change.certificate, change.result.lastAuthenticationDate);
    return EXIT_OK;
  });
}

async function certUpdate(args: string[], io: CliIo): Promise<number> {
  const { flags } = parseIdentityArgs('cert update', args, ['old', 'file-password-env', 'user-id', ...SIGNER_FLAGS, ...ENDPOINT_FLAGS]);
  const oldPath = flags.old;
  if (oldPath === undefined) {
    throw new UsageError('--old に、登録済みの（古い）証明書のファイルを指定してください。', '--old FILE (the registered certificate) is required');
  }
  const signer = await signerReferenceFromFlags(flags, io);
  if (!signer) {
    throw new UsageError(
      '新しい証明書を署名者として指定してください: --p12 ファイル、--key と --cert、または --pkcs11-module と --token。',
      'name the new certificate as the signer',
    );
  }
  const standalone = flags['user-id'] !== undefined || hasEndpoint(flags);
  // without a profile, the ID and the endpoint come from the command line: checked before anything is read or asked
  const userId = standalone ? userIdFrom(flags) : null;
  const endpoint = standalone ? requireEndpoint(await endpointFromFlags(flags, io)) : null;
  return withIdentity(io, flags, async (ctx) => {
    const profile = await ctx.profiles.load(ctx.profileName);
    if (profile && standalone) throw profileExists(ctx, profile, '--user-id・接続先は指定しません（プロファイルの設定を使います）');
    if (!profile && !standalone) {
      const e = notSetUp(ctx);
      throw new CliError(
        e.code,
        {
          ja: `${e.messageJa} プロファイルを作らずに証明書だけを更新するには、--user-id 利用者ID と接続先（--endpoint URL --software-id ID または --sandbox）も指定してください。`,
          en: e.message,
        },
        { detail: e.detail ?? {} },
      );
    }
    const oldCertificate = await readCertificateArgument(io, oldPath, flags['file-password-env']);
    if (profile) {
      const registered = await profileCertificate(ctx);
      if (!oldCertificate.raw.equals(registered.raw)) throw oldMismatch(ctx, oldCertificate, registered);
      const change = await ctx.service.updateCertificate(signer);
      printCertificateChange(io, ctx, flags, 'update', change.snapshot.profile, change.certificate, change.result.lastAuthenticationDate, oldCertificate);
      return EXIT_OK;
    }
    // No profile: the ID, the endpoint and the old certificate all come from the command line.
    if (userId === null || endpoint === null) throw notSetUp(ctx);
    const client = await clientFor(endpoint.environment, endpoint.basicAuthPassword ?? null, ctx.sandbox.provider);
    const newSigner = await openSignerFor(signer, ctx.credentials.ask, { purpose: 'certificate.update' });
    let result: CertificateChangeResult;
    let certificate: X509Certificate;
    try {
      certificate = newSigner.certificate;
      result = await updateCertificate(client, newSigner, { userId, oldCertificate });
    } finally {
      await newSigner.close().catch(() => undefined);
    }
    printCertificateChange(io, ctx, flags, 'update', null, certificate, result.lastAuthenticationDate, oldCertificate, userId);
    return EXIT_OK;
  });
}

async function profileCertificate(ctx: IdentityContext): Promise<X509Certificate> {
  const snapshot = await ctx.service.snapshot();
  if (!snapshot) throw notSetUp(ctx);
  return snapshot.certificate;
}

function oldMismatch(ctx: IdentityContext, given: X509Certificate, registered: X509Certificate): CliError {
  const a = describeCertificate(given);
  const b = describeCertificate(registered);
  return new CliError(
    'CERTIFICATE_MISMATCH',
    {
      ja:
        `--old の証明書（${a.commonName}、シリアル ${a.serialNumber}）は、プロファイル「${ctx.profileName}」が署名に使っている登録済みの証明書` +
        `（${b.commonName}、シリアル ${b.serialNumber}）ではありません。何も送信していません。登録済みの（古い）証明書のファイルを --old に指定してください。`,
      en: '--old is not the certificate registered in the profile; nothing was sent',
    },
    { detail: { given: a.fingerprintSha256, registered: b.fingerprintSha256 } },
  );
}

function printCertificateChange(
  io: CliIo,
  ctx: IdentityContext,
  flags: IdentityFlags,
  action: 'add' | 'delete' | 'update',
  profile: Profile | null,
  certificate: X509Certificate,
  lastAuthenticationDate: string,
  oldCertificate?: X509Certificate,
  standaloneUserId?: string,
): void {
  const now = io.now();
  const userId = profile?.userId ?? standaloneUserId ?? '';
  if (action !== 'delete') printCertificateWarnings(io, certificate);
  if (flags.json) {
    printJson(io, {
      profile: profile ? ctx.profileName : null,
      userId,
      action,
      certificate: certificateJson(certificate, now),
      ...(oldCertificate ? { oldCertificate: certificateJson(oldCertificate, now) } : {}),
      lastAuthenticationDate,
      profileUpdated: action === 'update' && profile !== null,
    });
    return;
  }
  const headline = {
    add: `利用者ID ${userId} に証明書を追加しました。この証明書でもログインできます。`,
    delete: `利用者ID ${userId} から証明書を削除しました。この証明書ではログインできなくなりました。`,
    update: `利用者ID ${userId} の証明書を更新しました。`,
  }[action];
  const rows: Array<[string, string]> = [
    ...certificateRows(certificate, action === 'update' ? '新しい証明書' : action === 'add' ? '追加した証明書' : '削除した証明書'),
    ...(oldCertificate ? [certificateRows(oldCertificate, '古い証明書')[0] as [string, string]] : []),
    ['前回の認証', lastAuthenticationText(lastAuthenticationDate)],
  ];
  if (action === 'update') {
    rows.push(
      profile
        ? ['プロファイル', `${ctx.profileName}: これからは ${signerText(profile)} で署名します`]
        : ['プロファイル', 'ありません（この PC で使うには todoke login --user-id 利用者ID <接続先> <新しい署名者> で設定します）'],
    );
  }
  io.stdout(`${headline}\n${table(rows)}`);
}

// ---------------------------------------------------------------------------------------------
// profile forget

export async function profileCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'forget') throw new UsageError('todoke profile の後には forget（この PC の設定を消す）を指定してください。', 'todoke profile forget');
  const { flags } = parseIdentityArgs('profile forget', rest, []);
  return withIdentity(io, flags, async (ctx) => {
    // A corrupt profile is forgotten too: that is the way out of it.
    let existed = true;
    try {
      existed = (await ctx.profiles.load(ctx.profileName)) !== null;
    } catch (e) {
      if (!isTodokeError(e)) throw e;
    }
    const { setAside } = await ctx.service.forget();
    if (flags.json) printJson(io, { profile: ctx.profileName, forgotten: existed, setAside });
    else if (setAside !== null)
      io.stdout(`読めなくなっていたプロファイル「${ctx.profileName}」を ${setAside} に移しました（削除はしていません）。todoke register か todoke login --user-id … で設定し直せます。\n`);
    else
      io.stdout(
        existed
          ? `プロファイル「${ctx.profileName}」（設定とアクセスキー）をこの PC から削除しました。e-Gov の利用者IDと証明書の登録はそのままです。\n`
          : `プロファイル「${ctx.profileName}」はありませんでした。\n`,
      );
    return EXIT_OK;
  });
}
