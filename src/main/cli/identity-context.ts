// Main process (CLI host). What an identity command works with: the IdentityService of one profile
// under $TODOKE_HOME, answering its password / PIN requests with the CLI's prompt, and the
// messages for a profile that is not (or already) set up, naming the commands that fix it.
import { join } from 'node:path';
import { embeddedSandbox, type EmbeddedSandbox } from '../app/embedded-sandbox.js';
import { IdentityService } from '../identity/service.js';
import { todokeHome } from '../profiles/home.js';
import { DEFAULT_PROFILE, type Profile } from '../profiles/profile.js';
import { ProfileStore } from '../profiles/profile-store.js';
import { FileSecretStore } from '../profiles/secret-store.js';
import { CliError } from './cli-error.js';
import { CliCredentials } from './credentials.js';
import { profileNameOf, type IdentityFlags } from './identity-flags.js';
import type { CliIo } from './io.js';

export interface IdentityContext {
  home: string;
  profileName: string;
  profiles: ProfileStore;
  service: IdentityService;
  /** the built-in sandbox in <home>/sandbox, started only if a call needs it */
  sandbox: EmbeddedSandbox;
  sandboxDir: string;
  credentials: CliCredentials;
}

/** Runs `task` with the profile's IdentityService; the built-in sandbox is stopped afterwards. */
export async function withIdentity<T>(io: CliIo, flags: IdentityFlags, task: (ctx: IdentityContext) => Promise<T>): Promise<T> {
  const home = todokeHome(io.env);
  const profileName = profileNameOf(flags);
  const profiles = new ProfileStore(home);
  const credentials = new CliCredentials(io, flags);
  const sandboxDir = join(home, 'sandbox');
  const sandbox = embeddedSandbox(sandboxDir);
  try {
    const service = new IdentityService({
      profiles,
      profileName,
      secrets: (dir) => new FileSecretStore(dir),
      ask: credentials.ask,
      sandbox: sandbox.provider,
      now: () => io.now(),
    });
    return await task({ home, profileName, profiles, service, sandbox, sandboxDir, credentials });
  } catch (e) {
    throw credentials.explain(e);
  } finally {
    await sandbox.close();
  }
}

export function notSetUp(ctx: Pick<IdentityContext, 'profileName' | 'home'>): CliError {
  return new CliError(
    'IDENTITY_NOT_SET_UP',
    {
      ja:
        `プロファイル「${ctx.profileName}」はまだ設定されていません（${join(ctx.home, 'profiles', ctx.profileName)}）。` +
        `先に todoke register${profileFlag(ctx)} --user-id 利用者ID <接続先> <署名者> で利用者IDを登録するか、` +
        `登録済みの利用者IDなら todoke login${profileFlag(ctx)} --user-id 利用者ID <接続先> <署名者> で設定してください。`,
      en: `profile "${ctx.profileName}" is not set up: run todoke register or todoke login --user-id first`,
    },
    { detail: { profile: ctx.profileName } },
  );
}

export function profileExists(ctx: Pick<IdentityContext, 'profileName'>, profile: Profile, what: string): CliError {
  return new CliError(
    'PROFILE_EXISTS',
    {
      ja:
        `プロファイル「${ctx.profileName}」は利用者ID ${profile.userId} で設定済みのため、${what}。` +
        `保存した設定でログインするには todoke login${profileFlag(ctx)} だけを実行してください。` +
        `別の利用者IDを使うには --profile 別の名前 を指定するか、todoke profile forget${profileFlag(ctx)} でこの PC の設定を消してからやり直してください。`,
      en: `profile "${ctx.profileName}" is already set up (${profile.userId})`,
    },
    { detail: { profile: ctx.profileName } },
  );
}

/** ` --profile NAME` to repeat in a suggested command; nothing for the default profile. */
export function profileFlag(ctx: Pick<IdentityContext, 'profileName'>): string {
  return ctx.profileName === DEFAULT_PROFILE ? '' : ` --profile ${ctx.profileName}`;
}
