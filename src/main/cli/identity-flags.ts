// Main process (CLI host). The flags of the identity commands (register, login, whoami, cert,
// profile): the signer and endpoint flags, and the ones of their own (--profile, --user-id, …),
// parsed together so that a flag of another identity command is named as such.
import { parseArgs } from 'node:util';
import { USER_ID_PATTERN } from '../../shared/contract.js';
import { DEFAULT_PROFILE } from '../profiles/profile.js';
import { endpointOptions } from './endpoint-flags.js';
import { shown } from './shown.js';
import { signerOptions } from './signer-flags.js';
import { UsageError } from './usage-error.js';

const identityOptions = {
  ...signerOptions,
  ...endpointOptions,
  profile: { type: 'string' },
  json: { type: 'boolean' },
  'user-id': { type: 'string' },
  'show-key': { type: 'boolean' },
  old: { type: 'string' },
  'file-password-env': { type: 'string' },
} as const;

export type IdentityOption = keyof typeof identityOptions;
export type IdentityFlags = { [K in IdentityOption]?: (typeof identityOptions)[K]['type'] extends 'boolean' ? boolean : string };

/**
 * Parses the flags of one identity command. Every identity flag is known to the parser, so a flag
 * of another identity command gets a message saying where it belongs rather than "unknown option".
 */
export function parseIdentityArgs(
  command: string,
  args: string[],
  allowed: readonly IdentityOption[],
  positionals: { min: number; max: number; what?: string } = { min: 0, max: 0 },
): { flags: IdentityFlags; positionals: string[] } {
  const parsed = parseArgs({ args, options: identityOptions, strict: true, allowPositionals: true });
  const flags = parsed.values as IdentityFlags;
  const allow = new Set<string>(['profile', 'json', ...allowed]);
  for (const name of Object.keys(flags)) {
    if (!allow.has(name)) {
      throw new UsageError(`--${name} は todoke ${command} では使えません。todoke help で使い方を確かめてください。`, `--${name} does not apply to todoke ${command}`);
    }
  }
  const rest = parsed.positionals;
  if (rest.length < positionals.min) {
    throw new UsageError(`${positionals.what ?? '引数'}を指定してください（todoke ${command} ${positionals.what ?? ''}）。`, `todoke ${command}: missing ${positionals.what ?? 'argument'}`);
  }
  if (rest.length > positionals.max) {
    throw new UsageError(`余分な引数があります: ${shown(rest.slice(positionals.max).join(' '))}`, `todoke ${command}: unexpected argument`);
  }
  return { flags, positionals: rest };
}

export function profileNameOf(flags: IdentityFlags): string {
  return flags.profile ?? DEFAULT_PROFILE;
}

/** --user-id, required and checked (also by `sign request`, whose body carries it). */
export function userIdFrom(flags: { 'user-id'?: string | undefined }): string {
  const userId = flags['user-id'];
  if (userId === undefined) {
    throw new UsageError('--user-id に利用者IDを指定してください。', '--user-id ID is required');
  }
  if (!USER_ID_PATTERN.test(userId)) {
    throw new UsageError(
      `利用者ID「${shown(userId)}」は使えません。利用者IDは半角の英数字・記号で、空白を含めず 64 文字以内です。`,
      'the user ID must be 1-64 printable ASCII characters without spaces',
    );
  }
  return userId;
}
