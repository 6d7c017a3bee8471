// Runs in every process. What Todoke's own chrome strip above the bank page shows, and how the host
// tells it: the hand-off window's countdown (e-Gov's 30 minutes), the words for what the window refused,
// and the strip's state. The strip has no preload and no IPC: the host changes the strip's URL fragment
// to a JSON state (a same-document navigation), and the page reads it back with parseChromeState, which
// refuses anything that is not exactly that shape — the fragment is the page's only input.
import type { PaymentWindowBlockKind } from './payment.js';

export type CountdownPhase = 'running' | 'last-5-minutes' | 'expired';

export interface Countdown {
  /** milliseconds left, never negative */
  ms: number;
  /** `mm:ss`, rounded up to the second (so 00:00 means the time is over) */
  text: string;
  phase: CountdownPhase;
}

const LAST_MINUTES_MS = 5 * 60 * 1000;

/** What is left of the hand-off's time at `now`; a malformed expiresAt counts as expired (never as endless). */
export function remaining(now: number, expiresAt: string | number): Countdown {
  const end = typeof expiresAt === 'number' ? expiresAt : Date.parse(expiresAt);
  const ms = Number.isFinite(end) && Number.isFinite(now) ? Math.max(0, end - now) : 0;
  const seconds = Math.ceil(ms / 1000);
  const text = `${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
  const phase: CountdownPhase = ms <= 0 ? 'expired' : ms <= LAST_MINUTES_MS ? 'last-5-minutes' : 'running';
  return { ms, text, phase };
}

export type ChromeLanguage = 'ja' | 'en';

const BLOCK_WORDS: Record<PaymentWindowBlockKind, { ja: (t: string) => string; en: (t: string) => string }> = {
  navigation: {
    ja: (t) => `${t} への移動（電子納付対応金融機関一覧にないサイト）`,
    en: (t) => `going to ${t} (a site not in e-Gov's list of payment banks)`,
  },
  window: {
    ja: (t) => `${t} を新しいウィンドウで開く操作（一覧にないサイト）`,
    en: (t) => `opening ${t} in a new window (a site not in the list)`,
  },
  permission: { ja: (t) => `権限「${t}」の要求`, en: (t) => `a request for the permission "${t}"` },
  'client-certificate': {
    ja: (t) => `クライアント証明書の要求（${t}）`,
    en: (t) => `a request for a client certificate (${t})`,
  },
  'certificate-error': {
    ja: (t) => `${t} への接続（サーバー証明書に問題があります）`,
    en: (t) => `connecting to ${t} (its server certificate has a problem)`,
  },
  download: { ja: (t) => `ファイル「${t}」のダウンロード`, en: (t) => `downloading the file "${t}"` },
  webview: { ja: () => 'ページへの webview の埋め込み', en: () => 'embedding a webview in the page' },
  insecure: {
    ja: (t) => `${t} への暗号化されていない（http）接続`,
    en: (t) => `an unencrypted (http) connection to ${t}`,
  },
};

/** 「ブロックしました: https://… への移動（…）」, for the strip and the app. */
export function blockedText(kind: PaymentWindowBlockKind, target: string, lang: ChromeLanguage): string {
  const words = BLOCK_WORDS[kind];
  return lang === 'ja' ? `ブロックしました: ${words.ja(target)}` : `Blocked: ${words.en(target)}`;
}

export const EXPIRED_TEXT: Record<ChromeLanguage, string> = {
  ja: 'ログインの期限（30分）を過ぎました。Todoke に戻り、もう一度「銀行で支払う」から始めてください。支払いが済んだかどうかは e-Gov の納付状況で確かめます。',
  en: 'The 30 minutes for logging in at the bank are over. Go back to Todoke and start again from "Pay at the bank". Whether a payment went through is checked in e-Gov\'s payment status.',
};

export const PAYMENT_WINDOW_BLOCK_KINDS: readonly PaymentWindowBlockKind[] = [
  'navigation',
  'window',
  'permission',
  'client-certificate',
  'certificate-error',
  'download',
  'webview',
  'insecure',
];

/** What the strip shows. `origin` is the bank page's current origin (never a full URL). */
export interface ChromeState {
  lang: ChromeLanguage;
  bankName: string;
  origin: string;
  /** ISO 8601 */
  expiresAt: string;
  /** the last thing refused, or null */
  blocked: { kind: PaymentWindowBlockKind; target: string } | null;
}

/** the whole fragment; a state longer than this is not one the host writes */
export const MAX_CHROME_STATE_CHARS = 4096;
const MAX_TEXT = 200;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z$/;
const ORIGIN = /^https?:\/\/[a-z0-9.[\]:-]+$/;

/** `#` + the state as JSON, percent-encoded: what the host appends to the strip's URL. */
export function chromeStateFragment(state: ChromeState): string {
  return `#${encodeURIComponent(JSON.stringify(state))}`;
}

function boundedText(v: unknown): v is string {
  // eslint-disable-next-line no-control-regex -- control characters are what this refuses
  return typeof v === 'string' && v.length <= MAX_TEXT && !/[\u0000-\u001f\u007f]/.test(v);
}

/** The state a fragment (`#…`, as location.hash gives it) carries, or null for anything malformed. */
export function parseChromeState(hash: string): ChromeState | null {
  if (typeof hash !== 'string' || hash.length > MAX_CHROME_STATE_CHARS || !hash.startsWith('#')) return null;
  let value: unknown;
  try {
    value = JSON.parse(decodeURIComponent(hash.slice(1)));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  const keys = Object.keys(v);
  if (keys.length !== 5 || !['lang', 'bankName', 'origin', 'expiresAt', 'blocked'].every((k) => keys.includes(k))) return null;
  if (v.lang !== 'ja' && v.lang !== 'en') return null;
  if (!boundedText(v.bankName) || v.bankName === '') return null;
  if (!boundedText(v.origin) || !ORIGIN.test(v.origin)) return null;
  if (typeof v.expiresAt !== 'string' || !ISO.test(v.expiresAt) || Number.isNaN(Date.parse(v.expiresAt))) return null;
  let blocked: ChromeState['blocked'] = null;
  if (v.blocked !== null) {
    if (typeof v.blocked !== 'object' || Array.isArray(v.blocked)) return null;
    const b = v.blocked as Record<string, unknown>;
    const bKeys = Object.keys(b);
    if (bKeys.length !== 2 || !bKeys.includes('kind') || !bKeys.includes('target')) return null;
    if (!PAYMENT_WINDOW_BLOCK_KINDS.includes(b.kind as PaymentWindowBlockKind) || !boundedText(b.target)) return null;
    blocked = { kind: b.kind as PaymentWindowBlockKind, target: b.target };
  }
  return { lang: v.lang, bankName: v.bankName, origin: v.origin, expiresAt: v.expiresAt, blocked };
}

/** What the strip shows at `now`, worked out from a state: the DOM code only copies these texts. */
export interface ChromeView {
  phase: CountdownPhase;
  /** `https://`, shown dim */
  scheme: string;
  /** the host, the part that identifies the site, shown bold */
  host: string;
  /** `:8443`, or '' */
  port: string;
  /** a lock only for https */
  secure: boolean;
  bank: string;
  /** 残り 29:41 / 29:41 left */
  countdown: string;
  /** the expiry text once expired, else the last refusal, else '' */
  message: string;
  /** the window's title */
  title: string;
}

export function chromeView(state: ChromeState, now: number): ChromeView {
  const left = remaining(now, state.expiresAt);
  const match = /^(https?:\/\/)(\[[^\]]+\]|[^:]+)(:\d+)?$/.exec(state.origin);
  const ja = state.lang === 'ja';
  const blocked = state.blocked ? blockedText(state.blocked.kind, state.blocked.target, state.lang) : '';
  return {
    phase: left.phase,
    scheme: match?.[1] ?? '',
    host: match?.[2] ?? state.origin,
    port: match?.[3] ?? '',
    secure: state.origin.startsWith('https://'),
    bank: state.bankName,
    countdown: ja ? `残り ${left.text}` : `${left.text} left`,
    message: left.phase === 'expired' ? EXPIRED_TEXT[state.lang] : blocked,
    title: ja ? `Todoke — 銀行サイト（${state.bankName}）` : `Todoke — bank site (${state.bankName})`,
  };
}
