// Main process (CLI host). How `todoke notices|doc|comment` print a notice: one line per notice, its
// files, and the two verifications of a 公文書 check by check — aligned Japanese for people, plain
// objects for --json (README "CLI" documents their shapes). Everything e-Gov sent (titles, states,
// file names, certificate names, its verification texts) reaches a terminal through shown(); JSON
// carries the values as they came.
import type { LocalVerdict, LocalVerificationView, NoticeFileView, NoticeKind, NoticeStage, NoticeSummary, RemoteCertificateReport, RemoteVerification } from '../../shared/documents.js';
import { stageOf } from '../documents/notice-fetch.js';
import { remoteVerdict } from '../documents/verify-document.js';
import type { NoticeRecord } from '../store/notices.js';
import { egovTime } from './filing-output.js';
import { jstDisplay } from './identity-output.js';
import { shown } from './shown.js';

export const KIND_JA: Record<NoticeKind, string> = { amend: '補正通知', document: '公文書', comment: 'コメント' };

export const STAGE_JA: Record<NoticeStage, string> = {
  listed: '一覧のみ（未取得）',
  kept: '保管済み（取得完了は未送信）',
  done: '保管済み・取得完了',
  refused: '保管済み（中身を開けません）',
};

export const VERDICT_JA: Record<LocalVerdict, string> = {
  valid: '有効',
  invalid: '無効（署名された内容と一致しません）',
  untrusted: '信頼できません（署名者を確認できません）',
  unsigned: '署名なし',
  unverifiable: '検証できません',
};

/** `YYYYMMDD` (a 補正 deadline) as 2015-03-15; anything else as it came. */
export function egovDay(text: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : shown(text, 40);
}

function localOf(record: Pick<NoticeRecord, 'localVerification'>): LocalVerificationView | null {
  return (record.localVerification ?? null) as LocalVerificationView | null;
}

/** One notice as every --json answer carries it. */
export function noticeJson(n: NoticeSummary & Partial<Pick<NoticeRecord, 'localVerification' | 'remoteVerification'>>) {
  const local = localOf({ localVerification: n.localVerification ?? null });
  const remote = n.remoteVerification ?? null;
  return {
    arriveId: n.arriveId,
    kind: n.kind,
    noticeSubId: n.noticeSubId,
    title: n.title,
    issueDate: n.issueDate,
    deadline: n.deadline,
    completedDate: n.completedDate,
    egovState: n.egovState,
    stage: stageOf(n),
    fileNames: n.listedFileNames,
    keptAt: n.keptAt === null ? null : new Date(n.keptAt).toISOString(),
    doneAt: n.doneAt === null ? null : new Date(n.doneAt).toISOString(),
    verdict: n.kind === 'document' ? (local?.verdict ?? null) : null,
    remoteOk: n.kind === 'document' && remote ? remoteVerdict(remote) : null,
    refusal: n.refusal,
    lastError: n.lastError ? { code: n.lastError.code, message: n.lastError.message, at: new Date(n.lastError.at).toISOString() } : null,
  };
}

/** `公文書 2  「title」  issued 2026-…  stage  verdict` and, for what needs it, a second line. */
export function noticeLines(n: NoticeSummary & Partial<Pick<NoticeRecord, 'localVerification' | 'remoteVerification'>>): string[] {
  const parts = [`  ${KIND_JA[n.kind]} ${n.noticeSubId}`, `「${shown(n.title, 80)}」`, `発行 ${egovTime(n.issueDate) || '（不明）'}`];
  if (n.kind === 'amend') parts.push(`期限 ${n.deadline ? egovDay(n.deadline) : 'なし'}`, ...(n.completedDate ? [`補正済み ${egovTime(n.completedDate)}`] : []));
  if (n.egovState) parts.push(`e-Gov: ${shown(n.egovState, 20)}`);
  parts.push(`Todoke: ${STAGE_JA[stageOf(n)]}`);
  if (n.kind === 'document') {
    const local = localOf({ localVerification: n.localVerification ?? null });
    const remote = n.remoteVerification ?? null;
    parts.push(`署名 ${local ? VERDICT_JA[local.verdict] : '未検証'}${remote ? `／e-Gov ${remoteVerdict(remote) ? '正常' : '正常ではない'}` : ''}`);
  }
  const lines = [parts.join('  ')];
  if (n.refusal) lines.push(`      中身を開けません: ${shown(n.refusal.message, 300)}`);
  if (n.lastError) lines.push(`      前回の失敗（${jstDisplay(new Date(n.lastError.at))}）: ${shown(n.lastError.message, 300)}`);
  return lines;
}

export function fileLines(files: readonly NoticeFileView[], indent = '  '): string[] {
  if (!files.length) return [`${indent}（ファイルはありません）`];
  return files.map((f) => `${indent}${shown(f.name, 120)}  ${f.size} バイト  ${f.media}  sha256:${f.sha256}`);
}

/** An ISO time as the other commands show times (JST); anything unreadable as it came. */
function isoJst(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? shown(iso, 40) : jstDisplay(new Date(ms));
}

const MARK = (ok: boolean | null) => (ok === true ? '✓' : ok === false ? '✗' : '－');

/** Todoke's own check, one line per check, then the signer and what went wrong. */
export function localLines(local: LocalVerificationView | null, indent = '  '): string[] {
  if (!local) return [`${indent}（まだ検証していません）`];
  const lines = [`${indent}判定: ${VERDICT_JA[local.verdict]}（${shown(local.fileName, 120)}、発行時 ${isoJst(local.judgedAt)} を基準に判断）`];
  for (const c of local.checks) lines.push(`${indent}  ${MARK(c.ok)} ${shown(c.label, 200)}: ${shown(c.detail, 300)}`);
  if (local.signer) {
    lines.push(`${indent}  署名者: ${shown(local.signer.subject, 200)}（発行者 ${shown(local.signer.issuer, 200)}、${isoJst(local.signer.notBefore)} から ${isoJst(local.signer.notAfter)}）`);
    if (local.signerValidityNow && local.signerValidityNow !== 'valid') {
      lines.push(`${indent}  署名者の証明書は現在${local.signerValidityNow === 'expired' ? '有効期限が切れています' : 'まだ有効期間に入っていません'}（発行時に有効だったかで判断しています）`);
    }
  }
  if (local.anchor) lines.push(`${indent}  信頼の起点: ${shown(local.anchor.subject, 200)}`);
  for (const p of local.problems) lines.push(`${indent}  問題: ${shown(p, 300)}`);
  return lines;
}

function certificateLines(label: string, c: RemoteCertificateReport, indent: string): string[] {
  const lines = [`${indent}  ${label}: ${shown(c.owner || c.ownerDn, 200)}（発行者 ${shown(c.publisher || c.publisherDn, 200)}）`];
  if (c.validationResult) lines.push(`${indent}    署名検証結果: ${shown(c.validationResult, 200)}`);
  if (c.certificateResult) lines.push(`${indent}    証明書検証結果: ${shown(c.certificateResult, 200)}`);
  if (c.termValidity) lines.push(`${indent}    有効期間: ${shown(c.termValidity, 100)}`);
  if (c.serialNumber) lines.push(`${indent}    シリアル番号: ${shown(c.serialNumber, 100)}`);
  return lines;
}

/** e-Gov's 公文書署名検証 as it answered, field by field. */
export function remoteLines(remote: RemoteVerification | null, error: { code: string; message: string } | null, indent = '  '): string[] {
  if (!remote) return [error ? `${indent}判定: 確かめられませんでした [${shown(error.code, 60)}] ${shown(error.message, 300)}` : `${indent}（まだ検証していません）`];
  const lines = [`${indent}判定: ${remoteVerdict(remote) ? '正常' : '正常ではありません'}（エラー ${remote.errorCount} 件、${shown(remote.documentFileName, 120)}）`];
  for (const e of remote.errors) lines.push(`${indent}  ✗ ${shown(e, 300)}`);
  if (remote.attachedFileName && remote.attachedFileName !== '-') lines.push(`${indent}  署名対象の添付: ${shown(remote.attachedFileName, 200)}`);
  if (remote.official) lines.push(...certificateLines('官職の証明書', remote.official, indent));
  if (remote.government) lines.push(...certificateLines('官職認証局の証明書', remote.government, indent));
  return lines;
}
