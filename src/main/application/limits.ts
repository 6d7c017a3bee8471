// Main process. Size and count limits for reading and checking 申請データ. e-Gov's own limits are
// unknown (REFERENCE §5.1: "ZIP-size limit … content UNKNOWN", "≥ 32 applications observed"), so these
// are Todoke's: generous for real filings, small enough that a hostile ZIP cannot exhaust memory.
import { DEFAULT_MAX_XML_BYTES } from '../signing/xml/safe-xml.js';

export interface ApplicationLimits {
  /** one file (kousei.xml, 申請書 or 添付書類) */
  maxFileBytes: number;
  /** one XML file (kousei.xml, 申請書): these are parsed in memory */
  maxXmlBytes: number;
  /** all files of one application */
  maxApplicationBytes: number;
  /** all files of the batch */
  maxBatchBytes: number;
  /** applications in one batch */
  maxApplications: number;
  /** files in one application folder (kousei.xml included) */
  maxFilesPerApplication: number;
}

export interface ZipReadLimits {
  /** the ZIP file itself */
  maxZipBytes: number;
  /** entries in the central directory (directories included) */
  maxEntries: number;
  /** one entry, counted while inflating */
  maxEntryBytes: number;
  /** all entries together, counted while inflating */
  maxTotalBytes: number;
  /** inflated bytes per compressed byte, per entry */
  maxCompressionRatio: number;
  /** below this many inflated bytes the ratio is not judged (tiny files compress well) */
  ratioFloorBytes: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_APPLICATION_LIMITS: Readonly<ApplicationLimits> = Object.freeze({
  maxFileBytes: 50 * MiB,
  maxXmlBytes: DEFAULT_MAX_XML_BYTES,
  maxApplicationBytes: 100 * MiB,
  maxBatchBytes: 200 * MiB,
  maxApplications: 100,
  maxFilesPerApplication: 200,
});

export const DEFAULT_ZIP_LIMITS: Readonly<ZipReadLimits> = Object.freeze({
  maxZipBytes: 200 * MiB,
  maxEntries: 10_000,
  maxEntryBytes: 50 * MiB,
  maxTotalBytes: 200 * MiB,
  maxCompressionRatio: 100,
  ratioFloorBytes: 1 * MiB,
});
