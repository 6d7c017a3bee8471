// Unit: the renderer's checks of what the filer types in the first-run flow, and how e-Gov's
// timestamps and access-key ages are shown. Pure functions; no DOM.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatAge, formatEgovDate, parseEgovTimestamp } from '../../src/renderer/format.js';
import { caPemProblem, endpointProblem, pkcs11ModuleExample, softwareIdProblem, userIdProblem } from '../../src/renderer/identity-input.js';
import { en } from '../../src/renderer/messages/en.js';
import { ja } from '../../src/renderer/messages/ja.js';

void describe('利用者ID check', () => {
  void test('accepts 1-64 half-width printable characters without spaces', () => {
    assert.equal(userIdProblem('taro01'), null);
    assert.equal(userIdProblem('a'), null);
    assert.equal(userIdProblem('x'.repeat(64)), null);
    assert.equal(userIdProblem('!#$%&()*+,-./:;<=>?@[]^_`{|}~'), null);
  });
  void test('names what is wrong', () => {
    assert.equal(userIdProblem(''), 'required');
    assert.equal(userIdProblem('x'.repeat(65)), 'tooLong');
    assert.equal(userIdProblem('taro 01'), 'invalid');
    assert.equal(userIdProblem('ｔａｒｏ'), 'invalid');
    assert.equal(userIdProblem('山田'), 'invalid');
    assert.equal(userIdProblem('taro\t'), 'invalid');
  });
});

void describe('endpoint checks', () => {
  void test('https anywhere, plain http only on this computer', () => {
    const code = (v: string) => endpointProblem(v)?.code ?? null;
    assert.equal(code('https://example.e-gov.go.jp/shinsei/1/'), null);
    assert.equal(code('  https://example.e-gov.go.jp/shinsei/1/ '), null);
    assert.equal(code('http://127.0.0.1:8090/shinsei/1/'), null);
    assert.equal(code('http://localhost:8090/shinsei/1/'), null);
    assert.equal(code('http://example.com/shinsei/1/'), 'insecureHttp');
    assert.equal(code('ftp://example.com/'), 'scheme');
    assert.equal(code('example.com'), 'scheme');
    assert.equal(code(''), 'empty');
  });
  void test('the form says what the core and the CLI say', () => {
    const problem = endpointProblem('http://example.com/');
    assert.ok(problem);
    assert.match(problem.messageJa, /https/);
    assert.ok(problem.message.length > 0);
  });
  void test('software ID as a header can carry it', () => {
    assert.equal(softwareIdProblem('TODOKESANDBOX1'), null);
    assert.equal(softwareIdProblem(''), 'required');
    assert.equal(softwareIdProblem('ID WITH SPACE'), 'invalid');
    assert.equal(softwareIdProblem('x'.repeat(129)), 'invalid');
  });
  void test('CA file must hold a PEM certificate and stay small', () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    assert.equal(caPemProblem(pem), null);
    assert.equal(caPemProblem('hello'), 'notPem');
    assert.equal(caPemProblem(pem + 'x'.repeat(64 * 1024)), 'tooLarge');
  });
  void test('the PKCS#11 module example follows the platform', () => {
    assert.match(pkcs11ModuleExample('win32'), /\.dll$/);
    assert.match(pkcs11ModuleExample('darwin'), /^\/Library\//);
    assert.match(pkcs11ModuleExample('linux'), /\.so$/);
    assert.match(pkcs11ModuleExample(undefined), /\.so$/);
  });
});

void describe('e-Gov timestamps and ages', () => {
  void test('YYYYMMDDhhmmss is read as Japan time', () => {
    assert.equal(parseEgovTimestamp('20240115102030')?.toISOString(), '2024-01-15T01:20:30.000Z');
    assert.equal(parseEgovTimestamp('20240101000000')?.toISOString(), '2023-12-31T15:00:00.000Z');
    assert.equal(parseEgovTimestamp('20150231000000'), null);
    assert.equal(parseEgovTimestamp('2024-01-15'), null);
    assert.equal(parseEgovTimestamp(''), null);
  });
  void test('shown in the chosen language, or as e-Gov sent it when it is not a timestamp', () => {
    assert.equal(formatEgovDate('20240115102030', ja), '2024年1月15日 10:20（日本時間）');
    assert.equal(formatEgovDate('20240115102030', en), '15 January 2024 at 10:20 (JST)');
    assert.equal(formatEgovDate('昨日', ja), '昨日');
  });
  void test('an access key age reads naturally', () => {
    const now = new Date('2024-01-15T10:00:00Z');
    assert.equal(formatAge('2024-01-15T09:59:30Z', now, ja), 'たった今');
    assert.equal(formatAge('2024-01-15T09:57:00Z', now, ja), '3 分前');
    assert.equal(formatAge('2024-01-15T08:00:00Z', now, en), '2 hours ago');
    assert.equal(formatAge('2024-01-14T10:00:00Z', now, ja), '昨日');
  });
});
