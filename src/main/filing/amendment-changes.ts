// Core host (pure). What a 補正 changes against the filed application, file by file: the list the
// workbench and `todoke amend` show, and the rule that a 補正 changing nothing is not sent (a ministry
// that asked for a correction gets nothing from the same data again, and the case leaves 補正待ち).
//
// kousei.xml is compared as the 補正 will send it: both sides rewritten for the 補正 (初回受付番号,
// 申請種別, no 署名情報), so the values every 補正 changes and the old signature are not "changes"; what
// is left is what the filer changed in it (an attachment listed, an address).
import { createHash } from 'node:crypto';
import type { AmendmentKind } from '../../shared/documents.js';
import { KOUSEI_FILE } from '../application/model.js';
import { AmendmentError } from './amendment-errors.js';
import { amendedKouseiXml, type AmendmentFolder } from './amendment-package.js';
import { compareFile, type FileComparison, type XmlDiffLimits } from './xml-diff.js';

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/**
 * kousei.xml as the 補正 would send it (unsigned); a kousei that cannot be rewritten (the person put a
 * broken one in the draft) is compared as it is, with why — the workbench still shows the draft, and
 * the package refuses it before any PIN.
 */
function kouseiComparison(filed: Buffer, draft: Buffer, target: { arriveId: string; kind: AmendmentKind }, limits?: Partial<XmlDiffLimits>): FileComparison {
  const rewrite = (kousei: Buffer): Buffer | AmendmentError => {
    try {
      return amendedKouseiXml(kousei, target);
    } catch (e) {
      if (e instanceof AmendmentError) return e;
      throw e;
    }
  };
  const before = rewrite(filed);
  const after = rewrite(draft);
  if (before instanceof AmendmentError || after instanceof AmendmentError) {
    const why = after instanceof AmendmentError ? after : (before as AmendmentError);
    const beforeSha256 = sha256(filed);
    const afterSha256 = sha256(draft);
    return { name: KOUSEI_FILE, change: beforeSha256 === afterSha256 ? 'same' : 'changed', beforeSha256, afterSha256, fields: null, fieldsError: { code: why.code, messageJa: why.messageJa } };
  }
  return compareFile(KOUSEI_FILE, before, after, limits);
}

/** Every file of either side, kousei.xml first, then by name; `same` ones included. */
export function amendmentChanges(filed: AmendmentFolder, draft: AmendmentFolder, target: { arriveId: string; kind: AmendmentKind }, limits?: Partial<XmlDiffLimits>): FileComparison[] {
  const kousei = kouseiComparison(filed.kousei, draft.kousei, target, limits);
  const before = new Map(filed.files.map((f) => [f.name, f.bytes]));
  const after = new Map(draft.files.map((f) => [f.name, f.bytes]));
  const names = [...new Set([...before.keys(), ...after.keys()])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return [kousei, ...names.map((name) => compareFile(name, before.get(name) ?? null, after.get(name) ?? null, limits))];
}

/** Refuses a draft whose every file is the filed one (AMENDMENT_NO_CHANGE). */
export function assertSomethingChanged(changes: readonly FileComparison[]): void {
  if (changes.some((c) => c.change !== 'same')) return;
  throw new AmendmentError('AMENDMENT_NO_CHANGE', {
    ja: '補正の内容が提出済みの申請と同じです（変更されたファイルがありません）。補正通知に沿って、直すファイルを差し替えてから送信してください。',
    en: 'the amendment changes nothing against the filed application',
  });
}
