// Benchmarks (Node). Rendering the recorded notices (公文書 0000-API-001, 補正通知, コメント) with their
// own stylesheets through renderNotice — the warm XSLT worker, the sanitiser, the page — against
// xsltproc on the same files in the same run. xsltproc is timed the way a viewer would use it, one
// process per document (its per-document rate, process start included), and also with all the
// documents in one process (xsltproc takes many XML files after the stylesheet), which is libxslt's
// own speed. Target: our per-document rate ≥ 1/3 of xsltproc's one-process-per-document rate, over
// the three documents together.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { renderNotice, stopRenderWorkers } from '../src/main/documents/render/render-notice.js';
import { noticeFiles, recordedNotices } from '../test/support/notice-files.js';
import { figure, rate, target } from './report.js';

const XSLTPROC = '/usr/bin/xsltproc';
const TARGET_RATIO = 1 / 3;

const slug: Record<string, string> = { '公文書 0000-API-001': 'official-document', 補正通知: 'amend-notice', コメント: 'comment' };

/** Documents per second of `count` runs of `op`. */
function timed(count: number, op: () => void): number {
  const start = performance.now();
  for (let i = 0; i < count; i++) op();
  return count / ((performance.now() - start) / 1000);
}

export async function renderBench(seconds: number): Promise<boolean> {
  let oursSeconds = 0;
  let theirsSeconds = 0;
  let documents = 0;
  try {
    for (const notice of recordedNotices.filter((n) => n.xslName !== null)) {
      const name = slug[notice.label]!;
      const files = noticeFiles(notice);
      const xsl = join(notice.dir, notice.xslName!);
      const xml = join(notice.dir, notice.xmlName);
      await renderNotice(files); // the worker starts here, not in the timed rounds
      const ours = await rate(() => renderNotice(files), seconds);
      // xsltproc runs as many documents as we rendered in the timed rounds
      const runs = Math.max(1, Math.round(ours * seconds));
      const perProcess = timed(runs, () => execFileSync(XSLTPROC, ['--nonet', '--nowrite', xsl, xml], { stdio: ['ignore', 'pipe', 'ignore'] }));
      const batch = Math.max(runs, 100);
      const oneProcess = timed(1, () => execFileSync(XSLTPROC, ['--nonet', '--nowrite', xsl, ...Array<string>(batch).fill(xml)], { stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 30 })) * batch;
      figure(`render-${name}`, ours, 'docs/s');
      figure(`render-xsltproc-${name}`, perProcess, 'docs/s');
      figure(`render-xsltproc-one-process-${name}`, oneProcess, 'docs/s');
      figure(`render-vs-xsltproc-${name}`, ours / perProcess, 'x');
      oursSeconds += runs / ours;
      theirsSeconds += runs / perProcess;
      documents += runs;
    }
  } finally {
    await stopRenderWorkers();
  }
  const ratio = documents / oursSeconds / (documents / theirsSeconds);
  figure('render-all', documents / oursSeconds, 'docs/s');
  figure('render-xsltproc-all', documents / theirsSeconds, 'docs/s');
  return target('render-vs-xsltproc', ratio >= TARGET_RATIO, `${ratio.toFixed(3)}`, '≥ 0.333');
}

// run alone: node --import tsx bench/render.ts --alone
if (process.argv.includes('--alone')) process.exitCode = (await renderBench(Number(process.env.BENCH_SECONDS ?? 3))) ? 0 : 1;
