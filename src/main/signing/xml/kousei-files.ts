// Main process. The file names a kousei.xml lists and the Reference URIs that point at them. A name
// comes from a document someone else may have written, so it must never reach outside the
// application folder, whatever platform the app runs on.
import { kouseiFileEscapes } from './xml-errors.js';

export type KouseiReferenceForm = 'percent-encoded' | 'raw';

export const KOUSEI_ID = '構成情報';

// Control characters (NUL included), backslash (a separator on Windows) and colon (drive letters,
// NTFS alternate data streams, URI schemes).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const FORBIDDEN = /[\u0000-\u001F\u007F\\:]/;

export function isSafeFileName(name: string): boolean {
  if (name.length === 0 || FORBIDDEN.test(name) || name.startsWith('/')) return false;
  return name.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

export function assertSafeFileName(name: string): void {
  if (!isSafeFileName(name)) throw kouseiFileEscapes(name);
}

function encodeUriText(text: string, form: KouseiReferenceForm): string {
  let out = '';
  for (const ch of text) out += form === 'raw' && ch.codePointAt(0)! > 0x7f ? ch : encodeURIComponent(ch);
  return out;
}

/** `#構成情報` as e-Gov's packages write it (upper-case percent-encoding) or raw (what xmlsec1 resolves). */
export function kouseiElementUri(form: KouseiReferenceForm): string {
  return `#${encodeUriText(KOUSEI_ID, form)}`;
}

/** A relative URI for a file in the application folder; ASCII names come out unchanged. */
export function fileReferenceUri(name: string, form: KouseiReferenceForm): string {
  return name
    .split('/')
    .map((segment) => encodeUriText(segment, form))
    .join('/');
}

/** The file name a relative Reference URI names, or null when it is not a plain relative path. */
export function fileNameFromUri(uri: string): string | null {
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(uri) || uri.includes('?') || uri.includes('#')) return null;
  try {
    return decodeURIComponent(uri);
  } catch {
    return null;
  }
}

/** The ID a same-document reference (`#…`, raw or percent-encoded) points at, or null. */
export function fragmentId(uri: string): string | null {
  if (!uri.startsWith('#')) return null;
  try {
    return decodeURIComponent(uri.slice(1));
  } catch {
    return null;
  }
}
