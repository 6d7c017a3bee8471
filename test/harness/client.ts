// Harness page (browser). Plays the preload's part where there is no Electron: defines
// `window.todoke` (the same TodokeApi, built by the same createBridge) over a WebSocket to the
// harness server, before the app's module script runs. The per-run token comes from the URL
// fragment, which browsers never send to the server in requests. Chosen files are uploaded to the
// harness's staging folder (upload.ts) and come back as paths, as webUtils.getPathForFile gives them
// in Electron.
import { HARNESS_NOTICE_PAGE_PREFIX } from '../../src/shared/notice-page.js';
import { createBridge, filesNotStaged, filesTooLarge, transportError, type EventListener, type StagedFiles } from '../../src/shared/bridge.js';
import type { Envelope, TodokeEvent } from '../../src/shared/contract.js';
import type { ErrorPayload } from '../../src/shared/errors.js';
import { UPLOAD_PATH, UPLOAD_TOKEN_HEADER, uploadParts } from './upload-body.js';

interface ResponseMessage {
  id: number;
  ok: boolean;
  value?: unknown;
  error?: ErrorPayload;
}

const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
const pending = new Map<number, (envelope: Envelope<unknown>) => void>();
const listeners = new Set<EventListener>();
let nextId = 1;
let socket: Promise<WebSocket> | null = null;

function connect(): Promise<WebSocket> {
  socket ??= new Promise<WebSocket>((resolve, reject) => {
    const url = new URL('./__harness/ws', location.href);
    url.protocol = 'ws:';
    url.hash = '';
    url.search = `?token=${encodeURIComponent(token)}`;
    const ws = new WebSocket(url);
    ws.addEventListener('open', () => resolve(ws), { once: true });
    ws.addEventListener('message', (e) => receive(e.data));
    ws.addEventListener('close', (e) => {
      socket = null;
      reject(new Error(`connection closed (${e.code})`));
      for (const [id, settle] of pending) {
        pending.delete(id);
        settle({ ok: false, error: transportError(`connection closed (${e.code})`) });
      }
    });
  });
  return socket;
}

function receive(data: unknown): void {
  if (typeof data !== 'string') return;
  const message = JSON.parse(data) as Partial<ResponseMessage> & { event?: TodokeEvent };
  if (message.event) {
    for (const listener of [...listeners]) listener(message.event);
    return;
  }
  if (typeof message.id !== 'number') return;
  const settle = pending.get(message.id);
  if (!settle) return;
  pending.delete(message.id);
  settle(message.ok ? { ok: true, value: message.value } : { ok: false, error: message.error ?? transportError('malformed answer') });
}

const api = createBridge({
  async invoke(op, args) {
    let ws: WebSocket;
    try {
      ws = await connect();
    } catch (e) {
      return { ok: false, error: transportError(e instanceof Error ? e.message : String(e)) };
    }
    const id = nextId++;
    return new Promise<Envelope<unknown>>((resolve) => {
      pending.set(id, resolve);
      ws.send(JSON.stringify({ id, op, args }));
    });
  },
  async stageFiles(files) {
    let response: Response;
    try {
      response = await fetch(new URL(`.${UPLOAD_PATH}`, location.href), {
        method: 'POST',
        headers: { [UPLOAD_TOKEN_HEADER]: token, 'content-type': 'application/octet-stream' },
        body: new Blob(uploadParts(files) as BlobPart[]),
        cache: 'no-store',
        credentials: 'omit',
      });
    } catch (e) {
      return { ok: false, error: filesNotStaged(e instanceof Error ? e.message : String(e)) };
    }
    if (response.status === 413) return { ok: false, error: filesTooLarge(await response.text()) };
    if (!response.ok) return { ok: false, error: filesNotStaged(`upload refused (${response.status})`) };
    const value = (await response.json()) as StagedFiles;
    return { ok: true, value: { paths: value.paths } };
  },
  noticePageUrl(id) {
    // a frame cannot send a header: the page's token goes in the query, checked by the server
    return new URL(`.${HARNESS_NOTICE_PAGE_PREFIX}${id}?token=${encodeURIComponent(token)}`, location.href).href;
  },
  subscribe(listener) {
    listeners.add(listener);
    // Events only flow on an open connection; open it now rather than at the first call.
    connect().catch(() => undefined);
    return () => {
      listeners.delete(listener);
    };
  },
});

// Like contextBridge.exposeInMainWorld: a frozen object the page cannot replace.
Object.defineProperty(window, 'todoke', { value: api, enumerable: true, configurable: false, writable: false });
