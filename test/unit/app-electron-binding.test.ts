// The Electron host's decisions, tested without Electron: who may call the core over IPC, which
// URLs are the app's own, which renderer files app:// serves, the CSP, and core events.
import assert from 'node:assert/strict';
import { scratchHome } from '../support/home.js';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createApp } from '../../src/main/app/create-app.js';
import { createEventHub } from '../../src/main/app/events.js';
import { bindIpc, forwardEvents } from '../../src/main/electron/ipc.js';
import { contentSecurityPolicy, contentTypeFor, isAppUrl, isTrustedSender, resolveRendererFile } from '../../src/main/electron/policy.js';
import type { Envelope, TodokeEvent } from '../../src/shared/contract.js';

type Handler = (event: unknown, args: unknown) => Promise<Envelope<unknown>>;

function boundHandlers(isAppWindow = (contents: { id: number }) => contents.id === 1) {
  const handlers = new Map<string, Handler>();
  const ipcMain = { handle: (channel: string, fn: Handler) => handlers.set(channel, fn), removeHandler: (channel: string) => handlers.delete(channel) };
  const unbind = bindIpc(ipcMain as never, createApp({ host: 'electron', home: scratchHome(), version: '1.2.3', platform: 'win32' }), isAppWindow as never);
  return { handlers, unbind };
}

const mainFrame = { url: 'app://todoke/index.html', parent: null, frameTreeNodeId: 10 };
const appContents = { id: 1, mainFrame };

void describe('IPC binding', () => {
  void it('answers the app window’s own top-level page', async () => {
    const { handlers } = boundHandlers();
    const answer = await handlers.get('todoke:app.info')!({ sender: appContents, senderFrame: mainFrame }, {});
    assert.deepEqual(answer, { ok: true, value: { version: '1.2.3', platform: 'win32', host: 'electron' } });
  });

  void it('refuses subframes, foreign pages, gone frames and other windows', async () => {
    const { handlers } = boundHandlers();
    const events = [
      { sender: appContents, senderFrame: { url: 'app://todoke/frame.html', parent: mainFrame, frameTreeNodeId: 11 } },
      { sender: appContents, senderFrame: { ...mainFrame, url: 'https://example.com/' } },
      { sender: appContents, senderFrame: { ...mainFrame, url: 'app://todoke.evil/index.html' } },
      { sender: appContents, senderFrame: { ...mainFrame, url: 'file:///etc/passwd' } },
      { sender: appContents, senderFrame: null },
      { sender: { id: 2, mainFrame }, senderFrame: mainFrame },
    ];
    for (const event of events) {
      const answer = await handlers.get('todoke:certificate.describe')!(event, { fileName: 'a.cer', dataBase64: 'AAAA' });
      assert.equal(answer.ok, false);
      assert.equal(!answer.ok && answer.error.code, 'FORBIDDEN_SENDER', JSON.stringify(event.senderFrame));
    }
  });

  void it('leaves argument checking to the core’s dispatcher', async () => {
    const { handlers } = boundHandlers();
    const answer = await handlers.get('todoke:app.info')!({ sender: appContents, senderFrame: mainFrame }, { extra: 1 });
    assert.equal(!answer.ok && answer.error.code, 'INVALID_ARGUMENT');
  });

  void it('removes every handler it registered', () => {
    const { handlers, unbind } = boundHandlers();
    assert.ok(handlers.size > 0);
    unbind();
    assert.equal(handlers.size, 0);
  });

  void it('forwards core events to a window until it is destroyed', () => {
    const core = createApp({ host: 'electron', home: scratchHome(), version: '1' });
    const sent: [string, unknown][] = [];
    let onDestroyed = () => {};
    const contents = { isDestroyed: () => false, send: (ch: string, e: unknown) => sent.push([ch, e]), once: (_: string, fn: () => void) => (onDestroyed = fn) };
    forwardEvents(core, contents as never);
    const event: TodokeEvent = { name: 'app.notice', payload: { level: 'info', code: 'X', message: 'x', messageJa: 'エックス' } };
    core.events.emit(event);
    onDestroyed();
    core.events.emit(event);
    assert.deepEqual(sent, [['todoke:event', event]]);
  });
});

void describe('event hub', () => {
  void it('delivers to every listener, survives a throwing one, and unsubscribes', () => {
    const errors: unknown[] = [];
    const hub = createEventHub((e) => errors.push(e));
    const got: string[] = [];
    const listener = (e: TodokeEvent) => got.push(e.name === 'app.notice' ? e.payload.code : e.name);
    const off1 = hub.subscribe(listener);
    hub.subscribe(() => {
      throw new Error('listener bug');
    });
    const off3 = hub.subscribe(listener);
    hub.emit({ name: 'app.notice', payload: { level: 'info', code: 'A', message: '', messageJa: '' } });
    off1();
    hub.emit({ name: 'app.notice', payload: { level: 'info', code: 'B', message: '', messageJa: '' } });
    off3();
    off3();
    hub.emit({ name: 'app.notice', payload: { level: 'info', code: 'C', message: '', messageJa: '' } });
    assert.deepEqual(got, ['A', 'A', 'B']);
    assert.equal(errors.length, 3);
  });
});

void describe('app:// origin and sender policy', () => {
  void it('recognises only the app origin', () => {
    assert.ok(isAppUrl('app://todoke/index.html'));
    assert.ok(isAppUrl('app://todoke/'));
    for (const url of ['app://todoke', 'app://todoke.evil/', 'app://todokex/', 'https://todoke/', 'file:///app://todoke/', '']) assert.ok(!isAppUrl(url), url);
  });
  void it('trusts a sender only when all three facts hold', () => {
    const good = { frameUrl: 'app://todoke/index.html', isMainFrame: true, isAppWindow: true };
    assert.ok(isTrustedSender(good));
    assert.ok(!isTrustedSender({ ...good, isMainFrame: false }));
    assert.ok(!isTrustedSender({ ...good, isAppWindow: false }));
    assert.ok(!isTrustedSender({ ...good, frameUrl: null }));
  });
});

void describe('CSP', () => {
  void it('allows nothing inline or remote, and widens connect-src only when asked', () => {
    const csp = contentSecurityPolicy();
    for (const directive of ["default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "connect-src 'self'", "base-uri 'none'"]) {
      assert.ok(csp.split('; ').includes(directive), directive);
    }
    assert.ok(!/unsafe-(inline|eval)/.test(csp));
    assert.ok(!csp.includes('http:') && !csp.includes('https:'));
    // frames: blob: documents the renderer made (e-Gov's HTML reports and PDFs) and notice pages the host serves, nothing else
    assert.ok(csp.split('; ').includes('frame-src blob: todoke-doc:'));
    assert.ok(contentSecurityPolicy({ frameSrc: ['http://127.0.0.1:5/doc/notice/'] }).split('; ').includes('frame-src blob: http://127.0.0.1:5/doc/notice/'));
    assert.ok(contentSecurityPolicy({ connectSrc: ['ws://127.0.0.1:5'] }).includes("connect-src 'self' ws://127.0.0.1:5"));
  });
});

void describe('renderer files served on app://', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'todoke-renderer-'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html>');
    writeFileSync(join(root, 'assets', 'app.js'), '');
    writeFileSync(join(root, '..', 'todoke-secret.txt'), 'secret');
    symlinkSync('/etc', join(root, 'assets', 'etc'));
  });
  after(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(join(root, '..', 'todoke-secret.txt'), { force: true });
  });

  void it('maps / to index.html and paths to files below the root', () => {
    assert.equal(resolveRendererFile(root, '/'), join(root, 'index.html'));
    assert.equal(resolveRendererFile(root, '/assets/app.js'), join(root, 'assets', 'app.js'));
    assert.equal(resolveRendererFile(root, '/assets/%61pp.js'), join(root, 'assets', 'app.js'));
  });

  void it('refuses traversal, encoded or not, hidden files, odd bytes and unknown kinds of file', () => {
    for (const path of [
      '/../todoke-secret.txt',
      '/%2e%2e/todoke-secret.txt',
      '/assets/..%2f..%2ftodoke-secret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fpackage.json',
      '/..%5c..%5ctodoke-secret.txt',
      '/assets\\..\\..\\x.js',
      '/.env',
      '/assets/.hidden.js',
      '/index.html%00.js',
      '/%E0%A4%A',
      '/etc/passwd',
      '/assets/etc/passwd',
      '//etc/hosts.txt',
      'index.html',
    ]) {
      const file = resolveRendererFile(root, path);
      assert.ok(file === null || file.startsWith(`${root}/`), path);
      if (file !== null) assert.ok(!file.includes('..') && contentTypeFor(file) !== null, path);
    }
    assert.equal(resolveRendererFile(root, '/../todoke-secret.txt'), null);
    assert.equal(resolveRendererFile(root, '/assets/etc/passwd'), null, 'no extension, no file');
    assert.equal(resolveRendererFile(root, '/.env'), null);
  });

  void it('knows the content types of what a Vite build emits', () => {
    assert.equal(contentTypeFor('a/index.html'), 'text/html; charset=utf-8');
    assert.equal(contentTypeFor('a/x.JS'), 'text/javascript; charset=utf-8');
    assert.equal(contentTypeFor('a/x.css'), 'text/css; charset=utf-8');
    assert.equal(contentTypeFor('a/icon.svg'), 'image/svg+xml');
    assert.equal(contentTypeFor('a/x.exe'), null);
  });
});
