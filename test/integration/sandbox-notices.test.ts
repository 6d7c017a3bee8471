// Integration (Node): the sandbox's notices and 補正 (REFERENCE §4.8–§4.17, §7, A.17–A.28). The operator
// issues a 補正通知, a コメント and 公文書; every recorded exchange of these APIs is replayed and compared
// byte for byte after substituting what must differ (ProcName of another procedure, the fresh ZIP,
// dates); the notice ZIPs are checked byte by byte (§7.1); the 公文書 verifies with xmlsec1 and with
// our verifier, and the broken ones (tampered, expired signer, unknown CA) fail in 公文書署名検証;
// 補正申請 is taken only while 補正待ち or with ReintroductionFlag 1, otherwise the recorded 500.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { verifySignedXml } from '../../src/main/signing/xml/verify.js';
import { officialCaCertificate, OFFICIAL_CA_CERT_FILE } from '../../src/sandbox/notices/official-signers.js';
import { readZipEntry } from '../../src/sandbox/notices/zip-entry.js';
import { smallPdf } from '../../src/sandbox/notices/small-pdf.js';
import { officialPdfLines as PDF_LINES } from '../../src/sandbox/operator/notice-actions.js';
import { emptySubmission, writeSubmissionBody } from '../../src/sandbox/wire/submission-family.js';
import { egovDir } from '../support/paths.js';
import { craftZip, encodeCp932 } from '../support/zip-craft.js';
import { item, recorded, startTestSandbox, type RawResponse, type TestSandbox } from './sandbox-support.js';
import { APPLY, REFERENCE, arriveSample, call, caseSnapshot, egovCertificates, setArriveCounter, userWithKey } from './sandbox-withdrawal-support.js';

/** the tests move the clock across years (2015 recordings, a 2025 官職 certificate); the access key must outlive that */
const LONG_KEY_TTL = 20 * 365 * 24 * 3600;
const SYSTEM_ERROR = 'システムでエラーが発生したため処理が中断されました。電子政府利用支援センターまでご連絡ください。';
const PROC4 = 'ＡＰＩテスト用手続（労働保険関係手続）（通）０００４／ＡＰＩテスト用手続（労働保険関係手続）（通）０００４';

const recordedResponse = (rel: string) => readFileSync(join(egovDir, 'recorded', rel, 'response.xml'));

/** The recorded body with its ZIP (and optionally more items) replaced by ours. */
function substituted(recordedBody: Buffer, ours: string, names: readonly string[]): string {
  let text = recordedBody.toString('utf8');
  for (const name of names) text = text.replace(new RegExp(`<${name}>[^<]*</${name}>`), `<${name}>${item(ours, name) ?? ''}</${name}>`);
  return text;
}

interface CentralEntry {
  versionMadeBy: number;
  flags: number;
  method: number;
  name: Buffer;
  extraLength: number;
  commentLength: number;
  time: number;
  date: number;
}

/** The central directory of a ZIP, read by hand so that every field is seen as written. */
function centralEntries(zip: Buffer): CentralEntry[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(eocd >= 0, 'end of central directory');
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  const out: CentralEntry[] = [];
  for (let i = 0; i < count; i++) {
    assert.equal(zip.readUInt32LE(p), 0x02014b50);
    const nameLength = zip.readUInt16LE(p + 28);
    const extraLength = zip.readUInt16LE(p + 30);
    const commentLength = zip.readUInt16LE(p + 32);
    out.push({
      versionMadeBy: zip.readUInt16LE(p + 4),
      flags: zip.readUInt16LE(p + 8),
      method: zip.readUInt16LE(p + 10),
      time: zip.readUInt16LE(p + 12),
      date: zip.readUInt16LE(p + 14),
      name: zip.subarray(p + 46, p + 46 + nameLength),
      extraLength,
      commentLength,
    });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return out;
}

async function entry(zip: Buffer, name: string): Promise<Buffer> {
  const r = await readZipEntry(zip, name, { maxEntries: 10, maxEntryBytes: 1 << 20 });
  assert.ok(r.ok, `${name}: ${r.ok ? '' : r.problem}`);
  return r.bytes;
}

function xmlsec1(xml: Buffer): { ok: boolean; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'todoke-xmlsec1-'));
  try {
    writeFileSync(join(dir, 'doc.xml'), xml);
    const r = spawnSync('xmlsec1', ['--verify', '--trusted-pem', OFFICIAL_CA_CERT_FILE, '--id-attr:ID', 'BODY', 'doc.xml'], { cwd: dir, encoding: 'utf8' });
    if (r.error) throw r.error;
    const output = `${r.stdout}${r.stderr}`;
    return { ok: r.status === 0 && /^OK$/m.test(output), output };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const doneRequest = (arriveId: string, sub: string) =>
  `<?xml version="1.0"?>\n<DataRoot>\n  <ApplData Id="ApplData">\n    <ArriveID>${arriveId}</ArriveID>\n    <NoticeSubID>${sub}</NoticeSubID>\n  </ApplData>\n</DataRoot>\n`;
const verifyRequest = (arriveId: string, zip: Buffer | string, name: string) =>
  `<?xml version="1.0"?>\n<DataRoot>\n  <ApplData Id="ApplData">\n    <ArriveID>${arriveId}</ArriveID>\n    <Upload>\n      <FileName>officialdocument_for_verify.zip</FileName>\n      <FileData>${typeof zip === 'string' ? zip : zip.toString('base64')}</FileData>\n      <SigVerificationXMLFileName>${name}</SigVerificationXMLFileName>\n    </Upload>\n  </ApplData>\n</DataRoot>\n`;

void describe('sandbox 補正: the recorded 補正申請, 再提出 and 部分補正 replayed', () => {
  let t: TestSandbox;
  let key: string;
  before(async () => {
    t = await startTestSandbox({ trust: egovCertificates, bundledTrust: false, formatCheckDelayMs: 600_000, keyTtlSeconds: LONG_KEY_TTL, at: '2015-06-17T10:00:00+09:00' });
    key = await userWithKey(t, 'kufutest31');
  });
  after(() => t.close());

  void it('補正申請 (A.20) against a case with ReintroductionFlag 1: the recorded request answered byte for byte; both cases follow', async () => {
    setArriveCounter(t.dataDir, 248_265);
    const original = await arriveSample(t, key);
    assert.equal(original, '9002015000248266');
    t.sandbox.operate({ action: 'finish', arriveId: original });
    t.sandbox.operate({ action: 'set-reintroduction', arriveId: original });
    setArriveCounter(t.dataDir, 248_392);
    t.setClock('2015-06-25T14:17:36+09:00');
    const rec = recorded('recorded/amendapply/2');
    const res = await call(t, key, 'POST', '/shinsei/1/access/amendapply', rec.request);
    assert.equal(res.status, 202, res.text);
    assert.ok(res.body.equals(rec.response), res.text);
    const ref = await call(t, key, 'GET', `${REFERENCE}/${original}`);
    assert.equal(item(ref.text, 'ReintroductionFlag'), '0');
    assert.ok(ref.text.includes('<ProcessType>再提出</ProcessType>\r\n\t\t<ApplyStatus>手続終了</ApplyStatus>'), ref.text);
    const fresh = await call(t, key, 'GET', `${REFERENCE}/9002015000248393`);
    assert.equal(item(fresh.text, 'Status'), '到達');
    assert.equal(item(fresh.text, 'ProcessType'), '再提出');
  });

  void it('the same 補正申請 again (flag used, case 手続終了): the recorded 500 (A.21) with its 到達番号, nothing changes', async () => {
    const before = caseSnapshot(t.dataDir);
    const res = await call(t, key, 'POST', '/shinsei/1/access/amendapply', recorded('recorded/amendapply/2').request);
    assert.equal(res.status, 500);
    assert.ok(res.body.equals(Buffer.from(writeSubmissionBody({ code: '1', message: SYSTEM_ERROR }, emptySubmission('9002015000248266')), 'utf8')));
    assert.equal(caseSnapshot(t.dataDir), before);
  });

  void it('補正申請 against a case neither 補正待ち nor flagged: A.21 byte for byte', async () => {
    setArriveCounter(t.dataDir, 243_935);
    const id = await arriveSample(t, key);
    assert.equal(id, '9002015000243936');
    t.sandbox.operate({ action: 'finish', arriveId: id });
    const body = recorded('recorded/amendapply/2').request.toString('utf8').replace('<ArriveID>9002015000248266</ArriveID>', `<ArriveID>${id}</ArriveID>`);
    const res = await call(t, key, 'POST', '/shinsei/1/access/amendapply', body);
    assert.equal(res.status, 500);
    assert.ok(res.body.equals(readFileSync(join(egovDir, 'recorded-history', 'amendapply-ineligible-500', 'response.xml'))), res.text);
  });

  void it('補正（再提出） (A.18): the recorded request against a flagged case answered byte for byte', async () => {
    setArriveCounter(t.dataDir, 244_075);
    const id = await arriveSample(t, key);
    t.sandbox.operate({ action: 'set-reintroduction', arriveId: id });
    setArriveCounter(t.dataDir, 248_032);
    t.setClock('2015-06-17T11:32:12+09:00');
    const rec = recorded('recorded/reamend-abolished');
    const res = await call(t, key, 'POST', '/shinsei/1/access/reamend', rec.request);
    assert.equal(res.status, 202, res.text);
    assert.ok(res.body.equals(rec.response), res.text);
  });

  void it('補正（部分補正） (A.19) after a 補正通知: answered byte for byte, no new case, the notice completed and CorrectStatus なし', async () => {
    setArriveCounter(t.dataDir, 243_940);
    t.setClock('2015-03-09T15:37:50+09:00');
    const id = await arriveSample(t, key);
    assert.equal(id, '9002015000243941');
    const issued = await t.sandbox.issueNotice({ action: 'issue-correction', arriveId: id, deadline: '20150315', text: 'テストで部分補正指示をメッセージで送ります。修正してくださいね。' });
    assert.equal(issued.noticeSubId, 1);
    const list = await call(t, key, 'GET', `${APPLY};date=20150309-20150309`);
    assert.equal(item(list.text, 'CorrectStatus'), 'あり');
    assert.equal(item(list.text, 'Status'), '審査中（補正待ち）');
    const counterBefore = caseSnapshot(t.dataDir);
    t.setClock('2015-06-17T12:12:24+09:00');
    const rec = recorded('recorded/partamend-abolished');
    const res = await call(t, key, 'POST', '/shinsei/1/access/partamend', rec.request);
    assert.equal(res.status, 202, res.text);
    assert.ok(res.body.equals(rec.response), res.text);
    assert.equal(JSON.parse(caseSnapshot(t.dataDir))[2].length, JSON.parse(counterBefore)[2].length, 'no new 到達番号 drawn');
    const amend = await call(t, key, 'GET', `/shinsei/1/access/amend/${id}`);
    assert.equal(item(amend.text, 'CorrectCompletedDate'), '20150617121224');
    const after = await call(t, key, 'GET', `${APPLY};date=20150309-20150309`);
    assert.equal(item(after.text, 'CorrectStatus'), 'なし');
    assert.equal(item(after.text, 'Status'), '審査中');
    const ref = await call(t, key, 'GET', `${REFERENCE}/${id}`);
    assert.equal(item(ref.text, 'AmendMessage'), '');
  });

  void it('公文書署名検証: the recorded request (the signed 0000-API-002.xml of e-Gov) answered as A.26 but for its trust — only the sandbox 官職 CA is trusted', async () => {
    setArriveCounter(t.dataDir, 243_930);
    t.setClock('2015-04-28T11:45:05+09:00');
    const id = await arriveSample(t, key);
    assert.equal(id, '9002015000243931');
    const res = await call(t, key, 'POST', '/shinsei/1/access/officialdocument/verify', recorded('recorded/officialdocument-verify/2').request);
    assert.equal(res.status, 200, res.text);
    assert.equal(item(res.text, 'ErrorCount'), '1');
    assert.match(item(res.text, 'CertificateResult')!, /^証明書検証結果はエラーです。証明書を信頼できません/);
    // everything else — names from IAN/SAN, DNs, serial bytes, JST validity, the layout — is e-Gov's answer
    assert.equal(res.text, substituted(recordedResponse('officialdocument-verify/2'), res.text, ['ErrorCount', 'CertificateResult']));
  });

  void it('a 補正 package naming another 初回受付番号, or for a 取下げ kind, is refused with a business error and changes nothing', async () => {
    const id = await arriveSample(t, key);
    await t.sandbox.issueNotice({ action: 'issue-correction', arriveId: id });
    const before = caseSnapshot(t.dataDir);
    // the recorded package names 9002015000248266 as 初回受付番号
    const body = recorded('recorded/amendapply/2').request.toString('utf8').replace('<ArriveID>9002015000248266</ArriveID>', `<ArriveID>${id}</ArriveID>`);
    const res = await call(t, key, 'POST', '/shinsei/1/access/amendapply', body);
    assert.equal(res.status, 400);
    assert.match(item(res.text, 'Message')!, /初回受付番号「9002015000248266」/);
    const partial = recorded('recorded/partamend-abolished').request.toString('utf8').replace('9002015000243941', id).replace(/<Target>[\s\S]*<\/Target>/, '');
    const part = await call(t, key, 'POST', '/shinsei/1/access/reamend', partial);
    assert.equal(part.status, 400);
    assert.match(item(part.text, 'Message')!, /申請種別「部分補正」/);
    assert.equal(caseSnapshot(t.dataDir), before);
  });
});

void describe('sandbox 補正: malformed, truncated, huge and hostile bodies', () => {
  let t: TestSandbox;
  let key: string;
  let id = '';
  before(async () => {
    t = await startTestSandbox({ trust: egovCertificates, bundledTrust: false, formatCheckDelayMs: 600_000, maxZipBytes: 64 * 1024, at: '2015-06-17T10:00:00+09:00' });
    key = await userWithKey(t, 'kufutest51');
    id = await arriveSample(t, key);
    await t.sandbox.issueNotice({ action: 'issue-correction', arriveId: id });
  });
  after(() => t.close());

  void it('each is refused in the A.20 layout with a clear message, and nothing changes', async () => {
    const before = caseSnapshot(t.dataDir);
    const partamend = recorded('recorded/partamend-abolished').request.toString('utf8').replace('9002015000243941', id);
    const cases: Array<[string, string, string | Buffer, number, RegExp]> = [
      ['empty', 'amendapply', '', 400, /送信データがありません/],
      ['DTD', 'amendapply', '<?xml version="1.0"?><!DOCTYPE DataRoot [<!ENTITY x SYSTEM "file:///etc/passwd">]><DataRoot>&x;</DataRoot>', 400, /文書型宣言/],
      ['truncated', 'amendapply', partamend.slice(0, 200), 400, /正しい XML ではありません/],
      ['no Upload', 'amendapply', `<DataRoot><ApplData><ArriveID>${id}</ArriveID></ApplData></DataRoot>`, 400, /ArriveID と Upload/],
      ['Target on amendapply', 'amendapply', partamend, 400, /項目が正しくありません/],
      ['bad Target flag', 'partamend', partamend.replace('<AttachedFlag>0</AttachedFlag>', '<AttachedFlag>2</AttachedFlag>'), 400, /BasicFormFlag と AttachedFlag/],
      ['not base64', 'partamend', partamend.replace(/<FileData>[^<]*<\/FileData>/, '<FileData>@@@@</FileData>'), 400, /base64/],
      ['not a ZIP', 'partamend', partamend.replace(/<FileData>[^<]*<\/FileData>/, `<FileData>${Buffer.from('plain').toString('base64')}</FileData>`), 400, /ZIP ファイルとして読み取れません/],
      ['bad 到達番号', 'partamend', partamend.replace(`<ArriveID>${id}</ArriveID>`, '<ArriveID>../1</ArriveID>'), 400, /到達番号の指定/],
      ['huge', 'partamend', partamend.replace(/<FileData>[^<]*<\/FileData>/, `<FileData>${'A'.repeat(200 * 1024)}</FileData>`), 413, /大きすぎます/],
    ];
    for (const [label, api, body, status, message] of cases) {
      const res = await call(t, key, 'POST', `/shinsei/1/access/${api}`, body);
      assert.equal(res.status, status, `${label}: ${res.text}`);
      assert.match(item(res.text, 'Message')!, message, label);
      assert.ok(res.text.includes('\t<OrgDistFileSend></OrgDistFileSend>\r\n\r\n\r\n\r\n</ApplData>\r\n\r\n</DataRoot>'), label);
    }
    assert.equal(caseSnapshot(t.dataDir), before);
  });
});

void describe('sandbox notices: 補正通知, コメント, 公文書 through the API', () => {
  let t: TestSandbox;
  let key: string;
  let otherKey: string;
  let id = '';
  before(async () => {
    t = await startTestSandbox({ trust: egovCertificates, bundledTrust: false, formatCheckDelayMs: 600_000, keyTtlSeconds: LONG_KEY_TTL, maxZipBytes: 256 * 1024, at: '2015-03-09T15:00:00+09:00' });
    key = await userWithKey(t, 'kufutest41');
    otherKey = await userWithKey(t, 'kufutest42');
    setArriveCounter(t.dataDir, 243_927);
    id = await arriveSample(t, key);
    assert.equal(id, '9002015000243928');
  });
  after(() => t.close());

  void it('補正通知一覧 (A.17): the recorded layout, a fresh ZIP packed as e-Gov packs it, the notice XML and the server XSL', async () => {
    t.setClock('2015-03-09T15:37:50+09:00');
    await t.sandbox.issueNotice({ action: 'issue-correction', arriveId: id, deadline: '20150315' });
    t.setClock('2015-04-28T11:45:04+09:00');
    const res = await call(t, key, 'GET', `/shinsei/1/access/amend/${id}`);
    assert.equal(res.status, 200, res.text);
    const rec = recordedResponse('amend-notices');
    const expected = substituted(rec, res.text, ['ArriveID', 'ProcName', 'FileData']);
    assert.equal(res.text, expected);
    const zip = Buffer.from(item(res.text, 'FileData')!, 'base64');
    // same first bytes as e-Gov's: PK\3\4, version 20, flags 0x0008, deflate
    assert.equal(zip.subarray(0, 10).toString('hex'), '504b0304140008000800');
    const central = centralEntries(zip);
    assert.deepEqual(
      central.map((c) => [c.name.toString('latin1'), c.versionMadeBy, c.flags, c.method, c.extraLength, c.commentLength]),
      [
        ['hoseitsuuchi.xml', 20, 8, 8, 0, 0],
        ['999000000000000010.xsl', 20, 8, 8, 0, 0],
      ],
    );
    // entry time = the request's JST wall clock (2-second steps)
    assert.deepEqual([central[0]!.date, central[0]!.time], [((2015 - 1980) << 9) | (4 << 5) | 28, (11 << 11) | (45 << 5) | 2]);
    const xml = (await entry(zip, 'hoseitsuuchi.xml')).toString('utf8');
    const recordedXml = readFileSync(join(egovDir, 'recorded', 'amend-notices', 'response-filedata-1', 'hoseitsuuchi.xml'), 'utf8');
    assert.equal(xml.split('\n').length, recordedXml.split('\n').length, 'the recorded shape');
    assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?><?xml-stylesheet type="text/xsl" href="999000000000000010.xsl"?><DOC VERSION="1.0">\n<FRONT>\n\t<SECRECY>AMEND</SECRECY>'));
    assert.ok(xml.includes(`\t<DOCNO>${id}</DOCNO>\n\t<DATE>2015年03月09日</DATE>`));
    assert.ok((await entry(zip, '999000000000000010.xsl')).equals(readFileSync(join(egovDir, 'recorded', 'amend-notices', 'response-filedata-1', '999000000000000010.xsl'))));
    const ref = await call(t, key, 'GET', `${REFERENCE}/${id}`);
    assert.equal(item(ref.text, 'AmendMessage'), '補正待ちの補正通知が1件あります。補正情報を確認し、補正を行ってください。');
    assert.ok(ref.text.includes('<RegDate>20150309153750</RegDate>\r\n\t\t<OperatorType>受信</OperatorType>\r\n\t\t<ProcessType>補正指示通知</ProcessType>\r\n\t\t<ApplyStatus>審査中（補正待ち）</ApplyStatus>'));
  });

  void it('a second GET packs the ZIP again at its own time', async () => {
    t.setClock('2015-04-28T11:46:00+09:00');
    const res = await call(t, key, 'GET', `/shinsei/1/access/amend/${id}`);
    const zip = Buffer.from(item(res.text, 'FileData')!, 'base64');
    assert.equal(centralEntries(zip)[0]!.time, (11 << 11) | (46 << 5));
  });

  void it('コメント: 公文書・コメント一覧 (A.22), コメント通知取得 (A.27) and 取得完了 (A.28) with the recorded bytes; the counters follow', async () => {
    t.setClock('2015-03-09T16:47:58+09:00');
    const issued = await t.sandbox.issueNotice({ action: 'issue-comment', arriveId: id });
    assert.deepEqual(issued.files, ['commenttsuuchi.xml', '999000000000000002.xsl']);
    let list = await call(t, key, 'GET', `${APPLY};date=20150309-20150309`);
    assert.deepEqual([item(list.text, 'CommentCount'), item(list.text, 'CommentCountNotRead')], ['1', '1']);
    const unread = await call(t, key, 'GET', `/shinsei/1/access/notice/${id}`);
    assert.equal(item(unread.text, 'Reading'), '未読');

    t.setClock('2015-04-28T11:45:06+09:00');
    const get = await call(t, key, 'GET', `/shinsei/1/access/comment/${id}/1`);
    assert.equal(get.status, 200, get.text);
    assert.equal(get.text, substituted(recordedResponse('comment'), get.text, ['ArriveID', 'FileData']));
    const zip = Buffer.from(item(get.text, 'FileData')!, 'base64');
    assert.deepEqual(centralEntries(zip).map((c) => c.name.toString('latin1')), ['commenttsuuchi.xml', '999000000000000002.xsl']);
    assert.match((await entry(zip, 'commenttsuuchi.xml')).toString('utf8'), /<SECRECY>COMMENT<\/SECRECY>[\s\S]*<P>コメント通知をメッセージで送信します<\/P>/);
    // a GET does not mark it read (§4.16)
    assert.equal(item((await call(t, key, 'GET', `/shinsei/1/access/notice/${id}`)).text, 'Reading'), '未読');

    const done = await call(t, key, 'PUT', '/shinsei/1/access/comment', recorded('recorded/comment-done').request.toString('utf8').replace('9002015000243928', id));
    assert.equal(done.status, 200, done.text);
    assert.equal(done.text, substituted(recorded('recorded/comment-done').response, done.text, ['ProcName']));
    assert.equal(item(done.text, 'ProcName') === PROC4, false, 'the sandbox answers its own procedure');
    const read = await call(t, key, 'GET', `/shinsei/1/access/notice/${id}`);
    assert.equal(read.text, substituted(recordedResponse('notices'), read.text, ['ProcName']));
    list = await call(t, key, 'GET', `${APPLY};date=20150309-20150309`);
    assert.deepEqual([item(list.text, 'CommentCount'), item(list.text, 'CommentCountNotRead')], ['1', '0']);

    // 取得完了 again: the same answer (the first DownloadDate), the counter stays
    t.setClock('2015-04-29T09:00:00+09:00');
    const again = await call(t, key, 'PUT', '/shinsei/1/access/comment', doneRequest(id, '1'));
    assert.equal(again.text, done.text);
    list = await call(t, key, 'GET', `${APPLY};date=20150309-20150309`);
    assert.equal(item(list.text, 'CommentCountNotRead'), '0');
  });

  let docZip = Buffer.alloc(0);

  void it('公文書: listed as Official (SIM-CHOICE), fetched (A.23 layout), signed as §7.3 shows, valid for xmlsec1 and our verifier', async () => {
    t.setClock('2015-04-28T11:40:00+09:00');
    const issued = await t.sandbox.issueNotice({ action: 'issue-document', arriveId: id, pdf: true });
    assert.deepEqual(issued.files, ['0000-SBX-001.xml', '0000-SBX-001.pdf', 'スタイルシート1.xsl']);
    let list = await call(t, key, 'GET', `${APPLY};date=20150309-20150309`);
    assert.deepEqual([item(list.text, 'DocCount'), item(list.text, 'DocCountNotDownload')], ['1', '1']);
    const notices = await call(t, key, 'GET', `/shinsei/1/access/notice/${id}`);
    assert.ok(
      notices.text.includes(
        '\t<Official>\r\n\t\t<NoticeSubID>1</NoticeSubID>\r\n\t\t<IssueDate>20150428114000</IssueDate>\r\n\t\t<DocTitle>署名付き公文書１</DocTitle>\r\n\r\n' +
          '\t\t<File>\r\n\t\t\t<FileName>0000-SBX-001.xml</FileName>\r\n\t\t</File>\r\n\r\n\t\t<File>\r\n\t\t\t<FileName>0000-SBX-001.pdf</FileName>\r\n\t\t</File>\r\n\r\n' +
          '\t\t<File>\r\n\t\t\t<FileName>スタイルシート1.xsl</FileName>\r\n\t\t</File>\r\n\r\n\t\t<DownloadStatus>未取得</DownloadStatus>\r\n\t</Official>\r\n\r\n\t<Comment>',
      ),
      notices.text,
    );

    t.setClock('2015-04-28T11:45:04+09:00');
    const get = await call(t, key, 'GET', `/shinsei/1/access/officialdocument/${id}/1`);
    assert.equal(get.status, 200, get.text);
    assert.equal(get.text, substituted(recordedResponse('officialdocument'), get.text, ['ArriveID', 'FileData']));
    docZip = Buffer.from(item(get.text, 'FileData')!, 'base64');
    const names = centralEntries(docZip).map((c) => c.name);
    // スタイルシート1.xsl in CP932 without the UTF-8 flag (§7.1, SEEN bytes)
    assert.equal(names[2]!.toString('hex'), '8358835e8343838b8356815b8367312e78736c');
    assert.ok(centralEntries(docZip).every((c) => (c.flags & 0x800) === 0 && (c.flags & 0x8) !== 0));

    const xml = await entry(docZip, '0000-SBX-001.xml');
    const text = xml.toString('utf8');
    assert.ok(!/(?<!\r)\n/.test(text), 'a CRLF file');
    assert.match(text, /^<\?xml version="1\.0" encoding="UTF-8"\?><\?xml-stylesheet type="text\/xsl" href="スタイルシート1\.xsl"\?><DOC VERSION="1\.0">\r\n<FRONT>/);
    assert.match(
      text,
      /<\/BODY>\r\n<Signature xmlns="http:\/\/www\.w3\.org\/2000\/09\/xmldsig#"><SignedInfo><CanonicalizationMethod Algorithm="http:\/\/www\.w3\.org\/TR\/2001\/REC-xml-c14n-20010315#WithComments"\/><SignatureMethod Algorithm="http:\/\/www\.w3\.org\/2001\/04\/xmldsig-more#rsa-sha256"\/><Reference URI="#DOCBODY"><Transforms><Transform Algorithm="http:\/\/www\.w3\.org\/2000\/09\/xmldsig#enveloped-signature"\/><\/Transforms><DigestMethod Algorithm="http:\/\/www\.w3\.org\/2001\/04\/xmlenc#sha256"\/>/,
    );
    assert.ok(text.endsWith('</X509Certificate></X509Data></KeyInfo></Signature></DOC>\r\n'));
    const wrapped = [...text.matchAll(/<(SignatureValue|X509Certificate)>([^<]*)</g)].map((m) => m[2]!);
    assert.equal(wrapped.length, 3, 'SignatureValue and two certificates');
    for (const b64 of wrapped) {
      const lines = b64.split('\r\n');
      assert.ok(lines.slice(0, -1).every((l) => l.length === 76) && lines.at(-1)!.length <= 76 && !b64.includes('\n\n'), 'wrapped at 76 with CRLF');
    }
    const x = xmlsec1(xml);
    assert.ok(x.ok, x.output);
    const report = await verifySignedXml(xml, { profile: 'official', trustAnchors: [officialCaCertificate()] });
    assert.ok(report.valid && report.chain.trusted, report.problems.join(' / '));
    assert.equal(report.certificates.length, 2);

    const pdf = await entry(docZip, '0000-SBX-001.pdf');
    // the PDF's structure is checked in sandbox-notice-pieces.test.ts; here: it travels intact
    assert.ok(pdf.equals(smallPdf(PDF_LINES(id, '20150428114000'))));
    list = await call(t, key, 'GET', `${APPLY};date=20150309-20150309`);
    assert.equal(item(list.text, 'DocCountNotDownload'), '1', 'a GET does not mark it obtained (§4.13)');
  });

  void it('公文書署名検証 of that ZIP: the A.26 layout, 正常です。, Japanese names from IAN/SAN, DNs, serial bytes, JST validity', async () => {
    // the bundled 官職 certificate is valid from 2025: verify inside its validity
    t.setClock('2026-01-15T10:00:00+09:00');
    const res = await call(t, key, 'POST', '/shinsei/1/access/officialdocument/verify', verifyRequest(id, docZip, '0000-SBX-001.xml'));
    assert.equal(res.status, 200, res.text);
    const rec = recordedResponse('officialdocument-verify/2');
    const names = ['ArriveID', 'DocumentFileName', 'Publisher', 'Owner', 'PublisherDN', 'OwnerDN', 'SerialNumber', 'TermValidity'];
    // the Official and Government blocks repeat names: substitute block by block
    const [head, gov] = rec.toString('utf8').split('\t\t<Government>');
    const [ourHead, ourGov] = res.text.split('\t\t<Government>');
    assert.equal(ourHead, substituted(Buffer.from(head!), ourHead!, names));
    assert.equal(ourGov, substituted(Buffer.from(gov!), ourGov!, ['PublisherDN', 'OwnerDN', 'SerialNumber', 'TermValidity']));
    assert.equal(item(res.text, 'ValidationResult'), '正常です。');
    assert.equal(item(res.text, 'Publisher'), 'Todoke サンドボックス,サンドボックス官職認証局');
    assert.equal(item(res.text, 'Owner'), 'Todoke サンドボックス,テスト省,テスト用官職証明書０１');
    assert.equal(item(res.text, 'OwnerDN'), 'CN=Todoke Sandbox 官職 01, OU=官職, O=Todoke Sandbox, C=JP');
    assert.equal(item(res.text, 'TermValidity'), '2025/01/01 09:00:00 から 2046/01/01 08:59:59');
    assert.match(item(res.text, 'SerialNumber')!, /^[0-9A-F]{2}( [0-9A-F]{2})+$/);
  });

  void it('公文書取得完了 (A.25 layout): DownloadDate now, DownloadStatus 取得済, DocCountNotDownload down; a second 完了 answers the same', async () => {
    t.setClock('2015-06-17T20:42:30+09:00');
    const done = await call(t, key, 'PUT', '/shinsei/1/access/officialdocument', doneRequest(id, '1'));
    assert.equal(done.status, 200, done.text);
    const rec = recorded('recorded/officialdocument-done').response.toString('utf8').replace(
      '\t<File>\r\n\t\t<FileName>0000-API-001.xml</FileName>\r\n\t</File>\r\n\r\n',
      '\t<File>\r\n\t\t<FileName>0000-SBX-001.xml</FileName>\r\n\t</File>\r\n\r\n\t<File>\r\n\t\t<FileName>0000-SBX-001.pdf</FileName>\r\n\t</File>\r\n\r\n',
    );
    assert.equal(done.text, substituted(Buffer.from(rec), done.text, ['ArriveID', 'ProcName']));
    t.setClock('2015-06-18T09:00:00+09:00');
    assert.equal((await call(t, key, 'PUT', '/shinsei/1/access/officialdocument', doneRequest(id, '1'))).text, done.text);
    const list = await call(t, key, 'GET', `${APPLY};date=20150309-20150309`);
    assert.deepEqual([item(list.text, 'DocCount'), item(list.text, 'DocCountNotDownload')], ['1', '0']);
    assert.equal(item((await call(t, key, 'GET', `/shinsei/1/access/notice/${id}`)).text, 'DownloadStatus'), '取得済');
  });

  for (const [flag, pattern] of [
    ['tamper', /^署名検証結果はエラーです。/],
    ['expiredSigner', /^正常です。$/],
    ['unknownCa', /^正常です。$/],
  ] as const) {
    void it(`a 公文書 issued with ${flag} fails in 公文書署名検証 (ErrorCount ≥ 1) and for xmlsec1 and our verifier`, async () => {
      const issued = await t.sandbox.issueNotice({ action: 'issue-document', arriveId: id, [flag]: true });
      const get = await call(t, key, 'GET', `/shinsei/1/access/officialdocument/${id}/${issued.noticeSubId}`);
      const zip = Buffer.from(item(get.text, 'FileData')!, 'base64');
      const name = issued.files[0]!;
      const res = await call(t, key, 'POST', '/shinsei/1/access/officialdocument/verify', verifyRequest(id, zip, name));
      assert.equal(res.status, 200, res.text);
      assert.ok(Number(item(res.text, 'ErrorCount')) >= 1, res.text);
      assert.match(item(res.text, 'ValidationResult')!, pattern);
      if (flag !== 'tamper') assert.match(item(res.text, 'CertificateResult')!, /^証明書検証結果はエラーです。/);
      const xml = await entry(zip, name);
      assert.equal(xmlsec1(xml).ok, false);
      const report = await verifySignedXml(xml, { profile: 'official', trustAnchors: [officialCaCertificate()] });
      assert.ok(report.problems.length > 0);
    });
  }

  void it('hostile 公文書署名検証 uploads: not a ZIP, entry missing, duplicate, a bomb, an XML with a DTD, unsigned XML, huge body — each a clear 400', async () => {
    const cases: Array<[string, string, RegExp]> = [
      ['not a ZIP', verifyRequest(id, Buffer.from('this is not a zip'), 'a.xml'), /ZIP として読めません/],
      ['missing', verifyRequest(id, docZip, 'nothing.xml'), /nothing\.xml がありません/],
      ['duplicate', verifyRequest(id, craftZip([{ name: 'd.xml', data: '<a/>' }, { name: 'd.xml', data: '<a/>' }]), 'd.xml'), /2 つあります/],
      [
        'bomb',
        verifyRequest(id, craftZip([{ name: 'b.xml', data: Buffer.alloc(20 * 1024 * 1024, 0x20), uncompressedSizeOverride: 10 }]), 'b.xml'),
        /読めません|大きすぎます/,
      ],
      ['DTD', verifyRequest(id, craftZip([{ name: 'e.xml', data: '<!DOCTYPE DOC [<!ENTITY x "y">]><DOC>&x;</DOC>' }]), 'e.xml'), /公文書として読み取れません/],
      ['unsigned', verifyRequest(id, craftZip([{ name: 'u.xml', data: '<DOC VERSION="1.0"><BODY ID="DOCBODY"/></DOC>' }]), 'u.xml'), /公文書として読み取れません/],
      ['CP932 name asked in UTF-8', verifyRequest(id, craftZip([{ name: encodeCp932('公文書.xml'), flags: 0, data: '<a/>' }]), '公文書.xml'), /公文書として読み取れません/],
      ['truncated base64', verifyRequest(id, 'UEsDBBQ', 'a.xml'), /base64/],
    ];
    for (const [label, body, message] of cases) {
      const res = await call(t, key, 'POST', '/shinsei/1/access/officialdocument/verify', body);
      assert.equal(res.status, 400, `${label}: ${res.text}`);
      assert.match(item(res.text, 'Message')!, message, label);
      assert.ok(res.text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\r\n<DataRoot>\r\n\r\n\r\n\r\n\r\n\r\n\r\n<Result>\r\n\t<Code>1</Code>'), label);
    }
    const huge = await call(t, key, 'POST', '/shinsei/1/access/officialdocument/verify', verifyRequest(id, Buffer.alloc(2 * 1024 * 1024, 1), 'a.xml'));
    assert.equal(huge.status, 413);
  });

  void it('unknown 到達番号 or 通知番号, another user, malformed numbers and bodies: business errors in each API layout, nothing changes', async () => {
    const before = caseSnapshot(t.dataDir);
    const expect400 = async (res: Promise<RawResponse>, message: RegExp) => {
      const r = await res;
      assert.equal(r.status, 400, r.text);
      assert.match(item(r.text, 'Message')!, message);
    };
    await expect400(call(t, otherKey, 'GET', `/shinsei/1/access/amend/${id}`), /到達番号を確認/);
    await expect400(call(t, otherKey, 'GET', `/shinsei/1/access/notice/${id}`), /到達番号を確認/);
    await expect400(call(t, otherKey, 'GET', `/shinsei/1/access/officialdocument/${id}/1`), /到達番号を確認/);
    await expect400(call(t, key, 'GET', `/shinsei/1/access/officialdocument/${id}/99`), /通知番号を確認/);
    await expect400(call(t, key, 'GET', `/shinsei/1/access/comment/${id}/0`), /通知番号は 1〜9 桁/);
    await expect400(call(t, key, 'GET', `/shinsei/1/access/comment/9999999999999999/1`), /到達番号を確認/);
    await expect400(call(t, key, 'GET', '/shinsei/1/access/amend/12ab'), /到達番号の指定/);
    await expect400(call(t, otherKey, 'PUT', '/shinsei/1/access/comment', doneRequest(id, '1')), /到達番号を確認/);
    await expect400(call(t, key, 'PUT', '/shinsei/1/access/officialdocument', doneRequest(id, '1<x/>')), /項目が正しくありません/);
    await expect400(call(t, key, 'PUT', '/shinsei/1/access/officialdocument', '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e "x">]><DataRoot/>'), /文書型宣言/);
    await expect400(call(t, key, 'PUT', '/shinsei/1/access/officialdocument', '<DataRoot><ApplData><ArriveID>1'), /正しい XML ではありません/);
    await expect400(call(t, key, 'PUT', '/shinsei/1/access/comment', doneRequest(id, '1').replace('<NoticeSubID>1</NoticeSubID>', '')), /項目が正しくありません/);
    const big = await call(t, key, 'PUT', '/shinsei/1/access/comment', `<DataRoot><ApplData><ArriveID>${'9'.repeat(100_000)}</ArriveID></ApplData></DataRoot>`);
    assert.equal(big.status, 413);
    assert.equal(caseSnapshot(t.dataDir), before);
  });
});
