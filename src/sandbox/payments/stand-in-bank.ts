// Sandbox (Node). The stand-in bank site: what a Pay-easy bank does after e-Gov's hand-off, small
// enough to read — 1. the hand-off form arrives (POST, the five fields of routes/bank-site.ts, checked
// against the 納付) → a login page (any ID and password), 2. a confirm page with the amount, 納付番号
// and deadline, 3. pay → the 納付 becomes 納付済 through the operator's own `pay` (one transaction
// with the case's counters and history) → a done page. [SIM-CHOICE: nothing about a real bank's pages
// is recorded.] Its own HTTP server on loopback, plain forms, no script, a strict CSP, Japanese
// pages; a session cookie (HttpOnly, SameSite=Strict) ties the steps, so a page cannot be skipped.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { readBody } from '../http/body.js';
import { OperatorError } from '../operator/actions.js';
import { performPayment, type PaymentDeps } from '../operator/payment-actions.js';
import { HAND_OFF_FIELDS, handOffFields, notPayable } from '../routes/bank-site.js';
import type { PaymentRow } from '../state/payment-store.js';
import { escapeHtml, japaneseDate, page, yen, type HtmlPage } from './html-page.js';

export const STAND_IN_BANK_PATH = '/standin-bank/';
const COOKIE = 'standin_session';
/** a few short form fields */
const FORM_LIMIT = 8 * 1024;
/** e-Gov's rule: log in at the bank within 30 minutes of the hand-off (REFERENCE §4.20) */
export const STAND_IN_SESSION_MS = 30 * 60 * 1000;
/** sessions held at once; the oldest goes first (a loopback test bank, not a service) */
const MAX_SESSIONS = 1000;
const MAX_LOGIN_CHARS = 64;
/** a site NOT in the bank list, on every page: Todoke's hand-off window must refuse it (and the E2E shows so) */
export const EXTERNAL_NOTICE_URL = 'https://www.example.com/';
const EXTERNAL_NOTICE = `<p class="note"><a href="${EXTERNAL_NOTICE_URL}">お知らせ（外部サイト・練習用）</a>: 電子納付対応金融機関一覧にないサイトへのリンクです。Todoke の銀行サイトのウィンドウでは開けません（止められることを確かめる練習用）。</p>`;

type Step = 'login' | 'confirm';
interface Session {
  payNumber: string;
  step: Step;
  startedAt: number;
}

export interface StandInBank {
  /** `http://127.0.0.1:PORT/standin-bank/`, the Url the bank list gives the stand-in bank */
  url: string;
  close(): Promise<void>;
}

export interface StandInBankDeps extends PaymentDeps {
  now: () => Date;
  log?: (line: string) => void;
}

/** The posted form as name → value, when it holds exactly `names`, each once; else null. */
export function exactForm(body: Buffer, names: readonly string[]): Record<string, string> | null {
  const text = body.toString('utf8');
  if (text.includes('\uFFFD')) return null;
  const params = new URLSearchParams(text);
  const keys = [...params.keys()];
  if (keys.length !== names.length || new Set(keys).size !== keys.length || !names.every((n) => params.has(n))) return null;
  // a percent-escape that is not UTF-8 decodes to U+FFFD: refused like raw bytes that are not
  if ([...params.values()].some((v) => v.includes('\uFFFD'))) return null;
  return Object.fromEntries(names.map((n) => [n, params.get(n)!]));
}

function cookieOf(req: IncomingMessage): string | null {
  const header = req.headers.cookie;
  if (typeof header !== 'string') return null;
  for (const part of header.split(';')) {
    const [k, v] = part.trim().split('=', 2);
    if (k === COOKIE && v && /^[0-9a-f]{64}$/.test(v)) return v;
  }
  return null;
}

/** The practice bank's own look: enough to feel like a bank's site, clearly marked as practice. */
const BANK_STYLE = [
  'body{margin:0;font-family:"Noto Sans CJK JP","Hiragino Sans","Yu Gothic UI",sans-serif;background:#eef3f1;color:#1d2b26;line-height:1.7}',
  'header{background:#0f5c45;color:#fff;padding:12px 24px;display:flex;align-items:center;gap:12px}',
  'header strong{font-size:1.15rem;letter-spacing:.05em}',
  'header span{background:#ffd166;color:#3d2c00;border-radius:4px;padding:2px 8px;font-size:.8rem;font-weight:bold}',
  'main{max-width:640px;margin:32px auto;background:#fff;border:1px solid #c9d8d2;border-radius:8px;padding:24px 32px}',
  'h1{font-size:1.35rem;margin:0 0 16px;color:#0f5c45}',
  'dl{display:grid;grid-template-columns:8em 1fr;gap:6px 16px;margin:16px 0;padding:16px;background:#f5f8f7;border-radius:6px}',
  'dt{color:#4a5d56}dd{margin:0;font-weight:bold;font-variant-numeric:tabular-nums}',
  'label{display:grid;gap:4px;font-weight:bold}input{font:inherit;padding:8px;border:1px solid #8aa59b;border-radius:4px;max-width:20em}',
  'button{font:inherit;font-weight:bold;background:#0f5c45;color:#fff;border:0;border-radius:6px;padding:10px 28px;cursor:pointer}',
  'button:focus-visible,input:focus-visible,a:focus-visible{outline:3px solid #f4a261;outline-offset:2px}',
  'p.note{font-size:.85rem;color:#4a5d56;border-top:1px solid #dde7e3;padding-top:12px;margin-top:24px}',
].join('');
const BANK_BANNER = '<header><strong>Todoke練習銀行</strong><span>サンドボックス・練習用（本物のお金は動きません）</span></header>';

function bankPage(status: number, title: string, inner: readonly string[]): HtmlPage {
  return page(status, title, inner, undefined, { style: BANK_STYLE, banner: BANK_BANNER });
}

function errorPage(status: number, title: string, message: string): HtmlPage {
  return bankPage(status, title, [`<p>${escapeHtml(message)}</p>`]);
}

function paymentLines(p: PaymentRow): string[] {
  return [
    '<dl>',
    `<dt>金額</dt><dd>${escapeHtml(yen(p.totalFee))}</dd>`,
    `<dt>納付番号</dt><dd>${escapeHtml(p.payNumber)}</dd>`,
    `<dt>納付期限</dt><dd>${escapeHtml(japaneseDate(p.payExpiredDate))}</dd>`,
    '</dl>',
  ];
}

export class StandInBankSite {
  readonly #sessions = new Map<string, Session>();

  constructor(private readonly deps: StandInBankDeps) {}

  /** One request → one page (and maybe a cookie). Never throws for what a client sends. */
  async handle(req: IncomingMessage): Promise<{ page: HtmlPage; cookie?: string; allow?: string }> {
    const path = new URL(req.url ?? '/', 'http://standin.invalid').pathname;
    const step = path === STAND_IN_BANK_PATH ? 'start' : path === `${STAND_IN_BANK_PATH}login` ? 'login' : path === `${STAND_IN_BANK_PATH}pay` ? 'pay' : null;
    if (step === null) return { page: errorPage(404, 'ページが見つかりません', 'このページはありません。Todoke から電子納付をやり直してください。') };
    if (req.method !== 'POST') return { page: errorPage(405, 'この操作はできません', 'このページはフォームの送信（POST）でだけ開けます。Todoke から電子納付をやり直してください。'), allow: 'POST' };
    const body = await readBody(req, FORM_LIMIT);
    if (body.kind !== 'ok') return { page: errorPage(400, '受け付けられません', '送信された内容が大きすぎるか、途中で切れています。Todoke から電子納付をやり直してください。') };
    if (step === 'start') return this.#start(body.body);
    const id = cookieOf(req);
    const session = id === null ? undefined : this.#sessions.get(id);
    const at = this.deps.now().getTime();
    if (!session || at - session.startedAt > STAND_IN_SESSION_MS) {
      if (id !== null) this.#sessions.delete(id);
      return { page: errorPage(400, 'お手続きの有効期限が切れました', 'お手続きの情報がないか、開始から 30 分を過ぎました。Todoke から電子納付をやり直してください。') };
    }
    const payment = this.deps.payments.byPayNumber(session.payNumber);
    const reason = payment ? notPayable(payment) : '納付の情報が見つかりません。';
    if (!payment || reason !== null) {
      this.#sessions.delete(id!);
      return { page: errorPage(400, '納付できません', reason ?? '') };
    }
    if (step === 'login') return this.#login(session, body.body, payment);
    return this.#pay(id!, session, body.body, payment);
  }

  #start(body: Buffer): { page: HtmlPage; cookie?: string } {
    const form = exactForm(body, HAND_OFF_FIELDS);
    if (!form) return { page: errorPage(400, '受け付けられません', `納付の情報（${HAND_OFF_FIELDS.join('・')}）が揃っていません。Todoke から電子納付をやり直してください。`) };
    const payment = this.deps.payments.byPayNumber(form.payNumber!);
    const matches = payment !== null && handOffFields(payment).every(([name, value]) => form[name] === value);
    if (!payment || !matches) return { page: errorPage(400, '受け付けられません', '納付番号・確認番号・収納機関番号・金額・納付期限のいずれかが登録された納付と一致しません。') };
    const reason = notPayable(payment);
    if (reason !== null) return { page: errorPage(400, '納付できません', reason) };
    if (this.#sessions.size >= MAX_SESSIONS) this.#sessions.delete(this.#sessions.keys().next().value!);
    const id = randomBytes(32).toString('hex');
    this.#sessions.set(id, { payNumber: payment.payNumber, step: 'login', startedAt: this.deps.now().getTime() });
    return {
      cookie: `${COOKIE}=${id}; Path=${STAND_IN_BANK_PATH}; HttpOnly; SameSite=Strict`,
      page: bankPage(200, 'Todoke練習銀行 ログイン', [
        '<p>これはサンドボックスの練習用の銀行です。本物の銀行ではありません。ID とパスワードには何を入れても構いません。</p>',
        ...paymentLines(payment),
        `<form method="post" action="${STAND_IN_BANK_PATH}login">`,
        `<p><label>ID <input name="loginId" maxlength="${MAX_LOGIN_CHARS}" required></label></p>`,
        `<p><label>パスワード <input type="password" name="password" maxlength="${MAX_LOGIN_CHARS}" required></label></p>`,
        '<p><button type="submit">ログイン</button></p>',
        '</form>',
        EXTERNAL_NOTICE,
      ]),
    };
  }

  #login(session: Session, body: Buffer, payment: PaymentRow): { page: HtmlPage } {
    if (session.step !== 'login') return { page: errorPage(400, '受け付けられません', 'すでにログインしています。画面の順に進んでください。') };
    const form = exactForm(body, ['loginId', 'password']);
    if (!form || !form.loginId || !form.password || form.loginId.length > MAX_LOGIN_CHARS || form.password.length > MAX_LOGIN_CHARS) {
      return { page: errorPage(400, 'ログインできません', `ID とパスワードを ${MAX_LOGIN_CHARS} 文字以内で入力してください（練習用なので何でも構いません）。`) };
    }
    session.step = 'confirm';
    return {
      page: bankPage(200, '納付内容の確認', [
        '<p>次の内容で納付します。よろしければ「納付する」を押してください。</p>',
        ...paymentLines(payment),
        `<form method="post" action="${STAND_IN_BANK_PATH}pay">`,
        '<input type="hidden" name="confirm" value="yes">',
        '<p><button type="submit">納付する</button></p>',
        '</form>',
        EXTERNAL_NOTICE,
      ]),
    };
  }

  #pay(id: string, session: Session, body: Buffer, payment: PaymentRow): { page: HtmlPage } {
    if (session.step !== 'confirm') return { page: errorPage(400, '受け付けられません', '先にログインしてください。画面の順に進んでください。') };
    if (!exactForm(body, ['confirm'])) return { page: errorPage(400, '受け付けられません', '確認画面の「納付する」ボタンから進んでください。') };
    this.#sessions.delete(id);
    let paid: PaymentRow;
    try {
      paid = performPayment(this.deps, { action: 'pay', arriveId: payment.arriveId, payNumber: payment.payNumber }, this.deps.now());
    } catch (e) {
      if (e instanceof OperatorError) return { page: errorPage(400, '納付できません', e.message) };
      throw e;
    }
    this.deps.log?.(`練習銀行: 納付番号 ${paid.payNumber} を納付済みにしました`);
    return { page: bankPage(200, '納付が完了しました', ['<p>納付が完了しました。この画面を閉じて Todoke に戻ってください。</p>', ...paymentLines(paid), `<p>納付日: ${escapeHtml(japaneseDate(paid.payDate))}</p>`, EXTERNAL_NOTICE]) };
  }
}

function respond(res: ServerResponse, r: { page: HtmlPage; cookie?: string; allow?: string }): void {
  const bytes = Buffer.from(r.page.body, 'utf8');
  const headers: Array<[string, string]> = [
    ['Content-Type', 'text/html;charset=UTF-8'],
    ['Content-Length', String(bytes.length)],
    ['Content-Security-Policy', r.page.csp],
    ['X-Frame-Options', 'DENY'],
    ['X-Content-Type-Options', 'nosniff'],
    ['Referrer-Policy', 'no-referrer'],
    ['Cache-Control', 'no-store'],
  ];
  if (r.cookie) headers.push(['Set-Cookie', r.cookie]);
  if (r.allow) headers.push(['Allow', r.allow]);
  res.writeHead(r.page.status, headers.flat());
  res.end(bytes);
}

/** Starts the stand-in bank on 127.0.0.1, a free port. */
export async function startStandInBank(deps: StandInBankDeps): Promise<StandInBank> {
  const site = new StandInBankSite(deps);
  const server: Server = createServer((req, res) => {
    site
      .handle(req)
      .catch((e: unknown) => {
        deps.log?.(`練習銀行の内部エラー: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        return { page: errorPage(500, 'エラーが発生しました', '練習銀行で問題が起きました。サンドボックスのログを確認してください。') };
      })
      .then((r) => {
        if (!res.headersSent && !res.destroyed) respond(res, r);
      })
      .catch(() => res.destroy());
  });
  server.on('clientError', (_err: Error, socket: Socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${STAND_IN_BANK_PATH}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
