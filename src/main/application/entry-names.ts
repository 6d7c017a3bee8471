// Main process. Whether a path inside a ZIP, or a file name inside an application folder, is safe to
// use: no way out of the folder on any platform (POSIX, Windows, macOS), nothing a shell or a file
// system reads differently. Returns the reason in Japanese (for messages) or null.

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;

/** A path of `/`-separated segments (a ZIP entry name; a trailing `/` marks a directory). */
export function unsafePathReason(path: string): string | null {
  if (path.length === 0) return '名前が空です';
  if (path.includes('\\')) return 'バックスラッシュ（\\）を含みます';
  if (path.startsWith('/')) return '絶対パスです';
  if (/^[A-Za-z]:/.test(path)) return 'ドライブ名で始まります';
  if (CONTROL.test(path)) return '制御文字を含みます';
  const segments = (path.endsWith('/') ? path.slice(0, -1) : path).split('/');
  if (segments.some((s) => s === '..')) return '親フォルダー（..）を指します';
  if (segments.some((s) => s === '' || s === '.')) return '空の階層または「.」を含みます';
  return null;
}

/** One file name inside an application folder: like a path, and no separators at all. */
export function unsafeFileNameReason(name: string): string | null {
  if (name.includes('/')) return 'フォルダーの区切り（/）を含みます';
  const reason = unsafePathReason(name);
  if (reason) return reason;
  if (name === '.' || name === '..') return '「.」または「..」です';
  if (name.includes(':')) return 'コロン（:）を含みます';
  if (/[ .]$/.test(name)) return '末尾が空白またはピリオドです（Windows では扱えません）';
  return null;
}

/** ASCII letters, digits and `._-()` only: the names e-Gov is known to handle. */
export function isPlainAsciiName(name: string): boolean {
  return /^[A-Za-z0-9._\-()]+$/.test(name);
}

const WINDOWS_RESERVED = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

/** CON, NUL, COM1, LPT1 … with or without an extension: Windows opens a device instead of a file. */
export function isWindowsReservedName(name: string): boolean {
  return WINDOWS_RESERVED.test(name);
}
