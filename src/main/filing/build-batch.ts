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
import type { CheckReport } from '../application/problems.js';
import type { Application, ApplicationData, ApplicationFile } from '../application/model.js';
import { BatchPacker, type PackFile } from '../application/pack.js';
import { SigningError } from '../signing/errors.js';
import type { Signer } from '../signing/signer.js';
import { kouseiJohoDigest, signKouseiDetailed, type SignKouseiOptions } from '../signing/xml/kousei-profile.js';
import { FilingError, filingCancelled } from './errors.js';
import { giveWay } from '../event-loop.js';

/**
 * The largest ZIP built in memory: 64 MiB. prepareBatch needs the whole ZIP to base64 it into one
 * XML body anyway, so streaming the ZIP to a file would not lower the peak; at this limit the peak
 * is about ZIP + body (≈ 1.34 × ZIP) ≈ 150 MiB, which a desktop core host can hold (the files
 * themselves are read one application at a time and not kept).
 * The outbox writes a body above 1 MiB to a file beside the database, so SQLite never holds it.
 */
export const MAX_IN_MEMORY_ZIP_BYTES = 64 * 1024 * 1024;

const KOUSEI_FILE = 'kousei.xml';

export interface BuiltBatch {
  /** the ZIP in pieces, in order: never joined, so never held twice (BatchUpload takes the pieces) */
  zipParts: readonly Buffer[];
  /** the ZIP's size in bytes */
  zipBytes: number;
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

const APPLICANT_NAME = ['管理情報', '申請者連絡先情報', '申請者情報', '氏名'];

const trimXmlSpace = (s: string): string => s.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/** One application's part of the content hash (see the file comment). */
interface HashedApplication {
  folder: string;
  kousei: string;
  files: string[][];
}

function contentHash(applications: HashedApplication[]): string {
  const byName = (x: string[], y: string[]) => (x[0]! < y[0]! ? -1 : x[0]! > y[0]! ? 1 : 0);
  const canonical = applications.map((a) => ({ folder: a.folder, kousei: a.kousei, files: [...a.files].sort(byName) }));
  canonical.sort((x, y) => (x.folder < y.folder ? -1 : x.folder > y.folder ? 1 : 0));
  return sha256(JSON.stringify({ version: 1, applications: canonical }));
}

/**
 * The content hash buildBatch will report for `data`, computed without signing: the sender asks the
 * outbox whether the same data was sent before BEFORE a PIN is asked and a thousand signatures made.
 * A kousei.xml without 構成情報 throws (the check refuses it already).
 */
export async function contentHashOf(data: ApplicationData): Promise<string> {
  assertKousei(data);
  const hashed: HashedApplication[] = [];
  for await (const [app, read] of readInTurn(data.applications)) {
    hashed.push({ folder: app.folderName, kousei: kouseiJohoDigest(read.kousei.bytes).toString('hex'), files: read.files.map((f) => [f.name, f.sha256]) });
    await giveWay();
  }
  return contentHash(hashed);
}

function assertKousei(data: ApplicationData): void {
  for (const app of data.applications) {
    if (!app.kousei) throw new FilingError('FILING_CHECK_FAILED', { ja: `${app.folderName} に kousei.xml がありません。`, en: `${app.folderName}: no kousei.xml` });
  }
}

interface ReadApplication {
  kousei: { bytes: Buffer; sha256: string };
  files: Array<{ name: string; bytes: Buffer; sha256: string }>;
}

async function readApplication(app: Application): Promise<ReadApplication> {
  const [kousei, ...files] = await Promise.all([app.kousei!, ...app.files].map((f) => bytesOf(f, app.folderName)));
  return { kousei: kousei!, files: files.map((f, i) => ({ name: app.files[i]!.name, ...f })) };
}

/**
 * The applications with their files, each application read while the one before it is worked on:
 * the disk's wait overlaps the signing instead of adding to it, and at most two applications'
 * bytes are held. Read in the order given; a read that fails is thrown when its turn comes.
 */
async function* readInTurn(applications: readonly Application[]): AsyncGenerator<[Application, ReadApplication]> {
  const start = (i: number): Promise<ReadApplication> | null => {
    if (i >= applications.length) return null;
    const reading = readApplication(applications[i]!);
    reading.catch(() => undefined); // heard when awaited; unheard if the caller stops first
    return reading;
  };
  let next = start(0);
  for (let i = 0; i < applications.length; i++) {
    const current = next!;
    next = start(i + 1);
    yield [applications[i]!, await current];
  }
}

/**
 * The bytes of a file: from memory (a ZIP), else read again — and then they must be the bytes the
 * check judged (checkedSha256): a file edited between the check and signing is refused, never
 * signed unchecked. Returns the SHA-256 beside the bytes (the content hash needs it anyway).
 */
async function bytesOf(file: ApplicationFile, folder: string): Promise<{ bytes: Buffer; sha256: string }> {
  const bytes = file.bytes ?? (await file.read());
  const hash = sha256(bytes);
  if (file.checkedSha256 !== undefined && hash !== file.checkedSha256) {
    throw new FilingError(
      'FILING_DATA_CHANGED',
      {
        ja: `「${folder}/${file.name}」が確認の後に変更されました。変更後の内容はまだ確認していないため、何も送信していません。もう一度読み込んで確認してから送信してください。`,
        en: `${folder}/${file.name} changed after it was checked; nothing was sent`,
      },
      { detail: { folder, file: file.name } },
    );
  }
  return { bytes, sha256: hash };
}

/**
 * Signs every kousei.xml in memory and packs the batch; the folders are never written. One
 * application at a time: its files are read, hashed, signed and packed before the next is read, so
 * besides the growing ZIP only one application's bytes are held (a batch of a thousand held them all,
 * twice). The content hash is gathered on the way and is the same value as hashing everything first.
 */
export async function buildBatch(data: ApplicationData, report: CheckReport, options: BuildBatchOptions): Promise<BuiltBatch> {
  assertCheckPassed(report);
  assertKousei(data);
  const total = data.applications.length;
  const packer = new BatchPacker(options.mtime ? { mtime: options.mtime } : {});
  const hashed: HashedApplication[] = [];
  const applicantNames: string[] = [];
  const stopIfCancelled = (): void => {
    if (options.signal?.aborted) throw filingCancelled();
  };
  for await (const [app, read] of readInTurn(data.applications)) {
    stopIfCancelled();
    options.onProgress?.({ step: 'sign', done: hashed.length, total });
    const kousei = read.kousei.bytes;
    const files = new Map(read.files.map((f) => [f.name, f.bytes]));
    const fileHashes = read.files.map((f) => [f.name, f.sha256]);
    const readFile = (name: string): Promise<Buffer> => {
      const bytes = files.get(name);
      return bytes ? Promise.resolve(bytes) : Promise.reject(new Error(`${name} is not in ${app.folderName}`));
    };
    // The content hash and the applicant's name come from the signing's own reading of kousei.xml:
    // reading it once more (a DOM, or another scan) cost a tenth of the batch.
    const signed = await signKouseiDetailed(kousei, readFile, options.signer, {
      signatureId: options.signatureId,
      referenceForm: options.referenceForm,
      texts: [APPLICANT_NAME],
    }).catch((e: unknown) => {
      // checkApplicationData refuses this already; kept so this module never trusts its caller blindly
      if (e instanceof SigningError && e.code === 'KOUSEI_NO_KOUSEI_JOHO') {
        throw new FilingError('FILING_CHECK_FAILED', { ja: `${app.folderName} の kousei.xml に 構成情報 がありません。`, en: `${app.folderName}: kousei.xml has no 構成情報` });
      }
      throw e;
    });
    const applicant = signed.texts[0]?.[0];
    hashed.push({ folder: app.folderName, kousei: signed.kouseiDigest.toString('hex'), files: fileHashes });
    applicantNames.push(applicant === undefined ? '' : trimXmlSpace(applicant));
    const packFiles: PackFile[] = [{ name: KOUSEI_FILE, data: signed.xml }, ...[...files].map(([name, data]) => ({ name, data }))];
    await packer.add({ folderName: app.folderName, files: packFiles });
    // one application's signature at a time, then the core's other callers get their turn
    await giveWay();
  }
  stopIfCancelled();
  options.onProgress?.({ step: 'pack' });
  const { blocks, bytes: zipBytes, sha256: zipSha256 } = await packer.finishToBlocks();
  const limit = options.maxZipBytes ?? MAX_IN_MEMORY_ZIP_BYTES;
  if (zipBytes > limit) {
    const mb = (n: number) => Math.ceil(n / (1024 * 1024));
    throw new FilingError(
      'FILING_TOO_LARGE',
      {
        ja: `申請データの ZIP が大きすぎます（約 ${mb(zipBytes)} MB、上限 ${mb(limit)} MB）。申請を分けて、いくつかの一括申請として送信してください。何も送信していません。`,
        en: `batch ZIP is ${zipBytes} bytes, over the ${limit}-byte limit`,
      },
      { detail: { bytes: zipBytes, limit } },
    );
  }
  return { zipParts: blocks, zipBytes, zipSha256, contentSha256: contentHash(hashed), folderNames: data.applications.map((a) => a.folderName), applicantNames };
}
