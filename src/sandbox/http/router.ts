// Sandbox (Node). The route table's matcher. Routes are data: a method, a path pattern and a
// handler. A pattern is a list of segments separated by `/`; a segment is a literal or a `{name}`
// path parameter, and may carry matrix parameters written `;key={name}` (REFERENCE §2.2: e-Gov puts
// `;id=` and `;date=` on the last segment of `apply`, not in a query string).
//
// Matching is on the raw path (no query string): split on `/`, each segment split on `;`, then each
// part percent-decoded — so `%3B` and `%2F` are data, never delimiters, and `%61pply` is `apply`.
// A request segment matches when its name matches and it carries exactly the pattern's matrix keys,
// each once (so `apply;id=1;date=…`, `apply;x=1` and `login;x=1` match nothing). Literals are
// case-sensitive; a trailing `/` is an extra empty segment and matches nothing.

export interface Route<H> {
  method: string;
  /** e.g. `/shinsei/1/access/apply;id={sendNumber}`, `/shinsei/1/access/apply/{sendNumber}` */
  pattern: string;
  /** the API's name, for logs and error answers */
  api: string;
  handler: H;
}

export type RouteMatch<H> =
  | { kind: 'found'; route: Route<H>; params: Readonly<Record<string, string>> }
  /** the path names an API, but not with this method; `allow` lists the methods it has */
  | { kind: 'methodNotAllowed'; allow: readonly string[]; route: Route<H> }
  | { kind: 'notFound' };

type Part = { literal: string } | { param: string };

interface CompiledSegment {
  name: Part;
  /** matrix key → the part its value must match */
  matrix: ReadonlyMap<string, Part>;
}

interface CompiledRoute<H> {
  route: Route<H>;
  segments: CompiledSegment[];
}

interface RequestSegment {
  name: string;
  matrix: Map<string, string>;
}

const PARAM = /^\{([A-Za-z][A-Za-z0-9]*)\}$/;

function compilePart(text: string, pattern: string): Part {
  const m = PARAM.exec(text);
  if (m) return { param: m[1]! };
  if (/[{}]/.test(text)) throw new Error(`route pattern ${pattern}: bad part "${text}"`);
  return { literal: text };
}

function compile<H>(route: Route<H>): CompiledRoute<H> {
  if (!route.pattern.startsWith('/')) throw new Error(`route pattern ${route.pattern} must start with /`);
  const segments = route.pattern
    .slice(1)
    .split('/')
    .map((seg): CompiledSegment => {
      const [name, ...matrix] = seg.split(';');
      const keys = new Map<string, Part>();
      for (const m of matrix) {
        const eq = m.indexOf('=');
        if (eq <= 0) throw new Error(`route pattern ${route.pattern}: matrix parameter "${m}" needs key=value`);
        keys.set(m.slice(0, eq), compilePart(m.slice(eq + 1), route.pattern));
      }
      return { name: compilePart(name!, route.pattern), matrix: keys };
    });
  return { route, segments };
}

function decode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

/** The path's segments, decoded; null when a segment is not valid percent-encoding or repeats a matrix key. */
export function parsePath(path: string): RequestSegment[] | null {
  if (!path.startsWith('/')) return null;
  const out: RequestSegment[] = [];
  for (const seg of path.slice(1).split('/')) {
    const [rawName, ...rawMatrix] = seg.split(';');
    const name = decode(rawName!);
    if (name === null) return null;
    const matrix = new Map<string, string>();
    for (const m of rawMatrix) {
      const eq = m.indexOf('=');
      const key = decode(eq < 0 ? m : m.slice(0, eq));
      const value = eq < 0 ? '' : decode(m.slice(eq + 1));
      if (key === null || value === null || matrix.has(key)) return null;
      matrix.set(key, value);
    }
    out.push({ name, matrix });
  }
  return out;
}

function bind(part: Part, value: string, params: Record<string, string>): boolean {
  if ('literal' in part) return part.literal === value;
  if (value.length === 0) return false;
  params[part.param] = value;
  return true;
}

function matchSegments(compiled: readonly CompiledSegment[], request: readonly RequestSegment[]): Record<string, string> | null {
  if (compiled.length !== request.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < compiled.length; i++) {
    const c = compiled[i]!;
    const r = request[i]!;
    if (!bind(c.name, r.name, params)) return null;
    if (c.matrix.size !== r.matrix.size) return null;
    for (const [key, part] of c.matrix) {
      const value = r.matrix.get(key);
      if (value === undefined || !bind(part, value, params)) return null;
    }
  }
  return params;
}

export class Router<H> {
  private readonly compiled: CompiledRoute<H>[];

  constructor(routes: ReadonlyArray<Route<H>>) {
    this.compiled = routes.map(compile);
  }

  get routes(): ReadonlyArray<Route<H>> {
    return this.compiled.map((c) => c.route);
  }

  /** The route a path names, whatever the method (for the family of an error answer). */
  routeOf(path: string): Route<H> | null {
    const m = this.match('\u0000', path);
    return m.kind === 'methodNotAllowed' ? m.route : null;
  }

  /** The first route (in table order) whose pattern and method match. */
  match(method: string, path: string): RouteMatch<H> {
    const request = parsePath(path);
    if (request === null) return { kind: 'notFound' };
    const allow: string[] = [];
    let first: Route<H> | null = null;
    for (const c of this.compiled) {
      const params = matchSegments(c.segments, request);
      if (params === null) continue;
      if (c.route.method === method) return { kind: 'found', route: c.route, params };
      if (!allow.includes(c.route.method)) allow.push(c.route.method);
      first ??= c.route;
    }
    return first ? { kind: 'methodNotAllowed', allow, route: first } : { kind: 'notFound' };
  }
}
