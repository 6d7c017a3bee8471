// Main process (CLI host). `todoke`: the core's use cases for power users and scripts.
import { readFileSync } from 'node:fs';
import { TodokeError } from '../../shared/errors.js';
import { applyCommand } from './commands/apply.js';
import { casesCommand } from './commands/cases.js';
import { checkCommand } from './commands/check.js';
import { commentCommand, docCommand } from './commands/documents.js';
import { certCommand, loginCommand, profileCommand, registerCommand, whoamiCommand } from './commands/identity.js';
import { noticesCommand } from './commands/notices.js';
import { banksCommand, payCommand, paymentsCommand } from './commands/payments.js';
import { outboxCommand } from './commands/outbox.js';
import { sandboxCommand } from './commands/sandbox.js';
import { arrivedCommand, sendsCommand } from './commands/sends.js';
import { signKouseiCommand } from './commands/sign-kousei.js';
import { statusCommand } from './commands/status.js';
import { withdrawCommand } from './commands/withdraw.js';
import { amendCommand } from './commands/amend.js';
import { syncCommand } from './commands/sync.js';
import { signRequestCommand } from './commands/sign-request.js';
import { verifyCommand } from './commands/verify.js';
import type { CliIo } from './io.js';
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE } from './io.js';
import { UsageError } from './usage-error.js';

const HELP = `todoke — e-Gov 電子申請 (外部連携API v1) クライアント

使い方:
  todoke sign request --user-id ID [--kind register|login] [--signature-id ID] <署名者>
      署名付きの 利用者ID登録 / 利用者認証 リクエストを標準出力に書きます。
  todoke sign kousei DIR [--signature-id ID] [--reference-form percent-encoded|raw] [--json] <署名者>
      申請データのフォルダの kousei.xml に署名します（先にバックアップを作ります）。
  todoke check DIR|ZIP... [--json] [--max-file-bytes N]
      申請データ（申請フォルダー、それをまとめたフォルダー、または ZIP）を送信前に確かめます。署名・通信はしません。エラーがあれば終了コード 1（警告だけなら 0）。
  todoke verify FILE [--json] [--at ISO-8601] [--trust CERT]... [--profile auto|request|kousei|official]
      署名付きリクエスト、kousei.xml（フォルダ内のファイルも）、公文書の署名を検証します。

  todoke sandbox [--port N] [--data DIR] [--software-id ID]... [--trust FILE]... [--clock ISO-8601] [--key-ttl 秒] [--https]
      検証用サンドボックス（e-Gov 検証環境の代わり）を起動します。todoke sandbox --help で詳細。

利用者ID と証明書（状態は $TODOKE_HOME/profiles/<名前>/ に保存。どれも [--profile 名前]（既定 default）と [--json] が使えます）:
  todoke register --user-id ID <接続先> <署名者> [--show-key]
      利用者ID登録のあと利用者認証をして、プロファイルを保存します。
  todoke login [--password-env VAR | --pin-env VAR] [--show-key]
      保存したプロファイルで利用者認証をして、アクセスキーを取得します（パスワード/PIN は環境変数か入力欄から）。
  todoke login --user-id ID <接続先> <署名者> [--show-key]
      登録済みの利用者IDでログインして、この PC のプロファイルを作ります。
  todoke whoami
      プロファイルの内容（接続先、利用者ID、証明書と期限の警告、前回の認証、アクセスキーの有無と取得からの時間）。通信しません。
  todoke cert add FILE [--file-password-env VAR] [--password-env VAR | --pin-env VAR]
      FILE の証明書を追加します（証明書識別情報追加。プロファイルの証明書で署名）。
  todoke cert delete FILE [--file-password-env VAR] [--password-env VAR | --pin-env VAR]
      FILE の証明書を削除します（証明書識別情報削除。プロファイルの証明書で署名）。
  todoke cert update --old FILE <新しい署名者> [--file-password-env VAR]
      登録済みの証明書 FILE を新しい証明書に更新します（証明書識別情報更新。新しい証明書で署名）。以後は新しい証明書で署名します。
  todoke cert update --old FILE --user-id ID <接続先> <新しい署名者>
      プロファイルなしで更新します（プロファイルは作りません）。
  todoke profile forget
      プロファイルとアクセスキーをこの PC から消します（e-Gov の登録はそのまま）。
  FILE は PEM / DER の証明書、または .p12 / .pfx（パスワードは --file-password-env か入力欄）。

申請（保存したプロファイルで。どれも [--profile 名前] [--json]、署名・ログインには [--password-env VAR | --pin-env VAR]）:
  todoke apply DIR|ZIP... [--wait] [--resend-of 送信番号]...
      申請データを確かめ（エラーがあれば check の結果を表示して終了コード 1）、プロファイルの証明書で署名して一括申請し、送信番号を表示します。
      送信前に送信箱（$TODOKE_HOME/profiles/<名前>/todoke.sqlite）に記録します。--wait は形式チェックが終わるまで待ち（1, 2, 5, 10 秒後、以後 15 秒ごと、最長 10 分）、到達番号を表示します。
      送信済みの同じ申請データは、その送信番号を --resend-of で指定したときだけ送信します。
  todoke outbox
      届いたか不明な送信を送信案件一覧と照合してから（再送信はしません）、送信箱を新しい順に表示します。
  todoke outbox decide 送信ID --mine 送信番号 | --none | --arrived | --not-arrived
      候補が複数あって判断待ちの送信について、どの送信番号がこの送信か（--mine）、どれでもないか（--none）を記録します。
      取下げ・補正は、e-Gov に届いていたか（--arrived）、届いていなかったか（--not-arrived）を記録します。
  todoke sends --id 送信番号 | --from YYYYMMDD --to YYYYMMDD
      送信案件一覧（一括申請ごとの件数、形式チェックの状態、申請）。日付は送信日（日本時間）。
  todoke arrived 送信番号
      申請案件一覧（到達番号、手続、フォルダー、状況）。
  --show-key はアクセスキーの値も表示します（既定では表示しません）。

案件（到達した申請。保存したプロファイルで。どれも [--profile 名前] [--json]）:
  todoke status 到達番号
      状況照会をして、状況・日時・履歴を表示します。この PC の案件なら、結果を保存します。取下げとの結び付きも表示します。
  todoke withdraw 到達番号 --reason 理由 [--kind application|request] [--remarks 備考]
                  [--applicant-name 氏名 --applicant-address 住所 --applicant-phone 電話番号]
      案件を取り下げます（application: 取下げ申請（既定）、request: 取下げ依頼）。プロファイルの証明書で署名し、送信前に送信箱に記録して 1 回だけ送信し、
      取下げの到達番号を表示します。申請者・連絡先はこの PC から送信した申請の kousei.xml から読み取ります（ほかで送信した案件は --applicant-* で指定）。
      同じ案件の取下げが記録済み・送信中・照合待ち・到達済みのときは送信しません。
  todoke amend 到達番号 DIR [--reamend | --partamend [--basic-form] [--attached]]
      案件を補正します。DIR は直した申請のフォルダー（kousei.xml・申請書・添付書類）。kousei.xml の初回受付番号・申請種別（再提出）を書き換え、
      プロファイルの証明書で署名し、送信前に送信箱に記録して 1 回だけ補正申請を送信し、補正の到達番号を表示します。
      この PC から送信した案件なら、提出済みの申請との違いを項目ごとに表示し、何も変わっていなければ送信しません。
      --reamend / --partamend は廃止された再提出・部分補正の API で送ります（部分補正は --basic-form 申請書 / --attached 添付書類）。
      同じ案件の補正が送信前・送信中・照合待ち・判断待ちのときは送信しません。
  todoke sync [--watch [--interval 秒]]
      案件を最新にします。送信日ごとにまとめて送信案件一覧を問い合わせ、変化のあった案件だけ状況照会をして、変化を表示します。
      --watch は Ctrl+C まで繰り返します（既定 300 秒ごと。失敗が続くと間隔を延ばします。最初の 1 回のあとはログインしません）。
      一部の案件を確認できなかったときは終了コード 1、何も確認できなかったときは 2。
  todoke cases [--status 状況] [--procedure 手続名称] [--applicant 氏名] [--from YYYYMMDD] [--to YYYYMMDD] [--search 文字列] [--limit N] [--csv]
      保存した案件を新しい順に表示します（通信しません）。状況ごとの件数と、補正・未読コメント・未取得の公文書・納付待ちも表示します。
      --from/--to は送信日（日本時間）、--search は到達番号・氏名・法人名・手続名称の一部。
      --csv は条件に合うすべての案件を CSV（UTF-8、見出し付き）で標準出力に書き出します（Excel 用の書き出しはアプリの案件画面から）。

通知（補正通知・公文書・コメント。保存したプロファイルで。どれも [--profile 名前] [--json]。通知番号 N は 1〜9999）:
  todoke notices 到達番号
      公文書・コメント一覧と補正通知一覧を問い合わせて記録し、案件の通知をすべて表示します（種類、通知番号、表題、発行日時、補正期限、
      e-Gov の状態、Todoke での状態、公文書の検証結果）。補正通知は一覧と一緒に届くので保管します。公文書・コメントの取得と取得完了はしません。
  todoke doc get 到達番号 N [--out フォルダー [--force]]
      公文書を取得して保管庫に保管し、署名を検証して、ファイルと判定を表示します。--out はファイルをフォルダーにも書き出します
      （内容の違うファイルがあれば何も書かずに終了。--force で置き換え）。取得完了は送りません（doc done で送ります）。
  todoke doc done 到達番号 N
      公文書取得完了を送ります。この PC の保管庫にない公文書には送りません（先に doc get）。
  todoke doc verify 到達番号 N
      Todoke の検証と e-Gov の公文書署名検証を並べて表示します。両方とも有効なときだけ終了コード 0、それ以外は 1。
  todoke doc show 到達番号 N [--html ファイル [--force]]
      公文書の本文、ファイル、検証結果を表示します。--html は表示用の HTML（スクリプトなし・外部の読み込みなし）を書き出します。
  todoke comment get 到達番号 N [--out フォルダー [--force]]
  todoke comment done 到達番号 N
      コメントについて doc get / doc done と同じことをします（get は本文も表示します）。

電子納付（保存したプロファイルで。どれも [--profile 名前] [--json]）:
  todoke banks
      電子納付対応金融機関一覧を e-Gov の分け方（銀行等は頭文字ごと、信用金庫・信用組合・農協・漁協・労働金庫）で表示します。
      Todoke が開かない金融機関（http や形式の正しくない URL）は理由と一緒に表示します。
  todoke payments 到達番号
      電子納付情報一覧: 納付ごとに金額、納付期限（日本時間）、状況（e-Gov の表示のまま）、収納機関番号・納付番号・確認番号、注意点。
  todoke pay 到達番号 納付番号 --bank 金融機関名
      金融機関サイト表示を求め、移動先の URL と送信するフォーム、ATM で納付するときの 3 つの番号を表示します。
      ブラウザーは開かず、金融機関には何も送りません。移動できないときは e-Gov の応答を表示して終了コード 1。

<接続先>:
  --sandbox                                       組み込みの検証用サンドボックス（$TODOKE_HOME/sandbox。アプリと共用）
  --endpoint URL --software-id ID [--ca FILE] [--basic-auth-user USER --basic-auth-password-env VAR]
                                                  e-Gov（https://ホスト名/ か https://ホスト名/shinsei/1/）や検証環境。http はこの PC 内のみ

<署名者>:
  --p12 FILE [--password-env VAR]                 PKCS#12 (.p12/.pfx)
  --key FILE --cert FILE [--password-env VAR]     PEM 秘密鍵 + 証明書 (PEM/DER)
  --pkcs11-module PATH (--token LABEL | --token-serial SERIAL) [--cert-id HEX] [--pin-env VAR]
                                                  IC カード/トークン (PKCS#11)
  パスワード/PIN は環境変数（--password-env / --pin-env）か入力欄から。どのコマンドでも同じです。
  環境変数のパスワード/PIN は 1 回だけ試します（IC カードのロックを避けるため再試行しません）。

終了コード: 0 成功・署名有効, 1 署名無効（verify）・e-Gov が要求を受け付けなかった（register/login/cert/apply。サーバーのメッセージを表示）,
            申請データのエラー・送信済みの同じデータ・届いたか不明・--wait で全件は到達しなかった（apply）,
            通知が一覧にない・保管庫にない（doc/comment）・--out に内容の違うファイルがある・検証で有効と確認できない（doc verify）,
            金融機関サイトへ移動できない・金融機関や納付が一覧にない（pay）,
            2 使い方・入力の誤り、接続できないなどその他の失敗
--json のときエラーは標準出力に {"error": {"code", "message", "messageJa"}}、標準エラーに「エラー [コード]: メッセージ」。
状態は $TODOKE_HOME（既定: OS のアプリケーションデータフォルダ）に保存します。
`;

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, sub, ...rest] = argv;
  const subAndRest = sub === undefined ? rest : [sub, ...rest];
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
    if (command === 'sandbox') return await sandboxCommand(subAndRest, io);
    if (command === 'verify') return await verifyCommand(subAndRest, io);
    if (command === 'check') return await checkCommand(subAndRest, io);
    if (command === 'register') return await registerCommand(subAndRest, io);
    if (command === 'login') return await loginCommand(subAndRest, io);
    if (command === 'whoami') return await whoamiCommand(subAndRest, io);
    if (command === 'cert') return await certCommand(subAndRest, io);
    if (command === 'profile') return await profileCommand(subAndRest, io);
    if (command === 'apply') return await applyCommand(subAndRest, io);
    if (command === 'outbox') return await outboxCommand(subAndRest, io);
    if (command === 'sends') return await sendsCommand(subAndRest, io);
    if (command === 'arrived') return await arrivedCommand(subAndRest, io);
    if (command === 'status') return await statusCommand(subAndRest, io);
    if (command === 'withdraw') return await withdrawCommand(subAndRest, io);
    if (command === 'amend') return await amendCommand(subAndRest, io);
    if (command === 'sync') return await syncCommand(subAndRest, io);
    if (command === 'cases') return await casesCommand(subAndRest, io);
    if (command === 'notices') return await noticesCommand(subAndRest, io);
    if (command === 'banks') return await banksCommand(subAndRest, io);
    if (command === 'payments') return await paymentsCommand(subAndRest, io);
    if (command === 'pay') return await payCommand(subAndRest, io);
    if (command === 'doc') return await docCommand(subAndRest, io);
    if (command === 'comment') return await commentCommand(subAndRest, io);
    throw new UsageError(`不明なコマンドです: ${argv.slice(0, 2).join(' ')}`, `unknown command: ${argv.slice(0, 2).join(' ')}`);
  } catch (e) {
    return reportError(e, io, wantsJson(argv));
  }
}

/** `--json` before a `--` terminator: errors then go to stdout as JSON too. */
function wantsJson(argv: string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json');
}

/**
 * e-Gov answered and refused (its message is shown), or a batch was not sent for what it is (the
 * same data sent before, or still unsettled; a delivery not known; errors in the data): exit 1;
 * every other failure: exit 2.
 */
const REFUSALS = new Set([
  'EGOV_API_ERROR',
  // the bank-site page would post elsewhere than a listed bank, or the bank / 納付 is not in e-Gov's lists
  'EGOV_UNSAFE_HAND_OFF',
  'PAYMENT_NOT_POSSIBLE',
  'EGOV_AUTH_FAILED',
  'FILING_CHECK_FAILED',
  'FILING_TOO_LARGE',
  'FILING_DATA_CHANGED',
  'FILING_SAME_DATA_SENT',
  'FILING_SAME_DATA_IN_FLIGHT',
  'FILING_REFUSED',
  'FILING_DELIVERY_UNKNOWN',
  // a 取下げ not sent for what it is (bad text, a case that cannot be withdrawn, one already under way), refused, or not known to have arrived
  'WITHDRAWAL_INPUT_INVALID',
  'WITHDRAWAL_NOT_ALLOWED',
  'WITHDRAWAL_EXISTS',
  'WITHDRAWAL_REFUSED',
  'WITHDRAWAL_DELIVERY_UNKNOWN',
  // a 補正 not sent for what it is (no change, bad data, a case that cannot be corrected, one under way), refused, or not known to have arrived
  'AMENDMENT_DRAFT_INVALID',
  'AMENDMENT_NO_CHANGE',
  'AMENDMENT_NOT_ALLOWED',
  'AMENDMENT_EXISTS',
  'AMENDMENT_REFUSED',
  'AMENDMENT_INELIGIBLE',
  'AMENDMENT_DELIVERY_UNKNOWN',
  // a notice e-Gov does not list, one not kept on this PC (no 取得完了 for it), files that would overwrite others
  'NOTICE_NOT_FOUND',
  'NOTICE_NOT_KEPT',
  'NOTICE_OUT_EXISTS',
]);

interface Reported {
  code: string;
  message: string;
  messageJa: string;
  hint?: string;
  exit: number;
  /** print the help text after the message (a malformed command line) */
  help: boolean;
  /** a bug: where it happened, for the report (stderr only) */
  stack?: string;
}

function describeError(e: unknown): Reported {
  if (e instanceof TodokeError) {
    return {
      code: e.code,
      message: e.message,
      messageJa: e.messageJa,
      ...(HINTS[e.code] ? { hint: HINTS[e.code] } : {}),
      exit: REFUSALS.has(e.code) ? EXIT_INVALID : EXIT_USAGE,
      help: e instanceof UsageError,
    };
  }
  // node:util parseArgs throws TypeErrors with codes for unknown or malformed flags.
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
    const message = (e as Error).message;
    return { code: 'CLI_USAGE', message, messageJa: `引数が正しくありません: ${parseArgsJa(code, message)}`, exit: EXIT_USAGE, help: true };
  }
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'INTERNAL', message, messageJa: `予期しないエラーが発生しました: ${message}`, exit: EXIT_USAGE, help: false, ...(e instanceof Error && e.stack ? { stack: e.stack } : {}) };
}

const HINTS: Record<string, string> = {
  PROFILE_CORRUPT: 'todoke profile forget [--profile 名前] で壊れたプロファイルを別名のフォルダーに移してから、todoke register または todoke login --user-id … で設定し直せます。',
  SECRET_CORRUPT: 'todoke login でもう一度ログインすると、アクセスキーが保存し直されます。',
};

function parseArgsJa(code: string, message: string): string {
  const flag = /'(-[^' ]*)/.exec(message)?.[1] ?? '';
  const arg = /'([^']*)'/.exec(message)?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `不明なオプション ${flag} があります。todoke help で使えるオプションを確かめてください。`;
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return `余分な引数 ${arg} があります。`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return /does not take an argument/.test(message) ? `${flag} は値を取りません。` : `${flag} の後に値を指定してください。`;
  }
  return message;
}

function reportError(e: unknown, io: CliIo, json: boolean): number {
  const r = describeError(e);
  if (json) io.stdout(`${JSON.stringify({ error: { code: r.code, message: r.message, messageJa: r.messageJa, ...(r.hint ? { hint: r.hint } : {}) } })}\n`);
  io.stderr(`エラー [${r.code}]: ${r.messageJa}\n${r.hint ? `ヒント: ${r.hint}\n` : ''}${r.stack ? `${r.stack}\n` : ''}${r.help && !json ? `\n${HELP}` : ''}`);
  return r.exit;
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
