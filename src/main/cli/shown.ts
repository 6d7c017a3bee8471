// Main process (CLI host). Text from the command line or a file goes into messages through here:
// control and bidi characters replaced, long values cut (src/main/app/errors.ts printable, with
// room for a path).
import { printable } from '../app/errors.js';

export function shown(text: string, max = 120): string {
  return printable(text, max);
}
