// Main process (CLI host). `todoke outbox`: the profile's outbox, newest first. First every entry
// whose delivery is not known (a failure while sending, or a run stopped mid-send) is reconciled
// against 送信案件一覧 (src/main/filing/recover.ts: it only asks, it never sends); then every entry
// is listed with its state, 送信番号, folders, the reason of a failure, the candidates of one
// waiting for a decision, and the arrived applications of a finished one.
import { parseArgs } from 'node:util';
import { ENTRY_ID_PATTERN } from '../../../shared/contract.js';
import { isTodokeError } from '../../../shared/errors.js';
import { recoverOutbox, type RecoveryOutcome } from '../../filing/recover.js';
import { settleAmendment } from '../../filing/amend.js';
import { WithdrawalSender } from '../../filing/withdraw.js';
import { profileFlag } from '../identity-context.js';
import { jstDisplay, printJson } from '../identity-output.js';
import type { CliIo } from '../io.js';
import { EXIT_OK } from '../io.js';
import { filingOptions, sendNumberArg, withFiling } from '../filing-context.js';
import { entryJson, entryText, STATE_JA } from '../filing-output.js';
import { shown } from '../shown.js';
import { UsageError } from '../usage-error.js';
import { withCases } from './cases.js';

export async function outboxCommand(args: string[], io: CliIo): Promise<number> {
  if (args[0] === 'decide') return decideCommand(args.slice(1), io);
  const { values, positionals } = parseArgs({ args, options: filingOptions, strict: true, allowPositionals: true });
  if (positionals.length) throw new UsageError(`余分な引数があります: ${shown(positionals.join(' '))}`, 'todoke outbox takes no argument');
  return withFiling(io, values, async (ctx) => {
    const { outbox } = ctx;
    // asked only when there is something to reconcile: listing needs neither the network nor a login
    const needsRecovery = outbox.list(['sending', 'unknown']).length > 0;
    const recovery = needsRecovery ? await recoverOutbox({ outbox, session: ctx.session, gateway: ctx.gateway }) : { interrupted: [], outcomes: [] };
    const entries = outbox.list().reverse();
    if (values.json) {
      printJson(io, {
        profile: ctx.profileName,
        reconciled: recovery.outcomes.map(outcomeJson),
        entries: entries.map((e) => entryJson(e, outbox.applications(e.id))),
      });
      return EXIT_OK;
    }
    const p = profileFlag(ctx);
    const lines: string[] = [];
    for (const o of recovery.outcomes) lines.push(outcomeText(o));
    if (lines.length) lines.push('');
    if (!entries.length) lines.push(`送信箱は空です（プロファイル「${ctx.profileName}」）。`);
    else {
      lines.push(`送信箱（プロファイル「${ctx.profileName}」、新しい順、${entries.length} 件）`, '');
      for (const e of entries) lines.push(entryText(e, outbox.applications(e.id), p), '');
    }
    io.stdout(`${lines.join('\n').replace(/\n+$/, '')}\n`);
    return EXIT_OK;
  });
}

/**
 * `todoke outbox decide ENTRY_ID --mine 送信番号 | --none`: the person's decision on a batch whose
 * reconciliation found more than one batch that fits (判断待ち). --mine records that 送信番号 as
 * this entry's (it is then followed like any sent batch); --none says none of them is, and the
 * entry may be sent again (by `todoke apply` with the same data).
 * `todoke outbox decide ENTRY_ID --arrived | --not-arrived`: the same for a 取下げ or a 補正 whose 状況照会
 * could not tell whether it reached e-Gov (as the app's case.withdrawalSettle / case.amendmentSettle).
 * Nothing is sent here.
 */
async function decideCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      ...filingOptions,
      mine: { type: 'string' },
      none: { type: 'boolean', default: false },
      arrived: { type: 'boolean', default: false },
      'not-arrived': { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: true,
  });
  const [entryId, ...extra] = positionals;
  if (!entryId || !ENTRY_ID_PATTERN.test(entryId)) {
    throw new UsageError('判断する送信の ID（todoke outbox に表示される括弧内の ID）を指定してください。', 'todoke outbox decide ENTRY_ID --mine 送信番号 | --none | --arrived | --not-arrived');
  }
  if (extra.length) throw new UsageError(`余分な引数があります: ${shown(extra.join(' '))}`, 'todoke outbox decide takes one entry id');
  const batchChoices = Number(values.mine !== undefined) + Number(values.none);
  const withdrawalChoices = Number(values.arrived) + Number(values['not-arrived']);
  if (batchChoices + withdrawalChoices !== 1) {
    throw new UsageError(
      '判断を一つだけ指定してください。一括申請なら --mine 送信番号（その送信番号がこの送信）か --none（どれでもない）、取下げ・補正なら --arrived（届いていた）か --not-arrived（届いていなかった）です。',
      'give exactly one of --mine SEND_NUMBER, --none (a batch) or --arrived, --not-arrived (a 取下げ or 補正)',
    );
  }
  const mine = values.mine === undefined ? null : sendNumberArg(values.mine, '--mine');
  return withFiling(io, values, async (ctx) => {
    const { outbox } = ctx;
    const before = outbox.get(entryId);
    if (!before) throw new UsageError(`送信箱に ID ${entryId} の送信はありません。todoke outbox${profileFlag(ctx)} で ID を確かめてください。`, `no outbox entry ${entryId}`);
    const isWithdrawal = before.kind === 'withdrawal';
    const isAmendment = before.kind === 'amendment';
    if (isWithdrawal || isAmendment ? withdrawalChoices === 0 : withdrawalChoices > 0) {
      throw new UsageError(
        isWithdrawal || isAmendment
          ? `この送信は${isWithdrawal ? '取下げ' : '補正'}です。--arrived（届いていた）か --not-arrived（届いていなかった）で判断してください。`
          : 'この送信は一括申請です。--mine 送信番号 か --none で判断してください。',
        isWithdrawal || isAmendment ? 'a 取下げ or 補正 is decided with --arrived or --not-arrived' : 'a batch is decided with --mine or --none',
      );
    }
    if (before.state !== 'ambiguous') {
      throw new UsageError(`この送信は判断待ちではありません（状態: ${STATE_JA[before.state]}）。判断できるのは、届いたかどうか決められなかった送信だけです。`, `entry ${entryId} is ${before.state}, not ambiguous`);
    }
    if (isAmendment) {
      const decision = values.arrived ? 'arrived' : 'not-arrived';
      const entry = settleAmendment(outbox, entryId, decision);
      if (values.json) printJson(io, entryJson(entry, []));
      else if (decision === 'arrived') io.stdout(`補正 (${entryId}) は e-Gov に届いていたと記録しました。案件の状況は todoke sync${profileFlag(ctx)} で確かめられます。\n`);
      else io.stdout(`補正 (${entryId}) は届いていなかったと記録しました。todoke amend${profileFlag(ctx)} ${before.targetArriveId ?? ''} DIR で、あらためて補正を送信できます。\n`);
      return EXIT_OK;
    }
    if (isWithdrawal) {
      const decision = values.arrived ? 'arrived' : 'not-arrived';
      const entry = await withCases(ctx, (cases) => Promise.resolve(new WithdrawalSender({ outbox, cases, session: ctx.session, gateway: ctx.gateway }).settle(entryId, decision)));
      if (values.json) printJson(io, entryJson(entry, []));
      else if (decision === 'arrived') io.stdout(`取下げ (${entryId}) は e-Gov に届いていたと記録しました。案件の状況は todoke sync${profileFlag(ctx)} で確かめられます。\n`);
      else io.stdout(`取下げ (${entryId}) は届いていなかったと記録しました。todoke withdraw${profileFlag(ctx)} ${before.targetArriveId ?? ''} で、あらためて取り下げられます。\n`);
      return EXIT_OK;
    }
    if (mine !== null && !before.candidates.includes(mine)) {
      throw new UsageError(`送信番号 ${mine} はこの送信の候補ではありません（候補: ${before.candidates.join('、')}）。`, `${mine} is not a candidate`);
    }
    const entry = mine !== null ? outbox.chooseCandidate(entryId, mine) : outbox.confirmResend(entryId);
    if (values.json) printJson(io, entryJson(entry, outbox.applications(entry.id)));
    else if (mine !== null) io.stdout(`送信番号 ${mine} をこの送信として記録しました。形式チェックの結果は todoke sends${profileFlag(ctx)} --id ${mine} で確かめられます。\n`);
    else io.stdout(`どの候補でもないと記録しました。同じ申請データで todoke apply${profileFlag(ctx)} を実行すると、記録したデータを送信します。\n`);
    return EXIT_OK;
  });
}

function outcomeJson(o: RecoveryOutcome) {
  if ('decision' in o) return { entryId: o.entryId, decision: o.decision, state: o.entry.state, sendNumber: o.entry.sendNumber };
  const e = o.error;
  return {
    entryId: o.entryId,
    state: o.entry.state,
    error: isTodokeError(e) ? { code: e.code, message: e.message, messageJa: e.messageJa } : { code: 'INTERNAL', message: String(e), messageJa: String(e) },
  };
}

function outcomeText(o: RecoveryOutcome): string {
  const id = `(${o.entryId})`;
  if (!('decision' in o)) {
    const why = isTodokeError(o.error) ? o.error.messageJa : String(o.error);
    return `照合できませんでした ${id}: ${shown(why, 300)} 届いたかどうかは不明のままです。あとでもう一度 todoke outbox を実行してください。`;
  }
  const d = o.decision;
  switch (d.kind) {
    case 'matched':
      return `照合しました ${id}: e-Gov に届いていました。送信番号 ${d.sendNumber} を記録しました。`;
    case 'not-found':
      return `照合しました ${id}: e-Gov に届いていませんでした。同じ apply をもう一度実行すると、記録したデータを送信します。`;
    case 'ambiguous':
      return `照合しました ${id}: 当てはまる送信番号が複数あります（${d.candidates.join('、')}）。判断が必要です。`;
    case 'too-early':
      return `照合はまだ早すぎます ${id}: e-Gov の一覧に載るまで時間がかかることがあります。${jstDisplay(new Date(d.retryAt))}（日本時間）以降にもう一度 todoke outbox を実行してください。`;
  }
}
