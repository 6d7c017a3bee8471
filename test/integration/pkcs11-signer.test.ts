// PKCS#11 signing against real SoftHSM2 tokens: listing without a PIN, the PIN conversation,
// token and certificate selection, both signing mechanisms, missing keys, missing libraries and a
// token that disappears while open. Each test makes its own token(s) in a temp dir and removes them.
import assert from 'node:assert/strict';
import { X509Certificate, createSign, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterEach, describe, test, type TestContext } from 'node:test';
import { SigningError } from '../../src/main/signing/errors.js';
import {
  listTokenCertificates,
  listTokens,
  openPkcs11Signer,
  pinWarning,
  type PinRequest,
  type Pkcs11Signer,
} from '../../src/main/signing/pkcs11/index.js';
import { loadedModuleCount } from '../../src/main/signing/pkcs11/module.js';
import { repoRoot } from '../support/paths.js';
import { issueCertificate, makeCa } from '../support/pki.js';
import { createSoftHsmConfig, createSoftHsmToken, findSoftHsmModule, type SoftHsmToken, type TokenObjectSpec } from '../support/softhsm.js';

const PIN = '246810';
const ca = makeCa({ commonName: 'Todoke テスト認証局' });
const yamada = issueCertificate(ca, { subject: { C: 'JP', O: 'Todoke', CN: '山田 太郎' } });
const suzuki = issueCertificate(ca, { subject: { C: 'JP', O: 'Todoke', CN: '鈴木 花子' } });
const DATA = Buffer.from('<DataRoot><ApplData Id="ApplData">申請</ApplData></DataRoot>', 'utf8');

const yamadaObject: TokenObjectSpec = { id: '01', label: '山田 署名鍵', keyPem: yamada.keyPem, certDer: yamada.certDer };
const suzukiObject: TokenObjectSpec = { id: '02', label: '鈴木 署名鍵', keyPem: suzuki.keyPem, certDer: suzuki.certDer };

afterEach(() => {
  // every signer closed and every listing done: the library must be finalized and unloaded
  assert.equal(loadedModuleCount(), 0, 'PKCS#11 module still loaded after the test');
});

function token(t: TestContext, label: string, objects: TokenObjectSpec[] = [yamadaObject]): SoftHsmToken {
  const made = createSoftHsmToken({ label, pin: PIN, soPin: '87654321', objects });
  t.after(() => made.cleanup());
  return made;
}

/** A PIN provider answering from a script, recording every request it saw. */
function scripted(answers: (string | null)[]): { provider: (r: PinRequest) => Promise<string | null>; requests: PinRequest[] } {
  const requests: PinRequest[] = [];
  return {
    requests,
    provider: async (request) => {
      requests.push(request);
      const answer = answers[requests.length - 1];
      return answer === undefined ? null : answer;
    },
  };
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<SigningError> {
  let caught: unknown;
  try {
    await promise;
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof SigningError, `expected SigningError ${code}, got ${inspect(caught)}`);
  assert.equal(caught.code, code, caught.message);
  assert.match(caught.messageJa, /[\u3040-\u30ff\u4e00-\u9fff]/);
  return caught;
}

async function withSigner<T>(signer: Pkcs11Signer, fn: (s: Pkcs11Signer) => Promise<T>): Promise<T> {
  try {
    return await fn(signer);
  } finally {
    await signer.close();
  }
}

void describe('listing without a PIN', () => {
  void test('listTokens shows trimmed label, serial and flags; listTokenCertificates shows the certificates', async (t) => {
    const card = token(t, '山田のカード');
    const tokens = await listTokens(card.modulePath);
    const mine = tokens.find((x) => x.serial === card.serial);
    assert.ok(mine, 'the token is listed');
    assert.equal(mine.label, '山田のカード');
    assert.equal(mine.manufacturer, 'SoftHSM project');
    assert.match(mine.slotId, /^[0-9a-f]{16}$/);
    assert.deepEqual(mine.flags, {
      loginRequired: true,
      userPinInitialized: true,
      pinCountLow: false,
      pinFinalTry: false,
      pinLocked: false,
      tokenInitialized: true,
    });
    // SoftHSM always offers one more, uninitialized slot
    assert.ok(tokens.some((x) => !x.flags.tokenInitialized));

    const certs = await listTokenCertificates(card.modulePath, { label: '山田のカード' });
    assert.equal(certs.length, 1);
    assert.equal(certs[0]!.id, '01');
    assert.equal(certs[0]!.label, '山田 署名鍵');
    assert.equal(certs[0]!.info.commonName, '山田 太郎');
    assert.equal(certs[0]!.info.fingerprintSha256, yamada.certificate.fingerprint256);
  });
});

void describe('the PIN conversation', () => {
  void test('a wrong PIN first, then the right one: attempt 2 with PIN_INCORRECT and the card flag fresh', async (t) => {
    const card = token(t, 'PIN Card');
    const { provider, requests } = scripted(['000000', PIN]);
    await withSigner(await openPkcs11Signer({ modulePath: card.modulePath, token: { label: 'PIN Card' }, pinProvider: provider }), async (signer) => {
      assert.equal(requests.length, 0, 'no PIN asked before the first signature');
      const signature = await signer.sign(DATA);
      assert.ok(verify('sha256', DATA, yamada.certificate.publicKey, signature));
      assert.deepEqual(requests, [
        { tokenLabel: 'PIN Card', tokenSerial: card.serial, attempt: 1, pinCountLow: false, pinFinalTry: false },
        // SoftHSM sets CKF_USER_PIN_COUNT_LOW after a wrong PIN; the request shows it before the retry
        { tokenLabel: 'PIN Card', tokenSerial: card.serial, attempt: 2, previousError: 'PIN_INCORRECT', pinCountLow: true, pinFinalTry: false },
      ]);
      assert.equal(pinWarning(requests[1]!), 'PIN の残り入力回数が少なくなっています。PIN を確かめてから入力してください。');
      // logged in now: more signatures need no PIN
      await signer.sign(Buffer.from('second'));
      assert.equal(requests.length, 2);
    });
  });

  void test('cancel is PIN_CANCELLED, and the next signature asks again', async (t) => {
    const card = token(t, 'Cancel Card');
    const { provider, requests } = scripted([null, PIN]);
    await withSigner(await openPkcs11Signer({ modulePath: card.modulePath, token: { label: 'Cancel Card' }, pinProvider: provider }), async (signer) => {
      await expectCode(signer.sign(DATA), 'PIN_CANCELLED');
      assert.ok(verify('sha256', DATA, yamada.certificate.publicKey, await signer.sign(DATA)));
      assert.deepEqual(
        requests.map((r) => [r.attempt, r.previousError]),
        [
          [1, undefined],
          [1, undefined],
        ],
      );
    });
  });

  void test('the provider gives up after three wrong PINs by returning null', async (t) => {
    const card = token(t, 'Give Up Card');
    const { provider, requests } = scripted(['111111', '222222', '333333', null]);
    await withSigner(await openPkcs11Signer({ modulePath: card.modulePath, token: { label: 'Give Up Card' }, pinProvider: provider }), async (signer) => {
      await expectCode(signer.sign(DATA), 'PIN_CANCELLED');
      assert.deepEqual(
        requests.map((r) => [r.attempt, r.previousError ?? null]),
        [
          [1, null],
          [2, 'PIN_INCORRECT'],
          [3, 'PIN_INCORRECT'],
          [4, 'PIN_INCORRECT'],
        ],
      );
    });
  });

  void test('a PIN of the wrong length is re-asked with PIN_LEN_RANGE without spending a try on the card', async (t) => {
    const card = token(t, 'Length Card');
    // SoftHSM takes 4..255 bytes (it would answer CKR_PIN_INCORRECT, not CKR_PIN_LEN_RANGE)
    const { provider, requests } = scripted(['12', 'x'.repeat(256), PIN]);
    await withSigner(await openPkcs11Signer({ modulePath: card.modulePath, token: { label: 'Length Card' }, pinProvider: provider }), async (signer) => {
      assert.ok(verify('sha256', DATA, yamada.certificate.publicKey, await signer.sign(DATA)));
      assert.deepEqual(
        requests.map((r) => [r.attempt, r.previousError ?? null, r.pinCountLow]),
        [
          [1, null, false],
          [2, 'PIN_LEN_RANGE', false], // the card's wrong-PIN flag is still clear: C_Login was not called
          [3, 'PIN_LEN_RANGE', false],
        ],
      );
    });
  });

  void test('a card reporting its final try: the request says so before the PIN is typed', async (t) => {
    const card = token(t, 'Final Try Card');
    card.setPinFlags({ countLow: true, finalTry: true });
    const { provider, requests } = scripted([PIN]);
    await withSigner(await openPkcs11Signer({ modulePath: card.modulePath, token: { label: 'Final Try Card' }, pinProvider: provider }), async (signer) => {
      await signer.sign(DATA);
      assert.equal(requests[0]!.pinFinalTry, true);
      assert.equal(requests[0]!.pinCountLow, true);
      assert.equal(pinWarning(requests[0]!), '次に間違えると IC カードがロックされます。PIN を確かめてから入力してください。');
    });
  });

  void test('a card reporting a locked PIN: PIN_LOCKED without asking for a PIN', async (t) => {
    const card = token(t, 'Locked Card');
    card.setPinFlags({ locked: true });
    const listed = (await listTokens(card.modulePath)).find((x) => x.serial === card.serial);
    assert.equal(listed?.flags.pinLocked, true);
    const { provider, requests } = scripted([PIN]);
    await withSigner(await openPkcs11Signer({ modulePath: card.modulePath, token: { label: 'Locked Card' }, pinProvider: provider }), async (signer) => {
      await expectCode(signer.sign(DATA), 'PIN_LOCKED');
      assert.equal(requests.length, 0);
    });
  });

  void test('a provider that throws counts as a cancel', async (t) => {
    const card = token(t, 'Throw Card');
    const signer = await openPkcs11Signer({
      modulePath: card.modulePath,
      token: { label: 'Throw Card' },
      pinProvider: async () => {
        throw new Error('window closed');
      },
    });
    await withSigner(signer, async (s) => {
      await expectCode(s.sign(DATA), 'PIN_CANCELLED');
    });
  });

  void test('concurrent signatures share one PIN prompt', async (t) => {
    const card = token(t, 'Concurrent Card');
    const { provider, requests } = scripted([PIN]);
    await withSigner(await openPkcs11Signer({ modulePath: card.modulePath, token: { label: 'Concurrent Card' }, pinProvider: provider }), async (signer) => {
      const inputs = ['a', 'b', 'c', 'd'].map((x) => Buffer.from(x));
      const signatures = await Promise.all(inputs.map((d) => signer.sign(d)));
      signatures.forEach((s, i) => assert.ok(verify('sha256', inputs[i]!, yamada.certificate.publicKey, s)));
      assert.equal(requests.length, 1);
    });
  });

  void test('the PIN appears nowhere: not on the signer, not in errors', async (t) => {
    const card = token(t, 'Secret Card');
    const wrong = 'WRONG-PIN-7391';
    const { provider } = scripted([wrong, PIN]);
    const errors: unknown[] = [];
    await withSigner(await openPkcs11Signer({ modulePath: card.modulePath, token: { label: 'Secret Card' }, pinProvider: provider }), async (signer) => {
      await signer.sign(DATA);
      const dump = inspect(signer, { showHidden: true, depth: 5 }) + JSON.stringify(signer);
      assert.ok(!dump.includes(PIN) && !dump.includes(wrong));
    });
    const { provider: cancelling } = scripted([wrong, 'sh', null]);
    await withSigner(await openPkcs11Signer({ modulePath: card.modulePath, token: { label: 'Secret Card' }, pinProvider: cancelling }), async (signer) => {
      try {
        await signer.sign(DATA);
      } catch (e) {
        errors.push(e);
      }
    });
    assert.equal(errors.length, 1);
    const error = errors[0] as SigningError;
    assert.equal(error.code, 'PIN_CANCELLED');
    const text = inspect(error, { showHidden: true, depth: 8 }) + JSON.stringify(error.toPayload());
    assert.ok(!text.includes(wrong));
  });

  void test('a shared login: the second signer on a token needs no PIN; only the last close logs out', async (t) => {
    const card = token(t, 'Shared Card');
    const first = scripted([PIN]);
    const second = scripted([PIN]);
    const a = await openPkcs11Signer({ modulePath: card.modulePath, token: { label: 'Shared Card' }, pinProvider: first.provider });
    const b = await openPkcs11Signer({ modulePath: card.modulePath, token: { label: 'Shared Card' }, pinProvider: second.provider });
    try {
      await a.sign(DATA);
      await b.sign(DATA);
      assert.equal(first.requests.length, 1);
      assert.equal(second.requests.length, 0, 'PKCS#11 logins are per application: b is logged in already');
      await a.close();
      assert.ok(verify('sha256', DATA, yamada.certificate.publicKey, await b.sign(DATA)), 'b still works after a closed');
      assert.equal(second.requests.length, 0);
    } finally {
      await a.close();
      await b.close();
    }
    // all closed: logged out and finalized, so a new signer asks again
    const third = scripted([PIN]);
    await withSigner(await openPkcs11Signer({ modulePath: card.modulePath, token: { label: 'Shared Card' }, pinProvider: third.provider }), async (c) => {
      await c.sign(DATA);
    });
    assert.equal(third.requests.length, 1);
  });

  void test('close() logs out: a signer kept open beside it must log in again', async (t) => {
    const card = token(t, 'Logout Card');
    const keeper = scripted([PIN]);
    const user = scripted([PIN]);
    const kept = await openPkcs11Signer({ modulePath: card.modulePath, token: { label: 'Logout Card' }, pinProvider: keeper.provider });
    try {
      await withSigner(await openPkcs11Signer({ modulePath: card.modulePath, token: { label: 'Logout Card' }, pinProvider: user.provider }), async (s) => {
        await s.sign(DATA);
      });
      assert.equal(user.requests.length, 1);
      await kept.sign(DATA);
      assert.equal(keeper.requests.length, 1, 'the first signer logged out on close, so the kept one asked for the PIN');
    } finally {
      await kept.close();
    }
    await expectCode(kept.sign(DATA), 'SIGNER_CLOSED');
  });
});

void describe('choosing the token and the certificate', () => {
  void test('by label and by serial; two tokens with one label are AMBIGUOUS until chosen by serial', async (t) => {
    const config = createSoftHsmConfig();
    t.after(() => config.cleanup());
    const first = createSoftHsmToken({ label: '事務所カード', pin: PIN, config, objects: [yamadaObject] });
    const second = createSoftHsmToken({ label: '事務所カード', pin: PIN, config, objects: [suzukiObject] });
    const third = createSoftHsmToken({ label: 'Other', pin: PIN, config, objects: [suzukiObject] });

    const byLabel = await openPkcs11Signer({ modulePath: config.modulePath, token: { label: 'Other' }, pinProvider: scripted([PIN]).provider });
    await withSigner(byLabel, async (s) => assert.equal(s.token.serial, third.serial));

    const ambiguous = await expectCode(openPkcs11Signer({ modulePath: config.modulePath, token: { label: '事務所カード' }, pinProvider: scripted([]).provider }), 'PKCS11_TOKEN_AMBIGUOUS');
    assert.deepEqual(
      (ambiguous.detail?.candidates as { serial: string }[]).map((c) => c.serial).sort(),
      [first.serial, second.serial].sort(),
    );
    await expectCode(listTokenCertificates(config.modulePath, { label: '事務所カード' }), 'PKCS11_TOKEN_AMBIGUOUS');

    const bySerial = await openPkcs11Signer({ modulePath: config.modulePath, token: { serial: second.serial }, pinProvider: scripted([PIN]).provider });
    await withSigner(bySerial, async (s) => {
      assert.equal(s.certificate.fingerprint256, suzuki.certificate.fingerprint256);
      assert.ok(verify('sha256', DATA, suzuki.certificate.publicKey, await s.sign(DATA)));
    });
    const bothMatch = await openPkcs11Signer({ modulePath: config.modulePath, token: { label: '事務所カード', serial: first.serial }, pinProvider: scripted([PIN]).provider });
    await withSigner(bothMatch, async (s) => assert.equal(s.certificate.fingerprint256, yamada.certificate.fingerprint256));
    await expectCode(openPkcs11Signer({ modulePath: config.modulePath, token: {}, pinProvider: scripted([]).provider }), 'PKCS11_TOKEN_AMBIGUOUS');
  });

  void test('an unknown token is PKCS11_TOKEN_NOT_FOUND', async (t) => {
    const card = token(t, 'Known Card');
    const error = await expectCode(openPkcs11Signer({ modulePath: card.modulePath, token: { label: 'Unknown Card' }, pinProvider: scripted([]).provider }), 'PKCS11_TOKEN_NOT_FOUND');
    assert.deepEqual(error.detail?.available, [{ label: 'Known Card', serial: card.serial }]);
    await expectCode(openPkcs11Signer({ modulePath: card.modulePath, token: { serial: '0000000000000000' }, pinProvider: scripted([]).provider }), 'PKCS11_TOKEN_NOT_FOUND');
    await expectCode(listTokenCertificates(card.modulePath, { label: 'Unknown Card' }), 'PKCS11_TOKEN_NOT_FOUND');
  });

  void test('two certificates: AMBIGUOUS listing the ids, then chosen by certId', async (t) => {
    const card = token(t, 'Two Certs', [yamadaObject, suzukiObject]);
    const error = await expectCode(openPkcs11Signer({ modulePath: card.modulePath, token: { label: 'Two Certs' }, pinProvider: scripted([]).provider }), 'PKCS11_CERT_AMBIGUOUS');
    assert.deepEqual(error.detail?.ids, ['01', '02']);
    assert.match(error.messageJa, /01, 02/);

    const listed = await listTokenCertificates(card.modulePath, { label: 'Two Certs' });
    assert.deepEqual(listed.map((c) => [c.id, c.info.commonName]).sort(), [
      ['01', '山田 太郎'],
      ['02', '鈴木 花子'],
    ]);
    await withSigner(await openPkcs11Signer({ modulePath: card.modulePath, token: { label: 'Two Certs' }, certId: '02', pinProvider: scripted([PIN]).provider }), async (s) => {
      assert.equal(s.certificateId, '02');
      assert.ok(verify('sha256', DATA, suzuki.certificate.publicKey, await s.sign(DATA)));
    });
    await expectCode(openPkcs11Signer({ modulePath: card.modulePath, token: { label: 'Two Certs' }, certId: '03', pinProvider: scripted([]).provider }), 'PKCS11_NO_CERTIFICATE');
  });

  void test('the end-entity certificate is chosen over a CA certificate stored beside it', async (t) => {
    const card = token(t, 'With CA', [yamadaObject, { id: 'ca', label: 'CA', certDer: ca.certDer }]);
    await withSigner(await openPkcs11Signer({ modulePath: card.modulePath, token: { label: 'With CA' }, pinProvider: scripted([PIN]).provider }), async (s) => {
      assert.equal(s.certificateId, '01');
      assert.ok(verify('sha256', DATA, yamada.certificate.publicKey, await s.sign(DATA)));
    });
  });

  void test('a token without certificates is PKCS11_NO_CERTIFICATE', async (t) => {
    const card = token(t, 'Empty Card', []);
    await expectCode(openPkcs11Signer({ modulePath: card.modulePath, token: { label: 'Empty Card' }, pinProvider: scripted([]).provider }), 'PKCS11_NO_CERTIFICATE');
    assert.deepEqual(await listTokenCertificates(card.modulePath, { label: 'Empty Card' }), []);
  });

  void test('a certificate without its private key: PKCS11_NO_KEY at the first signature', async (t) => {
    const card = token(t, 'No Key', [{ id: '07', label: 'cert only', certDer: yamada.certDer }]);
    await withSigner(await openPkcs11Signer({ modulePath: card.modulePath, token: { label: 'No Key' }, pinProvider: scripted([PIN]).provider }), async (s) => {
      await expectCode(s.sign(DATA), 'PKCS11_NO_KEY');
    });
  });

  void test('a key under the certificate id that belongs to another certificate is KEY_CERT_MISMATCH', async (t) => {
    const card = token(t, 'Mismatch', [{ id: '09', label: 'mixed', keyPem: suzuki.keyPem, certDer: yamada.certDer }]);
    await withSigner(await openPkcs11Signer({ modulePath: card.modulePath, token: { label: 'Mismatch' }, pinProvider: scripted([PIN]).provider }), async (s) => {
      await expectCode(s.sign(DATA), 'KEY_CERT_MISMATCH');
    });
  });
});

void describe('mechanisms', () => {
  void test('CKM_SHA256_RSA_PKCS and forced CKM_RSA_PKCS over DigestInfo give the same bytes as Node', async (t) => {
    const card = token(t, 'Mech Card');
    const signWith = async (mechanism: 'auto' | 'CKM_RSA_PKCS' | 'CKM_SHA256_RSA_PKCS'): Promise<Buffer> =>
      withSigner(await openPkcs11Signer({ modulePath: card.modulePath, token: { label: 'Mech Card' }, mechanism, pinProvider: scripted([PIN]).provider }), async (s) => {
        assert.equal(s.mechanism, mechanism === 'CKM_RSA_PKCS' ? 'CKM_RSA_PKCS' : 'CKM_SHA256_RSA_PKCS');
        return s.sign(DATA);
      });
    const onCard = await signWith('auto');
    const explicit = await signWith('CKM_SHA256_RSA_PKCS');
    const raw = await signWith('CKM_RSA_PKCS');
    assert.ok(verify('sha256', DATA, yamada.certificate.publicKey, onCard));
    assert.deepEqual(raw, onCard);
    assert.deepEqual(explicit, onCard);
    assert.deepEqual(onCard, createSign('sha256').update(DATA).sign(yamada.key), 'PKCS#1 v1.5 is deterministic');
  });
});

void describe('failures', () => {
  void test('a missing library is PKCS11_MODULE_LOAD naming the path', async () => {
    const path = '/nonexistent/opensc-pkcs11.so';
    for (const attempt of [listTokens(path), listTokenCertificates(path, { label: 'x' }), openPkcs11Signer({ modulePath: path, token: { label: 'x' }, pinProvider: scripted([]).provider })]) {
      const error = await expectCode(attempt, 'PKCS11_MODULE_LOAD');
      assert.ok(error.messageJa.includes(path) && error.message.includes(path));
    }
  });

  void test('a file that is not a PKCS#11 library is PKCS11_MODULE_LOAD', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'todoke-fake-module-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const fake = join(dir, 'libfake-pkcs11.so');
    writeFileSync(fake, Buffer.from('this is not an ELF file'));
    await expectCode(listTokens(fake), 'PKCS11_MODULE_LOAD');
    await expectCode(listTokens(dir), 'PKCS11_MODULE_LOAD');
  });

  void test('the token removed after a signature: PKCS11_TOKEN_REMOVED, and stays so', async (t) => {
    const card = token(t, 'Removable');
    await withSigner(await openPkcs11Signer({ modulePath: card.modulePath, token: { label: 'Removable' }, pinProvider: scripted([PIN]).provider }), async (s) => {
      await s.sign(DATA);
      card.remove();
      await expectCode(s.sign(DATA), 'PKCS11_TOKEN_REMOVED');
      await expectCode(s.sign(DATA), 'PKCS11_TOKEN_REMOVED');
    });
  });

  void test('the token removed before the first signature: PKCS11_TOKEN_REMOVED without a PIN prompt', async (t) => {
    const card = token(t, 'Gone Early');
    const { provider, requests } = scripted([PIN]);
    await withSigner(await openPkcs11Signer({ modulePath: card.modulePath, token: { label: 'Gone Early' }, pinProvider: provider }), async (s) => {
      card.remove();
      await expectCode(s.sign(DATA), 'PKCS11_TOKEN_REMOVED');
      assert.equal(requests.length, 0);
    });
  });
});

void describe('the bundled sandbox token credentials', () => {
  void test('token-user key + certificate on a SoftHSM token sign for 佐藤 健', async (t) => {
    const dir = join(repoRoot, 'assets', 'sandbox-pki');
    const certPem = readFileSync(join(dir, 'token-user.cert.pem'), 'utf8');
    const cert = new X509Certificate(certPem);
    const card = token(t, 'Sandbox Token', [{ id: 'a1', label: 'token-user', keyPem: readFileSync(join(dir, 'token-user.key.pem'), 'utf8'), certDer: cert.raw }]);
    assert.equal(findSoftHsmModule(), card.modulePath);
    await withSigner(await openPkcs11Signer({ modulePath: card.modulePath, token: { label: 'Sandbox Token' }, pinProvider: scripted([PIN]).provider }), async (s) => {
      assert.match(s.certificate.subject, /CN=佐藤 健/);
      assert.ok(verify('sha256', DATA, cert.publicKey, await s.sign(DATA)));
    });
  });
});
