// End-to-end support (Node). The accessibility checks every screenshot runs (launch.ts
// `screenshot`, identity.ts `shot`), for the harness page and an Electron window alike (both are
// Chromium):
// - controls without an accessible name, as Chromium's own accessibility tree computes names
//   (labels, aria-label, aria-labelledby, text content) — the names a screen reader announces and
//   that the specs find controls by;
// - axe-core's rules (WCAG 2.2 A/AA and best practices): no serious or critical finding.
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

const CONTROL_ROLES = new Set(['button', 'textbox', 'searchbox', 'radio', 'checkbox', 'combobox', 'listbox', 'link', 'spinbutton', 'switch', 'tab', 'menuitem', 'slider', 'dialog', 'alertdialog']);

interface AxNode {
  ignored?: boolean;
  role?: { value?: unknown };
  name?: { value?: unknown };
}

/** Each unnamed control as `role`, e.g. ['button', 'textbox']; empty when every control has a name. */
export async function unnamedControls(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: AxNode[] };
    return nodes
      .filter((n) => !n.ignored && typeof n.role?.value === 'string' && CONTROL_ROLES.has(n.role.value))
      .filter((n) => typeof n.name?.value !== 'string' || n.name.value.trim() === '')
      .map((n) => String(n.role?.value));
  } finally {
    await cdp.detach();
  }
}

/** The impacts that fail a spec; minor and moderate findings are left to review. */
const FAILING_IMPACTS = new Set(['serious', 'critical']);

/**
 * axe-core's serious and critical findings on the page as it is now, one line per rule and
 * element: `color-contrast (serious) Elements must meet minimum color contrast ratio thresholds —
 * .chip: Fix any of the following: …`. Empty when there are none.
 */
export async function axeFindings(page: Page): Promise<string[]> {
  // Every rule axe runs by default (WCAG 2.0–2.2 A and AA, and its best practices); none is
  // switched off. Hidden content (the 利用者 screen kept mounted while another is shown) is
  // skipped by axe itself, as by a screen reader.
  // Frames where no script may run (sandbox="": e-Gov's own HTML, shown as it came) are left out:
  // axe cannot run inside them (it would wait forever), and what e-Gov wrote is not this UI. The
  // frame element itself (its title, its size) is checked like any other.
  const results = await new AxeBuilder({ page }).exclude('iframe[sandbox=""]').analyze();
  return results.violations
    .filter((v) => v.impact != null && FAILING_IMPACTS.has(v.impact))
    .flatMap((v) =>
      v.nodes.map((n) => `${v.id} (${v.impact ?? '?'}) ${v.help} — ${n.target.map(String).join(' ')}: ${n.failureSummary?.replace(/\s+/g, ' ').trim() ?? ''}`),
    );
}

/**
 * Both checks; throws an error that lists everything found on `name` (a screenshot's name), so a
 * failing spec says what to fix.
 */
export async function assertAccessible(page: Page, name: string): Promise<void> {
  const unnamed = await unnamedControls(page);
  const findings = await axeFindings(page);
  const problems = [...unnamed.map((role) => `unnamed control: ${role}`), ...findings];
  if (problems.length > 0) throw new Error(`accessibility problems on ${name}:\n  ${problems.join('\n  ')}`);
}
