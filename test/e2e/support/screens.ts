// End-to-end support: what many specs do on the app's screens — the app on a sandbox with a filer's
// cases, an item of the main menu by name, a photo of a screen with the app's own toasts closed
// first, and a day in Japan as e-Gov writes it.
import type { Locator, Page } from 'playwright-core';
import { startSandbox, type SandboxHandle } from '../../../src/sandbox/server.js';
import { seedAppCases, seedSandboxCases, type SeededSend } from '../../support/case-seed.js';
import { scratchHome } from '../../support/home.js';
import { registerWithFileThroughBridge, shot, startIdentityRig, type IdentityRig } from './identity.js';

/** The main menu's item `name` (ホーム, 案件 …), by role and exact name. */
export function menuItem(page: Page, name: string): Locator {
  return page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('button', { name, exact: true });
}

/** Today + `days` in Japan, as e-Gov writes a deadline (YYYYMMDD). */
export function jstDay(days: number): string {
  return new Date(Date.now() + 9 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
}

/**
 * The photo of a screen (with its accessibility checks), the app's own toasts about cases closed
 * first: they sit over the screen and are another spec's subject. Behind a modal dialog they cannot
 * be reached (nor are they in its picture), so they stay.
 */
export async function photoWithoutToasts(rig: IdentityRig, name: string): Promise<void> {
  const page = rig.page;
  const close = page.getByRole('region', { name: /^(お知らせ|Notices)$/ }).getByRole('button', { name: /^(閉じる|Dismiss)$/ });
  if ((await page.locator('dialog[open]').count()) === 0) {
    for (let i = 0; i < 20 && (await close.count()) > 0; i++) await close.first().click({ timeout: 5_000 });
  }
  await shot(rig, name);
}

export interface FilerRig {
  sandbox: SandboxHandle;
  rig: IdentityRig;
  /** the seeded batches, each with its arrived applications */
  seeded: SeededSend[];
}

/**
 * The start most case screens' specs share: a sandbox, the app on it, a 利用者ID registered through
 * the first-run screens, and `sends` batches of `perSend` arrived cases seeded into the sandbox and
 * the profile (as if Todoke had followed them). The background sync runs every `pollMs` (default a
 * second; without a pace the product's 15 minutes).
 */
export async function startFilerRig(options: { userId: string; sends: number; perSend: number; standInBank?: boolean; pollMs?: number | null }): Promise<FilerRig> {
  const sandbox = await startSandbox({ dataDir: scratchHome('todoke-e2e-sandbox-'), formatCheckDelayMs: 0, ...(options.standInBank ? { standInBank: true } : {}) });
  const pollMs = options.pollMs === undefined ? 1000 : options.pollMs;
  const rig = await startIdentityRig({ sandbox, ...(pollMs !== null ? { poll: { intervalMs: pollMs } } : {}) });
  await rig.page.getByRole('heading', { level: 1, name: '利用者の設定' }).waitFor();
  await registerWithFileThroughBridge(rig.page, options.userId);
  const seeded = seedSandboxCases(sandbox.dataDir, options.userId, { sends: options.sends, perSend: options.perSend });
  seedAppCases(rig.home, 'default', seeded);
  return { sandbox, rig, seeded };
}
