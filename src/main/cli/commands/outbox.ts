// Main process (CLI host). `todoke outbox`: the profile's outbox, newest first. First every entry
// whose delivery is not known (a failure while sending, or a run stopped mid-send) is reconciled
// against 送信案件一覧 (src/main/filing/recover.ts: it only asks, it never sends); then every entry
// is listed with its state, 送信番号, folders, the reason of a failure, the candidates of one
// waiting for a decision, and the arrived applications of a finished one.
import { parseArgs } from 'node:util';
import { isTodokeError } from '../../../shared/errors.js';
import { recoverOutbox, type RecoveryOutcome } from '../../filing/recover.js';
import { profileFlag } from '../identity-context.js';
import { jstDisplay, printJson } from '../identity-output.js';
import type { CliIo } from '../io.js';
import { EXIT_OK } from '../io.js';
import { filingOptions, withFiling } from '../filing-context.js';
import { entryJson, entryText } from '../filing-output.js';
import { shown } from '../shown.js';
import { UsageError } from '../usage-error.js';

export async function outboxCommand(args: string[], io: CliIo): Promise<number> {
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
