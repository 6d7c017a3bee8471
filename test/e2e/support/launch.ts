// End-to-end support (Node). Starts Todoke for a spec: the real Electron app when its binary is
// installed, otherwise the web harness in Debian's Chromium (no browser is ever downloaded).
// Either way the spec gets a Playwright page showing the same renderer over the same core.
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { _electron, chromium, type Browser, type Page } from 'playwright-core';
import type { CoreEndpoint } from '../../../src/main/core-host/supervisor.js';
import { repoRoot, startHarness, type Harness } from '../../harness/server.js';
import { assertAccessible } from './accessibility.js';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const screenshotDir = join(repoRoot, 'test-results', 'screenshots');

export interface LaunchedTodoke {
  page: Page;
  host: 'electron' | 'harness';
  /** the harness's Chromium, where the rig opens 電子納付 hand-off windows (null under Electron, which opens its own) */
  browser: Browser | null;
  /** console errors, uncaught page errors and CSP violations seen so far */
  problems: string[];
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

/** The Electron binary's path, or null when it was never downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD). */
export function electronBinary(): string | null {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown;
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

export async function launchTodoke(options: { app?: CoreEndpoint } = {}): Promise<LaunchedTodoke> {
  const electron = electronBinary();
  return electron && !options.app ? launchElectron(electron) : launchHarness(options.app);
}

async function launchElectron(executablePath: string): Promise<LaunchedTodoke> {
  const main = join(repoRoot, 'build', 'electron', 'main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first`);
  const electronApp = await _electron.launch({ executablePath, args: [main], cwd: repoRoot, env: { ...process.env, LANG: 'ja_JP.UTF-8' } });
  const page = await electronApp.firstWindow();
  return finish(page, 'electron', null, () => electronApp.close());
}

async function launchHarness(app?: CoreEndpoint): Promise<LaunchedTodoke> {
  const harness: Harness = await startHarness(app ? { app } : {});
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const context = await browser.newContext({ locale: 'ja-JP', timezoneId: 'Asia/Tokyo', viewport: { width: 1280, height: 820 } });
    const page = await context.newPage();
    const problems = watch(page);
    await page.goto(harness.url);
    return finish(page, 'harness', browser, async () => {
      await browser.close();
      await harness.close();
    }, problems);
  } catch (e) {
    await browser.close();
    await harness.close();
    throw e;
  }
}

function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`console.${msg.type()}: ${msg.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return problems;
}

function finish(page: Page, host: 'electron' | 'harness', browser: Browser | null, close: () => Promise<void>, problems = watch(page)): LaunchedTodoke {
  return {
    page,
    host,
    browser,
    problems,
    async screenshot(name) {
      // every screen worth a picture is also checked for controls a screen reader cannot name
      // and for axe-core's serious and critical findings (support/accessibility.ts)
      await assertAccessible(page, name);
      mkdirSync(screenshotDir, { recursive: true });
      const path = join(screenshotDir, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    close,
  };
}
