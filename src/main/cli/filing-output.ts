// Main process (CLI host). How the filing commands print: batches (送信案件), arrived applications
// (到達番号, 手続, folder, status) and outbox entries, as aligned Japanese for people and plain
// objects for --json. Everything e-Gov or a file sent passes through shown() on its way to a
// terminal; JSON carries the values as they came.
import type { ArrivedApplication, SendSummary } from '../../shared/filing.js';
import type { OutboxState } from '../sync/outbox-states.js';
import type { OutboxEntry } from '../store/outbox.js';
import { jstDisplay } from './identity-output.js';
import { shown } from './shown.js';

/** `YYYYMMDDhhmmss` (JST, as e-Gov writes it) as 2026-01-15 10:00:00; anything else as it came. */
export function egovTime(text: string | null): string {
  if (text === null || text === '') return '';
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text);
  return m ? `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6]}` : shown(text, 40);
}

export const STATE_JA: Record<OutboxState, string> = {
  ready: '未送信',
  sending: '送信中',
  sent: '送信済み（形式チェック待ち）',
  following: '形式チェック中',
  done: '形式チェック完了',
  unknown: '届いたか不明（照合待ち）',
  'ready-for-resend': 'e-Gov に届いていません（再送信できます）',
  ambiguous: '判断待ち（候補が複数）',
  failed: '受付不可',
};

export function workStatusText(workStatus: string): string {
  return workStatus === '' ? '完了' : shown(workStatus, 40);
}

/** One line per application: 到達番号  手続名称  folder  status. */
export function applicationLines(apps: readonly ArrivedApplication[], indent = '    '): string[] {
  if (!apps.length) return [`${indent}（到達した申請はありません）`];
  return apps.map((a) => `${indent}${a.arriveId}  ${shown(a.procedureName, 80)}  ${shown(a.procedureFolderName, 80)}  ${shown(a.status, 40)}`);
}

export function applicationJson(a: ArrivedApplication) {
  return {
    arriveId: a.arriveId,
    procedureName: a.procedureName,
    folder: a.procedureFolderName,
    status: a.status,
    statusDate: a.statusDate,
    ministryName: a.ministryName,
    applicantName: a.applicantName,
    corporationName: a.corporationName,
    departmentName: a.departmentName,
    payStatus: a.payStatus,
    correctStatus: a.correctStatus,
    commentCount: a.commentCount,
    commentCountNotRead: a.commentCountNotRead,
    docCount: a.docCount,
    docCountNotDownload: a.docCountNotDownload,
  };
}

export function sendSummaryJson(s: SendSummary) {
  return {
    sendNumber: s.sendNumber,
    sendDate: s.sendDate,
    workStatus: s.workStatus,
    done: s.workStatus === '',
    allCount: s.allCount,
    normalCount: s.normalCount,
    errorCount: s.errorCount,
    supplementaryMessage: s.supplementaryMessage,
    hasErrorFile: s.errorFileBase64 !== null,
    applications: s.applications.map(applicationJson),
  };
}

export function sendSummaryText(s: SendSummary): string {
  const lines = [
    `送信番号 ${s.sendNumber}  ${egovTime(s.sendDate)}  形式チェック ${workStatusText(s.workStatus)}`,
    `  申請 ${s.allCount} 件（正常 ${s.normalCount} 件、エラー ${s.errorCount} 件）${s.errorFileBase64 !== null ? '  エラーの内容は e-Gov の ErrorFile にあります' : ''}`,
  ];
  if (s.supplementaryMessage.trim()) lines.push(`  ${shown(s.supplementaryMessage.trim(), 200)}`);
  lines.push(...applicationLines(s.applications, '  '));
  return lines.join('\n');
}

export function entryJson(e: OutboxEntry, applications: readonly ArrivedApplication[]) {
  return {
    id: e.id,
    state: e.state,
    stateJa: STATE_JA[e.state],
    sendNumber: e.sendNumber,
    sendDate: e.sendDate,
    workStatus: e.workStatus,
    createdAt: new Date(e.createdAt).toISOString(),
    updatedAt: new Date(e.updatedAt).toISOString(),
    attemptCount: e.attemptCount,
    applicationCount: e.applicationCount,
    folders: e.folderNames,
    sourcePaths: e.sourcePaths,
    failure: e.failure,
    candidates: e.candidates,
    applications: applications.map(applicationJson),
  };
}

export function entryText(e: OutboxEntry, applications: readonly ArrivedApplication[], profileFlag: string): string {
  const head = e.sendNumber ? `送信番号 ${e.sendNumber}` : '送信番号なし';
  const lines = [`${head}  ${STATE_JA[e.state]}  ${jstDisplay(new Date(e.createdAt))} に記録  申請 ${e.applicationCount} 件  (${e.id})`];
  lines.push(`  フォルダー: ${e.folderNames.map((f) => shown(f, 80)).join(', ')}`);
  if (e.kind !== 'batch') lines.push(`  ${e.kind === 'withdrawal' ? '取下げ' : '補正'}: 到達番号 ${e.targetArriveId ?? ''} の案件について${e.newArriveId ? `（${e.kind === 'withdrawal' ? '取下げ' : '補正'}の到達番号 ${e.newArriveId}）` : ''}`);
  if (e.state === 'following' && e.workStatus) lines.push(`  形式チェック: ${shown(e.workStatus, 40)}`);
  if (e.failure && (e.state === 'failed' || e.state === 'unknown' || e.state === 'ready' || (e.state === 'ambiguous' && e.kind !== 'batch'))) lines.push(`  理由: ${shown(e.failure.message, 300)}`);
  if (e.state === 'ambiguous' && e.kind !== 'batch') {
    // a 取下げ or 補正 has no 送信番号 to choose: the person says whether it arrived
    lines.push(`  届いたかどうか状況照会で判断できませんでした。todoke outbox decide ${e.id}${profileFlag} --arrived（届いていた）か --not-arrived（届いていなかった）で記録してください。`);
  } else if (e.state === 'ambiguous') {
    lines.push(
      `  送信案件一覧に、この送信に当てはまる送信番号が複数あります: ${e.candidates.join('、')}`,
      `  どれがこの送信か、todoke sends${profileFlag} --id 送信番号 で確かめてから、todoke outbox decide ${e.id}${profileFlag} --mine 送信番号（どれでもなければ --none）で記録してください。判断が済むまで、同じデータは送信しません。`,
    );
  }
  if (e.state === 'unknown') lines.push(`  e-Gov に届いたかどうかをまだ確かめられていません。しばらくしてから todoke outbox${profileFlag} をもう一度実行してください。`);
  if (e.state === 'done') lines.push(...applicationLines(applications));
  return lines.join('\n');
}
