// Core host. The 官職 CA certificates a 公文書's signer must chain to (REFERENCE §7.3). e-Gov v1 gives
// no way to fetch them, so they are configured: every certificate file in `<home>/official-ca/` (the
// 政府認証基盤 官職認証局 certificates a filer downloads from GPKI; PEM or DER, a file may hold several),
// plus — only while the profile's endpoint is the built-in sandbox — the sandbox's own 官職 test CA
// (assets/sandbox-pki/kanshoku-ca.cert.pem). A real profile never trusts the sandbox's CA.
import type { X509Certificate } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { isTodokeError } from '../../shared/errors.js';
import { parseCertificates } from '../signing/certificate.js';

export const OFFICIAL_CA_FOLDER = 'official-ca';
export const SANDBOX_OFFICIAL_CA_FILE = 'kanshoku-ca.cert.pem';
const CERTIFICATE_EXTENSIONS = new Set(['.pem', '.cer', '.crt', '.der']);
/** a CA certificate, or a bundle of a few, is kilobytes */
const MAX_ANCHOR_FILE_BYTES = 1024 * 1024;
const MAX_ANCHOR_FILES = 100;

export interface OfficialAnchors {
  certificates: X509Certificate[];
  /** files that could not be used, with why (Japanese); the others still count */
  problems: string[];
}

export interface AnchorSources {
  home: string;
  /** the folder of the sandbox's test PKI, when the profile's endpoint is the sandbox; else null */
  sandboxPkiDir: string | null;
}

async function readAnchorFile(path: string): Promise<X509Certificate[]> {
  const info = await stat(path);
  if (!info.isFile()) return [];
  if (info.size > MAX_ANCHOR_FILE_BYTES) throw new Error(`${MAX_ANCHOR_FILE_BYTES} バイトを超えています`);
  return parseCertificates(await readFile(path));
}

export async function officialAnchors(sources: AnchorSources): Promise<OfficialAnchors> {
  const certificates: X509Certificate[] = [];
  const problems: string[] = [];
  const folder = join(sources.home, OFFICIAL_CA_FOLDER);
  let names: string[] = [];
  try {
    names = (await readdir(folder)).filter((n) => CERTIFICATE_EXTENSIONS.has(extname(n).toLowerCase())).sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') problems.push(`官職認証局の証明書のフォルダ ${folder} を読めません`);
  }
  if (names.length > MAX_ANCHOR_FILES) {
    problems.push(`官職認証局の証明書が多すぎます（${MAX_ANCHOR_FILES} 個まで読みます）`);
    names = names.slice(0, MAX_ANCHOR_FILES);
  }
  const files = names.map((n) => join(folder, n));
  if (sources.sandboxPkiDir !== null) files.push(join(sources.sandboxPkiDir, SANDBOX_OFFICIAL_CA_FILE));
  for (const path of files) {
    try {
      const found = await readAnchorFile(path);
      for (const c of found) if (c.ca && !certificates.some((k) => k.raw.equals(c.raw))) certificates.push(c);
      if (found.length && !found.some((c) => c.ca)) problems.push(`${path} は CA の証明書ではないため、信頼する官職認証局として使いません`);
    } catch (e) {
      problems.push(`官職認証局の証明書 ${path} を読めません（${isTodokeError(e) ? e.messageJa : e instanceof Error ? e.message : String(e)}）`);
    }
  }
  return { certificates, problems };
}
