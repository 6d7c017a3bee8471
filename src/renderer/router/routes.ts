// Renderer. The route table: every screen of the app as a path with typed parameters, e.g.
// `/cases/9002015000243931/documents/1` ⇄ { name: 'document', arriveId: '9002015000243931', n: 1 }.
// Pure: no DOM, no React, so node:test checks it directly.
import { ENTRY_ID_PATTERN } from '../../shared/contract.js';

/** The parameters of each route, by name. A route without parameters has `{}`. */
export interface RouteParams {
  home: Record<never, never>;
  identity: Record<never, never>;
  applications: Record<never, never>;
  /** 送信履歴: every batch in the outbox */
  sends: Record<never, never>;
  /** one batch of the outbox, by its entry id */
  batch: { entryId: string };
  cases: Record<never, never>;
  /** one case (案件), by its 到達番号 */
  case: { arriveId: string };
  /** the 取下げ form of a case */
  withdraw: { arriveId: string };
  /** the 補正 workbench of a case */
  amend: { arriveId: string };
  /** an official document (公文書) of a case, by its number within the case (1, 2, …) */
  document: { arriveId: string; n: number };
  /** 公文書: the inbox of 公文書, コメント and 補正通知 across cases */
  documents: Record<never, never>;
  /** one notice (公文書, コメント or 補正通知) as Todoke keeps it, by its id in the vault */
  notice: { id: number };
  certificates: Record<never, never>;
  settings: Record<never, never>;
}

export type RouteName = keyof RouteParams;
export type Route = { [N in RouteName]: { name: N } & RouteParams[N] }[RouteName];
export type RouteOf<N extends RouteName> = Extract<Route, { name: N }>;

/** The paths, one per route; `:name` is a parameter, decoded by the codec of that name. */
const PATTERNS: { readonly [N in RouteName]: string } = {
  home: '/',
  identity: '/identity',
  applications: '/applications',
  sends: '/applications/sends',
  batch: '/applications/sends/:entryId',
  cases: '/cases',
  case: '/cases/:arriveId',
  withdraw: '/cases/:arriveId/withdraw',
  amend: '/cases/:arriveId/amend',
  document: '/cases/:arriveId/documents/:n',
  documents: '/documents',
  notice: '/notices/:id',
  certificates: '/certificates',
  settings: '/settings',
};

interface Codec<T> {
  decode(segment: string): T | null;
  encode(value: T): string;
}

/** 到達番号: the number e-Gov gives an application when it arrives — digits only. */
export const ARRIVE_ID_PATTERN = /^[0-9]{1,24}$/;


const CODECS: { arriveId: Codec<string>; n: Codec<number>; entryId: Codec<string>; id: Codec<number> } = {
  entryId: {
    decode: (s) => (ENTRY_ID_PATTERN.test(s) ? s : null),
    encode: (v) => v,
  },
  arriveId: {
    decode: (s) => (ARRIVE_ID_PATTERN.test(s) ? s : null),
    encode: (v) => v,
  },
  n: {
    decode: (s) => (/^[1-9][0-9]{0,5}$/.test(s) ? Number(s) : null),
    encode: (v) => String(v),
  },
  // a notice's id in the vault: the contract takes 1 up to Number.MAX_SAFE_INTEGER (16 digits at most)
  id: {
    decode: (s) => (/^[1-9][0-9]{0,15}$/.test(s) && Number.isSafeInteger(Number(s)) ? Number(s) : null),
    encode: (v) => String(v),
  },
};

type ParamName = keyof typeof CODECS;

function isParamName(name: string): name is ParamName {
  return Object.hasOwn(CODECS, name);
}

const ROUTE_NAMES = Object.keys(PATTERNS) as RouteName[];
const SEGMENTS = new Map(ROUTE_NAMES.map((name) => [name, segments(PATTERNS[name])]));

function segments(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

/** The route a path names, or null when no route matches or a parameter is not valid. */
export function parseRoute(path: string): Route | null {
  const [pathOnly = ''] = path.split(/[?#]/, 1);
  let parts: string[];
  try {
    parts = segments(pathOnly).map((s) => decodeURIComponent(s));
  } catch {
    return null; // malformed percent-encoding
  }
  for (const name of ROUTE_NAMES) {
    const pattern = SEGMENTS.get(name) ?? [];
    if (pattern.length !== parts.length) continue;
    const params: Record<string, unknown> = {};
    let matched = true;
    for (const [i, expected] of pattern.entries()) {
      const actual = parts[i] ?? '';
      if (expected.startsWith(':')) {
        const param = expected.slice(1);
        const value = isParamName(param) ? CODECS[param].decode(actual) : null;
        if (value === null) {
          matched = false;
          break;
        }
        params[param] = value;
      } else if (expected !== actual) {
        matched = false;
        break;
      }
    }
    if (matched) return { name, ...params } as Route;
  }
  return null;
}

/** The path of a route; parseRoute(formatRoute(r)) gives r back. */
export function formatRoute(route: Route): string {
  const values = route as unknown as Record<string, unknown>;
  const parts = (SEGMENTS.get(route.name) ?? []).map((segment) => {
    if (!segment.startsWith(':')) return segment;
    const param = segment.slice(1);
    if (!isParamName(param)) throw new Error(`route ${route.name}: unknown parameter ${param}`);
    const codec = CODECS[param] as Codec<unknown>;
    return encodeURIComponent(codec.encode(values[param]));
  });
  return `/${parts.join('/')}`;
}

export function sameRoute(a: Route, b: Route): boolean {
  return formatRoute(a) === formatRoute(b);
}

/** The sidebar section a route belongs to: a case and its documents are under 案件. */
export type Section = 'home' | 'identity' | 'applications' | 'cases' | 'documents' | 'certificates' | 'settings';

export function sectionOf(route: Route): Section {
  switch (route.name) {
    case 'case':
    case 'withdraw':
    case 'amend':
    case 'document':
      return 'cases';
    case 'notice':
      return 'documents';
    case 'sends':
    case 'batch':
      return 'applications';
    default:
      return route.name;
  }
}

/**
 * A 到達番号 as a person may type it — full-width digits (１２３), spaces or hyphens from a
 * printed 受付票 — as the digits the route takes; null when it is not a 到達番号 at all.
 */
export function normalizeArriveId(text: string): string | null {
  const digits = text
    .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/[\s\-‐－ー―]/g, '');
  return ARRIVE_ID_PATTERN.test(digits) ? digits : null;
}
