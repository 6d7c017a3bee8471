// `npm run bench`: every benchmark, in turn. Each prints `bench <name>: <value> <unit>` per figure
// and `target <name>: PASS|FAIL (<measured> vs <target>)` per target; the exit code is 1 when any
// target fails. Speed targets compare against a reference measured in the same run (a ratio), except
// where the issue sets an absolute time (the UI round trip, bench/round-trip.ts). Timed rounds last
// BENCH_SECONDS (default 3).
//   bench/signing.ts      kousei and request signing vs raw RSA-2048 (file key, SoftHSM token)
//   bench/filing.ts       read + check + sign + pack of 1,000 applications; peak memory 100 vs 1,000
//   bench/round-trip.ts   app.info every 10 ms through the harness while that batch runs
//   bench/sends-parse.ts  decoding 送信案件一覧 with 10,000 Apply entries (and 100): the general path and the one-pass reader
//   bench/sync.ts         one case sync cycle at 10,000 tracked cases vs 100; requests per cycle
//   bench/case-list.ts    the GUI's case list in Chromium: first render and full scroll, 10,000 cases vs 100
//                         (builds the renderer first)
//   bench/render.ts       the recorded 公文書 / 補正通知 / コメント rendered with their XSL (warm worker, sanitised)
//                         vs xsltproc on the same files, one process per document (and all in one process)
//   bench/notices.ts      1,000 公文書 through download → vault → 取得完了 (and both verifications) against the
//                         sandbox: documents per second, peak memory at 100 and 1,000
import { caseListBench } from './case-list.js';
import { filingBench } from './filing.js';
import { noticesBench } from './notices.js';
import { renderBench } from './render.js';
import { roundTripBench } from './round-trip.js';
import { sendsParseBench } from './sends-parse.js';
import { signingBench } from './signing.js';
import { syncBench } from './sync.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);

async function main(): Promise<void> {
  const passes = [await signingBench(SECONDS), await filingBench(SECONDS), await roundTripBench(), await syncBench(), await caseListBench(), await renderBench(SECONDS), await noticesBench()];
  sendsParseBench(SECONDS);
  process.exitCode = passes.every(Boolean) ? 0 : 1;
}

await main();
