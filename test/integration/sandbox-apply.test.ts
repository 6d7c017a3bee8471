// Integration (Node): the sandbox's 一括申請 family against the recorded e-Gov traffic — 一括申請 (A.7),
// 送信案件一覧 (A.8–A.12), 申請案件一覧 (A.13) — byte for byte where the values are the same; the
// asynchronous 形式チェック (pending, then finished: 到達 or ErrorFile); bad 申請データ.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeApplyListBody, writeSendListBody, type ApplyEntry, type PackageEntry } from '../../src/sandbox/wire/apply-family.js';
import { openEgovSigner } from '../support/egov-signer.js';
import { egovCertsDir, egovDir } from '../support/paths.js';
import { craftZip } from '../support/zip-craft.js';
import { item, PATHS, post, rawRequest, recorded, signedBody, SOFTWARE_ID, startTestSandbox, type RawResponse, type TestSandbox } from './sandbox-support.js';

const egovCertificates = readdirSync(egovCertsDir)
  .filter((f) => f.endsWith('.cer'))
  .map((f) => join(egovCertsDir, f));
const APPLY = '/shinsei/1/access/apply';
const SAMPLE_ZIP = readFileSync(join(egovDir, 'samples', 'bulk_apply_for_api.zip'));

/** The recorded request's envelope (kiji's pretty-print), with base64 wrapped every 60 as Ruby did. */
function applyRequest(zip: Buffer | string, fileName = 'apply.zip'): string {
  const b64 = typeof zip === 'string' ? zip : (zip.toString('base64').match(/.{1,60}/g) ?? []).join('\n') + '\n';
  return `<?xml version="1.0"?>\n<DataRoot>\n  <ApplData Id="ApplData">\n    <Upload>\n      <FileName>${fileName}</FileName>\n      <FileData>${b64}</FileData>\n    </Upload>\n  </ApplData>\n</DataRoot>\n`;
}

/** Replaces the value of every <name>…</name> (all of them, when a body holds one package and one application). */
function withValues(text: string, values: Record<string, string>): string {
  let out = text;
  for (const [name, value] of Object.entries(values)) out = out.replace(new RegExp(`<${name}>[^<]*</${name}>`, 'g'), `<${name}>${value}</${name}>`);
  return out;
}

async function userWithKey(t: TestSandbox, userId: string): Promise<string> {
  const signer = openEgovSigner('e-GovEE01_sha2');
  assert.equal((await post(t, PATHS.register, await signedBody(signer, userId))).status, 201);
  const res = await post(t, PATHS.login, await signedBody(signer, userId));
  assert.equal(res.status, 200, res.text);
  return item(res.text, 'AccessKey')!;
}

function call(t: TestSandbox, key: string, method: string, path: string, body?: string | Buffer): Promise<RawResponse> {
  return rawRequest(t.sandbox.url, path, { method, headers: { 'x-eGovAPI-SoftwareID': SOFTWARE_ID, 'x-eGovAPI-AccessKey': key }, ...(body === undefined ? {} : { body }) });
}

function assertAccessShape(res: RawResponse): void {
  assert.equal(res.headers['content-type'], 'text/xml;charset=UTF-8');
  assert.ok(res.text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\r\n<DataRoot>\r\n'));
  assert.ok(res.text.endsWith('</ApplData>\r\n\r\n</DataRoot>'));
  assert.ok(!/(?<!\r)\n/.test(res.text), 'CRLF only');
}

// ---- the recordings, read back into values ------------------------------------------------------

function applyEntries(text: string): ApplyEntry[] {
  return [...text.matchAll(/<Apply>([\s\S]*?)<\/Apply>/g)].map((m) => {
    const v = (name: string) => item(m[1]!, name)!;
    return {
      arriveId: v('ArriveID'),
      ministryName: v('MinistryName'),
      procName: v('ProcName'),
      procFolderName: v('ProcFolderName'),
      applicantName: v('ApplicantName'),
      corporationName: v('CorporationtName'),
      departmentName: v('DepartmentName'),
      status: v('Status'),
      statusDate: v('StatusDate'),
      payStatus: v('PayStatus'),
      payWaitCount: Number(v('PayWaitCount')),
      correctStatus: v('CorrectStatus'),
      commentCountNotRead: Number(v('CommentCountNotRead')),
      commentCount: Number(v('CommentCount')),
      docCountNotDownload: Number(v('DocCountNotDownload')),
      docCount: Number(v('DocCount')),
    };
  });
}

function packageEntries(text: string): PackageEntry[] {
  return [...text.matchAll(/<PackageApply>([\s\S]*?)<\/PackageApply>/g)].map((m) => {
    const v = (name: string) => item(m[1]!, name)!;
    return {
      sendNumber: v('SendNumber'),
      sendDate: v('SendDate'),
      workStatus: v('WorkStatus'),
      normalCount: Number(v('NormalCount')),
      allCount: Number(v('AllCount')),
      supplementaryMessage: v('SupplementaryMessage'),
      errorCount: Number(v('ErrorCount')),
      errorFile: v('ErrorFile'),
      applies: applyEntries(m[1]!),
    };
  });
}

const recordedBody = (relative: string) => readFileSync(join(egovDir, relative, 'response.xml'));

void describe('一括申請 family writers against every recorded body', () => {
  void it('送信案件一覧 by id (30 applications), by date (6 packages, 186 applications), pending, and the 400: byte for byte', () => {
    for (const rel of ['recorded/sends-by-id', 'recorded/sends-by-date', 'recorded-history/apply-then-sends-by-id-pending/2', 'recorded-history/sends-by-date-no-data-400/2']) {
      const bytes = recordedBody(rel);
      const text = bytes.toString('utf8');
      const packages = packageEntries(text);
      const code = item(text, 'Code') as '0' | '1';
      const ours = writeSendListBody(
        { code, message: item(text, 'Message')! },
        { sendNumber: /<ApplData>\r\n\t<SendNumber>([^<]*)/.exec(text)![1]!, sendDateFrom: item(text, 'SendDateFrom')!, sendDateTo: item(text, 'SendDateTo')!, packages },
      );
      assert.ok(Buffer.from(ours, 'utf8').equals(bytes), rel);
    }
    assert.equal(packageEntries(recordedBody('recorded/sends-by-date').toString('utf8')).flatMap((p) => p.applies).length, 186);
  });

  void it('申請案件一覧 (30 applications): byte for byte', () => {
    const bytes = recordedBody('recorded/arrived-by-send-number');
    const text = bytes.toString('utf8');
    const ours = writeApplyListBody(
      { code: '0', message: '' },
      { sendNumber: item(text, 'SendNumber')!, errorCount: Number(item(text, 'ErrorCount')), errorFile: item(text, 'ErrorFile')!, applies: applyEntries(text) },
    );
    assert.ok(Buffer.from(ours, 'utf8').equals(bytes));
  });
});

void describe('sandbox 一括申請 with the recorded request, then its 形式チェック', () => {
  let t: TestSandbox;
  let key: string;
  before(async () => {
    t = await startTestSandbox({ trust: egovCertificates, bundledTrust: false, formatCheckDelayMs: 600_000, at: '2015-04-28T11:44:50+09:00' });
    key = await userWithKey(t, 'kufutest01');
  });
  after(() => t.close());

  let sendNumber = '';

  void it('accepts the recorded request as sent: 202 and A.7 byte for byte but for the new 送信番号', async () => {
    const rec = recorded('recorded/apply');
    t.setClock('2015-04-28T11:45:00+09:00');
    const res = await call(t, key, 'POST', APPLY, rec.request);
    assert.equal(res.status, 202, res.text);
    sendNumber = item(res.text, 'SendNumber')!;
    assert.match(sendNumber, /^20150428114500\d{4}$/);
    assert.equal(res.text, rec.response.toString('utf8').replace('201504281145005643', sendNumber));
    assert.equal(res.headers['content-length'], '355');
    assert.equal(res.headers.date, 'Tue, 28 Apr 2015 02:45:00 GMT');
  });

  void it('送信案件一覧 while the 形式チェック waits: the recorded pending answer (A.8) with our number and date', async () => {
    const res = await call(t, key, 'GET', `${APPLY};id=${sendNumber}`);
    assert.equal(res.status, 200, res.text);
    const rec = recordedBody('recorded-history/apply-then-sends-by-id-pending/2').toString('utf8');
    assert.equal(res.text, withValues(rec, { SendNumber: sendNumber, SendDate: sendNumber.slice(0, 14) }));
    const list = await call(t, key, 'GET', `${APPLY}/${sendNumber}`);
    assert.equal(list.status, 200);
    assert.equal(item(list.text, 'ApplyCount'), '0');
  });

  void it('after the 形式チェック: WorkStatus empty, the application 到達 with a 到達番号; A.10 / A.13 shapes byte for byte', async () => {
    t.setClock('2015-04-28T11:45:30+09:00');
    assert.equal(await t.sandbox.runFormatChecks(), 1);
    assert.equal(await t.sandbox.runFormatChecks(), 0);
    const res = await call(t, key, 'GET', `${APPLY};id=${sendNumber}`);
    assert.equal(res.status, 200);
    const arriveId = item(res.text, 'ArriveID')!;
    assert.match(arriveId, /^9002015\d{9}$/);
    const values = {
      SendNumber: sendNumber,
      SendDate: sendNumber.slice(0, 14),
      NormalCount: '1',
      AllCount: '1',
      ApplyCount: '1',
      ArriveID: arriveId,
      ProcName: 'ＡＰＩテスト用手続（労働保険関係手続）（通）０００１／ＡＰＩテスト用手続（労働保険関係手続）（通）０００１',
      ProcFolderName: '900A010200001000(1)',
      ApplicantName: 'ほげ　ほげ',
      CorporationtName: '',
      DepartmentName: '',
      Status: '到達',
      StatusDate: '20150428114530',
      CorrectStatus: 'なし',
      CommentCountNotRead: '0',
      CommentCount: '0',
    };
    // the recorded 30-application answer cut to its first application, then our values
    const a10 = recordedBody('recorded/sends-by-id').toString('utf8');
    const firstApply = a10.slice(0, a10.indexOf('\t\t</Apply>\r\n\t\r\n') + '\t\t</Apply>\r\n\t\r\n'.length);
    assert.equal(res.text, withValues(firstApply + a10.slice(a10.lastIndexOf('\t</PackageApply>')), values));

    const list = await call(t, key, 'GET', `${APPLY}/${sendNumber}`);
    assert.equal(list.status, 200);
    const a13 = recordedBody('recorded/arrived-by-send-number').toString('utf8');
    const firstA13 = a13.slice(0, a13.indexOf('\t</Apply>\r\n\r\n') + '\t</Apply>\r\n\r\n'.length);
    assert.equal(list.text, withValues(firstA13 + a13.slice(a13.lastIndexOf('</ApplData>')), values));
  });

  void it('送信案件一覧 by date: JST days inclusive, newest first; nothing in range → the recorded 400 (A.12) byte for byte', async () => {
    t.setClock('2015-04-29T00:10:00+09:00');
    const second = item((await call(t, key, 'POST', APPLY, applyRequest(SAMPLE_ZIP, 'second.zip'))).text, 'SendNumber')!;
    assert.match(second, /^20150429001000\d{4}$/);
    const both = await call(t, key, 'GET', `${APPLY};date=20150428-20150429`);
    assert.equal(both.status, 200);
    assert.equal(item(both.text, 'PackageApplyCount'), '2');
    assert.deepEqual(
      [...both.text.matchAll(/\t\t<SendNumber>(\d+)</g)].map((m) => m[1]),
      [second, sendNumber],
    );
    assert.equal(item(both.text, 'SendDateFrom'), '20150428');
    const one = await call(t, key, 'GET', `${APPLY};date=20150429-20150429`);
    assert.equal(item(one.text, 'PackageApplyCount'), '1');
    const none = await call(t, key, 'GET', `${APPLY};date=20150101-20150101`);
    assert.equal(none.status, 400);
    assert.ok(none.body.equals(recordedBody('recorded-history/sends-by-date-no-data-400/2')));
    assert.equal(none.headers['content-length'], '424');
  });

  void it('scoped to the user of the key; unknown numbers and bad queries are 400 in the API shape; other methods 405', async () => {
    const otherKey = await userWithKey(t, 'another01');
    const res = await call(t, otherKey, 'GET', `${APPLY};id=${sendNumber}`);
    assert.equal(res.status, 400);
    assertAccessShape(res);
    assert.match(res.text, /該当する申請情報が存在しません。/);
    assert.equal(item(res.text, 'SendNumber'), sendNumber);
    assert.equal((await call(t, otherKey, 'GET', `${APPLY};date=20150401-20150430`)).status, 400);
    const list = await call(t, otherKey, 'GET', `${APPLY}/${sendNumber}`);
    assert.equal(list.status, 400);
    assert.match(list.text, /該当する申請情報が存在しません。送信番号を確認してください。/);
    for (const bad of [';date=20150431-20150501', ';date=20150302-20150301', ';date=2015-0301', ';id=12345', ';id=']) {
      const r = await call(t, key, 'GET', `${APPLY}${bad}`);
      assert.ok(r.status === 400 || r.status === 404, `${bad}: ${r.status}`);
      assertAccessShape(r);
    }
    assert.equal((await call(t, key, 'GET', `${APPLY};id=1;date=20150101-20150101`)).status, 404);
    assert.equal((await call(t, key, 'GET', `${APPLY}/abc`)).status, 400);
    const put = await call(t, key, 'PUT', APPLY, 'x');
    assert.equal(put.status, 405);
    assert.equal(put.headers.allow, 'POST');
    const get = await call(t, key, 'GET', APPLY);
    assert.equal(get.status, 405);
    // without a live key nothing is read
    assert.equal((await call(t, 'nokey', 'GET', `${APPLY};id=${sendNumber}`)).status, 401);
  });
});

void describe('sandbox 形式チェック of the sample batch', () => {
  void it('arrives with delay 0 when the signer (e-Gov demo EE02) is trusted', async () => {
    const t = await startTestSandbox({ trust: egovCertificates, bundledTrust: false, formatCheckDelayMs: 0, at: '2015-04-28T11:45:00+09:00' });
    try {
      const key = await userWithKey(t, 'bulk01');
      const res = await call(t, key, 'POST', APPLY, applyRequest(SAMPLE_ZIP));
      assert.equal(res.status, 202, res.text);
      assert.equal(item(res.text, 'SendApplyCount'), '1');
      const n = item(res.text, 'SendNumber')!;
      let body = '';
      for (let i = 0; i < 200; i++) {
        body = (await call(t, key, 'GET', `${APPLY};id=${n}`)).text;
        if (item(body, 'WorkStatus') === '') break;
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.equal(item(body, 'WorkStatus'), '');
      assert.equal(item(body, 'NormalCount'), '1');
      assert.equal(item(body, 'ErrorCount'), '0');
      assert.equal(item(body, 'ErrorFile'), '');
      assert.equal(item(body, 'Status'), '到達');
      assert.equal(item(body, 'MinistryName'), 'デグレ省');
      assert.match(item(body, 'ArriveID')!, /^9002015000000001$/);
    } finally {
      await t.close();
    }
  });

  void it('fails when the signer is not trusted, and for the recorded unsigned package: ErrorCount and an HTML ErrorFile naming the folder', async () => {
    const t = await startTestSandbox({ trust: [join(egovCertsDir, 'e-GovEE01_sha2.cer')], bundledTrust: false, formatCheckDelayMs: 600_000, at: '2015-04-06T16:04:57+09:00' });
    try {
      const key = await userWithKey(t, 'bulk02');
      const rec = recorded('recorded-history/apply-unsigned-package-accepted-202');
      const unsigned = await call(t, key, 'POST', APPLY, rec.request);
      assert.equal(unsigned.status, 202, unsigned.text);
      const n1 = item(unsigned.text, 'SendNumber')!;
      assert.equal(unsigned.text, rec.response.toString('utf8').replace('201504061604574744', n1));
      const sample = await call(t, key, 'POST', APPLY, applyRequest(SAMPLE_ZIP));
      const n2 = item(sample.text, 'SendNumber')!;
      assert.equal(n2.slice(0, 14), n1.slice(0, 14));
      assert.notEqual(n2, n1);
      assert.equal(await t.sandbox.runFormatChecks(), 2);
      for (const [n, folder, why] of [
        [n1, '900A010200001000(001)', /署名|XML/],
        [n2, '900A010200001000(1)', /信頼できません/],
      ] as const) {
        const res = await call(t, key, 'GET', `${APPLY};id=${n}`);
        assert.equal(item(res.text, 'WorkStatus'), '');
        assert.equal(item(res.text, 'NormalCount'), '0');
        assert.equal(item(res.text, 'ErrorCount'), '1');
        assert.equal(item(res.text, 'ApplyCount'), '0');
        const html = Buffer.from(item(res.text, 'ErrorFile')!, 'base64').toString('utf8');
        assert.match(html, /^<!DOCTYPE html>/);
        assert.ok(html.includes(`<td>${folder}</td>`), html);
        assert.match(html, why);
        const list = await call(t, key, 'GET', `${APPLY}/${n}`);
        assert.equal(item(list.text, 'ErrorCount'), '1');
        assert.equal(item(list.text, 'ErrorFile'), item(res.text, 'ErrorFile'));
      }
    } finally {
      await t.close();
    }
  });

  void it('a send still pending when the sandbox stops is checked after the next start', async () => {
    const t = await startTestSandbox({ trust: egovCertificates, bundledTrust: false, formatCheckDelayMs: 600_000, keepData: true, at: '2015-04-28T11:45:00+09:00' });
    const key = await userWithKey(t, 'restart01');
    const n = item((await call(t, key, 'POST', APPLY, applyRequest(SAMPLE_ZIP))).text, 'SendNumber')!;
    await t.close();
    const t2 = await startTestSandbox({ dataDir: t.dataDir, trust: egovCertificates, bundledTrust: false, formatCheckDelayMs: 600_000, at: '2015-04-28T11:46:00+09:00' });
    try {
      assert.equal(item((await call(t2, key, 'GET', `${APPLY};id=${n}`)).text, 'WorkStatus'), '処理待ち');
      assert.equal(await t2.sandbox.runFormatChecks(), 1);
      assert.equal(item((await call(t2, key, 'GET', `${APPLY};id=${n}`)).text, 'Status'), '到達');
    } finally {
      await t2.close();
    }
  });
});

void describe('sandbox 一括申請 bad input', () => {
  let t: TestSandbox;
  let key: string;
  before(async () => {
    t = await startTestSandbox({
      trust: egovCertificates,
      bundledTrust: false,
      formatCheckDelayMs: 600_000,
      maxApplications: 3,
      maxZipBytes: 64 * 1024,
      maxInflatedBytes: 1024 * 1024,
      at: '2015-04-28T11:45:00+09:00',
    });
    key = await userWithKey(t, 'bad01');
  });
  after(() => t.close());

  async function refused(body: string | Buffer, status: number, message: RegExp): Promise<RawResponse> {
    const res = await call(t, key, 'POST', APPLY, body);
    assert.equal(res.status, status, res.text);
    assertAccessShape(res);
    assert.match(item(res.text, 'Message')!, message);
    assert.equal(item(res.text, 'Code'), '1');
    assert.equal(item(res.text, 'SendNumber'), '');
    return res;
  }

  const files = (folder: string) => [
    { name: `${folder}/kousei.xml`, data: '<DataRoot/>' },
    { name: `${folder}/form.xml`, data: '<DataRoot/>' },
  ];

  void it('refuses what is not a 申請データ ZIP, stores nothing, and keeps serving', async () => {
    await refused('', 400, /送信データがありません/);
    await refused('<DataRoot><ApplData', 400, /正しい XML ではありません/);
    await refused('<DataRoot><ApplData><Other/></ApplData></DataRoot>', 400, /項目が正しくありません/);
    const notB64 = await refused(applyRequest('not*base64!'), 400, /base64 として読み取れません/);
    assert.equal(item(notB64.text, 'SendFileName'), 'apply.zip');
    await refused(applyRequest(Buffer.from('this is not a zip file at all')), 400, /ZIP ファイルとして読み取れません/);
    await refused(applyRequest(craftZip([{ name: '../evil/kousei.xml', data: 'x' }])), 400, /使えない名前/);
    await refused(applyRequest(craftZip([{ name: 'a/../../kousei.xml', data: 'x' }])), 400, /使えない名前/);
    await refused(applyRequest(craftZip([{ name: '/abs/kousei.xml', data: 'x' }])), 400, /使えない名前/);
    await refused(applyRequest(craftZip([{ name: 'a\\kousei.xml', data: 'x' }])), 400, /使えない名前/);
    await refused(applyRequest(craftZip([{ name: 'kousei.xml', data: 'x' }])), 400, /構成が正しくありません/);
    await refused(applyRequest(craftZip([{ name: 'a/b/kousei.xml', data: 'x' }])), 400, /構成が正しくありません/);
    await refused(applyRequest(craftZip([])), 400, /ZIP|フォルダーがありません/);
    // a ZIP bomb: 8 MiB of zeros deflate to a few KiB, over the 1 MiB inflated limit — also when its header lies about the size
    const zeros = Buffer.alloc(8 * 1024 * 1024);
    await refused(applyRequest(craftZip([{ name: 'a/kousei.xml', data: zeros }])), 400, /展開した大きさ/);
    const lying = await call(t, key, 'POST', APPLY, applyRequest(craftZip([{ name: 'a/kousei.xml', data: zeros, uncompressedSizeOverride: 10 }])));
    assert.equal(lying.status, 400);
    const many = craftZip(['900A010200001000(1)', '900A010200001000(2)', '900A010200001000(3)', '900A010200001000(4)'].flatMap(files));
    await refused(applyRequest(many), 400, /申請の数を超えています/);
    const big = await refused(applyRequest(craftZip([{ name: 'a/x.bin', data: Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7919) % 251)), method: 0 }])), 413, /大きすぎます/);
    assert.equal(big.headers.connection, 'close');
    // nothing was stored; three applications are fine
    assert.equal((await call(t, key, 'GET', `${APPLY};date=20150101-20301231`)).status, 400);
    const ok = await call(t, key, 'POST', APPLY, applyRequest(craftZip(['x(1)', 'x(2)', 'x(3)'].flatMap(files))));
    assert.equal(ok.status, 202, ok.text);
    assert.equal(item(ok.text, 'SendApplyCount'), '3');
  });
});
