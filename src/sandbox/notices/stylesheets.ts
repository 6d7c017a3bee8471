// Sandbox (Node). The server stylesheets e-Gov packs beside its notices (REFERENCE §7.1, §7.4), as
// recorded (assets/sandbox-notices/README.md): read once from the bundled assets, never from the test
// fixtures, and handed out as the exact bytes (the double-encoded U+3000 included).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const STYLESHEET = {
  /** beside a 補正通知 (hoseitsuuchi.xml) */
  correction: '999000000000000010.xsl',
  /** beside a コメント (commenttsuuchi.xml) */
  comment: '999000000000000002.xsl',
  /** beside a 公文書 (SEEN in the ZIP of 公文書 1, A.23) */
  official: 'スタイルシート1.xsl',
} as const;

export type StylesheetName = (typeof STYLESHEET)[keyof typeof STYLESHEET];

const cache = new Map<StylesheetName, Buffer>();

export function stylesheetBytes(name: StylesheetName): Buffer {
  let bytes = cache.get(name);
  if (!bytes) {
    bytes = readFileSync(fileURLToPath(new URL(`../../../assets/sandbox-notices/${name}`, import.meta.url)));
    cache.set(name, bytes);
  }
  return bytes;
}
