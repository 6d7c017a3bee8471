// Integration (issue #10, faults): the core host killed between the vault write and 取得完了. A child
// process (this same file, run with NOTICE_CRASH_CHILD set) lists 公文書, keeps each ZIP in the vault,
// records it, and marks every other one done as if 取得完了 had answered, printing each step; the
// parent SIGKILLs it with nothing closed. On re-open nothing is lost: every notice the child reported
// kept is kept, with its ZIP and files readable and whole in the vault, and each one not yet done is
// in toComplete() — the list the next cycle sends 取得完了 for. A notice killed between the vault
// write and its record is in toFetch(), and keeping its ZIP again costs nothing and completes it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { readNoticeZip } from '../../src/main/documents/notice-zip.js';
import { Vault } from '../../src/main/documents/vault.js';
import { openStore } from '../../src/main/store/db.js';
import { listedEntry, NoticeStore } from '../../src/main/store/notices.js';
import { scratchHome } from '../support/home.js';
import { recordedNoticeZip } from '../support/notice-zips.js';
import { craftZip } from '../support/zip-craft.js';

const ARRIVE_ID = '9002026000000001';
const childEnv = process.env.NOTICE_CRASH_CHILD;

/** 公文書 n: the recorded document's files, in a ZIP of its own (the comment makes its bytes unique). */
async function documentZip(n: number): Promise<Buffer> {
  const files = await readNoticeZip(recordedNoticeZip('officialdocument'));
  return craftZip(
    files.map((f) => ({ name: f.name, data: f.bytes })),
    { comment: `document ${n}` },
  );
}

const vaultOf = (home: string) => new Vault(join(home, 'profiles', 'default', 'vault'));

function entry(n: number) {
  return listedEntry({ kind: 'document', noticeSubId: n, issueDate: '20261130100000', title: `公文書${n}`, fileNames: ['0000-API-001.xml', 'スタイルシート1.xsl'], state: '' });
}

async function child(home: string, mode: string): Promise<void> {
  const store = openStore(home, 'default');
  const notices = new NoticeStore(store);
  const vault = vaultOf(home);
  for (let n = 1; ; n++) {
    const [id] = notices.recordListed(ARRIVE_ID, [entry(n)]);
    const kept = await vault.keep(await documentZip(n));
    notices.recordKept(id!, kept);
    process.stdout.write(`kept ${n} ${id}\n`);
    if (mode === 'one') {
      // 取得完了 is never reached: the parent kills the process here
      setInterval(() => undefined, 1000);
      return;
    }
    if (n % 2 === 0) {
      notices.markDone(id!, { arriveId: ARRIVE_ID, noticeSubId: n, procedureName: '手続', title: `公文書${n}`, downloadDate: '20261130100500', fileNames: [] });
      process.stdout.write(`done ${n} ${id}\n`);
    }
  }
}

/** Starts the child, reads its lines until `enough` says so, kills it (after `delayMs`), returns the lines. */
async function runAndKill(home: string, mode: string, enough: (line: string) => boolean, delayMs: number): Promise<string[]> {
  const proc = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
    env: { ...process.env, NOTICE_CRASH_CHILD: JSON.stringify({ home, mode }), NODE_TEST_CONTEXT: undefined },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = once(proc, 'exit');
  const timer = setTimeout(() => proc.kill('SIGKILL'), 120_000);
  const lines: string[] = [];
  for await (const line of createInterface({ input: proc.stdout })) {
    lines.push(line);
    if (enough(line)) {
      setTimeout(() => proc.kill('SIGKILL'), delayMs);
      break;
    }
  }
  const [, signal] = (await exited) as [number | null, NodeJS.Signals | null];
  clearTimeout(timer);
  assert.equal(signal, 'SIGKILL', `the child ended by itself: ${stderr}`);
  return lines;
}

if (childEnv) {
  const { home, mode } = JSON.parse(childEnv) as { home: string; mode: string };
  await child(home, mode);
} else {
  void describe('the vault and the notice records after a crash', () => {
    void it('killed after keeping, before 取得完了: the notice is in toComplete and its ZIP is whole', async () => {
      const home = scratchHome('todoke-notice-crash-');
      const lines = await runAndKill(home, 'one', (l) => l.startsWith('kept '), 0);
      const id = Number(lines[0]!.split(' ')[2]);
      const store = openStore(home, 'default');
      try {
        assert.equal(store.db.pragma('integrity_check', { simple: true }), 'ok');
        const notices = new NoticeStore(store);
        assert.deepEqual(notices.toComplete().map((n) => n.id), [id]);
        const record = notices.get(id)!;
        const vault = vaultOf(home);
        assert.deepEqual(await vault.readZip(record.zip!.sha256), await documentZip(1));
        assert.deepEqual(
          record.files.map((f) => f.name),
          ['0000-API-001.xml', 'スタイルシート1.xsl'],
        );
        for (const f of record.files) assert.equal((await vault.readFile(f.sha256)).length, f.size);
      } finally {
        store.close();
      }
    });

    for (const killAfter of [3, 8]) {
      void it(`killed mid-loop after ${killAfter} kept: nothing reported kept is lost, what is owed is listed`, async () => {
        const home = scratchHome('todoke-notice-crash-');
        const lines = await runAndKill(home, 'loop', (l) => l.startsWith(`kept ${killAfter} `), killAfter);
        const reportedKept = lines.filter((l) => l.startsWith('kept ')).map((l) => Number(l.split(' ')[2]));
        const reportedDone = new Set(lines.filter((l) => l.startsWith('done ')).map((l) => Number(l.split(' ')[2])));
        const store = openStore(home, 'default');
        try {
          assert.equal(store.db.pragma('integrity_check', { simple: true }), 'ok');
          const notices = new NoticeStore(store);
          const vault = vaultOf(home);
          const owed = new Set(notices.toComplete().map((n) => n.id));
          for (const id of reportedKept) {
            const r = notices.get(id)!;
            assert.notEqual(r.keptAt, null, `notice ${id} reported kept`);
            if (reportedDone.has(id)) assert.notEqual(r.doneAt, null);
            else assert.ok(r.doneAt !== null || owed.has(id), `notice ${id}: neither done nor owed 取得完了`);
            await vault.readZip(r.zip!.sha256);
            for (const f of r.files) await vault.readFile(f.sha256);
          }
          // every kept notice, reported or not, is whole in the vault; every owed one is kept
          for (const n of notices.forCase(ARRIVE_ID)) {
            if (n.keptAt === null) continue;
            await vault.readZip(notices.get(n.id)!.zip!.sha256);
          }
          for (const id of owed) assert.notEqual(notices.get(id)!.keptAt, null);
          // the next cycle: a notice listed but not recorded as kept is fetched again, for nothing
          for (const n of notices.toFetch(ARRIVE_ID)) {
            assert.equal(notices.recordKept(n.id, await vault.keep(await documentZip(n.noticeSubId))), true);
          }
          assert.equal(notices.toFetch().length, 0);
          const afterCycle = notices.toComplete().map((n) => n.id);
          for (const n of notices.forCase(ARRIVE_ID)) assert.ok(n.doneAt !== null || afterCycle.includes(n.id), `notice ${n.id} lost`);
        } finally {
          store.close();
        }
      });
    }
  });
}
