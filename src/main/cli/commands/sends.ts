// Main process (CLI host). e-Gov's lists, as they are now (the outbox is not changed):
//   todoke sends --id 送信番号 | --from YYYYMMDD --to YYYYMMDD    送信案件一覧 (batches, counts, WorkStatus, applications)
//   todoke arrived 送信番号                                       申請案件一覧 (the arrived applications of one batch)
import { parseArgs } from 'node:util';
import type { SendQuery } from '../../../shared/filing.js';
import { printJson } from '../identity-output.js';
import type { CliIo } from '../io.js';
import { EXIT_OK } from '../io.js';
import { dayArg, filingOptions, sendNumberArg, withFiling } from '../filing-context.js';
import { applicationJson, applicationLines, sendSummaryJson, sendSummaryText } from '../filing-output.js';
import { shown } from '../shown.js';
import { UsageError } from '../usage-error.js';

export async function sendsCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { ...filingOptions, id: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length) throw new UsageError(`余分な引数があります: ${shown(positionals.join(' '))}`, 'todoke sends takes no positional argument');
  const range = values.from !== undefined || values.to !== undefined;
  if (values.id !== undefined && range) {
    throw new UsageError('--id と --from/--to は一緒に指定できません。送信番号か送信日のどちらかで探してください。', '--id and --from/--to are exclusive');
  }
  let query: SendQuery;
  if (values.id !== undefined) query = { sendNumber: sendNumberArg(values.id, '--id') };
  else if (range) {
    const from = dayArg(values.from, '--from');
    const to = dayArg(values.to, '--to');
    if (from > to) throw new UsageError(`--from（${from}）が --to（${to}）より後の日付です。`, '--from is after --to');
    query = { from, to };
  } else {
    throw new UsageError('--id 送信番号、または --from YYYYMMDD --to YYYYMMDD（送信日、日本時間）を指定してください。', 'give --id or --from and --to');
  }
  return withFiling(io, values, async (ctx) => {
    const sends = await ctx.session.withAccessKey((key) => ctx.gateway.listSends(key, query));
    if (values.json) {
      printJson(io, { query, sends: sends.map(sendSummaryJson) });
      return EXIT_OK;
    }
    const what = 'sendNumber' in query ? `送信番号 ${query.sendNumber}` : `送信日 ${query.from}〜${query.to}`;
    if (!sends.length) io.stdout(`送信案件一覧: ${what} の送信はありません。\n`);
    else io.stdout(`送信案件一覧: ${what}（${sends.length} 件）\n\n${sends.map(sendSummaryText).join('\n\n')}\n`);
    return EXIT_OK;
  });
}

export async function arrivedCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: filingOptions, strict: true, allowPositionals: true });
  if (positionals.length !== 1) {
    throw new UsageError('送信番号を 1 つ指定してください（todoke arrived 送信番号）。', 'todoke arrived takes one 送信番号');
  }
  const sendNumber = sendNumberArg(positionals[0] as string, '送信番号');
  return withFiling(io, values, async (ctx) => {
    const arrived = await ctx.session.withAccessKey((key) => ctx.gateway.listArrived(key, sendNumber));
    if (values.json) {
      printJson(io, {
        sendNumber: arrived.sendNumber,
        errorCount: arrived.errorCount,
        hasErrorFile: arrived.errorFileBase64 !== null,
        applications: arrived.applications.map(applicationJson),
      });
      return EXIT_OK;
    }
    io.stdout(
      `申請案件一覧: 送信番号 ${arrived.sendNumber}（到達 ${arrived.applications.length} 件、エラー ${arrived.errorCount} 件）\n` +
        `${applicationLines(arrived.applications, '  ').join('\n')}\n`,
    );
    return EXIT_OK;
  });
}
