// Integration: a core host killed while a batch is being sent. A child process (this same file,
// run with OUTBOX_CRASH_CHILD set) opens the store, records two entries (one inline, one with its
// bytes in a file), moves both to `sending`, says so, and is SIGKILLed with nothing closed. On
// re-open the entries are found in `sending` with their bytes and hashes intact, and the recovery
// turns them into `unknown`, never `ready`.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { openStore } from '../../src/main/store/db.js';
import { Outbox, sha256Hex } from '../../src/main/store/outbox.js';
import { scratchHome } from '../support/home.js';

const SMALL = Buffer.from('<DataRoot><ApplData Id="ApplData"><Upload><FileName>apply.zip</FileName><FileData>UEsDBA==</FileData></Upload></ApplData></DataRoot>');
const LARGE = Buffer.alloc(256 * 1024, 'Q');
const INLINE_LIMIT = 64 * 1024;

const childHome = process.env.OUTBOX_CRASH_CHILD;

async function child(home: string): Promise<void> {
  const store = openStore(home, 'default');
  const box = new Outbox(store, { inlineLimit: INLINE_LIMIT });
  const common = { userId: 'user0001', kind: 'batch' as const, sourcePaths: ['/data/a'], applicationCount: 1, folderNames: ['900A010200001000'], applicantNames: ['窓口　一郎'] };
  const a = await box.record({ ...common, request: SMALL, contentSha256: sha256Hex(Buffer.from('a')) });
  const b = await box.record({ ...common, request: LARGE, contentSha256: sha256Hex(Buffer.from('b')) });
  await box.beginAttempt(a.id);
  await box.beginAttempt(b.id);
  // the request would leave now; the parent kills us here
  process.stdout.write(`sending ${a.id} ${b.id}\n`);
  setInterval(() => {}, 1000);
}

if (childHome) {
  await child(childHome);
} else {
  void describe('outbox after a crash while sending', () => {
    void it('finds the entries in `sending`, bytes and hashes intact, and recovers them to `unknown`', async () => {
      const home = scratchHome();
      const proc = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
        env: { ...process.env, OUTBOX_CRASH_CHILD: home, NODE_TEST_CONTEXT: undefined },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = once(proc, 'exit');
      const lines = createInterface({ input: proc.stdout });
      const timer = setTimeout(() => proc.kill('SIGKILL'), 30_000);
      let ids: string[] = [];
      for await (const line of lines) {
        if (line.startsWith('sending ')) {
          ids = line.split(' ').slice(1);
          proc.kill('SIGKILL');
          break;
        }
      }
      const [code, signal] = (await exited) as [number | null, NodeJS.Signals | null];
      clearTimeout(timer);
      assert.equal(ids.length, 2, `the child never reached sending: ${stderr}`);
      assert.equal(signal, 'SIGKILL', `exit ${String(code)} ${stderr}`);

      const store = openStore(home, 'default');
      try {
        const box = new Outbox(store);
        const [a, b] = ids as [string, string];
        assert.equal(box.get(a)?.state, 'sending');
        assert.equal(box.get(b)?.state, 'sending');
        assert.equal(box.get(b)?.requestInFile, true);
        assert.ok(box.get(a)?.attemptStartedAt);

        const recovered = box.recoverInterrupted();
        assert.deepEqual(recovered.map((e) => e.state), ['unknown', 'unknown']);
        for (const [id, bytes] of [[a, SMALL], [b, LARGE]] as const) {
          const e = box.get(id)!;
          assert.equal(e.state, 'unknown');
          assert.equal(e.requestSha256, sha256Hex(bytes));
          assert.deepEqual(await box.requestBytes(id), bytes);
          assert.deepEqual(box.history(id).map((t) => t.to), ['ready', 'sending', 'unknown']);
        }
        assert.deepEqual(box.list(['ready', 'ready-for-resend']), []);
        // a second recovery finds nothing left to do
        assert.deepEqual(box.recoverInterrupted(), []);
      } finally {
        store.close();
      }
    });
  });
}
