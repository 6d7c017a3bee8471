// Core host. The files of a kept notice, read back from the vault by their hashes (each checked
// against its hash by the vault), keyed by the name e-Gov gave them: what rendering, the notice's
// text, exports and the CLI's --out all start from.
import type { Vault } from './vault.js';
import type { KeptFile } from './vault.js';

export async function keptFilesOf(vault: Pick<Vault, 'readFile'>, files: readonly KeptFile[]): Promise<Map<string, Uint8Array>> {
  const read = new Map<string, Uint8Array>();
  for (const f of files) read.set(f.name, await vault.readFile(f.sha256));
  return read;
}
