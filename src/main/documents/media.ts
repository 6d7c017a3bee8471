// Core host. What a file received from e-Gov is, from its name and its first bytes together: a
// file named .pdf that does not start like a PDF is 'other', so nothing later hands it to a PDF
// viewer or an XML parser on the word of its name.
import type { NoticeMedia } from '../../shared/documents.js';

const PDF_MAGIC = Buffer.from('%PDF-', 'latin1');
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** True when the bytes start like XML: optional BOM and white space, then `<`. */
function looksLikeXml(bytes: Buffer): boolean {
  let i = bytes.subarray(0, 3).equals(UTF8_BOM) ? 3 : 0;
  while (i < bytes.length && i < 4096 && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  return bytes[i] === 0x3c;
}

export function mediaOf(name: string, bytes: Buffer): NoticeMedia {
  const ext = /\.([^.]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';
  if (ext === 'pdf') return bytes.subarray(0, PDF_MAGIC.length).equals(PDF_MAGIC) ? 'pdf' : 'other';
  if (ext === 'xsl' || ext === 'xslt') return looksLikeXml(bytes) ? 'xsl' : 'other';
  if (ext === 'xml') return looksLikeXml(bytes) ? 'xml' : 'other';
  return 'other';
}
