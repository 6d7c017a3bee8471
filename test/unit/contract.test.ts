// The four hosts of the contract agree (ARCHITECTURE.md "Contract and IPC"): the operations in
// contract.ts = the core's handlers = the functions the preload exposes = the functions the harness
// page exposes = the channels the Electron binding registers. Each side is built by its own code,
// not read back from the contract.
import assert from 'node:assert/strict';
import { scratchHome } from '../support/home.js';
import { describe, it } from 'node:test';
import { runInNewContext } from 'node:vm';
import { createApp } from '../../src/main/app/create-app.js';
import { forkCoreHost } from '../../src/main/core-host/fork.js';
import { CoreSupervisor } from '../../src/main/core-host/supervisor.js';
import { ipcBindings } from '../../src/main/electron/channels.js';
import { bindIpc } from '../../src/main/electron/ipc.js';
import { createIpcBridge, type IpcRendererPort } from '../../src/preload/ipc-bridge.js';
import { bridgeExtras } from '../../src/shared/bridge.js';
import { CHANNEL_PREFIX, EVENT_CHANNEL, eventNames, operationNames, operations } from '../../src/shared/contract.js';
import { bundleBridge } from '../harness/server.js';

const expected = [...operationNames].sort();

void describe('the contract', () => {
  void it('lists operations with dotted names and object argument schemas', () => {
    assert.ok(operationNames.length >= 2);
    assert.ok(operationNames.includes('app.info') && operationNames.includes('certificate.describe'));
    for (const name of operationNames) {
      assert.match(name, /^[a-z][a-zA-Z0-9]*(\.[a-z][a-zA-Z0-9]*)+$/, name);
      assert.match(operations[name].args.describe, /^\{/, `${name} takes an object`);
    }
    assert.deepEqual([...eventNames], ['app.notice', 'core.status', 'credential.request', 'credential.withdrawn', 'batch.progress', 'batch.changed', 'case.changed', 'case.open', 'notice.changed', 'payment.window', 'payment.changed', 'sync.status', 'identity.changed']);
    assert.equal(EVENT_CHANNEL, 'todoke:event');
  });
});

void describe('every host exposes exactly the contract', () => {
  void it('the core implements one handler per operation', () => {
    const app = createApp({ host: 'harness', home: scratchHome(), version: '0.0.0' });
    assert.deepEqual(Object.keys(app.handlers).sort(), expected);
  });

  void it('the preload exposes one function per operation plus the bridge extras (onEvent, stageFiles, noticePageUrl), each operation invoking its own todoke: channel', async () => {
    const invoked: string[] = [];
    const ipc: IpcRendererPort = {
      invoke: async (channel: string) => {
        invoked.push(channel);
        return { ok: true, value: null };
      },
      on: () => ipc as never,
      removeListener: () => ipc as never,
    };
    const api = createIpcBridge(ipc, { getPathForFile: () => '' });
    assert.deepEqual([...bridgeExtras].sort(), ['noticePageUrl', 'onEvent', 'stageFiles']);
    assert.deepEqual(Object.keys(api).sort(), [...expected, ...bridgeExtras].sort());
    assert.ok(Object.isFrozen(api));
    for (const name of operationNames) await (api[name] as (a: unknown) => Promise<unknown>)({});
    assert.deepEqual(invoked.sort(), ipcBindings().map((b) => b.channel).sort());
    // stageFiles is not an IPC call: files become paths in the preload, never bytes on a channel
    assert.equal(invoked.length, operationNames.length);
  });

  void it('the preload gives a notice page the todoke-doc: address, and refuses anything but a notice id', () => {
    const ipc: IpcRendererPort = { invoke: async () => ({ ok: true, value: null }), on: () => ipc as never, removeListener: () => ipc as never };
    const api = createIpcBridge(ipc, { getPathForFile: () => '' });
    assert.equal(api.noticePageUrl(42), 'todoke-doc://notice/42');
    for (const bad of [0, -1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1, '1' as unknown as number]) assert.throws(() => api.noticePageUrl(bad), TypeError);
  });

  void it('the preload turns chosen files into paths with webUtils.getPathForFile: a chosen folder from its files, a file as itself', async () => {
    const ipc: IpcRendererPort = { invoke: async () => ({ ok: true, value: null }), on: () => ipc as never, removeListener: () => ipc as never };
    const onDisk = new Map<string, string>([
      ['kousei.xml', '/home/a/batch/900A010200001000(1)/kousei.xml'],
      ['apply.xml', '/home/a/batch/900A010200001000(2)/apply.xml'],
      ['bulk.zip', 'C:\\Users\\a\\bulk.zip'],
    ]);
    const api = createIpcBridge(ipc, { getPathForFile: (f) => onDisk.get(f.name) ?? '' });
    const file = (name: string, webkitRelativePath = '') => ({ name, size: 1, webkitRelativePath }) as unknown as File;
    assert.deepEqual(await api.stageFiles([file('kousei.xml', 'batch/900A010200001000(1)/kousei.xml'), file('apply.xml', 'batch/900A010200001000(2)/apply.xml')]), {
      ok: true,
      value: { paths: ['/home/a/batch'] },
    });
    assert.deepEqual(await api.stageFiles([file('bulk.zip')]), { ok: true, value: { paths: ['C:\\Users\\a\\bulk.zip'] } });
    for (const bad of [[file('made-in-page.txt')], [file('kousei.xml', 'other/kousei.xml/x')], [], ['not a file'] as unknown as File[]]) {
      const answer = await api.stageFiles(bad);
      assert.equal(answer.ok ? 'ok' : answer.error.code, 'FILES_NOT_STAGED');
    }
  });

  void it('the Electron binding registers exactly the contract channels, all under one prefix', () => {
    const bindings = ipcBindings();
    assert.deepEqual(bindings.map((b) => b.operation).sort(), expected);
    for (const b of bindings) assert.equal(b.channel, `${CHANNEL_PREFIX}${b.operation}`);
    assert.equal(new Set(bindings.map((b) => b.channel)).size, bindings.length);

    const registered: string[] = [];
    const ipcMain = { handle: (channel: string) => registered.push(channel), removeHandler: () => undefined };
    bindIpc(ipcMain as never, createApp({ host: 'electron', home: scratchHome(), version: '0.0.0' }), () => true);
    assert.deepEqual(registered.sort(), bindings.map((b) => b.channel).sort());
  });

  void it('the core host process answers every operation of the contract (none is unknown to it)', async () => {
    const core = new CoreSupervisor({
      spawn: forkCoreHost({ onStderr: () => undefined }),
      config: () => ({ host: 'harness', version: '0.0.0', home: scratchHome(), sandbox: false, secrets: { kind: 'file' } }),
    });
    core.start();
    try {
      for (const name of operationNames) {
        const reply = await core.dispatch(name, {});
        assert.ok(reply.ok || reply.error.code !== 'UNKNOWN_OPERATION', `${name} reached the core`);
      }
      const unknown = await core.dispatch('not.in.contract', {});
      assert.equal(unknown.ok ? 'ok' : unknown.error.code, 'UNKNOWN_OPERATION');
    } finally {
      await core.close();
    }
  });

  void it('the harness page script defines window.todoke with the same functions, sending {id, op, args}', async () => {
    const sent: string[] = [];
    class FakeSocket {
      listeners = new Map<string, (e: unknown) => void>();
      constructor(readonly url: URL) {
        setImmediate(() => this.listeners.get('open')?.({}));
      }
      addEventListener(type: string, fn: (e: unknown) => void) {
        this.listeners.set(type, fn);
      }
      send(data: string) {
        sent.push(data);
        const { id } = JSON.parse(data) as { id: number };
        setImmediate(() => this.listeners.get('message')?.({ data: JSON.stringify({ id, ok: true, value: 'answer' }) }));
      }
    }
    const window: Record<string, unknown> = {};
    const location = { href: 'http://127.0.0.1:5/#token=t0k', hash: '#token=t0k' };
    runInNewContext(await bundleBridge(), { window, location, WebSocket: FakeSocket, URL, URLSearchParams, JSON, Map, Set, Promise, Object, Error, encodeURIComponent, setImmediate });
    const api = window.todoke as Record<string, (args?: unknown) => Promise<unknown>>;
    assert.deepEqual(Object.keys(api).sort(), [...expected, ...bridgeExtras].sort());
    assert.equal(typeof api.stageFiles, 'function');
    assert.equal(Object.getOwnPropertyDescriptor(window, 'todoke')?.writable, false, 'the page cannot replace window.todoke');
    // Compared through JSON: objects made inside the vm context have that context's prototypes.
    for (const name of operationNames) assert.deepEqual(JSON.parse(JSON.stringify(await api[name]!({}))), { ok: true, value: 'answer' });
    assert.deepEqual(
      sent.map((m) => JSON.parse(m) as { op: string }).map((m) => m.op).sort(),
      expected,
    );
    assert.deepEqual(Object.keys(JSON.parse(sent[0]!) as object).sort(), ['args', 'id', 'op']);
  });
});
