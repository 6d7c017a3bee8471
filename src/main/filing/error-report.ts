// Core host. The 形式チェック's ErrorFile (REFERENCE §4.4: base64 of an HTML report, its charset
// not recorded) turned into text for the 送信履歴 screen, which shows it in a sandboxed frame with
// no scripts and no network. The charset is read as a browser would: a BOM, then a declared
// charset in the first 1024 bytes, then UTF-8 if the bytes are valid UTF-8, else Shift_JIS (CP932,
// what Japanese government systems write when they do not say).
const SNIFF_BYTES = 1024;
/** A report is a few KB per failed application; past this it is cut (the frame shows a note). */
export const MAX_ERROR_REPORT_BYTES = 4 * 1024 * 1024;

const SHIFT_JIS_NAMES = new Set(['shift_jis', 'shift-jis', 'sjis', 'x-sjis', 'windows-31j', 'cp932', 'ms932', 'ms_kanji', 'csshiftjis']);

export interface DecodedReport {
  html: string;
  truncated: boolean;
}

export function decodeErrorReport(bytes: Uint8Array): DecodedReport {
  const truncated = bytes.byteLength > MAX_ERROR_REPORT_BYTES;
  const body = truncated ? bytes.subarray(0, MAX_ERROR_REPORT_BYTES) : bytes;
  return { html: new TextDecoder(charsetOf(body), { fatal: false, ignoreBOM: false }).decode(body), truncated };
}

function charsetOf(bytes: Uint8Array): 'utf-8' | 'utf-16le' | 'utf-16be' | 'shift_jis' {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  const head = Buffer.from(bytes.subarray(0, SNIFF_BYTES)).toString('latin1');
  const declared = /<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)/i.exec(head)?.[1]?.toLowerCase();
  if (declared && SHIFT_JIS_NAMES.has(declared)) return 'shift_jis';
  if (declared === 'utf-8' || declared === 'utf8') return 'utf-8';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return 'utf-8';
  } catch {
    return 'shift_jis';
  }
}
