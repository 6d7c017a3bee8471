// Main process. Checks 申請データ against REFERENCE §5 before anything is signed or packed: folder
// names, kousei.xml and the files it lists, file names, UTF-8 and the characters of every XML,
// sizes. Needs no signer, and reports every problem it finds instead of stopping at the first.
//
// One application at a time: the checking itself is a pure generator over the model that asks its
// driver for the bytes of an XML file it has not got (folders are read lazily, src/main/application/
// read-folders.ts). The async driver reads them, and once the application is checked keeps only
// their SHA-256 (ApplicationFile.checkedSha256) — so a batch of a thousand holds one application's
// XML at a time, and signing can prove it signs the very bytes that were checked.
import type { Document, Element as XmlElement } from '@xmldom/xmldom';
import { createHash } from 'node:crypto';
import { isTodokeError } from '../../shared/errors.js';
import { fastWellFormed } from '../signing/c14n-fast.js';
import { childrenNamed, textOf } from '../signing/xml/dom.js';
import { KOUSEI_ID } from '../signing/xml/kousei-files.js';
import { parseXmlText } from '../signing/xml/safe-xml.js';
import { describeChar, findSuspectChars, firstInvalidUtf8, positionOf } from './charset.js';
import { isPlainAsciiName, unsafeFileNameReason } from './entry-names.js';
import { DEFAULT_APPLICATION_LIMITS, type ApplicationLimits } from './limits.js';
import { foldedName, parseFolderName, type Application, type ApplicationData, type ApplicationFile } from './model.js';
import { makeReport, problem, type CheckProblem, type CheckReport, type ProblemCode } from './problems.js';
import { giveWay } from '../event-loop.js';

/** Character findings reported per file; the rest are counted in one more finding's message. */
const MAX_CHAR_FINDINGS_PER_FILE = 20;

/** Strict: throws on any byte sequence that is not UTF-8, exactly where firstInvalidUtf8 finds one. */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const utf8 = new TextDecoder('utf-8');

/** The text of UTF-8 bytes (a leading BOM dropped), or the offset of the first invalid byte. */
function decodeUtf8(bytes: Uint8Array): string | number {
  try {
    return strictUtf8.decode(bytes); // one native pass validates and decodes
  } catch {
    const bad = firstInvalidUtf8(bytes);
    return bad >= 0 ? bad : utf8.decode(bytes);
  }
}

function isXmlName(name: string): boolean {
  return name.toLowerCase().endsWith('.xml');
}

function trimXmlSpace(s: string): string {
  return s.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
}

/** What a well-formed XML file is read for: `fast` from the bytes (null: undecided), else `dom`. */
interface XmlReading<T> {
  fast: (bytes: Buffer) => T | null;
  dom: (doc: Document) => T;
}

const WELL_FORMED: XmlReading<true> = { fast: (bytes) => (fastWellFormed(bytes) ? true : null), dom: () => true };

/**
 * UTF-8, BOM, characters and well-formedness of one XML file. Returns what `reading` makes of it,
 * or undefined when it is not well-formed XML (the problem is in `out`).
 * A BOM is a warning, not an error: it is legal UTF-8 (XML 1.0 §4.3.3) and safe-xml reads it, but
 * §5.6 shows only BOM-less files with `encoding="UTF-8"` accepted, so we advise removing it.
 *
 * Building a DOM cost more than the RSA signature of the same application, so a plain document is
 * judged by the scanner of c14n-fast.ts, which answers only when the DOM parser would accept it too;
 * anything else is parsed as before, and every problem (and its wording) still comes from the parser.
 */
function checkXml<T>(file: ApplicationFile, bytes: Buffer | undefined, folder: string, maxBytes: number, out: CheckProblem[], reading: XmlReading<T>): T | undefined {
  if (!bytes || bytes.length > maxBytes) return undefined; // too large: reported by the size check, not parsed
  const ctx = { folder, file: file.name };
  let text = decodeUtf8(bytes); // drops a leading BOM
  if (typeof text === 'number') {
    out.push(problem('XML_NOT_UTF8', { ...ctx, ...positionOf(bytes, text) }));
    return undefined;
  }
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  if (bom) out.push(problem('XML_BOM', ctx));
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  const { findings, more } = findSuspectChars(text, MAX_CHAR_FINDINGS_PER_FILE);
  const codes: Record<(typeof findings)[number]['cls'], ProblemCode> = {
    illegal: 'CHAR_ILLEGAL',
    'platform-dependent': 'CHAR_PLATFORM_DEPENDENT',
    'outside-jis': 'CHAR_OUTSIDE_JIS',
  };
  for (const f of findings) out.push(problem(codes[f.cls], { ...ctx, line: f.line, column: f.column, detail: describeChar(f.char) }));
  if (more > 0) {
    const last = out[out.length - 1]!;
    last.messageJa += `（ほかに ${more} 種類の文字があります）`;
    last.message += ` (and ${more} more distinct characters)`;
  }
  if (findings.some((f) => f.cls === 'illegal')) return undefined;
  const fast = reading.fast(bytes);
  if (fast !== null) return fast;
  try {
    return reading.dom(parseXmlText(text));
  } catch (e) {
    if (isTodokeError(e, 'XML_DOCTYPE')) out.push(problem('XML_DOCTYPE', ctx));
    else {
      const reason = isTodokeError(e) && typeof e.detail?.reason === 'string' ? e.detail.reason : e instanceof Error ? e.message : String(e);
      out.push(problem('XML_MALFORMED', { ...ctx, detail: reason }));
    }
    return undefined;
  }
}

export interface KouseiListing {
  /** 構成情報/管理情報/手続番号/手続ID, or null when absent */
  procedureId: string | null;
  /** 申請書属性情報/申請書ファイル名称, whitespace-trimmed, in document order */
  forms: string[];
  /** 添付書類属性情報/添付書類ファイル名称, whitespace-trimmed, in document order */
  attachments: string[];
}

/**
 * What a parsed kousei.xml says: its 手続ID and the 申請書 and 添付書類 file names (names not yet
 * judged safe). Null when the root is not DataRoot or it has no `<構成情報 ID="構成情報">` child.
 */
export function kouseiListing(doc: Document): KouseiListing | null {
  const root = doc.documentElement;
  if (!root || root.localName !== 'DataRoot') return null;
  const joho = childrenNamed(root, KOUSEI_ID).find((el) => el.getAttribute('ID') === KOUSEI_ID);
  if (!joho) return null;
  const names = (group: string, leaf: string): string[] =>
    childrenNamed(joho, group).flatMap((g: XmlElement) => childrenNamed(g, leaf).map((el) => trimXmlSpace(textOf(el))));
  const idEl = childrenNamed(joho, '管理情報')
    .flatMap((el) => childrenNamed(el, '手続番号'))
    .flatMap((el) => childrenNamed(el, '手続ID'))[0];
  return {
    procedureId: idEl ? trimXmlSpace(textOf(idEl)) : null,
    forms: names('申請書属性情報', '申請書ファイル名称'),
    attachments: names('添付書類属性情報', '添付書類ファイル名称'),
  };
}

const KOUSEI_PATH = ['DataRoot', KOUSEI_ID];
const PROCEDURE_ID_PATH = [...KOUSEI_PATH, '管理情報', '手続番号', '手続ID'];
const FORM_PATH = [...KOUSEI_PATH, '申請書属性情報', '申請書ファイル名称'];
const ATTACHMENT_PATH = [...KOUSEI_PATH, '添付書類属性情報', '添付書類ファイル名称'];
const KOUSEI_START = Buffer.from(`<${KOUSEI_ID} ID="${KOUSEI_ID}">`);

/**
 * kouseiListing without a DOM, for the one shape it can be sure of: a DataRoot whose only 構成情報
 * child starts exactly `<構成情報 ID="構成情報">` (then kouseiListing's 構成情報 is that element, and
 * the paths below reach what its look-ups reach, in the same order). Null for anything else.
 */
function fastKouseiListing(bytes: Buffer): KouseiListing | null {
  const scan = fastWellFormed(bytes, { canonicalize: KOUSEI_PATH, collect: [PROCEDURE_ID_PATH, FORM_PATH, ATTACHMENT_PATH], ranges: [KOUSEI_ID] });
  if (!scan || scan.repeated.has(KOUSEI_ID) || !scan.canonical.subarray(0, KOUSEI_START.length).equals(KOUSEI_START)) return null;
  const [ids = [], forms = [], attachments = []] = scan.collected;
  return { procedureId: ids.length > 0 ? trimXmlSpace(ids[0]!) : null, forms: forms.map(trimXmlSpace), attachments: attachments.map(trimXmlSpace) };
}

const KOUSEI_READING: XmlReading<KouseiListing | null> = { fast: fastKouseiListing, dom: kouseiListing };

/** What the checking asks of its driver: the bytes of one file, or a pause after one application. */
export type CheckStep = { kind: 'load'; file: ApplicationFile } | { kind: 'checked'; app: Application };

type Checking<T> = Generator<CheckStep, T, Buffer | undefined>;

/** The bytes of an XML file: in the model, else asked of the driver; undefined when over the limit. */
function* xmlBytes(file: ApplicationFile, xmlLimit: number): Checking<Buffer | undefined> {
  if (file.bytes) return file.bytes;
  if (file.size > xmlLimit) return undefined; // too large: reported by the size check, not parsed
  return yield { kind: 'load', file };
}

function* checkApplication(app: Application, lim: ApplicationLimits, out: CheckProblem[]): Checking<number> {
  const folder = app.folderName;
  const all = app.kousei ? [app.kousei, ...app.files] : app.files;
  const xmlLimit = Math.min(lim.maxXmlBytes, lim.maxFileBytes);

  if (all.length > lim.maxFilesPerApplication) {
    out.push(problem('APPLICATION_TOO_MANY_FILES', { folder, actual: all.length, limit: lim.maxFilesPerApplication }));
  }
  const folded = new Set<string>();
  let total = 0;
  for (const file of all) {
    const ctx = { folder, file: file.name };
    const reason = unsafeFileNameReason(file.name);
    if (reason) out.push(problem('FILE_NAME_UNSAFE', { ...ctx, detail: reason }));
    else if (!isPlainAsciiName(file.name)) out.push(problem('FILE_NAME_NOT_ASCII', ctx));
    const key = foldedName(file.name);
    if (folded.has(key)) out.push(problem('FILE_NAME_DUPLICATE', ctx));
    folded.add(key);
    const limit = isXmlName(file.name) ? xmlLimit : lim.maxFileBytes;
    if (file.size > limit) out.push(problem('FILE_TOO_LARGE', { ...ctx, actual: file.size, limit }));
    else if (file.size === 0) out.push(problem('FILE_EMPTY', ctx));
    total += file.size;
  }
  if (total > lim.maxApplicationBytes) out.push(problem('APPLICATION_TOO_LARGE', { folder, actual: total, limit: lim.maxApplicationBytes }));

  let listed: KouseiListing | null = null;
  if (!app.kousei) out.push(problem('KOUSEI_MISSING', { folder }));
  else {
    const read = checkXml(app.kousei, yield* xmlBytes(app.kousei, xmlLimit), folder, xmlLimit, out, KOUSEI_READING);
    if (read !== undefined) {
      listed = read;
      if (!listed) out.push(problem('KOUSEI_NO_KOUSEI_JOHO', { folder, file: app.kousei.name }));
    }
  }

  const present = new Map(app.files.map((f) => [f.name, f]));
  const formNames = new Set(listed?.forms ?? []);
  for (const file of app.files) {
    if (isXmlName(file.name) || formNames.has(file.name)) checkXml(file, yield* xmlBytes(file, xmlLimit), folder, xmlLimit, out, WELL_FORMED);
  }
  if (!listed) return total;

  if (listed.procedureId !== null && app.procedureId !== null && listed.procedureId !== app.procedureId) {
    out.push(problem('KOUSEI_PROCEDURE_MISMATCH', { folder, file: 'kousei.xml', detail: listed.procedureId }));
  }
  if (listed.forms.length === 0) out.push(problem('KOUSEI_NO_FORM', { folder, file: 'kousei.xml' }));
  const named = new Set<string>();
  const lists: Array<[string[], ProblemCode]> = [
    [listed.forms, 'FORM_MISSING'],
    [listed.attachments, 'ATTACHMENT_MISSING'],
  ];
  for (const [names, missing] of lists) {
    for (const name of names) {
      if (named.has(name)) continue;
      named.add(name);
      const reason = unsafeFileNameReason(name);
      if (reason) out.push(problem('KOUSEI_LISTED_NAME_UNSAFE', { folder, file: name, detail: reason }));
      else if (!present.has(name)) out.push(problem(missing, { folder, file: name }));
    }
  }
  for (const file of app.files) if (!named.has(file.name)) out.push(problem('FILE_UNLISTED', { folder, file: file.name }));
  return total;
}

/** Checks a batch of applications against REFERENCE §5 and the limits. Never throws for bad data. */
function* checking(data: ApplicationData, limits: Partial<ApplicationLimits>): Checking<CheckReport> {
  const lim: ApplicationLimits = { ...DEFAULT_APPLICATION_LIMITS, ...limits };
  const out: CheckProblem[] = [...data.problems];
  const apps = data.applications;

  if (apps.length === 0) out.push(problem('BATCH_EMPTY'));
  if (apps.length > lim.maxApplications) out.push(problem('BATCH_TOO_MANY_APPLICATIONS', { actual: apps.length, limit: lim.maxApplications }));

  const folders = new Set<string>();
  const forms = new Map<string, { bare: boolean; numbered: boolean }>();
  for (const app of apps) {
    const parsed = parseFolderName(app.folderName);
    if (!parsed) out.push(problem('FOLDER_NAME_INVALID', { folder: app.folderName }));
    else {
      if (parsed.zeroPadded) out.push(problem('FOLDER_NAME_ZERO_PADDED', { folder: app.folderName }));
      const seen = forms.get(parsed.procedureId) ?? { bare: false, numbered: false };
      if (parsed.sequence === null) seen.bare = true;
      else seen.numbered = true;
      forms.set(parsed.procedureId, seen);
    }
    const key = foldedName(app.folderName);
    if (folders.has(key)) out.push(problem('FOLDER_DUPLICATE', { folder: app.folderName }));
    folders.add(key);
  }
  for (const [procedureId, seen] of forms) {
    if (seen.bare && seen.numbered) out.push(problem('FOLDER_BARE_AND_NUMBERED', { detail: procedureId }));
  }

  let total = 0;
  for (const app of apps) {
    total += yield* checkApplication(app, lim, out);
    yield { kind: 'checked', app };
  }
  if (total > lim.maxBatchBytes) out.push(problem('BATCH_TOO_LARGE', { actual: total, limit: lim.maxBatchBytes }));
  return makeReport(out);
}

/**
 * The check of data whose XML is in memory (a ZIP, or a model built by hand). Data read from folders
 * is read as it is checked: checkApplicationDataInSteps.
 */
export function checkApplicationData(data: ApplicationData, limits: Partial<ApplicationLimits> = {}): CheckReport {
  const steps = checking(data, limits);
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done) return step.value;
    if (step.value.kind === 'load') {
      throw new Error(`checkApplicationData: ${step.value.file.name} is not in memory; data read from folders is checked with checkApplicationDataInSteps`);
    }
  }
}

/** XML files of one application read at the same time, ahead of the check asking for them. */
function prefetch(app: Application | undefined, limits: ApplicationLimits): Map<ApplicationFile, Promise<Buffer>> {
  const ahead = new Map<ApplicationFile, Promise<Buffer>>();
  if (!app) return ahead;
  const xmlLimit = Math.min(limits.maxXmlBytes, limits.maxFileBytes);
  for (const file of app.kousei ? [app.kousei, ...app.files] : app.files) {
    if (file.bytes || file.size > xmlLimit || !(file === app.kousei || isXmlName(file.name))) continue;
    const reading = file.read();
    reading.catch(() => undefined); // heard when the check asks; unheard if it never does
    ahead.set(file, reading);
  }
  return ahead;
}

/**
 * The same check, reading each application's XML as it comes to it (the next application's while
 * this one is checked, so the disk's wait overlaps the work) and giving the event loop back after
 * each application. In the core host a batch of a thousand applications takes seconds; every other
 * operation (the window's next call, a PIN answer) must still be served meanwhile.
 *
 * What it read is not kept: each file it read gets `checkedSha256`, which signing compares with what
 * it reads again (src/main/filing/build-batch.ts).
 */
export async function checkApplicationDataInSteps(data: ApplicationData, limits: Partial<ApplicationLimits> = {}): Promise<CheckReport> {
  const lim: ApplicationLimits = { ...DEFAULT_APPLICATION_LIMITS, ...limits };
  const apps = data.applications;
  const steps = checking(data, limits);
  let loaded: Array<[ApplicationFile, Buffer]> = [];
  let index = 0;
  let current = prefetch(apps[0], lim);
  let following = prefetch(apps[1], lim);
  let step = steps.next();
  for (;;) {
    if (step.done) return step.value;
    const s = step.value;
    if (s.kind === 'load') {
      const bytes = await (current.get(s.file) ?? s.file.read());
      loaded.push([s.file, bytes]);
      step = steps.next(bytes);
      continue;
    }
    for (const [file, bytes] of loaded) file.checkedSha256 = createHash('sha256').update(bytes).digest('hex');
    loaded = [];
    index++;
    current = following;
    following = prefetch(apps[index + 1], lim);
    await giveWay();
    step = steps.next();
  }
}
