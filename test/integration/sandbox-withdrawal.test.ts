// Integration (Node): the sandbox's 取下げ (POST withdrawal, REFERENCE §4.7, §5.7, A.16) against the
// recorded exchange — the recorded request accepted as sent and answered with the recorded bytes —
// both package forms (取下げ申請, 取下げ依頼), the original case marked 到達（取下げ処理中）, and every
// refusal: the case's state (A.21's 500 layout), unknown or another user's case, bad packages and
// malformed, truncated, huge or hostile bodies, none of which changes anything.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeSubmissionBody, emptySubmission } from '../../src/sandbox/wire/submission-family.js';
import { egovDir } from '../support/paths.js';
import { craftZip } from '../support/zip-craft.js';
import { item, recorded, startTestSandbox, type RawResponse, type TestSandbox } from './sandbox-support.js';
import {
  APPLY,
  REFERENCE,
  WITHDRAWAL,
  arriveSample,
  call,
  caseSnapshot,
  egovCertificates,
  setArriveCounter,
  userWithKey,
  withdrawalPackage,
  withdrawalRequest,
} from './sandbox-withdrawal-support.js';

const recordedBody = (relative: string) => readFileSync(join(egovDir, relative, 'response.xml'));
const SYSTEM_ERROR = 'システムでエラーが発生したため処理が中断されました。電子政府利用支援センターまでご連絡ください。';

function assertSubmissionShape(res: RawResponse, arriveId: string): void {
  assert.equal(res.headers['content-type'], 'text/xml;charset=UTF-8');
  assert.ok(res.text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\r\n<DataRoot>\r\n\r\n\r\n\r\n<Result>\r\n\t<Code>1</Code>\r\n'), res.text);
  assert.ok(res.text.endsWith('\t<OrgDistFileSend></OrgDistFileSend>\r\n\r\n\r\n\r\n</ApplData>\r\n\r\n</DataRoot>'), res.text);
  assert.ok(!/(?<!\r)\n/.test(res.text), 'CRLF only');
  assert.equal(item(res.text, 'ArriveID'), arriveId);
}

void describe('取下げ writer against the recorded bodies', () => {
  void it('A.16 (取下げ 202), A.20 (補正申請 202, two forms and files) and A.21 (500, none): byte for byte', () => {
    for (const rel of ['recorded/withdrawal/2', 'recorded/amendapply/2']) {
      const bytes = recordedBody(rel);
      const t = bytes.toString('utf8');
      const v = (n: string) => item(t, n)!;
      const ours = writeSubmissionBody(
        { code: '0', message: '' },
        {
          arriveId: v('ArriveID'),
          procName: v('ProcName'),
          arriveDate: v('ArriveDate'),
          newArriveId: v('NewArriveID'),
          arriveResult: v('ArriveResult'),
          applyType: v('ApplyType'),
          ministryName: v('MinistryName'),
          receptionDesk: v('ReceptionDesk'),
          applicantName: v('ApplicantName'),
          formNames: [...t.matchAll(/<FormName>([^<]*)/g)].map((m) => m[1]!),
          fileNames: [...t.matchAll(/<FileName>([^<]*)/g)].map((m) => m[1]!),
          orgDistFileSend: v('OrgDistFileSend'),
        },
      );
      assert.ok(Buffer.from(ours, 'utf8').equals(bytes), rel);
    }
    const e = recordedBody('recorded-history/amendapply-ineligible-500');
    assert.ok(Buffer.from(writeSubmissionBody({ code: '1', message: SYSTEM_ERROR }, emptySubmission('9002015000243936')), 'utf8').equals(e));
  });
});

void describe('sandbox 取下げ with the recorded request', () => {
  let t: TestSandbox;
  let key: string;
  let original = '';
  before(async () => {
    t = await startTestSandbox({ trust: egovCertificates, bundledTrust: false, formatCheckDelayMs: 600_000, at: '2015-04-28T10:50:00+09:00' });
    key = await userWithKey(t, 'kufutest01');
    // the recorded 取下げ withdrew 9002015000246820 and was given 9002015000246823
    setArriveCounter(t.dataDir, 246_819);
    original = await arriveSample(t, key, '2015-04-28T10:51:00+09:00');
    assert.equal(original, '9002015000246820');
    setArriveCounter(t.dataDir, 246_822);
  });
  after(() => t.close());

  void it('accepts the recorded request as sent and answers A.16 byte for byte (status, headers, body)', async () => {
    const rec = recorded('recorded/withdrawal/2');
    t.setClock('2015-04-28T11:20:00+09:00');
    const res = await call(t, key, 'POST', WITHDRAWAL, rec.request);
    assert.equal(res.status, 202, res.text);
    assert.ok(res.body.equals(rec.response), res.text);
    assert.equal(res.headers['content-length'], '767');
    assert.equal(res.headers.date, 'Tue, 28 Apr 2015 02:20:00 GMT');
    assert.equal(res.headers['content-type'], 'text/xml;charset=UTF-8');
  });

  void it('the original shows 到達（取下げ処理中）: its StatusDate stays (§4.7), 状況照会 has the event and WithdrawFlag 1', async () => {
    const list = await call(t, key, 'GET', `${APPLY};date=20150428-20150428`);
    assert.equal(item(list.text, 'Status'), '到達（取下げ処理中）');
    assert.equal(item(list.text, 'StatusDate'), '20150428105100');
    const ref = await call(t, key, 'GET', `${REFERENCE}/${original}`);
    assert.equal(ref.status, 200);
    assert.equal(item(ref.text, 'Status'), '到達（取下げ処理中）');
    assert.equal(item(ref.text, 'WithdrawFlag'), '1');
    assert.deepEqual(
      [...ref.text.matchAll(/<RegDate>(\d+)<\/RegDate>\r\n\t\t<OperatorType>([^<]*)<\/OperatorType>\r\n\t\t<ProcessType>([^<]*)<\/ProcessType>\r\n\t\t<ApplyStatus>([^<]*)</g)].map((m) => m.slice(1).join('/')),
      ['20150428105100/送信/新規申請/到達', '20150428112000/送信/取下げ申請/到達（取下げ処理中）'],
    );
  });

  void it('the 取下げ is a case of its own: 状況照会 of the new 到達番号 shows it 到達', async () => {
    const ref = await call(t, key, 'GET', `${REFERENCE}/9002015000246823`);
    assert.equal(ref.status, 200, ref.text);
    assert.equal(item(ref.text, 'ProcName'), '取下げ申請書XML管理手続');
    assert.equal(item(ref.text, 'Status'), '到達');
    assert.equal(item(ref.text, 'ArriveDate'), '20150428112000');
    assert.equal(item(ref.text, 'ProcessType'), '取下げ申請');
  });

  void it('the same request again: the case is already being withdrawn → the 500 of A.21 with the 到達番号, nothing changes', async () => {
    const before = caseSnapshot(t.dataDir);
    const res = await call(t, key, 'POST', WITHDRAWAL, recorded('recorded/withdrawal/2').request);
    assert.equal(res.status, 500);
    assertSubmissionShape(res, original);
    assert.equal(item(res.text, 'Message'), SYSTEM_ERROR);
    assert.ok(res.body.equals(Buffer.from(writeSubmissionBody({ code: '1', message: SYSTEM_ERROR }, emptySubmission(original)), 'utf8')));
    assert.equal(caseSnapshot(t.dataDir), before);
  });
});

void describe('sandbox 取下げ: both forms, and refusals', () => {
  let t: TestSandbox;
  let key: string;
  before(async () => {
    t = await startTestSandbox({ trust: egovCertificates, bundledTrust: false, formatCheckDelayMs: 600_000, maxZipBytes: 64 * 1024, at: '2015-04-28T10:00:00+09:00' });
    key = await userWithKey(t, 'kufutest02');
  });
  after(() => t.close());

  void it('a 取下げ依頼 (手続 9990000000000003, torisageirai.xml) is accepted: 202 with its form and file', async () => {
    const target = await arriveSample(t, key);
    const pkg = await withdrawalPackage(target, { kind: '取下げ依頼' });
    const res = await call(t, key, 'POST', WITHDRAWAL, withdrawalRequest(target, pkg.zip));
    assert.equal(res.status, 202, res.text);
    assert.equal(item(res.text, 'ArriveID'), target);
    assert.equal(item(res.text, 'FormName'), '取下げ依頼XML');
    assert.equal(item(res.text, 'FileName'), 'torisageirai.xml');
    assert.equal(item(res.text, 'ApplyType'), '取下げ');
    assert.equal(item(res.text, 'MinistryName'), 'デグレ省');
    const newId = item(res.text, 'NewArriveID')!;
    assert.equal(BigInt(newId), BigInt(target) + 1n);
    const ref = await call(t, key, 'GET', `${REFERENCE}/${newId}`);
    assert.equal(item(ref.text, 'ProcessType'), '取下げ依頼');
  });

  void it('refuses, without changing anything: unknown case, another user’s, a finished one, and packages that do not fit', async () => {
    const target = await arriveSample(t, key);
    const otherKey = await userWithKey(t, 'other02');
    const good = (await withdrawalPackage(target)).zip;
    const cases: Array<[string, () => Promise<RawResponse>, number, RegExp]> = [
      ['unknown 到達番号', () => call(t, key, 'POST', WITHDRAWAL, withdrawalRequest('9002015999999999', good)), 400, /該当する申請情報が存在しません。到達番号を確認してください。/],
      ['another user’s case', () => call(t, otherKey, 'POST', WITHDRAWAL, withdrawalRequest(target, good)), 400, /該当する申請情報が存在しません。/],
      ['初回受付番号 of another case', async () => call(t, key, 'POST', WITHDRAWAL, withdrawalRequest(target, (await withdrawalPackage(target, { firstArriveId: '9002015000000001' })).zip)), 400, /初回受付番号/],
      ['form naming another case', async () => call(t, key, 'POST', WITHDRAWAL, withdrawalRequest(target, (await withdrawalPackage(target, { formArriveId: '9002015000000001' })).zip)), 400, /申請書「torisageshinsei.xml」の到達番号/],
      ['申請種別 新規申請', async () => call(t, key, 'POST', WITHDRAWAL, withdrawalRequest(target, (await withdrawalPackage(target, { applyType: '新規申請' })).zip)), 400, /申請種別「新規申請」は取下げでは受け付けられません/],
      ['unsigned kousei.xml', async () => call(t, key, 'POST', WITHDRAWAL, withdrawalRequest(target, (await withdrawalPackage(target, { unsigned: true })).zip)), 400, /取下げデータに誤りがあるため/],
      ['form changed after signing', async () => call(t, key, 'POST', WITHDRAWAL, withdrawalRequest(target, (await withdrawalPackage(target, { tamper: true })).zip)), 400, /取下げデータに誤りがあるため/],
      ['folder not named after the procedure', async () => call(t, key, 'POST', WITHDRAWAL, withdrawalRequest(target, (await withdrawalPackage(target, { folderName: 'torisage' })).zip)), 400, /フォルダー名/],
      [
        'two folders',
        () =>
          call(t, key, 'POST', WITHDRAWAL, withdrawalRequest(target, craftZip([{ name: '9990000000000008(1)/kousei.xml', data: 'x' }, { name: '9990000000000008(2)/kousei.xml', data: 'x' }]))),
        400,
        /フォルダーを 1 つだけ/,
      ],
      ['a ZIP entry with ..', () => call(t, key, 'POST', WITHDRAWAL, withdrawalRequest(target, craftZip([{ name: '../kousei.xml', data: 'x' }]))), 400, /使えない名前/],
      ['not a ZIP', () => call(t, key, 'POST', WITHDRAWAL, withdrawalRequest(target, Buffer.from('not a zip at all'))), 400, /ZIP ファイルとして読み取れません/],
      ['FileData not base64', () => call(t, key, 'POST', WITHDRAWAL, withdrawalRequest(target, '@@@@')), 400, /base64/],
      ['a ZIP over the limit', () => call(t, key, 'POST', WITHDRAWAL, withdrawalRequest(target, Buffer.alloc(65 * 1024, 1))), 413, /大きすぎます/],
      ['empty body', () => call(t, key, 'POST', WITHDRAWAL, ''), 400, /送信データがありません/],
      ['malformed XML', () => call(t, key, 'POST', WITHDRAWAL, '<DataRoot><ApplData>'), 400, /正しい XML ではありません/],
      ['truncated body', () => call(t, key, 'POST', WITHDRAWAL, withdrawalRequest(target, good).slice(0, 200)), 400, /正しい XML ではありません/],
      ['DOCTYPE (entity bomb)', () => call(t, key, 'POST', WITHDRAWAL, '<!DOCTYPE x [<!ENTITY a "aaaa">]><DataRoot/>'), 400, /DOCTYPE/],
      ['no ArriveID', () => call(t, key, 'POST', WITHDRAWAL, '<DataRoot><ApplData><Upload><FileData>AA==</FileData></Upload></ApplData></DataRoot>'), 400, /ArriveID と Upload/],
      ['ArriveID twice', () => call(t, key, 'POST', WITHDRAWAL, `<DataRoot><ApplData><ArriveID>${target}</ArriveID><ArriveID>${target}</ArriveID><Upload><FileData>AA==</FileData></Upload></ApplData></DataRoot>`), 400, /ArriveID と Upload/],
      ['ArriveID ../', () => call(t, key, 'POST', WITHDRAWAL, withdrawalRequest('../../etc/passwd', good)), 400, /到達番号の指定が正しくありません/],
      ['ArriveID of 400 digits', () => call(t, key, 'POST', WITHDRAWAL, withdrawalRequest('9'.repeat(400), good)), 400, /到達番号の指定が正しくありません/],
    ];
    const before = caseSnapshot(t.dataDir);
    for (const [name, send, status, message] of cases) {
      const res = await send();
      assert.equal(res.status, status, `${name}: ${res.text}`);
      assert.match(res.text, message, name);
      assert.ok(res.text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\r\n'), name);
      assert.ok(res.text.endsWith('</ApplData>\r\n\r\n</DataRoot>'), name);
    }
    assert.equal(caseSnapshot(t.dataDir), before);

    // a finished case (the operator's 手続終了) cannot be withdrawn: A.21's 500
    t.sandbox.operate({ action: 'finish', arriveId: target });
    const finished = caseSnapshot(t.dataDir);
    const res = await call(t, key, 'POST', WITHDRAWAL, withdrawalRequest(target, good));
    assert.equal(res.status, 500);
    assertSubmissionShape(res, target);
    assert.equal(caseSnapshot(t.dataDir), finished);
    // nor can a 取下げ itself
    const other = await arriveSample(t, key);
    const first = await call(t, key, 'POST', WITHDRAWAL, withdrawalRequest(other, (await withdrawalPackage(other)).zip));
    assert.equal(first.status, 202, first.text);
    const newId = item(first.text, 'NewArriveID')!;
    const again = await call(t, key, 'POST', WITHDRAWAL, withdrawalRequest(newId, (await withdrawalPackage(newId)).zip));
    assert.equal(again.status, 500);
  });

  void it('GET withdrawal is 405; without a live key nothing is read', async () => {
    const get = await call(t, key, 'GET', WITHDRAWAL);
    assert.equal(get.status, 405);
    assert.equal(get.headers.allow, 'POST');
    assert.equal((await call(t, 'nokey', 'POST', WITHDRAWAL, 'x')).status, 401);
  });
});
