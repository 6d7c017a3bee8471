// Main process (CLI host). What the filing commands (apply, outbox, sends, arrived) work with: the
// saved profile (never flags for an endpoint or a signer: filing is always on a set-up profile), its
// outbox in $TODOKE_HOME/profiles/<name>/todoke.sqlite, the gateway to its endpoint and the session
// that logs in by itself; and the checks of their arguments (送信番号, days).
import { isSendNumber } from '../egov/apply-codec.js';
import { parseJstTimestamp } from '../egov/dates.js';
import type { Profile } from '../profiles/profile.js';
import type { EgovGateway } from '../session/gateway.js';
import type { EgovSession } from '../session/session.js';
import { openStore } from '../store/db.js';
import { Outbox } from '../store/outbox.js';
import { notSetUp, withIdentity, type IdentityContext } from './identity-context.js';
import type { CliIo } from './io.js';
import { shown } from './shown.js';
import { UsageError } from './usage-error.js';

/** The flags every filing command takes (parseArgs options). */
export const filingOptions = {
  profile: { type: 'string' },
  json: { type: 'boolean', default: false },
  'password-env': { type: 'string' },
  'pin-env': { type: 'string' },
} as const;

export interface FilingFlags {
  profile?: string | undefined;
  json?: boolean | undefined;
  'password-env'?: string | undefined;
  'pin-env'?: string | undefined;
}

export interface FilingContext extends IdentityContext {
  profile: Profile;
  outbox: Outbox;
  gateway: EgovGateway;
  session: EgovSession;
}

/** Runs `task` on the saved profile with its outbox open; refuses a profile that is not set up. */
export async function withFiling<T>(io: CliIo, flags: FilingFlags, task: (ctx: FilingContext) => Promise<T>): Promise<T> {
  const identityFlags = {
    ...(flags.profile !== undefined ? { profile: flags.profile } : {}),
    ...(flags['password-env'] !== undefined ? { 'password-env': flags['password-env'] } : {}),
    ...(flags['pin-env'] !== undefined ? { 'pin-env': flags['pin-env'] } : {}),
  };
  return withIdentity(io, identityFlags, async (ctx) => {
    const profile = await ctx.profiles.load(ctx.profileName);
    if (!profile) throw notSetUp(ctx);
    ctx.credentials.checkFits(profile.signer);
    const store = openStore(ctx.home, ctx.profileName);
    try {
      const outbox = new Outbox(store);
      const gateway = await ctx.service.gateway();
      const session = await ctx.service.session();
      return await task({ ...ctx, profile, outbox, gateway, session });
    } finally {
      store.close();
    }
  });
}

/** A 送信番号 from the command line: 18 digits, the first 14 a real JST time. */
export function sendNumberArg(text: string, what: string): string {
  if (!isSendNumber(text)) {
    throw new UsageError(
      `${what}「${shown(text, 40)}」は送信番号ではありません。送信番号は 18 桁の数字です（例: 202601151000000001）。`,
      `${what}: not a 送信番号 (18 digits)`,
    );
  }
  return text;
}

/** A day YYYYMMDD (JST) from the command line. */
export function dayArg(text: string | undefined, flag: '--from' | '--to'): string {
  if (text === undefined) {
    throw new UsageError('送信日で探すときは --from YYYYMMDD と --to YYYYMMDD の両方を指定してください。', `${flag} YYYYMMDD is required`);
  }
  if (!/^\d{8}$/.test(text) || parseJstTimestamp(`${text}000000`) === undefined) {
    throw new UsageError(`${flag} には実在する日付を YYYYMMDD の 8 桁で指定してください（「${shown(text, 40)}」）。`, `${flag} takes a real date YYYYMMDD`);
  }
  return text;
}
