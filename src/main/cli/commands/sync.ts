// Main process (CLI host). `todoke sync [--watch] [--interval 秒]`: brings the profile's cases up to
// date (src/main/sync/sync-cycle.ts: one 送信案件一覧 call per range of send days, 状況照会 only for
// the cases that changed) and prints what changed. With --watch it goes on, a cycle every interval
// (the poller: backoff after failures, never a login of its own after the first cycle), until
// Ctrl+C or SIGTERM. --json prints one JSON object per cycle (one line each with --watch).
import { parseArgs } from 'node:util';
import { CasePoller } from '../../sync/poller.js';
import { CaseSync, type CycleReport } from '../../sync/sync-cycle.js';
import { filingOptions, withFiling } from '../filing-context.js';
import { printJson } from '../identity-output.js';
import type { CliIo } from '../io.js';
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE } from '../io.js';
import { shown } from '../shown.js';
import { UsageError } from '../usage-error.js';
import { eventText, timeText, withCases } from './cases.js';

const DEFAULT_WATCH_INTERVAL_S = 300;
const MIN_WATCH_INTERVAL_S = 10;

export async function syncCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { ...filingOptions, watch: { type: 'boolean', default: false }, interval: { type: 'string' } },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length) throw new UsageError(`余分な引数があります: ${shown(positionals.join(' '))}`, 'todoke sync takes no positional argument');
  if (values.interval !== undefined && !values.watch) throw new UsageError('--interval は --watch と一緒に指定してください。', '--interval goes with --watch');
  let intervalS = DEFAULT_WATCH_INTERVAL_S;
  if (values.interval !== undefined) {
    if (!/^\d{1,6}$/.test(values.interval) || Number(values.interval) < MIN_WATCH_INTERVAL_S) {
      throw new UsageError(`--interval には ${MIN_WATCH_INTERVAL_S} 以上の秒数を指定してください（「${shown(values.interval, 20)}」）。`, `--interval takes seconds >= ${MIN_WATCH_INTERVAL_S}`);
    }
    intervalS = Number(values.interval);
  }
  const json = values.json === true;
  return withFiling(io, values, (ctx) =>
    withCases(ctx, async (cases) => {
      const sync = new CaseSync({ cases, session: ctx.session, gateway: ctx.gateway });
      if (!values.watch) {
        const report = await sync.run();
        printReport(io, report, json, false);
        return exitOf(report);
      }
      const poller = new CasePoller({
        sync,
        session: ctx.session,
        intervalMs: intervalS * 1000,
        onReport: (r) => printReport(io, r, json, true),
        onError: (e) => io.stderr(`同期に失敗しました: ${shown(e instanceof Error ? e.message : String(e), 300)}\n`),
        onSkip: () => io.stderr('ログインしていないため、今回の確認は行いませんでした。\n'),
      });
      const stopped = waitForStop();
      if (!json) io.stdout(`案件を ${intervalS} 秒ごとに確認します。終了するには Ctrl+C を押してください。\n`);
      // the first cycle may log in (the person started it); later ones never do
      await poller.syncNow().catch((e: unknown) => io.stderr(`同期に失敗しました: ${shown(e instanceof Error ? e.message : String(e), 300)}\n`));
      poller.start(intervalS * 1000);
      await stopped.promise;
      poller.stop();
      // a cycle under way ends before the store closes
      while (poller.state.busy) await new Promise((r) => setTimeout(r, 50));
      if (!json) io.stdout('終了しました。\n');
      return EXIT_OK;
    }),
  );
}

/** Resolves at SIGINT or SIGTERM (the listeners are removed then). */
function waitForStop(): { promise: Promise<void> } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  const stop = () => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    resolve();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return { promise };
}

function exitOf(report: CycleReport): number {
  if (report.failed) return EXIT_USAGE;
  return report.failures.length ? EXIT_INVALID : EXIT_OK;
}

function printReport(io: CliIo, r: CycleReport, json: boolean, watch: boolean): void {
  if (json) {
    const value = {
      startedAt: new Date(r.startedAt).toISOString(),
      finishedAt: new Date(r.finishedAt).toISOString(),
      trackedCases: r.trackedCases,
      ranges: r.ranges,
      requests: r.requests,
      listed: r.listed,
      changed: r.changed,
      referenced: r.referenced,
      events: r.events,
      failures: r.failures,
      capped: r.capped,
      needsLogin: r.needsLogin,
      failed: r.failed,
    };
    if (watch) io.stdout(`${JSON.stringify(value)}\n`);
    else printJson(io, value);
    return;
  }
  const lines: string[] = [];
  const requests = r.requests.list + r.requests.reference;
  lines.push(
    `${watch ? `[${timeText(r.finishedAt)}] ` : ''}案件 ${r.trackedCases} 件を確認しました（送信案件一覧 ${r.requests.list} 回、状況照会 ${r.requests.reference} 回、計 ${requests} 回の問い合わせ）。` +
      (r.changed.length || r.events.length ? '' : '変化はありません。'),
  );
  for (const e of r.events) lines.push(eventText(e));
  for (const f of r.failures) {
    const what = f.kind === 'list' ? `送信日 ${f.range.from}〜${f.range.to} の送信案件一覧` : `到達番号 ${f.arriveId}${f.kind === 'reference' ? ' の状況照会' : ''}`;
    lines.push(`失敗: ${what}: ${shown(f.error.messageJa, 300)}（次回の同期でもう一度確かめます）`);
  }
  for (const c of r.capped) {
    lines.push(`注意: 送信日 ${c.range.from} の送信案件一覧が件数の上限で打ち切られたようです。送信番号 ${c.missingSendNumbers.join('、')} の案件は確認できませんでした。`);
  }
  if (r.needsLogin) lines.push('ログインしていないため、確認を途中で止めました。todoke login でログインしてから、もう一度実行してください。');
  const text = `${lines.join('\n')}\n`;
  if (r.failures.length && !watch) io.stderr(lines.filter((l) => l.startsWith('失敗') || l.startsWith('注意')).join('\n') + '\n');
  io.stdout(text);
}
