// Integration (issue #9, faults): a core host killed while the case sync writes. A child process
// (this same file, run with CASE_CRASH_CHILD set) holds 1,000 cases and stores list answers in a
// loop — every case's status and counters moved at once, all of them owing a 状況照会 — and 状況照会
// answers one case at a time, printing each round; the parent SIGKILLs it mid-loop with nothing
// closed. On re-open the database is intact and every list answer is all there or not at all: all
// cases show the same round, each with one observation per round, none half-written.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import type { ArrivedApplication } from '../../src/shared/filing.js';
import { openStore } from '../../src/main/store/db.js';
import { CaseStore } from '../../src/main/store/cases.js';
import { arrivedApplication } from '../support/arrived.js';
import { scratchHome } from '../support/home.js';

const CASES = 1000;
const SEND_NUMBER = '202611301000000001';
const childHome = process.env.CASE_CRASH_CHILD;

/** case i as listed in round `round`: its status, StatusDate and comment counters all of that round */
function application(i: number, round: number): ArrivedApplication {
  return arrivedApplication(`9002026${String(i).padStart(11, '0')}`, {
    status: `審査中（第${round}回）`,
    statusDate: `20261130${String(100000 + round).slice(-6)}`,
    commentCountNotRead: round,
    commentCount: round,
  });
}

async function child(home: string): Promise<void> {
  const store = openStore(home, 'default');
  const cases = new CaseStore(store);
  const all = Array.from({ length: CASES }, (_, i) => i);
  cases.storeListed(all.map((i) => ({ sendNumber: SEND_NUMBER, application: application(i, 0) })), new Set());
  for (let round = 1; ; round++) {
    cases.storeListed(
      all.map((i) => ({ sendNumber: SEND_NUMBER, application: application(i, round) })),
      new Set(all.map((i) => application(i, round).arriveId)),
    );
    // one 状況照会 answer per round, as the sync stores them (its own transaction)
    const arriveId = application(round % CASES, round).arriveId;
    cases.storeReference({
      arriveId,
      procedureName: '健康保険・厚生年金保険被保険者資格取得届',
      amendMessage: '',
      commentMessage: '',
      documentMessage: '',
      payMessage: '',
      status: `審査中（第${round}回）`,
      arriveDate: '20261130100000',
      examStartDate: '',
      examEndDate: '',
      procedureEndDate: '',
      withdrawFlag: '0',
      withdrawType: '0',
      reintroductionFlag: '0',
      history: [{ subId: 1, date: '20261130100000', operatorType: '送信', processType: '新規申請', status: '到達', payNumber: '', payStatus: '', totalFee: '', payExpiredDate: '' }],
    });
    process.stdout.write(`round ${round}\n`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

if (childHome) {
  await child(childHome);
} else {
  void describe('the case store after a crash mid-sync', () => {
    for (const killAfterRound of [2, 5]) {
      void it(`killed after round ${killAfterRound}: intact, every list answer all there or not at all`, async () => {
        const home = scratchHome('todoke-case-crash-');
        const proc = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
          env: { ...process.env, CASE_CRASH_CHILD: home, NODE_TEST_CONTEXT: undefined },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stderr = '';
        proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        const exited = once(proc, 'exit');
        const timer = setTimeout(() => proc.kill('SIGKILL'), 60_000);
        let last = 0;
        for await (const line of createInterface({ input: proc.stdout })) {
          last = Number(line.split(' ')[1]);
          if (last >= killAfterRound) {
            // mid-write of the next round: the child goes straight on into its next transaction
            setTimeout(() => proc.kill('SIGKILL'), killAfterRound);
            break;
          }
        }
        const [, signal] = (await exited) as [number | null, NodeJS.Signals | null];
        clearTimeout(timer);
        assert.equal(signal, 'SIGKILL', `the child ended by itself: ${stderr}`);
        assert.ok(last >= killAfterRound, `the child never reached round ${killAfterRound}: ${stderr}`);

        const store = openStore(home, 'default');
        try {
          assert.equal((store.db.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check, 'ok');
          const cases = new CaseStore(store);
          const tracked = cases.tracked();
          assert.equal(tracked.length, CASES, 'no case lost');
          const statuses = new Set(tracked.map((t) => t.counters.status));
          assert.equal(statuses.size, 1, `one list answer half-written: ${[...statuses].join(', ')}`);
          const round = Number(/第(\d+)回/.exec([...statuses][0]!)![1]);
          assert.ok(round >= last, `round ${round} stored, ${last} reported done`);
          assert.ok(tracked.every((t) => t.counters.commentCount === round && t.counters.statusDate.endsWith(String(100000 + round).slice(-6))), 'counters of the same round');
          // each case saw every status once: one observation per round after its first
          const observations = store.db.prepare('SELECT arrive_id, count(*) AS n FROM case_observations GROUP BY arrive_id').all() as { arrive_id: string; n: number }[];
          assert.equal(observations.length, CASES);
          assert.ok(observations.every((o) => o.n === observations[0]!.n), 'the same number of observations for every case');
          // every case still owes its 状況照会 except those answered after their round's list
          assert.ok(tracked.filter((t) => !t.needsReference).length <= 1, 'at most the last answered case is cleared');
        } finally {
          store.close();
        }
      });
    }
  });
}
