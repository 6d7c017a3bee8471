// End-to-end: the 証明書 screen, driven like a person would, through the real renderer and the
// real core (Electron when installed, else the web harness in Debian's Chromium). Controls are
// found by role and accessible name only.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { egovCertsDir, egovKeyPassphrase, repoRoot } from '../support/paths.js';
import { launchTodoke, type LaunchedTodoke } from './support/launch.js';

const expiredPem = join(egovCertsDir, 'e-GovEE01_sha2.cer');
const sandboxP12 = join(repoRoot, 'assets', 'sandbox-pki', 'yamada-taro.p12');
const P12_PASSWORD = 'todoke';

let todoke: LaunchedTodoke;
let page: Page;
let scratch: string;

before(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'todoke-e2e-'));
  todoke = await launchTodoke();
  page = todoke.page;
  // No 利用者ID yet: the app opens on the first-run flow; the menu reaches every screen from there.
  await page.getByRole('heading', { level: 1, name: '利用者の設定' }).waitFor();
});

after(async () => {
  await todoke?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** The screen's file input (visually hidden, so found by its label); the hidden 利用者 screen has its own. */
function filePicker(): Locator {
  return page.getByLabel('証明書ファイルを選ぶ').filter({ visible: true });
}

async function text(locator: Locator): Promise<string> {
  await locator.waitFor();
  return (await locator.innerText()).replace(/\s+/g, ' ');
}

async function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate((el) => el === document.activeElement);
}

void describe('証明書 screen', () => {
  void test('is reached with the keyboard alone', async () => {
    await todoke.screenshot('01-first-run');
    const navItem = page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('button', { name: '証明書' });
    let presses = 0;
    while (!(await isFocused(navItem))) {
      assert.ok(presses++ < 10, 'Tab never reached the 証明書 menu item');
      await page.keyboard.press('Tab');
    }
    await todoke.screenshot('02-keyboard-focus-on-certificates');
    await page.keyboard.press('Enter');
    const heading = page.getByRole('heading', { level: 1, name: '証明書' });
    await heading.waitFor();
    assert.equal(await navItem.getAttribute('aria-current'), 'page');
    // Focus moves to the new screen's title, so the next Tab continues inside the screen.
    assert.ok(await isFocused(heading), 'focus should land on the screen title');
    await page.getByText('証明書はまだ選ばれていません').waitFor();
    await todoke.screenshot('03-certificates-empty');
  });

  void test('shows an expired PEM certificate with its holder, issuer, validity and a 期限切れ warning', async () => {
    await filePicker().setInputFiles(expiredPem);
    const card = page.getByRole('article', { name: 'Ichiro Madoguchi' });
    const body = await text(card);
    assert.match(body, /氏名（CN） Ichiro Madoguchi/);
    assert.match(body, /発行者 C=JP, O=DemoMin1, OU=CA1/);
    // notBefore 2014-11-28T06:01:02Z and notAfter 2019-11-27T14:59:59Z, in Japan time.
    assert.match(body, /有効期間 2014年11月28日 15:01 〜 2019年11月27日 23:59（日本時間）/);
    assert.match(body, /平成26年11月28日 〜 令和元年11月27日/);
    assert.match(body, /シリアル番号 5475CF7D/);
    // As OpenSSL prints it, shown in two lines of 16 bytes.
    const fingerprint = execFileSync('openssl', ['x509', '-in', expiredPem, '-noout', '-fingerprint', '-sha256'], { encoding: 'utf8' }).trim().split('=')[1] ?? '';
    assert.equal(fingerprint.length, 95);
    assert.ok(body.includes(`SHA-256 フィンガープリント ${fingerprint.slice(0, 47)} ${fingerprint.slice(48)}`), `fingerprint row in: ${body}`);
    assert.match(body, /鍵 RSA 2048 ビット/);
    assert.match(body, /PEM/);
    const warning = card.getByRole('alert').filter({ hasText: '期限切れ' });
    assert.match(await text(warning), /2019年11月27日 に有効期限が切れています/);
    await todoke.screenshot('04-certificate-pem-expired');
  });

  void test('explains in Japanese why a file that is not a certificate cannot be read', async () => {
    const garbage = join(scratch, 'not-a-certificate.cer');
    writeFileSync(garbage, 'これは証明書ではありません\n'.repeat(20));
    await filePicker().setInputFiles(garbage);
    const alert = page.getByRole('alert').filter({ hasText: '証明書を読み取れませんでした' });
    const message = await text(alert);
    assert.match(message, /PEM 形式または DER 形式/);
    assert.match(message, /別のファイルを選び直すか/);
    assert.equal(await page.getByRole('article').count(), 0, 'the previous certificate is no longer shown');
    await todoke.screenshot('05-certificate-garbage-error');
  });

  void test('opens a PKCS#12 file only with the right password', async () => {
    const p12 = existsSync(sandboxP12) ? sandboxP12 : makePkcs12();
    const expectedName = commonNameOfPkcs12(p12);
    await filePicker().setInputFiles(p12);
    const password = page.getByLabel('パスワード', { exact: true });
    await password.waitFor();
    assert.ok(await isFocused(password), 'the password field takes focus');
    await password.fill('wrong-password');
    await page.getByRole('button', { name: '開く' }).click();
    const error = page.getByRole('alert').filter({ hasText: 'パスワードが違います' });
    await error.waitFor();
    assert.equal(await password.getAttribute('aria-invalid'), 'true');
    assert.equal(await password.inputValue(), '', 'the rejected password is not kept in the field');
    await todoke.screenshot('06-pkcs12-wrong-password');

    await password.fill(P12_PASSWORD);
    await page.keyboard.press('Enter');
    const card = page.getByRole('article', { name: expectedName });
    const body = await text(card);
    assert.match(body, /PKCS#12/);
    assert.match(body, new RegExp(`氏名（CN） ${escapeRegExp(expectedName)}`));
    await todoke.screenshot('07-pkcs12-opened');
  });

  void test('switches to English and back', async () => {
    await page.getByRole('button', { name: /English/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Certificates' }).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    const body = await text(page.getByRole('article'));
    assert.match(body, /Issuer/);
    assert.match(body, /Validity/);
    await todoke.screenshot('08-certificate-english');
    await page.getByRole('button', { name: /日本語/ }).click();
    await page.getByRole('heading', { level: 1, name: '証明書' }).waitFor();
  });

  void test('ran without console errors or CSP violations', () => {
    assert.deepEqual(todoke.problems, []);
  });
});

/** A PKCS#12 made by OpenSSL from e-Gov's test key and certificate, for when the sandbox PKI is not there yet. */
function makePkcs12(): string {
  const out = join(scratch, 'egov-test.p12');
  execFileSync('openssl', [
    'pkcs12', '-export',
    '-inkey', join(egovCertsDir, 'e-GovEE01_sha2.pem'),
    '-in', expiredPem,
    '-passin', `pass:${egovKeyPassphrase}`,
    '-passout', `pass:${P12_PASSWORD}`,
    '-out', out,
  ]);
  return out;
}

/** The holder's CN as OpenSSL (not our code) reads it from the PKCS#12. */
function commonNameOfPkcs12(path: string): string {
  const pem = execFileSync('openssl', ['pkcs12', '-in', path, '-clcerts', '-nokeys', '-passin', `pass:${P12_PASSWORD}`]);
  const cn = /(?:^|\n)CN=([^\n]*)/.exec(new X509Certificate(pem).subject)?.[1];
  assert.ok(cn, 'the PKCS#12 certificate has a CN');
  return cn;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
