// Main process (CLI host). The two positional arguments of `todoke doc|comment …`: a 到達番号 and a
// 通知番号, both checked before anything is opened or sent. A 通知番号 is written plainly (1–9999,
// no sign, no leading zero, no spaces): `01` or `+1` would mean the same notice to Number() but a
// script that writes them has a bug worth hearing about.
import { shown } from './shown.js';
import { UsageError } from './usage-error.js';
import { arriveIdArg } from './commands/status.js';

export const MAX_NOTICE_NUMBER = 9999;

/** A 通知番号 from the command line: 1–9999 written as plain digits. */
export function noticeNumberArg(text: string): number {
  if (!/^[1-9]\d{0,3}$/.test(text)) {
    throw new UsageError(
      `「${shown(text, 40)}」は通知番号ではありません。通知番号は 1〜${MAX_NOTICE_NUMBER} の数字です（符号・先頭の 0・空白なし。例: 1）。todoke notices 到達番号 で番号を確かめられます。`,
      `not a notice number (1-${MAX_NOTICE_NUMBER}, plain digits)`,
    );
  }
  return Number(text);
}

/** `到達番号 N` as the only positionals of `usage`. */
export function noticeTarget(positionals: readonly string[], usage: string): { arriveId: string; noticeSubId: number } {
  if (positionals.length !== 2) {
    const extra = positionals.length > 2 ? `余分な引数があります: ${shown(positionals.slice(2).join(' '), 60)}。` : '';
    throw new UsageError(`${extra}到達番号と通知番号を 1 つずつ指定してください（${usage}）。`, `${usage}: give one 到達番号 and one notice number`);
  }
  return { arriveId: arriveIdArg(positionals[0]!), noticeSubId: noticeNumberArg(positionals[1]!) };
}
