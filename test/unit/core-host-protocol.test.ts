// The messages between a host and the core host process (src/main/core-host/protocol.ts) and the
// built-in sandbox process (sandbox-protocol.ts): closed shapes, checked on receipt. Malformed,
// hostile, oversized and cut-off messages are refused, and what is logged of them names no value.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeRefused, parseCoreMessage, parseHostMessage } from '../../src/main/core-host/protocol.js';
import { parseSandboxReply, parseSandboxStart } from '../../src/main/core-host/sandbox-protocol.js';

const config = { host: 'harness', version: '1.0.0', home: '/home/u/.config/todoke', sandbox: true, secrets: { kind: 'file' } };

void describe('host → core host', () => {
  void it('accepts the three messages of the protocol', () => {
    assert.ok(parseHostMessage({ t: 'init', config }));
    assert.ok(parseHostMessage({ t: 'init', config: { ...config, secrets: { kind: 'sealed-by-host', safe: false }, fixedNow: '2045-12-10T00:00:00Z', credentialTimeoutMs: 1000, trainingCertificatesDir: '/x', casesPollIntervalMs: 1000 } }));
    assert.ok(parseHostMessage({ t: 'call', id: 1, op: 'app.info', args: {} }));
    // an unknown operation is still a call: the dispatcher answers it with UNKNOWN_OPERATION
    assert.ok(parseHostMessage({ t: 'call', id: 2, op: 'no.such', args: null }));
    assert.ok(parseHostMessage({ t: 'service-reply', id: 3, reply: { ok: true, value: 'x' } }));
    assert.ok(parseHostMessage({ t: 'service-reply', id: 3, reply: { ok: false, error: { code: 'X', message: 'm', messageJa: 'ja' } } }));
  });

  void it('refuses malformed, hostile and cut-off messages', () => {
    const refused: unknown[] = [
      null,
      'init',
      42,
      [],
      {},
      { t: 'init' },
      { t: 'init', config: { ...config, extra: 1 } },
      { t: 'init', config: { ...config, host: 'browser' } },
      { t: 'init', config: { ...config, home: '' } },
      { t: 'init', config: { ...config, secrets: { kind: 'keychain' } } },
      { t: 'init', config: { ...config, secrets: { kind: 'sealed-by-host' } } },
      { t: 'init', config: { ...config, fixedNow: 'not a date' } },
      { t: 'init', config: { ...config, credentialTimeoutMs: -1 } },
      { t: 'init', config: { ...config, casesPollIntervalMs: 999 } },
      { t: 'init', config: { ...config, casesPollIntervalMs: 1.5e3 + 0.5 } },
      { t: 'init', config: { ...config, casesPollIntervalMs: 86_400_001 } },
      { t: 'init', config: { ...config, casesPollIntervalMs: '60000' } },
      { t: 'init', config: { ...config, credentialTimeoutMs: Number.POSITIVE_INFINITY } },
      { t: 'call', id: -1, op: 'app.info', args: {} },
      { t: 'call', id: 1.5, op: 'app.info', args: {} },
      { t: 'call', id: '1', op: 'app.info', args: {} },
      { t: 'call', id: 1, op: 'x'.repeat(101), args: {} },
      { t: 'call', id: 1, op: 'app.info' },
      { t: 'call', id: 1, op: 'app.info', args: {}, extra: true },
      { t: 'service-reply', id: 1, reply: { ok: true } },
      { t: 'service-reply', id: 1, reply: { ok: 'yes', value: 1 } },
      { t: 'service-reply', id: 1, reply: { ok: false, error: { code: 'X' } } },
      { t: 'service-reply', id: 1, reply: { ok: false, error: { code: 'X', message: 'm', messageJa: 'j', stack: 's' } } },
      { t: 'ready' },
      { t: 'nope' },
    ];
    for (const m of refused) assert.equal(parseHostMessage(m), null, JSON.stringify(m));
  });

  void it('a prototype-polluting message is refused and pollutes nothing', () => {
    const hostile = JSON.parse('{"t":"call","id":1,"op":"app.info","args":{},"__proto__":{"polluted":true}}') as unknown;
    assert.equal(parseHostMessage(hostile), null);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  void it('huge strings in the config are refused', () => {
    assert.equal(parseHostMessage({ t: 'init', config: { ...config, home: 'x'.repeat(5000) } }), null);
    assert.equal(parseHostMessage({ t: 'init', config: { ...config, version: 'v'.repeat(101) } }), null);
  });
});

void describe('core host → host', () => {
  void it('accepts the messages of the protocol', () => {
    assert.ok(parseCoreMessage({ t: 'ready' }));
    assert.ok(parseCoreMessage({ t: 'init-failed', error: { code: 'X', message: 'm', messageJa: 'j' } }));
    assert.ok(parseCoreMessage({ t: 'result', id: 0, reply: { ok: true, value: { deep: [1, 2] } } }));
    assert.ok(parseCoreMessage({ t: 'event', event: { name: 'app.notice', payload: {} } }));
    assert.ok(parseCoreMessage({ t: 'service', id: 1, name: 'seal', args: { text: 'k' } }));
    assert.ok(parseCoreMessage({ t: 'native', active: true, what: 'PKCS#11 C_Sign' }));
  });

  void it('refuses events outside the contract, unknown services and bad shapes', () => {
    const refused: unknown[] = [
      { t: 'event', event: { name: 'no.such.event', payload: {} } },
      { t: 'event', event: { name: 'app.notice' } },
      { t: 'event', event: { name: 'app.notice', payload: {}, extra: 1 } },
      { t: 'service', id: 1, name: 'exec', args: {} },
      { t: 'service', id: 1, name: 'seal', args: 'text' },
      { t: 'native', active: 'yes', what: 'x' },
      { t: 'native', active: true, what: 'x'.repeat(201) },
      { t: 'result', id: 1, reply: { ok: false, error: { code: 'X', message: 'm'.repeat(70 * 1024), messageJa: 'j' } } },
      { t: 'ready', extra: 1 },
      { t: 'call', id: 1, op: 'app.info', args: {} },
    ];
    for (const m of refused) assert.equal(parseCoreMessage(m), null, JSON.stringify(m).slice(0, 120));
  });

  void it('what is logged of a refused message names its type and keys, never a value', () => {
    const text = describeRefused({ t: 'result', id: 'x', reply: { value: 'SECRET-PIN-1234' }, 'k\u0000ey': 'SECRET' });
    assert.equal(text, 'type result with keys [t, id, reply, ?]');
    assert.ok(!describeRefused({ t: 'SECRET-PIN-1234' }).includes('SECRET'));
    assert.equal(describeRefused('SECRET'), 'a string');
    assert.equal(describeRefused([1]), 'a array');
  });
});

void describe('host ⇄ sandbox process', () => {
  void it('start and reply messages are checked', () => {
    assert.deepEqual(parseSandboxStart({ t: 'start', dataDir: '/d' }), { t: 'start', dataDir: '/d' });
    assert.equal(parseSandboxStart({ t: 'start', dataDir: '/d', port: 80 }), null);
    assert.equal(parseSandboxStart({ t: 'start', dataDir: '' }), null);
    assert.equal(parseSandboxStart({ t: 'start', dataDir: '/d', pkiDir: 5 }), null);
    assert.deepEqual(parseSandboxReply({ t: 'listening', baseUrl: 'http://127.0.0.1:1/shinsei/1/', softwareId: 'S', caPem: null }), {
      t: 'listening',
      baseUrl: 'http://127.0.0.1:1/shinsei/1/',
      softwareId: 'S',
      caPem: null,
    });
    assert.equal(parseSandboxReply({ t: 'listening', baseUrl: 'http://x', softwareId: 'S' }), null);
    assert.equal(parseSandboxReply({ t: 'failed', message: '' }), null);
    assert.deepEqual(parseSandboxReply({ t: 'failed', message: 'port in use' }), { t: 'failed', message: 'port in use' });
  });
});
