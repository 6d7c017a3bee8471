// Main process (CLI host). `todoke status 到達番号`: 状況照会 now, on the saved profile; the answer is
// stored with the case when Todoke holds it (its history, dates and flags), and printed: status,
// dates, messages, flags, the history. A 到達番号 that is not 16–18 digits never reaches a path.
import { parseArgs } from 'node:util';
import type { CaseStatus } from '../../../shared/case.js';
import { isArriveId } from '../../egov/reference-codec.js';
import { filingOptions, withFiling } from '../filing-context.js';
import { egovTime } from '../filing-output.js';
import { printJson, table } from '../identity-output.js';
import type { CliIo } from '../io.js';
import { EXIT_OK } from '../io.js';
import { shown } from '../shown.js';
import { UsageError } from '../usage-error.js';
import { caseRecordJson, historyLines, needsActionMarks, withCases } from './cases.js';
import { withdrawalLinkLines } from './withdraw.js';
import { amendmentLinkLines } from './amend.js';
import { withdrawalKindOf } from '../../app/withdrawal-views.js';

export async function statusCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: filingOptions, strict: true, allowPositionals: true });
  if (positionals.length !== 1) throw new UsageError('到達番号を 1 つ指定してください（todoke status 到達番号）。', 'todoke status takes one 到達番号');
  const arriveId = arriveIdArg(positionals[0] as string);
  return withFiling(io, values, (ctx) =>
    withCases(ctx, async (cases) => {
      const status = await ctx.session.withAccessKey((key) => ctx.gateway.caseStatus(key, arriveId));
      const added = cases.storeReference(status);
      const stored = added === null ? null : cases.get(arriveId);
      if (values.json) {
        const withdrawals = ctx.outbox.withdrawalsOf(arriveId).map((e) => ({ entryId: e.id, kind: withdrawalKindOf(e), state: e.state, newArriveId: e.newArriveId }));
        printJson(io, { arriveId, status, stored: added !== null, newHistory: added ?? [], case: stored ? caseRecordJson(stored) : null, withdrawalOf: stored?.withdrawalOf ?? null, withdrawals });
        return EXIT_OK;
      }
      const rows = (r: [string, string][]) => table(r).replace(/\n+$/, '');
      const lines = [`状況照会: 到達番号 ${status.arriveId}`, rows(statusRows(status))];
      if (stored) {
        const marks = needsActionMarks(stored);
        lines.push(rows([['送信番号', stored.sendNumber ?? '（取下げのため、なし）'], ['申請者', shown(stored.applicantName, 60)], ['一覧の状況日時', egovTime(stored.statusDate)]]));
        if (marks.length) lines.push(`  要対応: ${marks.join('、')}`);
      }
      lines.push(...withdrawalLinkLines(cases, ctx.outbox, arriveId), ...amendmentLinkLines(cases, ctx.outbox, arriveId));
      for (const [label, text] of [['補正', status.amendMessage], ['コメント', status.commentMessage], ['公文書', status.documentMessage], ['納付', status.payMessage]] as const) {
        if (text.trim()) lines.push(`  ${label}: ${shown(text.trim(), 300)}`);
      }
      lines.push('', `履歴（${status.history.length} 件、古い順）`, ...historyLines(status.history));
      lines.push(
        '',
        added === null
          ? 'この到達番号はこの PC の案件にないため、保存していません（この PC から送信した申請は、到達すると案件になります）。'
          : `保存しました${added.length ? `（新しい履歴 ${added.length} 件）` : ''}。`,
      );
      io.stdout(`${lines.join('\n')}\n`);
      return EXIT_OK;
    }),
  );
}

function statusRows(s: CaseStatus): [string, string][] {
  const rows: [string, string][] = [
    ['状況', shown(s.status, 80)],
    ['手続', shown(s.procedureName, 100)],
    ['到達日時', egovTime(s.arriveDate)],
  ];
  if (s.examStartDate) rows.push(['審査開始', egovTime(s.examStartDate)]);
  if (s.examEndDate) rows.push(['審査終了', egovTime(s.examEndDate)]);
  if (s.procedureEndDate) rows.push(['手続終了', egovTime(s.procedureEndDate)]);
  if (s.withdrawFlag !== '0' && s.withdrawFlag !== '') rows.push(['取下げ', `フラグ ${shown(s.withdrawFlag, 8)}（種別 ${shown(s.withdrawType, 8)}）`]);
  if (s.reintroductionFlag !== '0' && s.reintroductionFlag !== '') rows.push(['再提出', `可（フラグ ${shown(s.reintroductionFlag, 8)}）`]);
  return rows;
}

/** A 到達番号 from the command line: 16–18 ASCII digits, shown safely when it is not. */
export function arriveIdArg(text: string): string {
  if (!isArriveId(text)) {
    throw new UsageError(`「${shown(text, 40)}」は到達番号ではありません。到達番号は 16〜18 桁の数字です（例: 9002026000000001）。`, 'not a 到達番号 (16-18 digits)');
  }
  return text;
}
