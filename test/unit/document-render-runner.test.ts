// The warm XSLT worker's life (src/main/documents/render/xslt-runner.ts): jobs queue behind one
// worker, a worker that cannot start fails the job instead of hanging or restarting for ever, and
// stopping it ends what was running or waiting.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { XsltRunner } from '../../src/main/documents/render/xslt-runner.js';
import { SMALL_DOC, sheet } from '../support/notice-files.js';

const job = (xsl = sheet('<p><xsl:value-of select="/DOC/BODY/TITLE"/></p>')) => ({ xml: SMALL_DOC, xsl, maxOutputChars: 1 << 20 });

void describe('XsltRunner', () => {
  void it('runs queued jobs one after another through one warm worker', async () => {
    const runner = new XsltRunner({ heapMb: 64 });
    try {
      const outcomes = await Promise.all([1, 2, 3, 4].map((n) => runner.run(job(sheet(`<p>${n}</p>`)), 30_000)));
      assert.deepEqual(
        outcomes.map((o) => (o.ok ? o.body : o.kind)),
        ['<p>1</p>', '<p>2</p>', '<p>3</p>', '<p>4</p>'],
      );
      assert.equal(runner.started, 1);
    } finally {
      await runner.close();
    }
  });

  void it('fails a job whose worker cannot start, and the next one too, without hanging', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'todoke-xslt-runner-'));
    const crashing = join(dir, 'crash.mjs');
    writeFileSync(crashing, 'throw new Error("broken at start");\n');
    for (const entry of [pathToFileURL(join(dir, 'missing.mjs')), pathToFileURL(crashing)]) {
      const runner = new XsltRunner({ heapMb: 64, entry });
      try {
        const first = await runner.run(job(), 30_000);
        const second = await runner.run(job(), 30_000);
        assert.deepEqual([first.ok, !first.ok && first.kind], [false, 'crashed']);
        assert.deepEqual([second.ok, !second.ok && second.kind], [false, 'crashed']);
        assert.equal(runner.started, 2, 'one worker per job, no restart loop');
      } finally {
        await runner.close();
      }
    }
  });

  void it('ends the running and the waiting jobs when stopped', async () => {
    const runner = new XsltRunner({ heapMb: 64 });
    const forever = sheet('<xsl:call-template name="r"/>', '<xsl:template name="r"><xsl:call-template name="r"/></xsl:template>');
    assert.ok((await runner.run(job(), 30_000)).ok, 'the worker is up and warm');
    // with a warm worker the first job is handed over at once: it runs, the second waits
    const running = runner.run(job(forever), 600_000);
    const waiting = runner.run(job(), 600_000);
    await runner.close();
    const outcomes = await Promise.all([running, waiting]);
    assert.deepEqual(
      outcomes.map((o) => (o.ok ? 'ok' : o.kind)),
      ['crashed', 'crashed'],
    );
  });
});
