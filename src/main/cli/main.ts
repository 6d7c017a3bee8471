// Main process (CLI host). `todoke`: the core's use cases for power users and scripts.
import { readFileSync } from 'node:fs';
import { TodokeError } from '../../shared/errors.js';
import { sandboxCommand } from './commands/sandbox.js';
import { signKouseiCommand } from './commands/sign-kousei.js';
import { signRequestCommand } from './commands/sign-request.js';
import { verifyCommand } from './commands/verify.js';
import type { CliIo } from './io.js';
import { EXIT_OK, EXIT_USAGE } from './io.js';
import { UsageError } from './usage-error.js';

export const HELP = `todoke — e-Gov 電子申請 (外部連携API v1) クライアント

使い方:
  todoke sign request --user-id ID [--kind register|login] [--signature-id ID] <署名者>
      署名付きの 利用者ID登録 / 利用者認証 リクエストを標準出力に書きます。
  todoke sign kousei DIR [--signature-id ID] [--reference-form percent-encoded|raw] [--json] <署名者>
      申請データのフォルダの kousei.xml に署名します（先にバックアップを作ります）。
  todoke verify FILE [--json] [--at ISO-8601] [--trust CERT]... [--profile auto|request|kousei|official]
      署名付きリクエスト、kousei.xml（フォルダ内のファイルも）、公文書の署名を検証します。

  todoke sandbox [--port N] [--data DIR] [--software-id ID]... [--trust FILE]... [--clock ISO-8601] [--key-ttl 秒] [--https]
      検証用サンドボックス（e-Gov 検証環境の代わり）を起動します。todoke sandbox --help で詳細。

<署名者>:
  --p12 FILE [--password-env VAR]                 PKCS#12 (.p12/.pfx)
  --key FILE --cert FILE [--password-env VAR]     PEM 秘密鍵 + 証明書 (PEM/DER)
  --pkcs11-module PATH (--token LABEL | --token-serial SERIAL) [--cert-id HEX] [--pin-env VAR]
                                                  IC カード/トークン (PKCS#11)。PIN は環境変数か入力欄から。

終了コード: 0 成功・署名有効, 1 署名無効, 2 使い方・入力の誤り
状態は $TODOKE_HOME（既定: OS のアプリケーションデータフォルダ）に保存します。
`;

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, sub, ...rest] = argv;
  try {
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      io.stdout(HELP);
      return command === undefined ? EXIT_USAGE : EXIT_OK;
    }
    if (command === '--version') {
      io.stdout(`${version()}\n`);
      return EXIT_OK;
    }
    if (command === 'sign' && sub === 'request') return await signRequestCommand(rest, io);
    if (command === 'sign' && sub === 'kousei') return await signKouseiCommand(rest, io);
    if (command === 'sandbox') return await sandboxCommand(sub === undefined ? rest : [sub, ...rest], io);
    if (command === 'verify') return await verifyCommand(sub === undefined ? rest : [sub, ...rest], io);
    throw new UsageError(`不明なコマンドです: ${argv.slice(0, 2).join(' ')}`, `unknown command: ${argv.slice(0, 2).join(' ')}`);
  } catch (e) {
    return reportError(e, io);
  }
}

function reportError(e: unknown, io: CliIo): number {
  if (e instanceof UsageError) {
    io.stderr(`エラー: ${e.messageJa}\n\n${HELP}`);
    return EXIT_USAGE;
  }
  if (e instanceof TodokeError) {
    io.stderr(`エラー [${e.code}]: ${e.messageJa}\n`);
    return EXIT_USAGE;
  }
  // node:util parseArgs throws TypeErrors with codes for unknown or malformed flags.
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
    io.stderr(`エラー: 引数が正しくありません: ${(e as Error).message}\n\n${HELP}`);
    return EXIT_USAGE;
  }
  io.stderr(`エラー: 予期しないエラーが発生しました: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  return EXIT_USAGE;
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
