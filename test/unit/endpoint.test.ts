// Unit: the one endpoint rule (src/shared/endpoint.ts) and that every place which takes an
// endpoint URL — the e-Gov client, a profile read from disk, the first-run form and the core's
// identity.setup — refuses the same input with the same words.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createApp } from '../../src/main/app/create-app.js';
import { EgovClient } from '../../src/main/egov/http.js';
import { isEgovError } from '../../src/main/egov/errors.js';
import { parseProfile, PROFILE_VERSION } from '../../src/main/profiles/profile.js';
import { endpointProblem } from '../../src/renderer/identity-input.js';
import type { Envelope } from '../../src/shared/contract.js';
import { checkEndpoint, MAX_ENDPOINT_URL_LENGTH, type EndpointProblem } from '../../src/shared/endpoint.js';
import { SchemaViolation } from '../../src/shared/schema.js';
import { scratchHome } from '../support/home.js';

function accepted(input: string): string {
  const check = checkEndpoint(input);
  assert.ok(check.ok, `${JSON.stringify(input)} should be accepted, got ${JSON.stringify(check)}`);
  return check.baseUrl;
}

function refused(input: string, code: EndpointProblem): { message: string; messageJa: string } {
  const check = checkEndpoint(input);
  const shown = JSON.stringify(String(input).slice(0, 80));
  assert.ok(!check.ok, `${shown} should be refused`);
  assert.equal(check.code, code, shown);
  return check;
}

void describe('checkEndpoint: what is accepted', () => {
  void it('the host alone and the whole base URL mean the same base', () => {
    for (const input of ['https://api.example.jp', 'https://api.example.jp/', 'https://api.example.jp/shinsei/1', 'https://api.example.jp/shinsei/1/']) {
      assert.equal(accepted(input), 'https://api.example.jp/shinsei/1/', input);
    }
  });

  void it('keeps a port, drops the default one, and trims what was pasted around it', () => {
    assert.equal(accepted('https://api.example.jp:8443/shinsei/1/'), 'https://api.example.jp:8443/shinsei/1/');
    assert.equal(accepted('https://api.example.jp:443'), 'https://api.example.jp/shinsei/1/');
    assert.equal(accepted('  https://api.example.jp/shinsei/1/\n'), 'https://api.example.jp/shinsei/1/');
  });

  void it('scheme and host are case-insensitive; the result is lower case', () => {
    assert.equal(accepted('HTTPS://API.Example.JP/shinsei/1/'), 'https://api.example.jp/shinsei/1/');
    assert.equal(accepted('HTTP://LOCALHOST:8090'), 'http://localhost:8090/shinsei/1/');
  });

  void it('plain http to this computer only: 127.0.0.0/8, localhost, [::1]', () => {
    assert.equal(accepted('http://127.0.0.1:8090/shinsei/1/'), 'http://127.0.0.1:8090/shinsei/1/');
    assert.equal(accepted('http://127.45.6.7'), 'http://127.45.6.7/shinsei/1/');
    assert.equal(accepted('http://localhost/shinsei/1'), 'http://localhost/shinsei/1/');
    assert.equal(accepted('http://[::1]:9/shinsei/1/'), 'http://[::1]:9/shinsei/1/');
    // the long way of writing ::1, and 127.0.0.1 written as a number, are the same addresses
    assert.equal(accepted('http://[0:0:0:0:0:0:0:1]/'), 'http://[::1]/shinsei/1/');
    assert.equal(accepted('http://2130706433/'), 'http://127.0.0.1/shinsei/1/');
    assert.equal(accepted('https://[2001:db8::1]/'), 'https://[2001:db8::1]/shinsei/1/');
  });

  void it('a host written in Japanese is used as punycode', () => {
    assert.equal(accepted('https://例え.jp/'), 'https://xn--r8jz45g.jp/shinsei/1/');
  });
});

void describe('checkEndpoint: what is refused, and why', () => {
  void it('nothing typed', () => {
    for (const input of ['', '   ', '\n\t']) refused(input, 'empty');
  });

  void it('plain http to another machine', () => {
    for (const input of ['http://api.example.jp/shinsei/1/', 'http://10.0.0.1/', 'http://128.0.0.1/', 'http://localhost.example.jp/', 'http://[::2]/', 'http://[::ffff:127.0.0.1]/']) {
      refused(input, 'insecureHttp');
    }
  });

  void it('other schemes, hostile ones included', () => {
    for (const input of ['ftp://api.example.jp/', 'javascript:alert(1)', 'JavaScript://api.example.jp/%0aalert(1)', 'file:///etc/passwd', 'file://C:/Windows/', 'data:text/html,<script>alert(1)</script>', 'ws://localhost/']) {
      refused(input, 'scheme');
    }
  });

  void it('no scheme at all asks for https://', () => {
    refused('api.example.jp/shinsei/1/', 'scheme');
    refused('localhost:8090', 'scheme');
  });

  void it('credentials in the URL', () => {
    refused('https://user:pw@api.example.jp/shinsei/1/', 'credentials');
    refused('https://user@api.example.jp/', 'credentials');
    refused('http://:pw@127.0.0.1/', 'credentials');
  });

  void it('a query or a fragment, even an empty one', () => {
    for (const input of ['https://api.example.jp/shinsei/1/?x=1', 'https://api.example.jp/?', 'https://api.example.jp/shinsei/1/#f', 'https://api.example.jp#']) {
      refused(input, 'queryOrFragment');
    }
  });

  void it('any path but / and /shinsei/1/ (a proxy prefix or one API call pasted whole)', () => {
    for (const input of [
      'https://api.example.jp/shinsei/1/authentication/login',
      'https://api.example.jp/proxy/shinsei/1/',
      'https://api.example.jp/shinsei/2/',
      'https://api.example.jp/shinsei/',
      'https://api.example.jp/SHINSEI/1/',
      'https://api.example.jp//shinsei/1/',
      'https://api.example.jp/shinsei/1//',
      'https://api.example.jp/%73hinsei/1/',
      'https://api.example.jp/shinsei;x=1/1/',
    ]) {
      refused(input, 'path');
    }
  });

  void it('garbage and broken URLs', () => {
    for (const input of ['https://', 'https:// api.example.jp/', 'https://api.example.jp:99999/', 'https://exa mple.jp/', 'http://[::1/', 'https://%%/']) refused(input, 'notUrl');
    refused('://', 'scheme');
  });

  void it('control characters anywhere inside, which the URL parser would otherwise quietly drop', () => {
    for (const input of ['https://api.exa\nmple.jp/', 'https://api.example.jp/shin\tsei/1/', 'https://api.example.jp\u0000/', 'https://api.example.jp/\u007f', 'https://api.example.jp/\u0085', 'https://api.\u00a0example.jp/']) {
      refused(input, 'notUrl');
    }
  });

  void it('very long input, before any parsing', () => {
    const long = `https://api.example.jp/${'a'.repeat(MAX_ENDPOINT_URL_LENGTH)}`;
    refused(long, 'tooLong');
    refused(`https://${'a'.repeat(5_000_000)}.jp/`, 'tooLong');
    // exactly at the limit is judged on its merits
    const atLimit = `https://${'a'.repeat(MAX_ENDPOINT_URL_LENGTH - 'https://'.length - '.jp'.length)}.jp`;
    assert.equal(atLimit.length, MAX_ENDPOINT_URL_LENGTH);
    refused(atLimit, 'tooLong'); // the base path makes the result too long
  });

  void it('a value that is not a string at all (from JSON on disk, say)', () => {
    refused(42 as unknown as string, 'notUrl');
    refused(null as unknown as string, 'notUrl');
  });

  void it('messages say what to do, in Japanese and English, and never echo the input', () => {
    const hostile = 'https://<script>@api.example.jp/?<img onerror=x>';
    const check = checkEndpoint(hostile);
    assert.ok(!check.ok);
    assert.ok(!check.message.includes('<') && !check.messageJa.includes('<'));
    for (const code of ['empty', 'tooLong', 'notUrl', 'scheme', 'insecureHttp', 'credentials', 'queryOrFragment', 'path'] as const) {
      const sample: Record<EndpointProblem, string> = {
        empty: '',
        tooLong: 'x'.repeat(MAX_ENDPOINT_URL_LENGTH + 1),
        notUrl: 'https://',
        scheme: 'ftp://x/',
        insecureHttp: 'http://x/',
        credentials: 'https://a:b@x/',
        queryOrFragment: 'https://x/?a',
        path: 'https://x/a',
      };
      const { message, messageJa } = refused(sample[code], code);
      // each one asks for something to do
      assert.match(messageJa, /ください/, code);
      assert.match(message, /\b(Enter|Start|Remove)\b/, code);
      assert.match(messageJa, /接続先 URL|http/, code);
    }
  });
});

void describe('the same words wherever an endpoint is taken', () => {
  const bad = ['http://api.example.jp/shinsei/1/', 'https://user:pw@api.example.jp/', 'https://api.example.jp/shinsei/1/?x', 'https://api.example.jp/x/', 'javascript:alert(1)', ''];

  void it('the e-Gov client refuses with EGOV_CONFIG_INVALID and the endpoint message', () => {
    for (const input of bad) {
      const check = checkEndpoint(input);
      assert.ok(!check.ok);
      assert.throws(
        () => new EgovClient({ baseUrl: input, softwareId: 'TODOKE1' }),
        (e: unknown) => isEgovError(e, 'EGOV_CONFIG_INVALID') && e.message === check.message && e.messageJa === check.messageJa && e.delivery === 'not-sent' && e.detail?.problem === check.code,
      );
    }
  });

  void it('the client builds request URLs on the normalised base', () => {
    const client = new EgovClient({ baseUrl: 'HTTPS://API.EXAMPLE.JP', softwareId: 'TODOKE1' });
    assert.equal(client.urlFor('authentication/login').href, 'https://api.example.jp/shinsei/1/authentication/login');
    assert.equal(client.urlFor('access/apply;id=1').href, 'https://api.example.jp/shinsei/1/access/apply;id=1');
  });

  const profile = (baseUrl: unknown) => ({
    version: PROFILE_VERSION,
    environment: { kind: 'custom', baseUrl, softwareId: 'TODOKE1' },
    userId: 'taro01',
    signer: { kind: 'file', path: '/x/a.p12', displayName: 'a.p12' },
    certificatePem: 'PEM',
    createdAt: '2024-01-01T00:00:00Z',
    updatedAt: '2024-01-01T00:00:00Z',
  });

  void it('a profile read from disk: refused with the endpoint message, or read back normalised', () => {
    for (const input of bad) {
      const check = checkEndpoint(input);
      assert.ok(!check.ok);
      assert.throws(
        () => parseProfile(profile(input)),
        (e: unknown) => e instanceof SchemaViolation && e.issue.path === 'profile.environment.baseUrl' && e.issue.message === check.message && e.issue.reason === check.code,
      );
    }
    const read = parseProfile(profile('https://api.example.jp/shinsei/1'));
    assert.equal(read.environment.kind === 'custom' && read.environment.baseUrl, 'https://api.example.jp/shinsei/1/');
    assert.throws(() => parseProfile(profile(7)), SchemaViolation);
  });

  void it('the first-run form shows the same failed check', () => {
    for (const input of bad) assert.deepEqual(endpointProblem(input), checkEndpoint(input));
    assert.equal(endpointProblem('https://api.example.jp'), null);
  });

  void it('identity.setup refuses it before anything is stored or sent, with the same words', async () => {
    const home = scratchHome();
    const core = createApp({ host: 'harness', home, version: 'test', onUnexpected: (op, e) => assert.fail(`${op}: ${String(e)}`) });
    for (const input of bad.filter((b) => b !== '')) {
      const check = checkEndpoint(input);
      assert.ok(!check.ok);
      const result = (await core.dispatch('identity.setup', {
        environment: { kind: 'custom', baseUrl: input, softwareId: 'TODOKE1' },
        signer: { kind: 'file', fileName: 'a.p12', dataBase64: Buffer.from('not read').toString('base64'), password: 'x' },
        userId: 'taro01',
        mode: 'register',
      })) as Envelope<unknown>;
      assert.ok(!result.ok);
      assert.deepEqual(
        { code: result.error.code, message: result.error.message, messageJa: result.error.messageJa, reason: result.error.detail?.reason, path: result.error.detail?.path },
        { code: 'INVALID_ARGUMENT', message: check.message, messageJa: check.messageJa, reason: check.code, path: 'args.environment.baseUrl' },
      );
    }
  });
});
