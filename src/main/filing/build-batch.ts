// Core host. Turns checked 申請データ into the ZIP of one 一括申請: every kousei.xml signed IN MEMORY
// and the signed bytes packed, with what the outbox needs beside the request (content hash, folder
// names, applicant names).
//
// Why in memory and not signKouseiInFolder: sending must not change the filer's folders. A folder
// signed in place holds a signature the filer did not ask for (and a .bak file), and a second send
// of the same folder would sign a signed file. In memory, the folder stays exactly as read, and the
// bytes that leave are the ones the outbox recorded.
//
// Why the content hash is over the UNSIGNED inputs: a signature carries a time (Signature/@Id) and,
// with a 社労士's certificate, another key, so two sends of the same application data never have the
// same signed ZIP. The hash covers what the signature vouches for and the filer wrote: per
// application, its folder name, the canonical 構成情報 (the C14N the signature digests — whitespace
// outside it and any old 署名情報 are ignored) and the SHA-256 of every other file by name. Sorted,
// so the order folders were picked in does not matter.
import { createHash } from 'node:crypto';
import type { Element as XmlElement } from '@xmldom/xmldom';
import type { CheckReport } from '../application/problems.js';
import type { ApplicationData } from '../application/model.js';
import { packBatchToBuffer, type PackApplication, type PackFile } from '../application/pack.js';
import type { Signer } from '../signing/signer.js';
import { canonicalize } from '../signing/xml/c14n.js';
import { childrenNamed, textOf } from '../signing/xml/dom.js';
import { KOUSEI_ID } from '../signing/xml/kousei-files.js';
import { signKousei, type SignKouseiOptions } from '../signing/xml/kousei-profile.js';
import { parseXmlSafely } from '../signing/xml/safe-xml.js';
import { FilingError, filingCancelled } from './errors.js';
import { giveWay } from '../event-loop.js';

/**
 * The largest ZIP built in memory: 64 MiB. prepareBatch needs the whole ZIP to base64 it into one
 * XML body anyway, so streaming the ZIP to a file would not lower the peak; at this limit the peak
 * is about ZIP + file bytes + body (≈ 1.34 × ZIP) ≈ 200 MiB, which a desktop core host can hold.
 * The outbox writes a body above 1 MiB to a file beside the database, so SQLite never holds it.
 */
export const MAX_IN_MEMORY_ZIP_BYTES = 64 * 1024 * 1024;

const KOUSEI_FILE = 'kousei.xml';

export interface BuiltBatch {
  zip: Buffer;
  zipSha256: string;
  /** SHA-256 of the unsigned application data (see the file comment): equal for the same data */
  contentSha256: string;
  /** one per application, in ZIP order */
  folderNames: string[];
  /** 構成情報/管理情報/申請者連絡先情報/申請者情報/氏名 of each application ('' when absent) */
  applicantNames: string[];
}

export interface BuildBatchOptions {
  signer: Signer;
  /** Signature/@Id: the signing time as YYYYMMDDhhmmss (JST), as e-Gov's tools write it */
  signatureId: string;
  referenceForm?: SignKouseiOptions['referenceForm'];
  /** ZIP entry times; default now */
  mtime?: Date;
  maxZipBytes?: number;
  /** told before each application is signed (done = applications signed so far) and when packing starts */
  onProgress?: (progress: BuildProgress) => void;
  /** checked before each signature and before packing: an abort throws FILING_CANCELLED */
  signal?: AbortSignal;
}

export type BuildProgress = { step: 'sign'; done: number; total: number } | { step: 'pack' };

/** Refuses a report with errors (warnings pass): nothing is signed, recorded or sent. */
export function assertCheckPassed(report: CheckReport): void {
  const errors = report.problems.filter((p) => p.severity === 'error');
  if (report.ok && errors.length === 0) return;
  throw new FilingError(
    'FILING_CHECK_FAILED',
    {
      ja: `申請データに誤りがあるため送信しません（${errors.length} 件）。申請データの確認結果を見て直してから、もう一度送信してください。`,
      en: `the application data has ${errors.length} error(s); nothing was sent`,
    },
    { detail: { problems: errors.map((p) => p.code) } },
  );
}

/** `YYYYMMDDhhmmss` in JST, the form e-Gov's tools use for Signature/@Id. */
export function jstStamp(at: Date): string {
  return new Date(at.getTime() + 9 * 60 * 60 * 1000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

interface ReadApplication {
  folderName: string;
  kousei: Buffer;
  joho: XmlElement;
  /** every other file, name → bytes, in the order they go into the ZIP */
  files: Map<string, Buffer>;
  applicantName: string;
}

function kouseiJoho(folderName: string, kousei: Buffer): XmlElement {
  const root = parseXmlSafely(kousei).documentElement;
  const joho = root ? childrenNamed(root, KOUSEI_ID).find((el) => el.getAttribute('ID') === KOUSEI_ID) : undefined;
  // checkApplicationData refuses this already; kept so this module never trusts its caller blindly
  if (!joho) throw new FilingError('FILING_CHECK_FAILED', { ja: `${folderName} の kousei.xml に 構成情報 がありません。`, en: `${folderName}: kousei.xml has no 構成情報` });
  return joho;
}

function firstText(parent: XmlElement, ...path: string[]): string {
  let current: XmlElement[] = [parent];
  for (const name of path) current = current.flatMap((el) => childrenNamed(el, name));
  const el = current[0];
  return el ? textOf(el).replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '') : '';
}

async function readApplications(data: ApplicationData): Promise<ReadApplication[]> {
  const out: ReadApplication[] = [];
  for (const app of data.applications) {
    if (!app.kousei) throw new FilingError('FILING_CHECK_FAILED', { ja: `${app.folderName} に kousei.xml がありません。`, en: `${app.folderName}: no kousei.xml` });
    const kousei = await app.kousei.read();
    const joho = kouseiJoho(app.folderName, kousei);
    const files = new Map<string, Buffer>();
    for (const f of app.files) files.set(f.name, await f.read());
    out.push({ folderName: app.folderName, kousei, joho, files, applicantName: firstText(joho, '管理情報', '申請者連絡先情報', '申請者情報', '氏名') });
  }
  return out;
}

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

async function contentHash(apps: readonly ReadApplication[]): Promise<string> {
  const canonical = [];
  for (const a of apps) {
    canonical.push({
      folder: a.folderName,
      kousei: sha256(canonicalize(a.joho)),
      files: [...a.files].map(([name, bytes]) => [name, sha256(bytes)]).sort((x, y) => (x[0]! < y[0]! ? -1 : x[0]! > y[0]! ? 1 : 0)),
    });
    await giveWay();
  }
  canonical.sort((x, y) => (x.folder < y.folder ? -1 : x.folder > y.folder ? 1 : 0));
  return sha256(JSON.stringify({ version: 1, applications: canonical }));
}

/** Signs every kousei.xml in memory and packs the batch; the folders are never written. */
export async function buildBatch(data: ApplicationData, report: CheckReport, options: BuildBatchOptions): Promise<BuiltBatch> {
  assertCheckPassed(report);
  const apps = await readApplications(data);
  const contentSha256 = await contentHash(apps);
  const packed: PackApplication[] = [];
  const stopIfCancelled = (): void => {
    if (options.signal?.aborted) throw filingCancelled();
  };
  for (const app of apps) {
    stopIfCancelled();
    options.onProgress?.({ step: 'sign', done: packed.length, total: apps.length });
    const readFile = (name: string): Promise<Buffer> => {
      const bytes = app.files.get(name);
      return bytes ? Promise.resolve(bytes) : Promise.reject(new Error(`${name} is not in ${app.folderName}`));
    };
    const signed = await signKousei(app.kousei, readFile, options.signer, { signatureId: options.signatureId, referenceForm: options.referenceForm });
    const files: PackFile[] = [{ name: KOUSEI_FILE, data: signed }, ...[...app.files].map(([name, data]) => ({ name, data }))];
    packed.push({ folderName: app.folderName, files });
    // one application's signature at a time, then the core's other callers get their turn
    await giveWay();
  }
  stopIfCancelled();
  options.onProgress?.({ step: 'pack' });
  const { zip, sha256: zipSha256 } = await packBatchToBuffer(packed, options.mtime ? { mtime: options.mtime } : {});
  const limit = options.maxZipBytes ?? MAX_IN_MEMORY_ZIP_BYTES;
  if (zip.byteLength > limit) {
    const mb = (n: number) => Math.ceil(n / (1024 * 1024));
    throw new FilingError(
      'FILING_TOO_LARGE',
      {
        ja: `申請データの ZIP が大きすぎます（約 ${mb(zip.byteLength)} MB、上限 ${mb(limit)} MB）。申請を分けて、いくつかの一括申請として送信してください。何も送信していません。`,
        en: `batch ZIP is ${zip.byteLength} bytes, over the ${limit}-byte limit`,
      },
      { detail: { bytes: zip.byteLength, limit } },
    );
  }
  return { zip, zipSha256, contentSha256, folderNames: apps.map((a) => a.folderName), applicantNames: apps.map((a) => a.applicantName) };
}
