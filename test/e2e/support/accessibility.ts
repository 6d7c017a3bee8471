// End-to-end support (Node). Controls without an accessible name, as Chromium's own accessibility
// tree computes names (labels, aria-label, aria-labelledby, text content) — the names a screen
// reader announces and that the specs find controls by. Works for the harness page and for an
// Electron window alike (both are Chromium).
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
