// Sandbox (Node). The check of a 取下げ package (REFERENCE §5.7): the folder is judged by the same
// 形式チェック as a 一括申請 application (format-check.ts: kousei.xml, its signature and signer at the
// time of sending, folder name, attachments), expecting 申請種別 取下げ申請 (手続 9990000000000008) or
// 取下げ依頼 (手続 9990000000000003) with 初回受付番号 = the case withdrawn. Beyond that the form
// itself must not name another case: its 到達番号, when filled, must be the same.
import type { X509Certificate } from 'node:crypto';
import type { Element as XmlElement } from '@xmldom/xmldom';
import { SigningError } from '../../main/signing/errors.js';
import { parseXmlSafely } from '../../main/signing/xml/safe-xml.js';
import { checkApplicationFolder, type FolderExpectation, type FolderVerdict } from './format-check.js';
import type { ApplicationFolder } from './package.js';

/** 申請種別 → 手続ID, as the samples have them (SEEN S3). */
export const WITHDRAWAL_PROCEDURES: ReadonlyMap<string, string> = new Map([
  ['取下げ申請', '9990000000000008'],
  ['取下げ依頼', '9990000000000003'],
]);

/** The 到達番号 a 取下げ form names ('' when the element is empty or absent). */
function formArriveId(bytes: Buffer): string | null {
  let root: XmlElement | null;
  try {
    root = parseXmlSafely(bytes).documentElement as XmlElement | null;
  } catch (e) {
    if (e instanceof SigningError) return null;
    throw e;
  }
  const found = root?.getElementsByTagName('到達番号');
  if (!found || found.length === 0) return '';
  return (found[0]!.textContent ?? '').trim();
}

export async function checkWithdrawalFolder(folder: ApplicationFolder, anchors: readonly X509Certificate[], at: Date, targetArriveId: string): Promise<FolderVerdict> {
  const expect: FolderExpectation = { applyTypes: WITHDRAWAL_PROCEDURES, firstArriveId: targetArriveId, api: '取下げ' };
  const verdict = await checkApplicationFolder(folder, anchors, at, expect);
  if (!verdict.ok) return verdict;
  const problems: string[] = [];
  for (const name of verdict.application.fileNames.slice(0, 1)) {
    const bytes = folder.files.get(name);
    if (!bytes) continue; // the signature check already required every signed file
    const named = formArriveId(bytes);
    if (named === null) problems.push(`申請書「${name}」が正しい XML ではありません`);
    else if (named !== '' && named !== targetArriveId) problems.push(`申請書「${name}」の到達番号「${named}」が取下げの対象「${targetArriveId}」と一致しません`);
  }
  return problems.length > 0 ? { ok: false, folderName: folder.name, problems } : verdict;
}
