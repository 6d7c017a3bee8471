// Main process (CLI host). `todoke cases`: the profile's cases from its store, no network —
//   todoke cases [--status S] [--procedure P] [--applicant A] [--from YYYYMMDD] [--to YYYYMMDD] [--search TEXT] [--limit N] [--json | --csv]
// (--csv: every matching case, no --limit, as RFC 4180 CSV on standard output — src/main/export/cases-csv.ts)
// and the printing of cases and sync events the status and sync commands share. Statuses are shown
// as e-Gov wrote them (an unknown one too), through shown() like everything that came from outside.
import { parseArgs } from 'node:util';
import type { CaseEvent, CaseSyncEvent } from '../../../shared/case.js';
import { CaseStore, MAX_PAGE, type CaseFilter, type CaseRecord, type CaseSummary } from '../../store/cases.js';
import { openStore, type Store } from '../../store/db.js';
import { casesCsv } from '../../export/cases-csv.js';
import { dayArg, filingOptions, withFiling, type FilingContext } from '../filing-context.js';
import { egovTime } from '../filing-output.js';
import { jstDisplay, printJson } from '../identity-output.js';
import type { CliIo } from '../io.js';
import { EXIT_OK } from '../io.js';
import { shown } from '../shown.js';
import { UsageError } from '../usage-error.js';

export async function casesCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      ...filingOptions,
      status: { type: 'string' },
      procedure: { type: 'string' },
      applicant: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      search: { type: 'string' },
      limit: { type: 'string' },
      csv: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length) throw new UsageError(`余分な引数があります: ${shown(positionals.join(' '))}`, 'todoke cases takes no positional argument');
  const filter: CaseFilter = {};
  for (const [flag, key] of [['status', 'status'], ['procedure', 'procedure'], ['applicant', 'applicant'], ['search', 'text']] as const) {
    const v = values[flag];
    if (v === undefined) continue;
    if (v === '' || v.length > 200 || [...v].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f)) {
      throw new UsageError(`--${flag} には 1〜200 文字の、改行や制御文字を含まない文字列を指定してください。`, `--${flag} takes 1-200 characters without control characters`);
    }
    filter[key] = v;
  }
  if (values.from !== undefined) filter.from = dayArg(values.from, '--from');
  if (values.to !== undefined) filter.to = dayArg(values.to, '--to');
  if (filter.from !== undefined && filter.to !== undefined && filter.from > filter.to) {
    throw new UsageError(`--from（${filter.from}）が --to（${filter.to}）より後の日付です。`, '--from is after --to');
  }
  if (values.csv && values.json) throw new UsageError('--csv と --json は、どちらか一方だけを指定してください。', 'give --csv or --json, not both');
  if (values.csv && values.limit !== undefined) throw new UsageError('--csv はすべての案件を書き出します。--limit とは一緒に指定できません。', '--csv writes every case: no --limit');
  let limit = 100;
  if (values.limit !== undefined) {
    if (!/^\d{1,4}$/.test(values.limit) || Number(values.limit) < 1 || Number(values.limit) > MAX_PAGE) {
      throw new UsageError(`--limit には 1〜${MAX_PAGE} の数を指定してください（「${shown(values.limit, 20)}」）。`, `--limit takes 1-${MAX_PAGE}`);
    }
    limit = Number(values.limit);
  }
  return withFiling(io, values, (ctx) =>
    withCases(ctx, (cases) => {
      if (values.csv) {
        io.stdout(casesCsv(cases.listAll(filter), 'plain'));
        return Promise.resolve(EXIT_OK);
      }
      const page = cases.list({ ...filter, limit });
      const total = cases.count(filter);
      if (values.json) {
        printJson(io, { profile: ctx.profileName, filter, total, countsByStatus: cases.countsByStatus(), cases: page.cases.map(caseJson), next: page.next });
        return Promise.resolve(EXIT_OK);
      }
      const lines: string[] = [];
      const counts = cases.countsByStatus();
      if (!counts.length) {
        lines.push(`案件はまだありません（プロファイル「${ctx.profileName}」）。申請が到達すると、ここに載ります。todoke sync で最新の状況を確かめられます。`);
      } else {
        lines.push(`案件（プロファイル「${ctx.profileName}」、全 ${counts.reduce((n, c) => n + c.count, 0)} 件）: ${counts.map((c) => `${shown(c.status, 40)} ${c.count} 件`).join('、')}`);
        lines.push('', `${Object.keys(filter).length ? '条件に合う案件' : '案件'} ${total} 件${total > page.cases.length ? `（新しい順に ${page.cases.length} 件を表示。--limit で増やせます）` : ''}`);
        for (const c of page.cases) lines.push(caseLine(c));
      }
      io.stdout(`${lines.join('\n')}\n`);
      return Promise.resolve(EXIT_OK);
    }),
  );
}

/** Runs `task` with the profile's case store (the same database as its outbox). */
export async function withCases<T>(ctx: FilingContext, task: (cases: CaseStore, store: Store) => Promise<T>): Promise<T> {
  const store = openStore(ctx.home, ctx.profileName);
  try {
    return await task(new CaseStore(store, { now: Date.now }), store);
  } finally {
    store.close();
  }
}

/** 到達番号  status  status date  手続名称  applicant  (what needs action) */
export function caseLine(c: CaseSummary): string {
  const marks = needsActionMarks(c);
  const link = c.withdrawalOf ? `  （到達番号 ${c.withdrawalOf} の取下げ）` : '';
  return `  ${c.arriveId}  ${shown(c.status, 40)}  ${egovTime(c.statusDate)}  ${shown(c.procedureName, 60)}  ${shown(c.applicantName, 40)}${link}${marks.length ? `  [${marks.join('、')}]` : ''}`;
}

export function needsActionMarks(c: CaseSummary): string[] {
  const marks: string[] = [];
  if (c.correctStatus !== 'なし' && c.correctStatus !== '') marks.push(`補正 ${shown(c.correctStatus, 20)}`);
  if (c.commentCountNotRead > 0) marks.push(`未読コメント ${c.commentCountNotRead}`);
  if (c.docCountNotDownload > 0) marks.push(`未取得の公文書 ${c.docCountNotDownload}`);
  if (c.payWaitCount > 0) marks.push(`納付待ち ${c.payWaitCount}`);
  if (c.needsReference) marks.push('状況照会は次回の同期で');
  return marks;
}

export function caseJson(c: CaseSummary) {
  return {
    arriveId: c.arriveId,
    sendNumber: c.sendNumber,
    withdrawalOf: c.withdrawalOf,
    entryId: c.entryId,
    status: c.status,
    statusDate: c.statusDate,
    procedureName: c.procedureName,
    folder: c.procedureFolderName,
    ministryName: c.ministryName,
    applicantName: c.applicantName,
    corporationName: c.corporationName,
    departmentName: c.departmentName,
    payStatus: c.payStatus,
    payWaitCount: c.payWaitCount,
    correctStatus: c.correctStatus,
    commentCount: c.commentCount,
    commentCountNotRead: c.commentCountNotRead,
    docCount: c.docCount,
    docCountNotDownload: c.docCountNotDownload,
    needsReference: c.needsReference,
    updatedAt: new Date(c.updatedAt).toISOString(),
  };
}

export function caseRecordJson(c: CaseRecord) {
  return {
    ...caseJson(c),
    reference: c.reference ? { ...c.reference, referencedAt: new Date(c.reference.referencedAt).toISOString() } : null,
    history: c.history,
    observations: c.observations.map((o) => ({ ...o, at: new Date(o.at).toISOString() })),
  };
}

export function historyLines(history: readonly CaseEvent[], indent = '  '): string[] {
  if (!history.length) return [`${indent}（履歴はありません）`];
  return history.map(
    (e) =>
      `${indent}${String(e.subId).padStart(2)}. ${egovTime(e.date)}  ${shown(e.operatorType, 20)}  ${shown(e.processType, 60)}  → ${shown(e.status, 40)}` +
      `${e.payNumber ? `  納付番号 ${shown(e.payNumber, 40)}` : ''}${e.totalFee ? `  金額 ${shown(e.totalFee, 20)}` : ''}${e.payExpiredDate ? `  納付期限 ${egovTime(e.payExpiredDate)}` : ''}`,
  );
}

/** One line (or a few) per sync event, in Japanese. */
export function eventText(e: CaseSyncEvent): string {
  const id = `到達番号 ${e.arriveId}`;
  switch (e.type) {
    case 'case.changed': {
      const status = e.changes.find((c) => c.field === 'status');
      const statusDate = e.changes.find((c) => c.field === 'statusDate');
      const head = e.isNew
        ? `${id}: 新しい案件です（状況 ${shown(e.status, 40)}）`
        : status
          ? `${id}: 状況が変わりました ${shown(String(status.before ?? ''), 40)} → ${shown(e.status, 40)}${statusDate ? `（${egovTime(String(statusDate.after))}）` : ''}`
          : e.changes.length
            ? `${id}: ${e.changes.map((c) => FIELD_JA[c.field]).join('、')} が変わりました（状況 ${shown(e.status, 40)}）`
            : `${id}: 履歴が増えました（状況 ${shown(e.status, 40)}）`;
      const lines = [head];
      if (e.newHistory.length) lines.push(...historyLines(e.newHistory, '    '));
      if (!e.referenced) lines.push('    状況照会に失敗しました。履歴は次回の同期で取得します。');
      return lines.join('\n');
    }
    case 'case.correction':
      return `${id}: 補正の指示があります（補正 ${shown(e.correctStatus, 20)}）。e-Gov の補正通知を確認してください。`;
    case 'case.document':
      return `${id}: 公文書が ${e.added} 件増えました（全 ${e.docCount} 件、未取得 ${e.docCountNotDownload} 件）。`;
    case 'case.comment':
      return `${id}: コメントが ${e.added} 件増えました（全 ${e.commentCount} 件、未読 ${e.commentCountNotRead} 件）。`;
    case 'case.payment-due':
      return `${id}: 納付待ちの手数料があります（${e.payWaitCount} 件、納付状況 ${shown(e.payStatus, 40)}）。`;
  }
}

const FIELD_JA: Record<string, string> = {
  status: '状況',
  statusDate: '状況の日時',
  payStatus: '納付状況',
  payWaitCount: '納付待ち件数',
  correctStatus: '補正',
  commentCountNotRead: '未読コメント数',
  commentCount: 'コメント数',
  docCountNotDownload: '未取得の公文書数',
  docCount: '公文書数',
};

export function timeText(ms: number): string {
  return jstDisplay(new Date(ms));
}
