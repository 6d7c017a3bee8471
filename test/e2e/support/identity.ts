// End-to-end support (Node). A Todoke core wired to a fresh sandbox and a fresh home folder, shown
// in the web harness, plus the steps of the first-run flow as a person takes them (controls found
// by role and accessible name only).
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { TodokeApi } from '../../../src/shared/bridge.js';
import { createApp, type App, type AppDeps } from '../../../src/main/app/create-app.js';
import { forkCoreHost } from '../../../src/main/core-host/fork.js';
import { CoreSupervisor, type CoreEndpoint } from '../../../src/main/core-host/supervisor.js';
import { startSandbox, type SandboxHandle } from '../../../src/sandbox/server.js';
import { harnessPaymentWindows, type HarnessPaymentWindows } from '../../harness/payment-window.js';
import { harnessPrinter } from '../../harness/print-pdf.js';
import { scratchHome } from '../../support/home.js';
import { repoRoot } from '../../support/paths.js';
import { assertAccessible } from './accessibility.js';
import { launchTodoke, screenshotDir, type LaunchedTodoke } from './launch.js';

export const pki = join(repoRoot, 'assets', 'sandbox-pki');
/** the password of every PKCS#12 file in assets/sandbox-pki (test-only credentials) */
export const P12_PASSWORD = 'todoke';

export interface IdentityRig {
  sandbox: SandboxHandle;
  /** the core the page talks to: its own process (as in the app) unless the spec injects a secret store */
  app: CoreEndpoint;
  /** the supervisor of the core host process; null when the core runs in-process */
  core: CoreSupervisor | null;
  home: string;
  todoke: LaunchedTodoke;
  page: Page;
  /**
   * the 電子納付 hand-off windows, opened in the harness's Chromium: `pageOf(handOffId)` or
   * `onOpened` give a spec the bank page to drive
   */
  paymentWindows: HarnessPaymentWindows;
  /** the access key the core keeps for the profile (read from its owner-only secrets file) */
  storedAccessKey(): string | null;
  close(): Promise<void>;
}

/**
 * `fixedNow`: the core's clock for certificate warnings and its own timestamps (the sandbox keeps
 * the real one). `secrets`: a secret store of the spec's own, which needs the core in this process.
 * `poll`: the background case sync's pace (a cycle every 15 minutes in the product), given to the
 * core host, so a spec sees a change of the sandbox's operator within seconds.
 */
export async function startIdentityRig(
  options: {
    sandbox?: SandboxHandle;
    fixedNow?: string;
    home?: string;
    secrets?: AppDeps['secrets'];
    poll?: { intervalMs: number };
    /** another core host entry file (run with tsx); not waited for */ coreEntry?: string;
    /**
     * how far ahead of the real clock the hand-off windows' clock runs: e-Gov's 30 minutes run out
     * that much sooner, so a spec sees the countdown expire without waiting half an hour
     */
    paymentClockAheadMs?: number;
  } = {},
): Promise<IdentityRig> {
  const sandbox = options.sandbox ?? (await startSandbox({ dataDir: scratchHome('todoke-e2e-sandbox-') }));
  const home = options.home ?? scratchHome('todoke-e2e-home-');
  const endpoint = async () => ({ baseUrl: sandbox.apiBaseUrl, softwareId: sandbox.softwareIds[0] ?? '', caPem: null });
  const printer = harnessPrinter();
  // late-bound both ways: the windows open in the browser launchTodoke starts below, and report to
  // the core built here with them as a service
  let todoke: LaunchedTodoke | null = null;
  let events: { emit: App['events']['emit'] } | null = null;
  const paymentWindows = harnessPaymentWindows({
    browser: async () => {
      if (todoke?.browser) return todoke.browser;
      throw new Error('the hand-off window needs the harness browser (the page is not shown yet, or Electron runs its own)');
    },
    emit: (payload) => events?.emit({ name: 'payment.window', payload }),
    ...(options.paymentClockAheadMs ? { now: () => Date.now() + (options.paymentClockAheadMs ?? 0) } : {}),
  });
  let core: CoreSupervisor | null = null;
  let app: CoreEndpoint;
  let inProcess: App | null = null;
  if (options.secrets) {
    inProcess = createApp({
      host: 'harness',
      version: 'test',
      home,
      ...(options.fixedNow ? { now: () => new Date(options.fixedNow ?? '') } : {}),
      ...(options.secrets ? { secrets: options.secrets } : {}),
      sandbox: endpoint,
      trainingCertificatesDir: pki,
      printPdf: async (html) => Buffer.from(await printer.printPdf(html), 'base64'),
      paymentWindows,
    });
    app = inProcess;
    events = inProcess.events;
  } else {
    core = new CoreSupervisor({
      spawn: forkCoreHost(options.coreEntry ? { entry: options.coreEntry, execArgv: ['--import', 'tsx'], onStderr: () => undefined } : {}),
      config: () => ({
        host: 'harness',
        version: 'test',
        home,
        sandbox: true,
        secrets: { kind: 'file' },
        trainingCertificatesDir: pki,
        ...(options.fixedNow ? { fixedNow: options.fixedNow } : {}),
        ...(options.poll ? { casesPollIntervalMs: options.poll.intervalMs } : {}),
      }),
      services: { sandboxEndpoint: endpoint, printPdf: (html) => printer.printPdf(html), paymentWindows },
    });
    events = core.events;
    core.start();
    // the page's first calls would wait for it anyway; waiting here keeps a slow start out of the page's action timeouts
    if (!options.coreEntry) await core.whenRunning();
    app = core;
  }
  const launched = await launchTodoke({ app });
  todoke = launched;
  return {
    sandbox,
    app,
    core,
    home,
    todoke: launched,
    page: launched.page,
    paymentWindows,
    storedAccessKey() {
      try {
        const secrets = JSON.parse(readFileSync(join(home, 'profiles', 'default', 'secrets.json'), 'utf8')) as { accessKey?: string };
        return secrets.accessKey ? (JSON.parse(secrets.accessKey) as { accessKey: string }).accessKey : null;
      } catch {
        return null;
      }
    },
    async close() {
      await paymentWindows.closeAll();
      await launched.close();
      await core?.close();
      inProcess?.close();
      await printer.close();
      if (!options.sandbox) await sandbox.close();
    },
  };
}

export async function text(locator: Locator): Promise<string> {
  await locator.waitFor();
  return (await locator.innerText()).replace(/\s+/g, ' ');
}

export function step(page: Page, name: '接続先' | '証明書' | '利用者ID'): Locator {
  return page.getByRole('region', { name, exact: true });
}

/** Step 1 with the built-in sandbox (the default choice), then 次へ. */
export async function chooseSandbox(page: Page): Promise<void> {
  const panel = step(page, '接続先');
  const sandbox = panel.getByRole('radio', { name: /検証用サンドボックス（練習用）/ });
  assert.ok(await sandbox.isChecked(), 'the sandbox is the default choice');
  await panel.getByRole('button', { name: '次へ' }).click();
  await step(page, '証明書').waitFor();
}

/** Step 2 with a PKCS#12 file: choose it, type its password, 証明書を確認する; returns the summary. */
export async function chooseCertificateFile(page: Page, fileName: string, within: Locator = step(page, '証明書')): Promise<Locator> {
  await within.getByLabel('証明書ファイルを選ぶ', { exact: true }).setInputFiles(join(pki, fileName));
  const password = within.getByLabel('パスワード', { exact: true });
  await password.fill(P12_PASSWORD);
  await within.getByRole('button', { name: '証明書を確認する' }).click();
  const summary = within.getByRole('region', { name: /^選んだ証明書: / });
  await summary.waitFor();
  return summary;
}

/** Step 3: the user ID and the mode, then the submit button; does not wait for the outcome. */
export async function submitUserId(page: Page, userId: string, mode: 'register' | 'login'): Promise<void> {
  const panel = step(page, '利用者ID');
  await panel.getByRole('radio', { name: mode === 'register' ? /新しい利用者IDを登録する/ : /登録済みの利用者IDでログインする/ }).check();
  await panel.getByLabel('利用者ID', { exact: true }).fill(userId);
  await panel.getByRole('button', { name: mode === 'register' ? '登録してログイン' : 'ログイン', exact: true }).click();
}

/** The whole first run with the sandbox and a PKCS#12 file, up to the 利用者 screen of `userId`. */
export async function setUpWithFile(page: Page, userId: string, mode: 'register' | 'login', fileName = 'yamada-taro.p12'): Promise<void> {
  await chooseSandbox(page);
  await chooseCertificateFile(page, fileName);
  await step(page, '証明書').getByRole('button', { name: '次へ' }).click();
  await submitUserId(page, userId, mode);
  await identityCard(page, userId).waitFor();
}

/** The credential dialog the core opened; `title` is 「パスワードの入力」 or 「PIN の入力」. */
/**
 * A 利用者ID registered with the training certificate file through the page's own bridge, for specs
 * about what comes after set-up (the first-run screens have specs of their own).
 */
export async function registerWithFileThroughBridge(page: Page, userId: string): Promise<void> {
  const dataBase64 = readFileSync(join(pki, 'yamada-taro.p12')).toString('base64');
  await page.evaluate(
    async ({ dataBase64, password, userId }) => {
      const api = (window as unknown as { todoke: TodokeApi }).todoke;
      const result = await api['identity.setup']({
        environment: { kind: 'sandbox' },
        signer: { kind: 'file', fileName: 'yamada-taro.p12', dataBase64, password },
        userId,
        mode: 'register',
      });
      if (!result.ok) throw new Error(result.error.messageJa);
    },
    { dataBase64, password: P12_PASSWORD, userId },
  );
}

export function credentialDialog(page: Page, title: 'パスワードの入力' | 'PIN の入力'): Locator {
  return page.getByRole('dialog', { name: title });
}

export async function answerCredential(dialog: Locator, label: 'パスワード' | 'PIN', secret: string): Promise<void> {
  await dialog.getByLabel(label, { exact: true }).fill(secret);
  await dialog.getByRole('button', { name: 'OK' }).click();
}

/** The 利用者 screen after set-up: its card is the region named by the 利用者ID. */
export function identityCard(page: Page, userId: string): Locator {
  return page.getByRole('region', { name: userId, exact: true });
}

/**
 * Runs the accessibility checks (accessible names, axe-core), then takes a full-page screenshot from the top of the page; with a modal dialog open, the window as
 * a person sees it (a full-page capture stretches the page beyond the dialog's backdrop).
 */
export async function shot(rig: IdentityRig, name: string): Promise<void> {
  if (await rig.page.locator('dialog[open]').count()) {
    // a dialog's picture is of the window; the same accessibility checks as todoke.screenshot
    await assertAccessible(rig.page, name);
    mkdirSync(screenshotDir, { recursive: true });
    await rig.page.screenshot({ path: join(screenshotDir, `${name}.png`) });
    return;
  }
  await rig.page.evaluate(() => window.scrollTo(0, 0));
  await rig.todoke.screenshot(name);
}
