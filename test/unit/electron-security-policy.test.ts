// Unit (Node, no Electron binary): the per-contents policy of src/main/electron/security.ts — the
// registry a web contents' handlers consult at event time (a bank view registered after it was
// created is ruled by its own policy; every other contents stays deny-all), and the one permission
// the app window gets (clipboard-sanitized-write on app://todoke, nothing else, nowhere else).
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import type { WebContents } from 'electron';
import { allowsPermission, ContentsPolicies, hardenWebContents, type BlockedAction, type ContentsPolicy } from '../../src/main/electron/security.js';

function recordingPolicy(allow: (url: string) => boolean): ContentsPolicy & { seen: string[] } {
  const seen: string[] = [];
  return {
    seen,
    navigate: (url, isMainFrame) => {
      seen.push(`navigate ${isMainFrame ? 'main' : 'sub'} ${url}`);
      return allow(url);
    },
    openWindow: (url) => seen.push(`open ${url}`),
    attachWebview: () => seen.push('webview'),
  };
}

/**
 * The part of Electron's WebContents the handlers use: its events (an EventEmitter, as Electron's
 * is) and setWindowOpenHandler. Events carry a preventDefault that records whether it was called.
 */
class Contents extends EventEmitter {
  openHandler: ((details: { url: string }) => { action: string }) | null = null;
  constructor(readonly id: number) {
    super();
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.openHandler = handler;
  }
  fire(name: string, url: string, isMainFrame = true): boolean {
    let prevented = false;
    this.emit(name, { url, isMainFrame, preventDefault: () => (prevented = true) });
    return prevented;
  }
}

function harden(id: number, policies: ContentsPolicies): { contents: Contents; blocked: BlockedAction[] } {
  const contents = new Contents(id);
  const blocked: BlockedAction[] = [];
  hardenWebContents(contents as unknown as WebContents, policies, (a) => blocked.push(a));
  return { contents, blocked };
}

void describe('electron per-contents policy', () => {
  void it('a contents without a policy stays deny-all: navigation, redirect, window and webview refused', () => {
    const { contents, blocked } = harden(1, new ContentsPolicies());
    assert.equal(contents.fire('will-navigate', 'https://bank.example/'), true);
    assert.equal(contents.fire('will-redirect', 'https://bank.example/'), true);
    assert.equal(contents.fire('will-frame-navigate', 'https://bank.example/', false), false, 'frames of the app window are ruled by its CSP, as before');
    assert.equal(contents.fire('will-attach-webview', ''), true);
    assert.deepEqual(contents.openHandler!({ url: 'https://evil.example/' }), { action: 'deny' });
    assert.deepEqual(
      blocked.map((b) => b.kind),
      ['navigation', 'navigation', 'webview', 'window'],
    );
  });

  void it('a policy registered after the contents was created rules it at event time; others keep deny-all', () => {
    const policies = new ContentsPolicies();
    const bank = harden(7, policies);
    const app = harden(8, policies);
    const policy = recordingPolicy((url) => url.startsWith('https://bank.example/'));
    const forget = policies.use(7, policy);
    assert.equal(bank.contents.fire('will-navigate', 'https://bank.example/next'), false);
    assert.equal(bank.contents.fire('will-frame-navigate', 'https://bank.example/next'), false);
    assert.equal(bank.contents.fire('will-frame-navigate', 'https://evil.example/', false), true);
    assert.equal(bank.contents.fire('will-redirect', 'https://evil.example/'), true);
    assert.equal(bank.contents.fire('will-redirect', 'https://bank.example/r'), false);
    assert.equal(bank.contents.fire('will-attach-webview', ''), true);
    assert.deepEqual(bank.contents.openHandler!({ url: 'https://bank.example/popup' }), { action: 'deny' });
    assert.deepEqual(policy.seen, ['navigate main https://bank.example/next', 'navigate sub https://evil.example/', 'navigate main https://evil.example/', 'navigate main https://bank.example/r', 'webview', 'open https://bank.example/popup']);
    assert.deepEqual(bank.blocked, [], 'the policy reports for itself');
    assert.equal(app.contents.fire('will-navigate', 'https://bank.example/next'), true, 'the app window is untouched');
    forget();
    assert.equal(bank.contents.fire('will-navigate', 'https://bank.example/next'), true, 'a forgotten policy leaves deny-all');
    assert.equal(policies.of(7), null);
  });

  void it('one policy per contents; a stale forget does not remove a newer policy', () => {
    const policies = new ContentsPolicies();
    const first = recordingPolicy(() => true);
    const forgetFirst = policies.use(3, first);
    assert.throws(() => policies.use(3, recordingPolicy(() => true)), /already has a policy/);
    forgetFirst();
    const second = recordingPolicy(() => true);
    policies.use(3, second);
    forgetFirst();
    assert.equal(policies.of(3), second);
  });
});

void describe('electron permission decision', () => {
  void it('allows clipboard-sanitized-write for the app window on app://todoke only', () => {
    assert.equal(allowsPermission({ permission: 'clipboard-sanitized-write', requesting: 'app://todoke/index.html', isAppWindow: true }), true);
    assert.equal(allowsPermission({ permission: 'clipboard-sanitized-write', requesting: 'app://todoke', isAppWindow: true }), true);
  });

  void it('refuses every other permission, window or origin', () => {
    const refused = [
      { permission: 'clipboard-read', requesting: 'app://todoke/index.html', isAppWindow: true },
      { permission: 'notifications', requesting: 'app://todoke/index.html', isAppWindow: true },
      { permission: 'media', requesting: 'app://todoke/index.html', isAppWindow: true },
      { permission: 'clipboard-sanitized-write', requesting: 'app://todoke/index.html', isAppWindow: false },
      { permission: 'clipboard-sanitized-write', requesting: 'https://bank.example/', isAppWindow: true },
      { permission: 'clipboard-sanitized-write', requesting: 'app://todoke.evil/', isAppWindow: true },
      { permission: 'clipboard-sanitized-write', requesting: 'app://todoke@evil/', isAppWindow: true },
      { permission: 'clipboard-sanitized-write', requesting: 'todoke-doc://notice/1', isAppWindow: true },
      { permission: 'clipboard-sanitized-write', requesting: '', isAppWindow: true },
      { permission: 'clipboard-sanitized-write', requesting: 'not a url', isAppWindow: true },
    ];
    for (const facts of refused) assert.equal(allowsPermission(facts), false, JSON.stringify(facts));
  });
});
