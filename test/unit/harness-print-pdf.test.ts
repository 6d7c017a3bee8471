import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { harnessPrinter } from '../harness/print-pdf.js';

void describe('the harness print.pdf service (Chromium prints a rendered notice)', () => {
  const printer = harnessPrinter();
  after(() => printer.close());

  void it('prints Japanese text to a PDF', async () => {
    const pdf = Buffer.from(await printer.printPdf('<!doctype html><meta charset="utf-8"><h1>公文書</h1><p>テスト用の公文書です。</p>'), 'base64');
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.ok(pdf.length > 1000);
  });

  void it('loads nothing and runs nothing while printing', async () => {
    let requests = 0;
    const server = createServer((_req, res) => {
      requests += 1;
      res.end('x');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const html =
        `<!doctype html><meta charset="utf-8"><link rel="stylesheet" href="${url}/a.css"><img src="${url}/b.png">` +
        `<iframe src="${url}/c"></iframe><script>fetch("${url}/d")</script><p style="background:url(${url}/e)">x</p>`;
      const pdf = Buffer.from(await printer.printPdf(html), 'base64');
      assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
      assert.equal(requests, 0);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
