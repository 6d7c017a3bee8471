// Main process (CLI host). `todoke notices 到達番号`: asks e-Gov what it sent about a case
// (公文書・コメント一覧 and 補正通知一覧), records what was listed and keeps the 補正通知 ZIPs, which come
// inside the list; then prints every notice of the case with its e-Gov state, where it stands in
// Todoke and, for a 公文書, both verdicts. Downloads no 公文書 / コメント and sends no 取得完了 (that is
// `todoke doc|comment get` and `done`): listing changes nothing at e-Gov.
import { parseArgs } from 'node:util';
import { filingOptions } from '../filing-context.js';
import { printJson } from '../identity-output.js';
import { profileFlag } from '../identity-context.js';
import type { CliIo } from '../io.js';
import { EXIT_OK } from '../io.js';
import { withNotices } from '../notice-context.js';
import { noticeJson, noticeLines } from '../notice-output.js';
import { shown } from '../shown.js';
import { UsageError } from '../usage-error.js';
import { arriveIdArg } from './status.js';

export async function noticesCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: filingOptions, strict: true, allowPositionals: true });
  if (positionals.length !== 1) throw new UsageError('到達番号を 1 つ指定してください（todoke notices 到達番号）。', 'todoke notices takes one 到達番号');
  const arriveId = arriveIdArg(positionals[0]!);
  return withNotices(io, values, async (nc) => {
    const report = await nc.fetcher.listCase(arriveId, { amend: true });
    const listed = nc.notices.forCase(arriveId).map((n) => nc.notices.get(n.id)!);
    if (values.json) {
      printJson(io, { arriveId, newlyListed: report.listed, keptNow: report.kept, failed: report.failed, notices: listed.map(noticeJson) });
      return EXIT_OK;
    }
    const c = nc.cases.get(arriveId);
    const p = profileFlag(nc.ctx);
    const lines = [`通知: 到達番号 ${arriveId}${c ? `（${shown(c.procedureName, 60)}）` : ''}  全 ${listed.length} 件${report.listed ? `（新しく ${report.listed} 件）` : ''}`];
    if (!listed.length) lines.push('  （補正通知・公文書・コメントはありません）');
    for (const n of listed) lines.push(...noticeLines(n));
    for (const f of report.failed) lines.push(`  保管できなかった通知があります: ${shown(f.message, 300)}`);
    if (listed.some((n) => n.kind !== 'amend' && n.keptAt === null)) {
      lines.push('', `公文書は todoke doc get${p} ${arriveId} 番号、コメントは todoke comment get${p} ${arriveId} 番号 で取得します（取得完了は done で別に送ります）。`);
    }
    io.stdout(`${lines.join('\n')}\n`);
    return EXIT_OK;
  });
}
