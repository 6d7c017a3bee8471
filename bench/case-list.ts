// Benchmarks (Node). The GUI's case list (issue #9 item 5: "time to first render and through a full
// scroll, 10,000 cases vs 100 in the same run, target ≤ 2×"), in Debian's Chromium through the web
// harness, over an in-process core whose profile holds 10,000 cases, then over one holding 100
// (seeded as in bench/sync.ts: test/support/case-seed.ts; the background sync is held off so it does
// not run during the measurement).
//
// What is timed, in the page (performance.now(), a MutationObserver, so no Playwright round trip is
// inside a figure):
//   first render — in a fresh window (the app just started, nothing of the list kept), from
//     the click on 案件 in the menu until the list shows its first row (a first page of 100; the
//     dashboard's counts and the next page are asked for once it is shown). Median of ROUNDS.
//   full scroll — from that first render, the list's scroll box set to its end again and again
//     (the list asks for the next page of 500 with `after` a page before the end) until the last
//     case is in view: 20 pages at 10,000, none beyond the first at 100. The totals differ by design (100× the rows), so
//     the target compares the time per row; the totals are printed beside it. Median of ROUNDS.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { createApp } from '../src/main/app/create-app.js';
import { startSandbox, type SandboxHandle } from '../src/sandbox/server.js';
import { seedAppCases, seedSandboxCases } from '../test/support/case-seed.js';
import { cli } from '../test/support/cli.js';
import { scratchHome } from '../test/support/home.js';
import { repoRoot } from '../test/support/paths.js';
import { defaultRendererDir, startHarness } from '../test/harness/server.js';
import { figure, round, target } from './report.js';
import { median } from './stats.js';

const CHROMIUM = '/usr/bin/chromium';
const TARO = join(repoRoot, 'assets', 'sandbox-pki', 'yamada-taro.p12');
const ROUNDS = 7;
const HOUR = 3600_000;

interface ListTimes {
  firstRenderMs: number;
  fullScrollMs: number;
  rows: number;
}

async function setUpProfile(sandbox: SandboxHandle, home: string, userId: string, sends: number, perSend: number): Promise<number> {
  const r = await cli(['register', '--user-id', userId, '--endpoint', sandbox.apiBaseUrl, '--software-id', 'TODOKESANDBOX1', '--p12', TARO, '--password-env', 'PW'], {
    env: { TODOKE_HOME: home, PW: 'todoke' },
  });
  if (r.code !== 0) throw new Error(`register failed: ${r.stderr}`);
  const seeded = seedSandboxCases(sandbox.dataDir, userId, { sends, perSend });
  seedAppCases(home, 'default', seeded);
  return sends * perSend;
}

/** In the page: click 案件 and wait for the list's first row (in a fresh window: no row kept from before); returns the milliseconds. */
function firstRender(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const menu = [...document.querySelectorAll<HTMLButtonElement>('nav button')].find((b) => b.textContent?.trim() === '案件');
        if (!menu) return reject(new Error('no 案件 in the menu'));
        const shown = () => document.querySelector('[role="grid"] [role="row"][aria-rowindex="2"]') !== null;
        const start = performance.now();
        const observer = new MutationObserver(() => {
          if (!shown()) return;
          observer.disconnect();
          resolve(performance.now() - start);
        });
        observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-busy'] });
        menu.click();
        setTimeout(() => {
          observer.disconnect();
          reject(new Error('the list did not render within 60 s'));
        }, 60_000);
      }),
  );
}

/** In the page: scroll the list to its end until the last case is in view; returns the milliseconds and the rows. */
function fullScroll(page: Page): Promise<{ ms: number; rows: number }> {
  return page.evaluate(async () => {
    const grid = document.querySelector('[role="grid"]');
    const body = grid?.querySelector<HTMLElement>('.case-grid__body');
    if (!grid || !body) throw new Error('no case list');
    const last = Number(grid.getAttribute('aria-rowcount'));
    const frame = () => new Promise((r) => requestAnimationFrame(r));
    const start = performance.now();
    while (!grid.querySelector(`[role="row"][aria-rowindex="${last}"]`)) {
      if (performance.now() - start > 300_000) throw new Error('the list did not reach its end within 300 s');
      body.scrollTop = body.scrollHeight;
      await frame();
    }
    return { ms: performance.now() - start, rows: last - 1 };
  });
}

async function measure(home: string): Promise<ListTimes> {
  const app = createApp({ host: 'harness', version: 'bench', home, resumeFiling: false, poll: { firstDelayMs: HOUR, intervalMs: HOUR } });
  const harness = await startHarness({ app, rendererDir: defaultRendererDir });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  /** a fresh window on the app: nothing of the list kept from a round before, not even its garbage */
  const fresh = async () => {
    const context = await browser.newContext({ locale: 'ja-JP', timezoneId: 'Asia/Tokyo', viewport: { width: 1280, height: 820 } });
    // tsx names the functions inside page.evaluate callbacks with a helper the page lacks
    await context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
    const page = await context.newPage();
    await page.goto(harness.url);
    await page.getByRole('heading', { level: 1, name: 'ホーム' }).waitFor();
    return { context, page };
  };
  try {
    const renders: number[] = [];
    const scrolls: number[] = [];
    let rows = 0;
    // round 0 warms up: the screen's code and the core's statements prepared once
    for (let i = 0; i <= ROUNDS; i++) {
      const { context, page } = await fresh();
      const render = await firstRender(page);
      const scroll = await fullScroll(page);
      await context.close();
      if (i === 0) continue;
      renders.push(render);
      scrolls.push(scroll.ms);
      rows = scroll.rows;
    }
    return { firstRenderMs: median(renders), fullScrollMs: median(scrolls), rows };
  } finally {
    await browser.close();
    await harness.close();
    app.close();
  }
}

export async function caseListBench(): Promise<boolean> {
  // the list measured is the code as it is now, never an older build left in dist
  const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: repoRoot, stdio: 'inherit' });
  if (build.status !== 0 || !existsSync(join(defaultRendererDir, 'index.html'))) throw new Error('the renderer build failed (npx vite build)');
  const sandbox = await startSandbox({ dataDir: scratchHome('todoke-bench-list-sandbox-'), formatCheckDelayMs: 0 });
  try {
    const largeHome = scratchHome('todoke-bench-list-large-');
    const smallHome = scratchHome('todoke-bench-list-small-');
    await setUpProfile(sandbox, largeHome, `bench-list-large-${process.pid}`, 100, 100);
    await setUpProfile(sandbox, smallHome, `bench-list-small-${process.pid}`, 1, 100);
    const large = await measure(largeHome);
    const small = await measure(smallHome);
    if (large.rows !== 10_000 || small.rows !== 100) throw new Error(`the lists held ${large.rows} and ${small.rows} cases, not 10,000 and 100`);

    figure('case-list-first-render-10000', large.firstRenderMs, 'ms');
    figure('case-list-first-render-100', small.firstRenderMs, 'ms');
    const renderRatio = large.firstRenderMs / small.firstRenderMs;
    figure('case-list-first-render-10000-vs-100', renderRatio, 'x');
    let pass = target('case-list-first-render-10000-vs-100', renderRatio <= 2, `${round(renderRatio)}x: ${round(large.firstRenderMs)} ms vs ${round(small.firstRenderMs)} ms`, '≤ 2x');

    figure('case-list-full-scroll-10000', large.fullScrollMs, 'ms');
    figure('case-list-full-scroll-100', small.fullScrollMs, 'ms');
    const perRowLarge = large.fullScrollMs / large.rows;
    const perRowSmall = small.fullScrollMs / small.rows;
    figure('case-list-full-scroll-per-row-10000', perRowLarge * 1000, 'µs/row');
    figure('case-list-full-scroll-per-row-100', perRowSmall * 1000, 'µs/row');
    const scrollRatio = perRowLarge / perRowSmall;
    figure('case-list-full-scroll-per-row-10000-vs-100', scrollRatio, 'x');
    pass =
      target(
        'case-list-full-scroll-10000-vs-100',
        scrollRatio <= 2,
        `${round(scrollRatio)}x per row: ${round(perRowLarge * 1000)} vs ${round(perRowSmall * 1000)} µs/row (totals ${round(large.fullScrollMs)} ms for 10,000, ${round(small.fullScrollMs)} ms for 100)`,
        '≤ 2x',
      ) && pass;
    return pass;
  } finally {
    await sandbox.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = (await caseListBench()) ? 0 : 1;
}
