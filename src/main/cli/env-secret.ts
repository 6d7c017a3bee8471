// Main process (CLI host). A password or PIN handed over as the name of an environment variable
// (--password-env, --pin-env, --file-password-env, --basic-auth-password-env), so that the secret
// itself never sits in the command line, the shell history or `ps`.
import type { CliIo } from './io.js';
import { shown } from './shown.js';
import { UsageError } from './usage-error.js';

/** The value of the variable `name` names; `flag` and `what` word the messages. */
export function readEnvSecret(io: CliIo, flag: string, name: string, what: string): string {
  // Not echoed unless it looks like a variable name: people do type the secret itself here.
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,127}$/.test(name)) {
    throw new UsageError(`--${flag} には、${what}を入れた環境変数の「名前」を指定してください（${what}そのものではありません）。`, `--${flag} takes the name of an environment variable`);
  }
  const value = io.env[name];
  if (value === undefined) {
    throw new UsageError(`環境変数 ${shown(name)} が設定されていません（${what}を入れてください）。`, `environment variable ${name} is not set`);
  }
  return value;
}
