// Main process. Which characters an e-Gov XML may safely carry. REFERENCE §5.6 knows only that every
// XML is UTF-8 and that full-width characters are normal; the 一括申請 公開仕様's exact character
// rules are unknown. Todoke therefore judges by what Japanese government systems of the time
// stored: JIS X 0208 (plus ASCII and half-width katakana) is fine; CP932's vendor extensions (NEC
// special characters such as ①, ㈱; IBM extended kanji such as 髙) are 機種依存文字 — a warning; anything
// not in CP932 at all (emoji, 𠮷, accented Latin) — a warning too, since acceptance is unknown.
// Characters XML 1.0 forbids are errors.

export type CharClass = 'ok' | 'platform-dependent' | 'outside-jis' | 'illegal';

let tables: { jis: Set<number>; cp932: Set<number> } | null = null;

function isJisLead(lead: number): boolean {
  return (lead >= 0x81 && lead <= 0x84) || (lead >= 0x88 && lead <= 0x9f) || (lead >= 0xe0 && lead <= 0xea);
}

/** Built once from the Shift_JIS decoder: every two-byte code, split into JIS X 0208 and extensions. */
function build(): { jis: Set<number>; cp932: Set<number> } {
  const decoder = new TextDecoder('shift_jis', { fatal: true });
  const jis = new Set<number>();
  const cp932 = new Set<number>();
  const leads: number[] = [];
  for (let b = 0x81; b <= 0x9f; b++) leads.push(b);
  for (let b = 0xe0; b <= 0xfc; b++) leads.push(b);
  for (const lead of leads) {
    for (let trail = 0x40; trail <= 0xfc; trail++) {
      if (trail === 0x7f) continue;
      let ch: string;
      try {
        ch = decoder.decode(Uint8Array.of(lead, trail));
      } catch {
        continue;
      }
      const cp = ch.codePointAt(0)!;
      if (cp === 0xfffd || ch.length !== 1) continue;
      cp932.add(cp);
      if (isJisLead(lead)) jis.add(cp);
    }
  }
  // The JIS X 0208 characters that Windows (CP932) and JIS/Unicode map differently: both spellings
  // are the same JIS character (〜/～, ‖/∥, −/－, ¢/￠, £/￡, ¬/￢, —/―).
  for (const cp of [0x301c, 0xff5e, 0x2016, 0x2225, 0x2212, 0xff0d, 0xa2, 0xffe0, 0xa3, 0xffe1, 0xac, 0xffe2, 0x2014, 0x2015]) jis.add(cp);
  return { jis, cp932 };
}

export function classifyChar(cp: number): CharClass {
  if (cp === 0x09 || cp === 0x0a || cp === 0x0d) return 'ok';
  if (cp < 0x20 || cp === 0xfffe || cp === 0xffff || (cp >= 0xd800 && cp <= 0xdfff)) return 'illegal';
  if (cp < 0x7f) return 'ok';
  if (cp >= 0xff61 && cp <= 0xff9f) return 'ok';
  tables ??= build();
  if (tables.jis.has(cp)) return 'ok';
  if (tables.cp932.has(cp)) return 'platform-dependent';
  return 'outside-jis';
}

export interface CharFinding {
  cls: Exclude<CharClass, 'ok'>;
  char: string;
  line: number;
  column: number;
}

const CLASS_ORDER: ReadonlyArray<CharClass> = ['ok', 'illegal', 'platform-dependent', 'outside-jis'];
let bmpClasses: Uint8Array | null = null;

/** classifyChar for every BMP code unit, as an index into CLASS_ORDER (0 = 'ok'); built once. */
function bmpTable(): Uint8Array {
  if (bmpClasses) return bmpClasses;
  const table = new Uint8Array(0x10000);
  for (let cp = 0; cp < 0x10000; cp++) table[cp] = CLASS_ORDER.indexOf(classifyChar(cp));
  return (bmpClasses = table);
}

/**
 * The first place of each distinct character that is not 'ok', in text order, at most `max`.
 * Lines end at LF, CR or CRLF; columns count characters (a surrogate pair is one). Most text is
 * plain: each code unit is looked up in a table, and lines and columns are counted only up to the
 * places that are reported.
 */
export function findSuspectChars(text: string, max: number): { findings: CharFinding[]; more: number } {
  const table = bmpTable();
  const findings: CharFinding[] = [];
  const seen = new Set<number>();
  let more = 0;
  // Position bookkeeping, advanced lazily: `counted` is where counting stopped.
  let counted = 0;
  let line = 1;
  let lineStart = 0;
  let pairs = 0; // surrogate pairs between lineStart and counted
  const n = text.length;
  for (let i = 0; i < n; ) {
    const c = text.charCodeAt(i);
    const k = table[c]!;
    if (k === 0) {
      i++;
      continue;
    }
    let cp = c;
    let width = 1;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        cp = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
        width = 2;
      }
    }
    const cls = width === 2 ? classifyChar(cp) : CLASS_ORDER[k]!;
    if (cls !== 'ok' && !seen.has(cp)) {
      seen.add(cp);
      if (findings.length < max) {
        for (let j = counted; j < i; j++) {
          const u = text.charCodeAt(j);
          if (u === 0x0a || u === 0x0d) {
            if (u === 0x0d && text.charCodeAt(j + 1) === 0x0a) j++;
            line++;
            lineStart = j + 1;
            pairs = 0;
          } else if (u >= 0xd800 && u <= 0xdbff) {
            const v = text.charCodeAt(j + 1);
            if (v >= 0xdc00 && v <= 0xdfff) {
              pairs++;
              j++;
            }
          }
        }
        counted = i;
        findings.push({ cls, char: String.fromCodePoint(cp), line, column: i - lineStart - pairs + 1 });
      } else more++;
    }
    i += width;
  }
  return { findings, more };
}

/** A readable name for a character in a message: the glyph, or U+XXXX for invisible ones. */
export function describeChar(ch: string): string {
  const cp = ch.codePointAt(0)!;
  const hex = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || (cp >= 0xd800 && cp <= 0xdfff) || cp === 0xfeff || cp >= 0xfffe ? hex : `${ch}（${hex}）`;
}

/** Byte offset of the first byte that does not start a valid UTF-8 sequence, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let need: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    let cp = b & (0xff >> (need + 2));
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/** 1-based line and column (in characters) of a byte offset in valid UTF-8 text before it. */
export function positionOf(bytes: Uint8Array, offset: number): { line: number; column: number } {
  const before = new TextDecoder('utf-8').decode(bytes.subarray(0, offset));
  const lines = before.split(/\r\n|\r|\n/);
  return { line: lines.length, column: Array.from(lines[lines.length - 1]!).length + 1 };
}
