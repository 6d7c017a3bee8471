// Main process (Electron). The security baseline of ARCHITECTURE.md: every session denies every
// permission, and no web contents may navigate, open windows or attach webviews. Deny by default;
// a feature that needs more asks for it here, by name, with a reason. The policy is per web
// contents: every one gets the deny-all handlers when it is created, and those handlers ask a
// registry at event time, so a contents registered afterwards (the 電子納付 bank view, which
// exists before its policy can be attached) is ruled by its own policy; every other — the app
// window, the print window, the payment window's chrome strip — keeps deny-all.
import type { App, Session, WebContents } from 'electron';
import { APP_ORIGIN } from './policy.js';

export interface BlockedAction {
  kind: 'navigation' | 'window' | 'webview' | 'permission';
  /** the URL or permission that was refused, for the log */
  target: string;
}

/**
 * A web contents' own rules, in place of deny-all. It reports what it refuses itself (its events
 * name a hand-off, not the app's generic notice).
 */
export interface ContentsPolicy {
  /** a navigation of any frame, or a redirect: true lets it go on */
  navigate(url: string, isMainFrame: boolean): boolean;
  /** a request for a new window: never granted as a window; the policy may load the URL itself */
  openWindow(url: string): void;
  /** a <webview> the page tries to attach: always refused, reported by the policy */
  attachWebview(): void;
}

/** Which web contents (by id) follow a policy of their own; any other follows deny-all. */
export class ContentsPolicies {
  readonly #policies = new Map<number, ContentsPolicy>();

  /** registers a policy for one web contents; the returned function forgets it */
  use(contentsId: number, policy: ContentsPolicy): () => void {
    if (this.#policies.has(contentsId)) throw new Error(`web contents ${contentsId} already has a policy`);
    this.#policies.set(contentsId, policy);
    return () => {
      if (this.#policies.get(contentsId) === policy) this.#policies.delete(contentsId);
    };
  }

  /** the policy of a web contents, or null for deny-all */
  of(contentsId: number): ContentsPolicy | null {
    return this.#policies.get(contentsId) ?? null;
  }
}

/** The facts a permission decision of the default session needs. */
export interface PermissionFacts {
  permission: string;
  /** the URL (request) or origin (check) that asks; '' when Electron gives none */
  requesting: string;
  /** whether the asking contents is one of the app's own windows */
  isAppWindow: boolean;
}

/**
 * The one permission any page gets: `clipboard-sanitized-write`, for the app window's own page on
 * app://todoke, because the GUI's copy buttons (the Pay-easy numbers, for an ATM) call
 * navigator.clipboard.writeText, which asks for it. Writing plain text is the whole of it (the
 * sanitized variant cannot put HTML or images there); reading the clipboard stays refused, as
 * does every permission of any other page, frame or origin.
 */
export function allowsPermission(facts: PermissionFacts): boolean {
  if (facts.permission !== 'clipboard-sanitized-write' || !facts.isAppWindow) return false;
  let url: URL;
  try {
    url = new URL(facts.requesting);
  } catch {
    return false;
  }
  // built by hand: Node's URL gives the origin 'null' for a scheme it does not know (Chromium knows app:// as standard)
  const origin = url.username === '' && url.password === '' ? `${url.protocol}//${url.host}` : '';
  return origin === APP_ORIGIN;
}

/** Who may be granted what: (asking contents — null when Electron gives none —, permission, requesting URL or origin). */
export type PermissionDecision = (contents: WebContents | null, permission: string, requesting: string) => boolean;

export function denyAllPermissions(session: Session, allow: PermissionDecision = () => false): void {
  session.setPermissionRequestHandler((contents, permission, callback, details) => callback(allow(contents, permission, details.requestingUrl ?? '')));
  session.setPermissionCheckHandler((contents, permission, requestingOrigin) => allow(contents, permission, requestingOrigin));
  session.setDevicePermissionHandler(() => false);
  session.setDisplayMediaRequestHandler((_request, callback) => callback({}));
}

export function hardenWebContents(contents: WebContents, policies: ContentsPolicies, onBlocked: (action: BlockedAction) => void): void {
  // read at each event: a bank view is registered only after Electron created (and announced) it
  const policy = () => policies.of(contents.id);
  contents.on('will-navigate', (event) => {
    if (policy()) return; // a policy judges every frame in will-frame-navigate
    event.preventDefault();
    onBlocked({ kind: 'navigation', target: event.url });
  });
  contents.on('will-frame-navigate', (event) => {
    const p = policy();
    if (p && !p.navigate(event.url, event.isMainFrame)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    const p = policy();
    if (p ? p.navigate(event.url, event.isMainFrame) : false) return;
    event.preventDefault();
    if (!p) onBlocked({ kind: 'navigation', target: event.url });
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    const p = policy();
    if (p) p.attachWebview();
    else onBlocked({ kind: 'webview', target: '' });
  });
  contents.setWindowOpenHandler((details) => {
    const p = policy();
    if (p) p.openWindow(details.url);
    else onBlocked({ kind: 'window', target: details.url });
    return { action: 'deny' };
  });
}

/**
 * Applies the baseline to the default session, every later session, and every web contents.
 * `isAppWindow` names the app's own windows, for the one permission they get (allowsPermission).
 */
export function applySecurityBaseline(
  app: App,
  defaultSession: Session,
  policies: ContentsPolicies,
  isAppWindow: (contents: WebContents) => boolean,
  onBlocked: (action: BlockedAction) => void,
): void {
  denyAllPermissions(defaultSession, (contents, permission, requesting) => contents !== null && allowsPermission({ permission, requesting, isAppWindow: isAppWindow(contents) }));
  app.on('session-created', (session) => denyAllPermissions(session));
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, policies, onBlocked));
}
