// Renderer (pure). A hand-off window as the app knows it, built from what payment.handOff answered and
// the host's payment.window events — which may arrive in any order and more than once (the window's
// events and the operation's answer travel different ways). So: the origin shown is the one of the
// latest event, a window once closed stays closed and once expired stays expired, the refused things
// are kept in the order they happened (each once, at most MAX_BLOCKS of them), and every text that
// came from the bank's side is cleaned before it is shown. The countdown (mm:ss) and its phase.
import type { Bank, PaymentHandOffView, PaymentWindowBlockKind, PaymentWindowEvent } from '../shared/payment.js';
import type { Messages } from './messages/index.js';

/** A page that keeps trying to leave is refused each time: the newest this many are kept, the rest counted. */
export const MAX_BLOCKS = 50;
/** The last 5 minutes of e-Gov's 30 turn the countdown amber. */
export const ENDING_MS = 5 * 60_000;
/** What the window said (an origin, a permission, a file name) is at most this long (as the contract caps it). */
export const MAX_TARGET_LENGTH = 200;

export interface WindowBlock {
  at: string;
  /** a kind a newer host adds is kept as it came (the app words it generally) */
  kind: PaymentWindowBlockKind | (string & {});
  target: string;
}

export interface HandOffWindow {
  handOffId: string;
  arriveId: string;
  payNumber: string;
  bankName: string;
  /** the bank as payment.handOff answered (null until it has) */
  bank: Bank | null;
  /** the origin the window shows now; null until known */
  origin: string | null;
  /** `at` of the event that gave `origin` ('' for the answer of payment.handOff) */
  originAt: string;
  /** ISO 8601; null until known */
  expiresAt: string | null;
  blocked: WindowBlock[];
  /** refused things beyond MAX_BLOCKS, not kept */
  droppedBlocks: number;
  expired: boolean;
  closed: boolean;
}

function fresh(ids: Pick<HandOffWindow, 'handOffId' | 'arriveId' | 'payNumber' | 'bankName'>): HandOffWindow {
  const { handOffId, arriveId, payNumber, bankName } = ids;
  return { handOffId, arriveId, payNumber, bankName, bank: null, origin: null, originAt: '', expiresAt: null, blocked: [], droppedBlocks: 0, expired: false, closed: false };
}

/** Milliseconds since the epoch of an ISO time; -Infinity when it cannot be read (ordered first, never "latest"). */
function timeOf(iso: string): number {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? -Infinity : t;
}

/**
 * A text from the bank's side, safe to show: control characters and the bidi overrides that could
 * make `https://evil.example` read as something else are removed, and it is cut to MAX_TARGET_LENGTH.
 */
export function displayTarget(text: string): string {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '');
  return clean.length > MAX_TARGET_LENGTH ? `${clean.slice(0, MAX_TARGET_LENGTH - 1)}…` : clean;
}

/** ids longer than this are not ids (a handOffId is a UUID, a 納付番号 16 digits, a 到達番号 up to 18) */
const MAX_ID_LENGTH = 200;
/** an origin or a target the host sends longer than this is cut by displayTarget; far longer is refused */
const MAX_TEXT_LENGTH = 10_000;

const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;

/**
 * A payment.window event as it reached the page, checked before it touches the store: the ids and
 * the fields its state needs are strings of sane length, or it is dropped (null). A state a newer
 * host adds is dropped too: the app has nothing to show for it (and must not invent a window from it).
 */
export function readWindowEvent(value: unknown): PaymentWindowEvent | null {
  if (typeof value !== 'object' || value === null) return null;
  const e = value as Record<string, unknown>;
  for (const key of ['handOffId', 'arriveId', 'payNumber', 'bankName', 'at', 'state']) if (!isText(e[key], MAX_ID_LENGTH)) return null;
  if (e.handOffId === '') return null;
  switch (e.state) {
    case 'opened':
      return isText(e.origin, MAX_TEXT_LENGTH) && isText(e.expiresAt, MAX_ID_LENGTH) ? (value as PaymentWindowEvent) : null;
    case 'navigated':
      return isText(e.origin, MAX_TEXT_LENGTH) ? (value as PaymentWindowEvent) : null;
    case 'blocked':
      return isText(e.kind, MAX_ID_LENGTH) && isText(e.target, MAX_TEXT_LENGTH) ? (value as PaymentWindowEvent) : null;
    case 'expired':
    case 'closed':
      return value as PaymentWindowEvent;
    default:
      return null;
  }
}

/** The window after one of its events. */
export function applyWindowEvent(current: HandOffWindow | undefined, event: PaymentWindowEvent): HandOffWindow {
  const w = current ?? fresh(event);
  switch (event.state) {
    case 'opened': {
      const moved = isLatest(w, event.at) ? { origin: displayTarget(event.origin), originAt: event.at } : {};
      return { ...w, expiresAt: w.expiresAt ?? event.expiresAt, ...moved };
    }
    case 'navigated':
      return isLatest(w, event.at) ? { ...w, origin: displayTarget(event.origin), originAt: event.at } : w;
    case 'blocked':
      return addBlock(w, { at: event.at, kind: event.kind, target: displayTarget(event.target) });
    case 'expired':
      return { ...w, expired: true };
    case 'closed':
      return { ...w, closed: true };
    default:
      // a state a newer host adds: the window as it was
      return w;
  }
}

/** Whether an event at `at` is no older than the one that gave the origin shown (a late one does not move it back). */
function isLatest(w: HandOffWindow, at: string): boolean {
  return w.origin === null || timeOf(at) >= timeOf(w.originAt);
}

function addBlock(w: HandOffWindow, block: WindowBlock): HandOffWindow {
  if (w.blocked.some((b) => b.at === block.at && b.kind === block.kind && b.target === block.target)) return w;
  const t = timeOf(block.at);
  // after every block that happened at or before it: equal times keep the order they arrived in
  let index = w.blocked.length;
  while (index > 0 && timeOf(w.blocked[index - 1]!.at) > t) index -= 1;
  const blocked = [...w.blocked.slice(0, index), block, ...w.blocked.slice(index)];
  const over = blocked.length - MAX_BLOCKS;
  return over > 0 ? { ...w, blocked: blocked.slice(over), droppedBlocks: w.droppedBlocks + over } : { ...w, blocked };
}

/** The window after payment.handOff answered (before or after the window's own events). */
export function applyHandOff(current: HandOffWindow | undefined, view: PaymentHandOffView): HandOffWindow {
  const w = current ?? fresh({ ...view, bankName: view.bank.name });
  return {
    ...w,
    bank: view.bank,
    expiresAt: view.expiresAt,
    ...(w.origin === null ? { origin: displayTarget(view.origin), originAt: '' } : {}),
  };
}

/**
 * What the window refused, in words (「銀行一覧にないサイト https://… への移動を止めました」); a kind Todoke
 * does not know is named as it came (only the messages' own kinds are looked up: not `constructor`).
 */
export function blockText(block: WindowBlock, m: Messages): string {
  const said = m.payments.handOff.blocked;
  return Object.hasOwn(said, block.kind) ? said[block.kind]!(block.target) : m.payments.handOff.blockedOther(displayTarget(block.kind), block.target);
}

/** Milliseconds left of e-Gov's 30 minutes (never below 0); null when expiresAt cannot be read. */
export function remainingMs(expiresAt: string | null, now: number): number | null {
  if (expiresAt === null) return null;
  const end = Date.parse(expiresAt);
  if (Number.isNaN(end) || !Number.isFinite(now)) return null;
  return Math.max(0, end - now);
}

/** `mm:ss`, rounded up to the second (00:01 until the very end, 00:00 only at it). */
export function formatCountdown(ms: number): string {
  const seconds = Number.isFinite(ms) ? Math.max(0, Math.ceil(ms / 1000)) : 0;
  const mm = Math.floor(seconds / 60);
  return `${String(mm).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
}

export type CountdownPhase = 'running' | 'ending' | 'expired' | 'unknown';

/** running; ending (amber) in the last ENDING_MS; expired once the time is up or the host said so. */
export function countdownPhase(w: Pick<HandOffWindow, 'expired' | 'expiresAt'>, now: number): CountdownPhase {
  if (w.expired) return 'expired';
  const left = remainingMs(w.expiresAt, now);
  if (left === null) return 'unknown';
  if (left === 0) return 'expired';
  return left <= ENDING_MS ? 'ending' : 'running';
}
