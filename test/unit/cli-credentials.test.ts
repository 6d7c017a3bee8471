// Unit: the CLI's one password / PIN prompt (src/main/cli/credentials.ts), used by every command
// that signs. An environment secret is tried once only (never burns a card's tries); a typed PIN is
// asked again with the reason and the card's count-low / final-try warning; with no terminal the
// command stops with a message naming the flag, instead of waiting.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isTodokeError } from '../../src/shared/errors.js';
import { CliCredentials } from '../../src/main/cli/credentials.js';
import type { CliIo } from '../../src/main/cli/io.js';
import { credentialCancelled } from '../../src/main/identity/errors.js';
import type { CredentialAsk } from '../../src/main/identity/signer-reference.js';

const pin: CredentialAsk = { kind: 'pin', subject: 'Todoke IC', attempt: 1, previousError: null, pinCountLow: false, pinFinalTry: false, purpose: 'login' };
const password: CredentialAsk = { ...pin, kind: 'password', subject: 'taro.p12' };

function io(answers: (string | null)[], env: Record<string, string> = {}) {
  const prompts: string[] = [];
  const terminal: CliIo = {
    stdout: () => undefined,
    stderr: () => undefined,
    env,
    cwd: '/',
    now: () => new Date(),
    promptSecret: async (prompt) => {
      prompts.push(prompt);
      return answers.length ? (answers.shift() ?? null) : null;
    },
  };
  return { terminal, prompts };
}

describe('CliCredentials', () => {
  test('a PIN from the environment is given once; the second request is refused and explained, nothing typed', async () => {
    const { terminal, prompts } = io([], { CARD_PIN: '1234' });
    const credentials = new CliCredentials(terminal, { 'pin-env': 'CARD_PIN' });
    assert.equal(await credentials.ask(pin), '1234');
    assert.equal(await credentials.ask({ ...pin, attempt: 2, previousError: 'PIN_INCORRECT' }), null);
    assert.equal(prompts.length, 0);
    const e = credentials.explain(credentialCancelled('pin'));
    assert.ok(isTodokeError(e, 'PIN_INCORRECT'));
    assert.match(e.messageJa, /環境変数 CARD_PIN の PIN は受け付けられませんでした（PIN が違います）。.*再試行はしていません/);
    assert.doesNotMatch(e.messageJa, /1234/);
  });

  test('a password from the environment is given once; a second request is a BAD_PASSWORD naming the variable', async () => {
    const { terminal } = io([], { PW: 'secret' });
    const credentials = new CliCredentials(terminal, { 'password-env': 'PW' });
    assert.equal(await credentials.ask(password), 'secret');
    await assert.rejects(credentials.ask({ ...password, attempt: 2, previousError: 'BAD_PASSWORD' }), (e: unknown) => isTodokeError(e, 'BAD_PASSWORD') && /環境変数 PW/.test(e.messageJa));
  });

  test('a typed PIN: the reason for asking again and the warning of the card come before the question', async () => {
    const { terminal, prompts } = io(['1', '2', '3']);
    const credentials = new CliCredentials(terminal, {});
    await credentials.ask(pin);
    await credentials.ask({ ...pin, attempt: 2, previousError: 'PIN_INCORRECT', pinCountLow: true });
    await credentials.ask({ ...pin, attempt: 3, previousError: 'PIN_LEN_RANGE', pinFinalTry: true });
    assert.match(prompts[0] as string, /^IC カード「Todoke IC」の PIN を入力してください（利用者認証、空のまま Enter で中止）: $/);
    assert.match(prompts[1] as string, /^PIN が違います。\nPIN の残り入力回数が少なくなっています。.*\nIC カード「Todoke IC」の PIN/);
    assert.match(prompts[2] as string, /^PIN の桁数が正しくありません。\n次に間違えると IC カードがロックされます。.*\nIC カード/);
  });

  test('the prompt names the purpose it is asked for, `sign kousei` included', async () => {
    const { terminal, prompts } = io(['x', 'y']);
    const credentials = new CliCredentials(terminal, {});
    await credentials.askFor('sign.kousei')(password);
    await credentials.ask({ ...password, purpose: 'certificate.delete' });
    assert.match(prompts[0] as string, /証明書ファイル「taro\.p12」のパスワードを入力してください（申請データへの署名、/);
    assert.match(prompts[1] as string, /（証明書の削除、/);
  });

  test('no terminal (or an empty PIN): the cancellation becomes CREDENTIAL_MISSING naming the flag to use', async () => {
    for (const [ask, answer, flag] of [
      [pin, null, '--pin-env'],
      [pin, '', '--pin-env'],
      [password, null, '--password-env'],
    ] as const) {
      const { terminal } = io([answer]);
      const credentials = new CliCredentials(terminal, {});
      assert.equal(await credentials.ask(ask), null);
      const e = credentials.explain(credentialCancelled(ask.kind));
      assert.ok(isTodokeError(e, 'CREDENTIAL_MISSING'));
      assert.ok(e.messageJa.includes(flag), e.messageJa);
    }
    // anything else passes through as it is
    const other = new Error('boom');
    assert.equal(new CliCredentials(io([]).terminal, {}).explain(other), other);
  });

  test('the variable is read at once: a name that is not set, or a secret typed where the name goes, stops before anything is asked', () => {
    assert.throws(() => new CliCredentials(io([]).terminal, { 'pin-env': 'NOPE' }), (e: unknown) => isTodokeError(e, 'CLI_USAGE') && /環境変数 NOPE が設定されていません/.test(e.messageJa));
    assert.throws(
      () => new CliCredentials(io([]).terminal, { 'password-env': 'hunter 2!' }),
      (e: unknown) => isTodokeError(e, 'CLI_USAGE') && /「名前」/.test(e.messageJa) && !e.messageJa.includes('hunter'),
    );
  });
});
