// Main process (CLI host). `todoke sandbox op …`: the operator's client. It talks to a running
// sandbox's admin port over HTTP (src/sandbox/operator/admin-server.ts), never to its database, so
// it acts exactly as a demo operator would, whichever process runs the sandbox.
//   todoke sandbox op ACTION --arrive-id ID --admin-port N [--status TEXT] [--process-type TEXT] [--json]
//   todoke sandbox op issue-correction --arrive-id ID --admin-port N [--title T] [--text TEXT] [--deadline YYYYMMDD] [--json]
//   todoke sandbox op issue-comment --arrive-id ID --admin-port N [--title T] [--text TEXT] [--json]
//   todoke sandbox op issue-document --arrive-id ID --admin-port N [--pdf] [--title T] [--text TEXT] [--tamper] [--expired-signer | --unknown-ca] [--json]
//   todoke sandbox op add-payment --arrive-id ID --admin-port N --amount N --deadline YYYYMMDD [--name-kana TEXT] [--json]
//   todoke sandbox op expire-payment|pay --arrive-id ID --admin-port N --pay-number N [--json]
//   todoke sandbox op show --arrive-id ID --admin-port N [--json]
//   todoke sandbox op scenario --file FILE --admin-port N [--json]
// Exit codes as the other commands: 0 done; 1 the sandbox refused (unknown 到達番号, an action the
// case does not allow, a scenario it rejects); 2 a malformed command line, no sandbox on the port.
import { request, type IncomingMessage } from 'node:http';
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { TodokeError } from '../../shared/errors.js';
import { OPERATOR_ACTIONS, isOperatorAction } from '../../sandbox/operator/actions.js';
import { NOTICE_ACTIONS, isDeadline, isNoticeAction, type NoticeAction } from '../../sandbox/operator/notice-actions.js';
import { MAX_AMOUNT, PAYMENT_ACTIONS, isPaymentAction, type PaymentAction } from '../../sandbox/operator/payment-actions.js';
import { ADMIN_HEALTH_PATH, ADMIN_IDENTITY } from '../../sandbox/operator/admin-server.js';
import { MAX_SCENARIO_BYTES } from '../../sandbox/operator/scenario.js';
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, type CliIo } from './io.js';
import { UsageError } from './usage-error.js';

type SandboxOpErrorCode = 'SANDBOX_OP_UNREACHABLE' | 'SANDBOX_OP_NOT_SANDBOX' | 'SANDBOX_OP_REFUSED' | 'SANDBOX_OP_FILE';

export class SandboxOpError extends TodokeError<SandboxOpErrorCode> {
  constructor(
    code: SandboxOpErrorCode,
    messages: { ja: string; en: string },
    readonly exit: number,
    options: { cause?: unknown; detail?: Record<string, unknown> } = {},
  ) {
    super(code, messages, options);
    this.name = 'SandboxOpError';
  }
}

const ADMIN_HOST = '127.0.0.1';
/** an operator's answer is small; a scenario's result lists at most 100 failures */
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;
const TIMEOUT_MS = 30_000;

interface AdminReply {
  status: number;
  json: unknown;
}

function call(port: number, method: string, path: string, body?: string): Promise<AdminReply> {
  return new Promise((done, fail) => {
    const req = request(
      { host: ADMIN_HOST, port, method, path, timeout: TIMEOUT_MS, headers: body === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_ANSWER_BYTES) req.destroy(new Error('answer too large'));
          else chunks.push(c);
        });
        res.on('end', () => {
          let json: unknown = null;
          try {
            json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            json = null;
          }
          done({ status: res.statusCode ?? 0, json });
        });
        res.on('error', fail);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (cause) =>
      fail(
        new SandboxOpError(
          'SANDBOX_OP_UNREACHABLE',
          {
            ja: `管理ポート ${ADMIN_HOST}:${port} のサンドボックスに接続できません。todoke sandbox --admin-port ${port} で起動しているか、ポート番号を確認してください。`,
            en: `no sandbox admin port at ${ADMIN_HOST}:${port}: ${cause.message}`,
          },
          EXIT_USAGE,
          { cause },
        ),
      ),
    );
    if (body !== undefined) req.write(body);
    req.end();
  });
}

function notSandbox(port: number): SandboxOpError {
  return new SandboxOpError(
    'SANDBOX_OP_NOT_SANDBOX',
    { ja: `${ADMIN_HOST}:${port} で応答したのは Todoke サンドボックスの管理ポートではありません。--admin-port の番号を確認してください。`, en: `port ${port} is not a Todoke sandbox admin port` },
    EXIT_USAGE,
  );
}

/** The sandbox's own refusal, in its words. */
function refusal(reply: AdminReply, port: number): SandboxOpError {
  const e = (reply.json as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  if (!e || typeof e.message !== 'string' || typeof e.code !== 'string') throw notSandbox(port);
  return new SandboxOpError('SANDBOX_OP_REFUSED', { ja: e.message, en: `${e.code} (HTTP ${reply.status})` }, reply.status >= 500 ? EXIT_USAGE : EXIT_INVALID, {
    detail: { sandboxCode: e.code, status: reply.status },
  });
}

async function ensureSandbox(port: number): Promise<void> {
  const health = await call(port, 'GET', ADMIN_HEALTH_PATH);
  if (health.status !== 200 || (health.json as { sandbox?: unknown } | null)?.sandbox !== ADMIN_IDENTITY) throw notSandbox(port);
}

function parsePortFlag(value: string | undefined): number {
  if (value === undefined) throw new UsageError('--admin-port で、起動中のサンドボックスの管理ポートを指定してください。', '--admin-port is required');
  if (!/^\d{1,5}$/.test(value) || Number(value) < 1 || Number(value) > 65535) throw new UsageError('--admin-port は 1〜65535 の整数で指定してください。', '--admin-port must be 1-65535');
  return Number(value);
}

function arriveIdFlag(value: string | undefined): string {
  if (value === undefined) throw new UsageError('--arrive-id で対象の到達番号を指定してください。', '--arrive-id is required');
  if (!/^\d{16,18}$/.test(value)) throw new UsageError(`到達番号「${value.slice(0, 40)}」が正しくありません。16〜18 桁の数字で指定してください。`, 'bad --arrive-id');
  return value;
}

interface CaseJson {
  arriveId: string;
  status: string;
  statusDate: string;
  applyType: string;
  targetArriveId: string | null;
  history: Array<{ subId: number; regDate: string; operatorType: string; processType: string; applyStatus: string }>;
  /** only from `show` */
  payments?: Array<{ payNumber: string; confirmNumber: string; facilityNumber: string; totalFee: string; payExpiredDate: string; payStatus: string; payDate: string }>;
  notices?: Array<{ kind: string; noticeSubId: number; issueDate: string; docTitle: string; doneDate: string }>;
}

const NOTICE_KIND_JA: Record<string, string> = { amend: '補正通知', comment: 'コメント', official: '公文書' };

function describeCase(c: CaseJson): string {
  const lines = [`到達番号 ${c.arriveId}（${c.applyType}${c.targetArriveId ? `、対象 ${c.targetArriveId}` : ''}）: ${c.status}（${c.statusDate}）`];
  for (const h of c.history) lines.push(`  ${h.subId}. ${h.regDate} ${h.operatorType} ${h.processType} → ${h.applyStatus}`);
  if (c.payments?.length) {
    lines.push('納付:');
    for (const p of c.payments) {
      lines.push(`  納付番号 ${p.payNumber}  確認番号 ${p.confirmNumber}  収納機関番号 ${p.facilityNumber}  ${p.totalFee} 円  期限 ${p.payExpiredDate}  ${p.payStatus}${p.payDate ? `（${p.payDate}）` : ''}`);
    }
  }
  if (c.notices?.length) {
    lines.push('通知:');
    for (const n of c.notices) lines.push(`  ${NOTICE_KIND_JA[n.kind] ?? n.kind} ${n.noticeSubId}  ${n.issueDate}  ${n.docTitle}${n.doneDate ? `（取得済み ${n.doneDate}）` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

interface NoticeJson {
  arriveId: string;
  kind: string;
  noticeSubId: number;
  docTitle: string;
  files: string[];
  status: string;
}

const KIND_LABEL: Record<string, string> = { amend: '補正通知', comment: 'コメント', official: '公文書' };

function describeNotice(n: NoticeJson): string {
  return `到達番号 ${n.arriveId} に${KIND_LABEL[n.kind] ?? n.kind} ${n.noticeSubId}「${n.docTitle}」を発行しました（${n.files.join(', ')}）。状況: ${n.status}\n`;
}

type Flags = { title?: string; text?: string; deadline?: string; pdf?: boolean; tamper?: boolean; 'expired-signer'?: boolean; 'unknown-ca'?: boolean };

const NOTICE_FLAGS: Record<NoticeAction, ReadonlyArray<keyof Flags>> = {
  'issue-correction': ['title', 'text', 'deadline'],
  'issue-comment': ['title', 'text'],
  'issue-document': ['title', 'text', 'pdf', 'tamper', 'expired-signer', 'unknown-ca'],
};

const ALL_NOTICE_FLAGS: ReadonlyArray<keyof Flags> = ['title', 'text', 'deadline', 'pdf', 'tamper', 'expired-signer', 'unknown-ca'];

/** The admin body of a notice action from its flags; a flag the action does not take is a usage error. */
function noticeFlags(action: string, values: Flags): Record<string, string | boolean> {
  const allowed: ReadonlyArray<keyof Flags> = isNoticeAction(action) ? NOTICE_FLAGS[action] : [];
  // add-payment's --deadline is its 納付期限, checked by paymentFlags
  const misplaced = ALL_NOTICE_FLAGS.filter((f) => values[f] !== undefined && !allowed.includes(f) && !(f === 'deadline' && action === 'add-payment'));
  if (misplaced.length > 0) throw new UsageError(`--${misplaced[0]} は ${action} には指定できません。`, `--${misplaced[0]} not for ${action}`);
  if (values.deadline !== undefined && !isDeadline(values.deadline)) {
    throw new UsageError(`補正期限「${values.deadline.slice(0, 20)}」が正しくありません。--deadline は実在する日付を YYYYMMDD（例: 20260315）で指定してください。`, 'bad --deadline');
  }
  if (values['expired-signer'] && values['unknown-ca']) throw new UsageError('--expired-signer と --unknown-ca は同時に指定できません。', 'conflicting signer flags');
  const body: Record<string, string | boolean> = {};
  if (values.title !== undefined) body.title = values.title;
  if (values.text !== undefined) body.text = values.text;
  if (values.deadline !== undefined) body.deadline = values.deadline;
  if (values.pdf) body.pdf = true;
  if (values.tamper) body.tamper = true;
  if (values['expired-signer']) body.expiredSigner = true;
  if (values['unknown-ca']) body.unknownCa = true;
  return body;
}

interface PaymentJson {
  arriveId: string;
  payNumber: string;
  confirmNumber: string;
  facilityNumber: string;
  payExpiredDate: string;
  totalFee: string;
  payStatus: string;
  payDate: string;
  casePayStatus: string;
  payWaitCount: number;
}

function describePayment(action: PaymentAction, p: PaymentJson): string {
  const done = { 'add-payment': '登録しました', 'expire-payment': '納付期限切れにしました', pay: '納付済にしました' }[action];
  const lines = [
    `到達番号 ${p.arriveId} の納付を${done}: 状況 ${p.payStatus}${p.payDate ? `（納付日 ${p.payDate}）` : ''}`,
    `  収納機関番号 ${p.facilityNumber}  納付番号 ${p.payNumber}  確認番号 ${p.confirmNumber}`,
    `  金額 ${Number(p.totalFee).toLocaleString('ja-JP')} 円  納付期限 ${p.payExpiredDate}`,
    `  案件の納付状況: ${p.casePayStatus}（未納 ${p.payWaitCount} 件）`,
  ];
  return `${lines.join('\n')}\n`;
}

type PaymentFlags = { amount?: string; deadline?: string; 'name-kana'?: string; 'pay-number'?: string };

/** The admin body of a payment action from its flags; a missing, misplaced or malformed flag is a usage error. */
function paymentFlags(action: PaymentAction, values: PaymentFlags): Record<string, string> {
  const allowed: ReadonlyArray<keyof PaymentFlags> = action === 'add-payment' ? ['amount', 'deadline', 'name-kana'] : ['pay-number'];
  const misplaced = (['amount', 'deadline', 'name-kana', 'pay-number'] as const).find((f) => values[f] !== undefined && !allowed.includes(f));
  if (misplaced) throw new UsageError(`--${misplaced} は ${action} には指定できません。`, `--${misplaced} not for ${action}`);
  if (action !== 'add-payment') {
    const payNumber = values['pay-number'];
    if (payNumber === undefined || !/^\d{16}$/.test(payNumber)) throw new UsageError('--pay-number で 16 桁の納付番号を指定してください。', 'bad --pay-number');
    return { payNumber };
  }
  const { amount, deadline } = values;
  if (amount === undefined || !/^[1-9]\d{0,9}$/.test(amount) || Number(amount) > MAX_AMOUNT) {
    throw new UsageError(`--amount で金額を 1〜${MAX_AMOUNT.toLocaleString('en-US')} 円の整数（数字だけ、例: 10000）で指定してください。`, 'bad --amount');
  }
  if (deadline === undefined || !isDeadline(deadline)) throw new UsageError('--deadline で納付期限を実在する日付の YYYYMMDD（例: 20260315）で指定してください。', 'bad --deadline');
  return { amount, deadline, ...(values['name-kana'] !== undefined ? { nameKana: values['name-kana'] } : {}) };
}

function readScenarioText(path: string): string {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (cause) {
    throw new SandboxOpError('SANDBOX_OP_FILE', { ja: `シナリオファイル ${path} を読めません。パスを確認してください。`, en: `cannot read ${path}` }, EXIT_USAGE, { cause });
  }
  if (size > MAX_SCENARIO_BYTES) {
    throw new SandboxOpError('SANDBOX_OP_FILE', { ja: `シナリオファイル ${path} が大きすぎます（${MAX_SCENARIO_BYTES} バイトまで）。`, en: `${path} is too large` }, EXIT_USAGE);
  }
  return readFileSync(path, 'utf8');
}

export async function sandboxOpCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      'arrive-id': { type: 'string' },
      'admin-port': { type: 'string' },
      status: { type: 'string' },
      'process-type': { type: 'string' },
      file: { type: 'string' },
      title: { type: 'string' },
      text: { type: 'string' },
      deadline: { type: 'string' },
      amount: { type: 'string' },
      'name-kana': { type: 'string' },
      'pay-number': { type: 'string' },
      pdf: { type: 'boolean' },
      tamper: { type: 'boolean' },
      'expired-signer': { type: 'boolean' },
      'unknown-ca': { type: 'boolean' },
      json: { type: 'boolean' },
    },
    strict: true,
    allowPositionals: true,
  });
  const [action, ...extra] = positionals;
  const known = [...OPERATOR_ACTIONS, ...NOTICE_ACTIONS, ...PAYMENT_ACTIONS, 'show', 'scenario'];
  if (action === undefined) throw new UsageError(`操作を指定してください（${known.join(', ')}）。`, 'missing action');
  if (!known.includes(action)) throw new UsageError(`不明な操作「${action.slice(0, 40)}」です。使える操作: ${known.join(', ')}`, `unknown action ${action}`);
  if (extra.length > 0) throw new UsageError(`余分な引数 ${extra[0]!.slice(0, 40)} があります。`, 'extra arguments');
  if (action !== 'set-status' && (values.status !== undefined || values['process-type'] !== undefined)) {
    throw new UsageError('--status と --process-type は set-status にだけ指定できます。', '--status only with set-status');
  }
  if (action === 'set-status' && values.status === undefined) throw new UsageError('set-status には --status で新しい状況を指定してください。', 'set-status needs --status');
  if (action === 'scenario' ? values['arrive-id'] !== undefined : values.file !== undefined) {
    throw new UsageError('scenario には --file だけを、ほかの操作には --arrive-id を指定してください。', 'wrong target flag');
  }
  const noticeBody = noticeFlags(action, values);
  const stray = (['amount', 'name-kana', 'pay-number'] as const).find((f) => values[f] !== undefined);
  if (!isPaymentAction(action) && stray) throw new UsageError(`--${stray} は ${action} には指定できません。`, `--${stray} not for ${action}`);
  const paymentBody = isPaymentAction(action) ? paymentFlags(action, values) : null;
  const port = parsePortFlag(values['admin-port']);
  const json = values.json === true;

  try {
    let reply: AdminReply;
    if (action === 'scenario') {
      if (values.file === undefined) throw new UsageError('scenario には --file でシナリオファイルを指定してください。', 'scenario needs --file');
      const text = readScenarioText(resolve(io.cwd, values.file));
      await ensureSandbox(port);
      reply = await call(port, 'POST', '/admin/v1/scenario', text);
    } else {
      const arriveId = arriveIdFlag(values['arrive-id']);
      await ensureSandbox(port);
      if (action === 'show') reply = await call(port, 'GET', `/admin/v1/cases/${arriveId}`);
      else if (isNoticeAction(action)) reply = await call(port, 'POST', `/admin/v1/cases/${arriveId}/${action}`, JSON.stringify(noticeBody));
      else if (paymentBody) reply = await call(port, 'POST', `/admin/v1/cases/${arriveId}/${action}`, JSON.stringify(paymentBody));
      else {
        const body = action === 'set-status' ? { status: values.status, ...(values['process-type'] !== undefined ? { processType: values['process-type'] } : {}) } : {};
        reply = await call(port, 'POST', `/admin/v1/cases/${arriveId}/${isOperatorAction(action) ? action : ''}`, JSON.stringify(body));
      }
    }
    if (reply.status !== 200 && reply.status !== 202) throw refusal(reply, port);
    if (json) io.stdout(`${JSON.stringify(reply.json)}\n`);
    else if (action === 'scenario') {
      const r = reply.json as { started?: boolean; steps: number; performed?: number; failureCount?: number };
      io.stdout(r.started ? `シナリオを開始しました（${r.steps} 手順）。結果はサンドボックスのログに出ます。\n` : `シナリオを実行しました: ${r.steps} 手順、${r.performed ?? 0} 件の操作、失敗 ${r.failureCount ?? 0} 件\n`);
    } else if (isNoticeAction(action)) io.stdout(describeNotice(reply.json as NoticeJson));
    else if (isPaymentAction(action)) io.stdout(describePayment(action, reply.json as PaymentJson));
    else io.stdout(describeCase(reply.json as CaseJson));
    return EXIT_OK;
  } catch (e) {
    if (!(e instanceof SandboxOpError)) throw e;
    if (json) io.stdout(`${JSON.stringify({ error: { code: e.code, message: e.message, messageJa: e.messageJa } })}\n`);
    io.stderr(`エラー [${e.code}]: ${e.messageJa}\n`);
    return e.exit;
  }
}
