// Main process. File names in CP932 (Windows-31J / MS932), the encoding e-Gov's own ZIPs use for
// entry names (REFERENCE.md §5.1, §7.1). A character CP932 cannot hold is refused by name, never
// replaced: iconv-lite writes '?' for it, and a '?' in a ZIP name would no longer match kousei.xml.
//
// What a few characters that matter in Japanese file names become (iconv-lite 'cp932', read back
// with TextDecoder('shift_jis'), which decodes the Windows-31J table; test/unit/application-zip-cp932):
//   ～ U+FF5E FULLWIDTH TILDE  → 81 60      〜 U+301C WAVE DASH   → refused (CP932 has only ～)
//   － U+FF0D FULLWIDTH MINUS  → 81 7C      − U+2212 MINUS SIGN   → refused (CP932 has only －)
//   ‐ U+2010 HYPHEN            → 81 5D      — U+2014 EM DASH      → refused (CP932 has ― U+2015, 81 5C)
//   ① U+2460 (NEC row 13)      → 87 40      ㈱ U+3231 (NEC row 13) → 87 8A
//   髙 U+9AD9 (IBM extension)  → FB FC      ¥ U+00A5, ‾ U+203E    → refused (would become \ and ~)
//   emoji, 𠮷, 鷗, é, U+00A0     → refused
import iconv from 'iconv-lite';
import { TodokeError } from '../../shared/errors.js';

export type Cp932ErrorCode = 'CP932_UNENCODABLE';

export class Cp932Error extends TodokeError<Cp932ErrorCode> {
  /** the first character that cannot be written, as it appears in the name */
  readonly character: string;

  constructor(name: string, character: string, index: number) {
    const codePoint = `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
    super(
      'CP932_UNENCODABLE',
      {
        ja: `ファイル名「${name}」の文字「${character}」（${codePoint}）は e-Gov に送る ZIP のファイル名（Shift_JIS／CP932）で表せません。この文字を使わない名前に変えてください。`,
        en: `file name ${JSON.stringify(name)}: character ${codePoint} at index ${index} cannot be encoded in CP932`,
      },
      { detail: { name, character, codePoint, index } },
    );
    this.name = 'Cp932Error';
    this.character = character;
  }
}

const shiftJis = new TextDecoder('shift_jis', { fatal: true });

/** True when every character is 7-bit ASCII (such a name is written as is). */
export function isAscii(text: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /^[\x00-\x7f]*$/.test(text);
}

function roundTrips(text: string): boolean {
  const bytes = iconv.encode(text, 'cp932');
  try {
    return shiftJis.decode(bytes) === text;
  } catch {
    return false;
  }
}

/**
 * The CP932 bytes of `text`. Throws Cp932Error naming the first character that does not come back
 * unchanged from CP932 (encoded by iconv-lite, decoded by TextDecoder('shift_jis')).
 */
export function encodeCp932(text: string): Buffer {
  if (isAscii(text)) return Buffer.from(text, 'latin1');
  const bytes = iconv.encode(text, 'cp932');
  let whole = false;
  try {
    whole = shiftJis.decode(bytes) === text;
  } catch {
    whole = false;
  }
  if (whole) return bytes;
  let index = 0;
  for (const character of text) {
    if (!roundTrips(character)) throw new Cp932Error(text, character, index);
    index += character.length;
  }
  // Every character alone round-trips but the whole does not: cannot happen with a stateless
  // encoding; refuse rather than guess.
  throw new Cp932Error(text, text, 0);
}

/** The text of CP932 bytes (as e-Gov, or any Windows-31J reader, sees them). */
export function decodeCp932(bytes: Uint8Array): string {
  return shiftJis.decode(bytes);
}
