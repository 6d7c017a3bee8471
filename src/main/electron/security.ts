// Main process (Electron). The security baseline of ARCHITECTURE.md: every session denies every
// permission, and no web contents may navigate, open windows or attach webviews. Deny by default;
// a feature that needs more asks for it here, by name, with a reason.
import type { App, Session, WebContents } from 'electron';

export interface BlockedAction {
  kind: 'navigation' | 'window' | 'webview' | 'permission';
  /** the URL or permission that was refused, for the log */
  target: string;
}

export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.setDisplayMediaRequestHandler((_request, callback) => callback({}));
}

export function hardenWebContents(contents: WebContents, onBlocked: (action: BlockedAction) => void): void {
  contents.on('will-navigate', (event) => {
    event.preventDefault();
    onBlocked({ kind: 'navigation', target: event.url });
  });
  contents.on('will-redirect', (event) => {
    event.preventDefault();
    onBlocked({ kind: 'navigation', target: event.url });
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    onBlocked({ kind: 'webview', target: '' });
  });
  contents.setWindowOpenHandler((details) => {
    onBlocked({ kind: 'window', target: details.url });
    return { action: 'deny' };
  });
}

/** Applies the baseline to the default session, every later session, and every web contents. */
export function applySecurityBaseline(app: App, defaultSession: Session, onBlocked: (action: BlockedAction) => void): void {
  denyAllPermissions(defaultSession);
  app.on('session-created', (session) => denyAllPermissions(session));
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, onBlocked));
}
