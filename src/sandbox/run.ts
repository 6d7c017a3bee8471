// Sandbox (Node). The sandbox as a program: `todoke sandbox …` and `npm run sandbox -- …` both
// come here. Starts the server, says where it listens, and runs until the signal (Ctrl+C).
//   sandbox [--port N] [--host H] [--data DIR] [--software-id ID]... [--trust FILE]... [--clock ISO]
//           [--key-ttl SECONDS] [--https] [--admin-port N] [--scenario FILE]
//   sandbox tls-ca [--data DIR] [--host H]    prints the CA certificate HTTPS clients must trust
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { todokeHome } from '../main/profiles/home.js';
import { parseSandboxArgs, settingsToOptions } from './config.js';
import { SandboxError } from './errors.js';
import { readScenarioFile, ScenarioError, type Scenario } from './operator/scenario.js';
import { startSandbox } from './server.js';
import { ensureTlsMaterial } from './tls.js';

export interface SandboxRunIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  cwd: string;
}

export const SANDBOX_HELP = `todoke sandbox — e-Gov 外部連携API v1 の検証用サンドボックス

使い方:
  todoke sandbox [--port N] [--host ADDR] [--data DIR] [--software-id ID]... [--trust FILE]...
                 [--clock ISO-8601] [--key-ttl SECONDS] [--https] [--admin-port N] [--scenario FILE]
                 [--format-check-delay SECONDS] [--max-list-records N] [--standin-bank]
  todoke sandbox tls-ca [--data DIR] [--host ADDR]
      HTTPS のクライアントが信頼すべき CA 証明書 (PEM) を表示します。
  todoke sandbox op ACTION --arrive-id ID --admin-port N [--status TEXT] [--process-type TEXT] [--json]
  todoke sandbox op issue-correction --arrive-id ID --admin-port N [--title T] [--text TEXT] [--deadline YYYYMMDD] [--json]
  todoke sandbox op issue-comment --arrive-id ID --admin-port N [--title T] [--text TEXT] [--json]
  todoke sandbox op issue-document --arrive-id ID --admin-port N [--pdf] [--title T] [--text TEXT]
                 [--tamper] [--expired-signer | --unknown-ca] [--json]
  todoke sandbox op add-payment --arrive-id ID --admin-port N --amount N --deadline YYYYMMDD
                 [--name-kana TEXT] [--json]
  todoke sandbox op expire-payment|pay --arrive-id ID --admin-port N --pay-number N [--json]
  todoke sandbox op show --arrive-id ID --admin-port N [--json]
  todoke sandbox op scenario --file FILE --admin-port N [--json]
      起動中のサンドボックスの管理ポートに接続し、府省側の操作をします（ACTION: start-exam,
      finish-exam, finish, set-status, set-reintroduction, accept-withdrawal, reject-withdrawal）。
      issue-correction は補正通知、issue-comment はコメント、issue-document は官職署名付きの公文書を
      発行します（--pdf で PDF を添付、--tamper / --expired-signer / --unknown-ca で検証に失敗する公文書）。
      add-payment は未納の納付（納付番号・確認番号・収納機関番号は自動）を登録し、expire-payment は
      納付期限切れに、pay は納付済にします（金融機関サイトの代わり）。

  --port N            待ち受けるポート（既定 8090、0 は空いている番号）
  --host ADDR         待ち受けるアドレス（既定 127.0.0.1）
  --data DIR          データ（SQLite、HTTPS 証明書、sandbox.json）のフォルダー
                      （既定 $TODOKE_HOME/sandbox）
  --software-id ID    受け付けるソフトウェアID（複数可、既定 TODOKESANDBOX1）
  --trust FILE        信頼する証明書（PEM/DER、複数可）。同梱の Todoke Sandbox Test CA に追加されます
  --clock ISO-8601    サンドボックスの時刻を固定します（証明書の有効期間、日時、アクセスキーの期限）
  --key-ttl SECONDS   アクセスキーの有効期間（既定 86400）
  --https             HTTPS で待ち受けます（証明書は初回に DIR/tls/ に作成）
  --admin-port N      府省側の操作（審査開始など）を受け付ける管理ポート（127.0.0.1 のみ、0 は空いている番号）
  --scenario FILE     起動後にシナリオファイル（JSON）の操作を順に実行します
  --format-check-delay SECONDS
                      一括申請から形式チェックまでの時間（既定 3 秒、0〜3600）
  --max-list-records N
                      送信案件一覧 1 回の応答の件数上限（既定 1000）
  --standin-bank      練習銀行（電子納付で移動する金融機関サイトの代わり）を 127.0.0.1 の空いている
                      ポートで動かし、金融機関一覧の「Todoke練習銀行（サンドボックス）」をそこに向けます
                      （コマンドラインだけで指定できます）

同じ名前の項目を DIR/sandbox.json に書けます（コマンドラインの指定が優先）。
`;

export function defaultDataDir(env: Record<string, string | undefined>): string {
  return join(todokeHome(env), 'sandbox');
}

function waitForStop(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal) {
      if (signal.aborted) resolve();
      else signal.addEventListener('abort', () => resolve(), { once: true });
      return;
    }
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** Exit code: 0 after a clean stop, 2 for a usage or configuration error. */
export async function runSandbox(args: string[], io: SandboxRunIo, opts: { signal?: AbortSignal } = {}): Promise<number> {
  try {
    if (args[0] === 'help' || args.includes('--help') || args.includes('-h')) {
      io.stdout(SANDBOX_HELP);
      return 0;
    }
    if (args[0] === 'tls-ca') {
      const { values } = parseTlsCaArgs(args.slice(1));
      const settings = parseSandboxArgs(values, { cwd: io.cwd, defaultDataDir: defaultDataDir(io.env) });
      io.stdout(ensureTlsMaterial(settings.dataDir, settings.host).caPem);
      return 0;
    }
    const settings = parseSandboxArgs(args, { cwd: io.cwd, defaultDataDir: defaultDataDir(io.env) });
    // a scenario is checked before anything listens: a mistake in it is a usage error
    const scenario: Scenario | null = settings.scenario ? readScenarioFile(settings.scenario) : null;
    const handle = await startSandbox({ ...settingsToOptions(settings), log: (line) => io.stdout(`${line}\n`) });
    io.stdout(
      [
        `e-Gov v1 サンドボックスを起動しました: ${handle.apiBaseUrl}`,
        `データ: ${handle.dataDir}`,
        `ソフトウェアID: ${handle.softwareIds.join(', ')}`,
        `アクセスキーの有効期間: ${settings.keyTtlSeconds} 秒`,
        ...(settings.clock ? [`時刻を固定しています: ${settings.clock.toISOString()}`] : []),
        ...(handle.tlsCaPath ? [`HTTPS の CA 証明書（クライアントで信頼してください）: ${handle.tlsCaPath}`] : []),
        ...(handle.adminPort !== null ? [`管理ポート（府省側の操作）: ${handle.adminUrl}  例: todoke sandbox op start-exam --arrive-id 到達番号 --admin-port ${handle.adminPort}`] : []),
        ...(handle.standInBankUrl !== null ? [`練習銀行（電子納付の金融機関サイトの代わり）: ${handle.standInBankUrl}`] : []),
        '終了するには Ctrl+C を押してください。',
        '',
      ].join('\n'),
    );
    const scenarioRun = scenario
      ? handle.runScenario(scenario).then(
          (r) => io.stdout(`シナリオを実行しました: ${r.steps} 手順、${r.performed} 件の操作、失敗 ${r.failureCount} 件\n${r.failures.map((f) => `  手順 ${f.step} ${f.arriveId}: ${f.message}\n`).join('')}`),
          (e: unknown) => io.stderr(`シナリオの実行中にエラーが起きました: ${e instanceof Error ? e.message : String(e)}\n`),
        )
      : Promise.resolve();
    await waitForStop(opts.signal);
    await handle.close();
    await scenarioRun;
    io.stdout('サンドボックスを終了しました。\n');
    return 0;
  } catch (e) {
    if (e instanceof SandboxError || e instanceof ScenarioError) {
      io.stderr(`エラー [${e.code}]: ${e.messageJa}\n`);
      return 2;
    }
    throw e;
  }
}

function parseTlsCaArgs(args: string[]): { values: string[] } {
  try {
    const { values } = parseArgs({ args, options: { data: { type: 'string' }, host: { type: 'string' } }, strict: true, allowPositionals: false });
    return { values: [...(values.data ? ['--data', values.data] : []), ...(values.host ? ['--host', values.host] : [])] };
  } catch (cause) {
    throw new SandboxError('SANDBOX_CONFIG', { ja: `引数が正しくありません: ${(cause as Error).message}`, en: (cause as Error).message }, { cause });
  }
}
