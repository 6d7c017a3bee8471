// Unit (Node): which profiles count as talking to a sandbox, the only case in which the gateway lets the
// sandbox's loopback stand-in bank be a bank (bank-codec.ts allowLoopbackStandIn).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSandboxEndpoint } from '../../src/main/identity/service.js';

const custom = (baseUrl: string) => ({ kind: 'custom' as const, baseUrl, softwareId: 'X' });

void describe('isSandboxEndpoint', () => {
  void it('the built-in sandbox and a loopback endpoint are sandboxes; e-Gov and other hosts are not', () => {
    assert.equal(isSandboxEndpoint({ kind: 'sandbox' }), true);
    assert.equal(isSandboxEndpoint(custom('http://127.0.0.1:8090/shinsei/1/')), true);
    assert.equal(isSandboxEndpoint(custom('http://[::1]:8090/shinsei/1/')), true);
    assert.equal(isSandboxEndpoint(custom('https://localhost:8443/shinsei/1/')), true);
    assert.equal(isSandboxEndpoint(custom('https://api.e-gov.go.jp/shinsei/1/')), false);
    assert.equal(isSandboxEndpoint(custom('https://127.0.0.1.example/shinsei/1/')), false);
    assert.equal(isSandboxEndpoint(custom('not a url')), false);
  });
});
