// Core host. Builds the 申請データ of one 補正 (REFERENCE §5.8, §4.9–§4.11): the complete corrected
// application for the SAME 手続ID, in one folder `{手続ID}(1)`, its kousei.xml saying which case it
// corrects (`初回受付番号` = that case's 到達番号) and how (`申請種別` = `再提出`, or `部分補正` for the
// abolished partamend), re-signed IN MEMORY as build-batch.ts signs (the filer's folder stays as it
// is) and packed into the ZIP that 補正申請 sends beside the 到達番号.
//
// kousei.xml is the filer's own document, so it is edited as text, not re-serialised: the two values
// are replaced where they stand and the old 署名情報 is cut out, every other byte kept (the recorded
// accepted package, recorded/amendapply/2, is the filed kousei with exactly these changes). The edit
// is then read back by the safe parser: a document where the values are not where a kousei has them
// (none, two, inside a comment) is refused rather than sent with the wrong case named.
import type { Element as XmlElement } from '@xmldom/xmldom';
import { createHash } from 'node:crypto';
import { checkApplicationData, kouseiListing } from '../application/check.js';
import { inMemoryFile, KOUSEI_FILE, makeApplication, type ApplicationData } from '../application/model.js';
import type { CheckReport } from '../application/problems.js';
import { packBatchToBuffer } from '../application/pack.js';
import { isTodokeError } from '../../shared/errors.js';
import type { AmendmentKind } from '../../shared/documents.js';
import type { Signer } from '../signing/signer.js';
import { childrenNamed, textOf } from '../signing/xml/dom.js';
import type { KouseiReferenceForm } from '../signing/xml/kousei-files.js';
import { signKouseiDetailed } from '../signing/xml/kousei-profile.js';
import { decodeXml, parseXmlText } from '../signing/xml/safe-xml.js';
import { splitTopLevel } from '../signing/xml/xml-lexer.js';
import { assertCheckPassed, contentHashOf, jstStamp } from './build-batch.js';
import { AmendmentError } from './amendment-errors.js';

/** kousei `申請種別` per 補正 API (§5.8: 再提出 for reamend and the accepted amendapply, 部分補正 for partamend). */
export const AMENDMENT_APPLY_TYPE: Readonly<Record<AmendmentKind, string>> = Object.freeze({ amendapply: '再提出', reamend: '再提出', partamend: '部分補正' });

const ARRIVE_ID = /^\d{16,18}$/;

export interface AmendmentFile {
  name: string;
  bytes: Buffer;
}

/** One corrected application as the draft holds it: kousei.xml (signed or not) and every other file. */
export interface AmendmentFolder {
  kousei: Buffer;
  files: readonly AmendmentFile[];
}

export interface AmendmentInput {
  kind: AmendmentKind;
  /** 到達番号 of the case corrected */
  arriveId: string;
  /** 手続ID of the case corrected: the corrected kousei.xml must name the same one (§5.8) */
  procedureId: string;
  folder: AmendmentFolder;
}

export interface BuildAmendmentOptions {
  signer: Signer;
  /** Signature/@Id and ZIP entry times; default now */
  at?: Date;
  referenceForm?: KouseiReferenceForm;
}

export interface BuiltAmendment {
  kind: AmendmentKind;
  arriveId: string;
  /** `{手続ID}(1)` */
  folderName: string;
  /** the signed kousei.xml */
  kousei: Buffer;
  zip: Buffer;
  zipSha256: string;
  /** SHA-256 of the unsigned application data (build-batch.ts contentHashOf) */
  contentSha256: string;
  /** 申請者情報/氏名 of the corrected kousei ('' when empty) */
  applicantName: string;
  /** the check of the corrected application (warnings only: errors refuse the build) */
  report: CheckReport;
}

function invalid(ja: string, en: string, detail: Record<string, unknown> = {}, cause?: unknown): AmendmentError {
  return new AmendmentError('AMENDMENT_DRAFT_INVALID', { ja, en }, { detail, ...(cause === undefined ? {} : { cause }) });
}

interface ReadKousei {
  root: XmlElement;
  /** 構成情報/管理情報 */
  manage: XmlElement;
}

function readKousei(text: string): ReadKousei {
  let root: XmlElement;
  try {
    root = parseXmlText(text).documentElement as XmlElement;
  } catch (cause) {
    if (!isTodokeError(cause)) throw cause;
    throw invalid(`補正する kousei.xml を読めません（${cause.messageJa}）。`, `kousei.xml unreadable: ${cause.message}`, { reason: cause.code }, cause);
  }
  const joho = root.nodeName === 'DataRoot' ? childrenNamed(root, '構成情報').filter((e) => e.getAttribute('ID') === '構成情報') : [];
  const manage = joho.length === 1 ? childrenNamed(joho[0]!, '管理情報') : [];
  if (manage.length !== 1) throw invalid('kousei.xml に 構成情報/管理情報 がひとつだけ、という形になっていません。申請データの kousei.xml を確かめてください。', 'kousei.xml has no single 構成情報/管理情報');
  return { root, manage: manage[0]! };
}

/** The one element `name` under 管理情報, or the error that names what is wrong. */
function single(manage: XmlElement, name: string): XmlElement {
  const found = childrenNamed(manage, name);
  if (found.length !== 1) throw invalid(`kousei.xml の 管理情報 に ${name} が${found.length === 0 ? 'ありません' : `${found.length} 個あります`}。`, `kousei.xml has ${found.length} ${name}`, { element: name });
  return found[0]!;
}

function replaceOne(text: string, from: number, to: number, name: string, value: string): string {
  const pattern = new RegExp(`<${name}(?:[ \\t\\r\\n][^>]*)?(?:/>|>[^<]*</${name}[ \\t\\r\\n]*>)`, 'g');
  const region = text.slice(from, to);
  const matches = [...region.matchAll(pattern)];
  if (matches.length !== 1) throw invalid(`kousei.xml の ${name} を書き換えられません（${matches.length} 箇所見つかりました）。`, `${matches.length} ${name} in 構成情報`, { element: name });
  const m = matches[0]!;
  return `${text.slice(0, from + m.index)}<${name}>${value}</${name}>${text.slice(from + m.index + m[0].length)}`;
}

/**
 * The corrected kousei.xml, unsigned: 初回受付番号 and 申請種別 set, the old 署名情報 cut out, every
 * other byte as it was. Throws AMENDMENT_DRAFT_INVALID for a kousei where that cannot be done surely.
 */
export function amendedKouseiXml(kousei: Buffer, target: { arriveId: string; kind: AmendmentKind }): Buffer {
  if (!ARRIVE_ID.test(target.arriveId)) throw invalid('補正する案件の到達番号が正しくありません（16〜18桁の数字）。', `bad arriveId ${JSON.stringify(target.arriveId).slice(0, 40)}`);
  const applyType = AMENDMENT_APPLY_TYPE[target.kind];
  if (applyType === undefined) throw invalid('補正の種類が正しくありません。', `unknown kind ${String(target.kind)}`);
  let decoded: ReturnType<typeof decodeXml>;
  try {
    decoded = decodeXml(kousei);
  } catch (cause) {
    if (!isTodokeError(cause)) throw cause;
    throw invalid(`補正する kousei.xml を読めません（${cause.messageJa}）。`, `kousei.xml unreadable: ${cause.message}`, { reason: cause.code }, cause);
  }
  // parsed first: the lexer below then only ever sees well-formed text
  const before = readKousei(decoded.text);
  single(before.manage, '初回受付番号');
  single(before.manage, '申請種別');
  let text = decoded.text;
  let top = splitTopLevel(text);
  for (const span of [...top.children].reverse()) if (span.name === '署名情報') text = text.slice(0, span.start) + text.slice(span.end);
  top = splitTopLevel(text);
  const joho = top.children.filter((s) => s.name === '構成情報');
  if (joho.length !== 1) throw invalid('kousei.xml に 構成情報 がひとつだけ、という形になっていません。', 'not one 構成情報');
  const span = joho[0]!;
  text = replaceOne(text, span.contentStart, span.end, '初回受付番号', target.arriveId);
  const shifted = splitTopLevel(text).children.find((s) => s.name === '構成情報')!;
  text = replaceOne(text, shifted.contentStart, shifted.end, '申請種別', applyType);
  // read back: the values must be where a kousei has them (a match inside a comment would not be)
  const after = readKousei(text);
  if (textOf(single(after.manage, '初回受付番号')) !== target.arriveId || textOf(single(after.manage, '申請種別')) !== applyType) {
    throw invalid('kousei.xml の 初回受付番号・申請種別 を書き換えられませんでした（コメントの中などにあります）。', 'the rewritten values are not in 管理情報');
  }
  if (childrenNamed(after.root, '署名情報').length) throw invalid('kousei.xml の古い署名情報を取り除けませんでした。', 'old 署名情報 remains');
  return Buffer.from(decoded.bom ? `\uFEFF${text}` : text, 'utf8');
}

/** 手続ID of a kousei.xml (構成情報/管理情報/手続番号/手続ID), or null. */
export function kouseiProcedureId(kousei: Buffer): string | null {
  try {
    const doc = parseXmlText(decodeXml(kousei).text);
    return kouseiListing(doc)?.procedureId ?? null;
  } catch (e) {
    if (isTodokeError(e)) return null;
    throw e;
  }
}

/** The corrected application as 申請データ (one folder `{手続ID}(1)`), kousei.xml rewritten, not signed. */
export function amendmentData(input: AmendmentInput): { data: ApplicationData; folderName: string; kousei: Buffer } {
  const procedureId = kouseiProcedureId(input.folder.kousei);
  if (procedureId !== input.procedureId) {
    throw invalid(
      `補正の申請データは元の案件と同じ手続（手続ID ${input.procedureId}）でなければなりません（kousei.xml の手続ID: ${procedureId ?? 'なし'}）。`,
      `procedure ${procedureId ?? 'none'} is not the case's ${input.procedureId}`,
      { expected: input.procedureId, actual: procedureId },
    );
  }
  const kousei = amendedKouseiXml(input.folder.kousei, input);
  const folderName = `${procedureId}(1)`;
  const seen = new Set<string>();
  for (const f of input.folder.files) {
    if (f.name === KOUSEI_FILE || seen.has(f.name)) throw invalid(`申請データに同じ名前のファイル「${f.name}」が重なっています。`, `duplicate file ${f.name}`, { file: f.name });
    seen.add(f.name);
  }
  const application = makeApplication(
    folderName,
    inMemoryFile(KOUSEI_FILE, kousei),
    input.folder.files.map((f) => inMemoryFile(f.name, f.bytes)),
  );
  return { data: { source: { kind: 'folders', paths: [] }, applications: [application], problems: [] }, folderName, kousei };
}

const APPLICANT_NAME = ['管理情報', '申請者連絡先情報', '申請者情報', '氏名'];

/**
 * Rewrites kousei.xml, checks the application with the 申請データ check (errors refuse: FILING_CHECK_FAILED,
 * before any PIN is used by the caller's signer), signs kousei.xml in memory and packs `{手続ID}(1)`.
 * Nothing is written to disk; nothing is sent.
 */
export async function buildAmendmentPackage(input: AmendmentInput, options: BuildAmendmentOptions): Promise<BuiltAmendment> {
  const { data, folderName, kousei } = amendmentData(input);
  const report = checkApplicationData(data);
  assertCheckPassed(report);
  const contentSha256 = await contentHashOf(data);
  const at = options.at ?? new Date();
  const files = new Map(input.folder.files.map((f) => [f.name, f.bytes]));
  const signed = await signKouseiDetailed(
    kousei,
    (name) => {
      const bytes = files.get(name);
      return bytes ? Promise.resolve(bytes) : Promise.reject(new Error(`${name} is not in the corrected application`));
    },
    options.signer,
    { signatureId: jstStamp(at), referenceForm: options.referenceForm, texts: [APPLICANT_NAME] },
  );
  const { zip } = await packBatchToBuffer(
    [{ folderName, files: [{ name: KOUSEI_FILE, data: signed.xml }, ...[...files].map(([name, data]) => ({ name, data }))] }],
    { mtime: at },
  );
  return {
    kind: input.kind,
    arriveId: input.arriveId,
    folderName,
    kousei: signed.xml,
    zip,
    zipSha256: createHash('sha256').update(zip).digest('hex'),
    contentSha256,
    applicantName: (signed.texts[0]?.[0] ?? '').replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, ''),
    report,
  };
}
