// Integration (Node): the sandbox's 状況照会 (GET reference/{到達番号}, REFERENCE §4.6, A.14): the
// writer against the recorded body byte for byte; a case moved by the operator through the recorded
// sequence answers A.14 with only its own dates and the 補正 message (no 補正 in the sandbox yet)
// substituted; unknown and another user's 到達番号; hostile paths.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { HistoryEntry } from '../../src/sandbox/state/history.js';
import { writeReferenceBody } from '../../src/sandbox/wire/reference-family.js';
import { recordedDir } from '../support/paths.js';
import { item, startTestSandbox, type RecordedMeta, type TestSandbox } from './sandbox-support.js';
import { APPLY, REFERENCE, arriveSample, call, caseSnapshot, egovCertificates, setArriveCounter, userWithKey } from './sandbox-withdrawal-support.js';

// a GET: the recording has no request.xml
const A14 = readFileSync(join(recordedDir, 'reference', 'response.xml'));
const A14_META = JSON.parse(readFileSync(join(recordedDir, 'reference', 'meta.json'), 'utf8')) as RecordedMeta;

void describe('状況照会 writer', () => {
  void it('A.14 (審査中（補正待ち）, three history entries): byte for byte', () => {
    const text = A14.toString('utf8');
    const v = (n: string) => item(text, n)!;
    const history: HistoryEntry[] = [...text.matchAll(/<ApplyHistory>([\s\S]*?)<\/ApplyHistory>/g)].map((m) => ({
      subId: Number(item(m[1]!, 'ApplyHistorySubID')),
      regDate: item(m[1]!, 'RegDate')!,
      operatorType: item(m[1]!, 'OperatorType')!,
      processType: item(m[1]!, 'ProcessType')!,
      applyStatus: item(m[1]!, 'ApplyStatus')!,
      payNumber: item(m[1]!, 'PayNumber')!,
      payStatus: item(m[1]!, 'PayStatus')!,
      totalFee: item(m[1]!, 'TotalFee')!,
      payExpiredDate: item(m[1]!, 'PayExpiredDate')!,
    }));
    assert.equal(history.length, 3);
    const ours = writeReferenceBody(
      { code: '0', message: '' },
      {
        arriveId: v('ArriveID'),
        procName: v('ProcName'),
        amendMessage: v('AmendMessage'),
        commentMessage: v('CommentMessage'),
        documentMessage: v('DocumentMessage'),
        payMessage: v('PayMessage'),
        status: v('Status'),
        arriveDate: v('ArriveDate'),
        examStartDate: v('ExamStartDate'),
        examEndDate: v('ExamEndDate'),
        procEndDate: v('ProcEndDate'),
        withdrawFlag: v('WithdrawFlag'),
        withdrawType: v('WithdrawType'),
        reintroductionFlag: v('ReintroductionFlag'),
        history,
      },
    );
    assert.ok(Buffer.from(ours, 'utf8').equals(A14));
  });
});

void describe('sandbox 状況照会', () => {
  let t: TestSandbox;
  let key: string;
  let arriveId = '';
  before(async () => {
    t = await startTestSandbox({ trust: egovCertificates, bundledTrust: false, formatCheckDelayMs: 600_000, keyTtlSeconds: 365 * 86_400, at: '2015-03-09T09:56:00+09:00' });
    key = await userWithKey(t, 'kufutest01');
    setArriveCounter(t.dataDir, 243_940);
    arriveId = await arriveSample(t, key, '2015-03-09T09:56:05+09:00');
  });
  after(() => t.close());

  void it('a case moved through the recorded events answers A.14 with its own ExamStartDate and no 補正 message', async () => {
    assert.equal(arriveId, '9002015000243941');
    t.setClock('2015-03-09T15:39:02+09:00');
    t.sandbox.operate({ action: 'start-exam', arriveId });
    t.setClock('2015-03-09T15:39:05+09:00');
    t.sandbox.operate({ action: 'set-status', arriveId, status: '審査中（補正待ち）', processType: '補正指示通知' });
    const meta = A14_META;
    t.setClock(new Date(meta.recorded_at));
    const res = await call(t, key, 'GET', meta.path);
    assert.equal(res.status, 200, res.text);
    const expected = A14.toString('utf8')
      .replace(/<AmendMessage>[^<]*</, '<AmendMessage><')
      .replace('<ExamStartDate>20150309153512<', '<ExamStartDate>20150309153902<');
    assert.equal(res.text, expected);
    assert.equal(res.headers.date, meta.recorded_at);
    // the list shows the status and the time it changed
    const list = await call(t, key, 'GET', `${APPLY};date=20150309-20150309`);
    assert.equal(item(list.text, 'Status'), '審査中（補正待ち）');
    assert.equal(item(list.text, 'StatusDate'), '20150309153905');
  });

  void it('unknown 到達番号 and another user’s: the same 400 in the A.14 layout, the number echoed, no history', async () => {
    const otherKey = await userWithKey(t, 'another01');
    const unknown = await call(t, key, 'GET', `${REFERENCE}/9002015000000999`);
    const foreign = await call(t, otherKey, 'GET', `${REFERENCE}/${arriveId}`);
    for (const [res, id] of [
      [unknown, '9002015000000999'],
      [foreign, arriveId],
    ] as const) {
      assert.equal(res.status, 400);
      assert.equal(item(res.text, 'Message'), '該当する申請情報が存在しません。到達番号を確認してください。');
      assert.equal(item(res.text, 'ArriveID'), id);
      assert.ok(res.text.endsWith('\t<ReintroductionFlag></ReintroductionFlag>\r\n\r\n\r\n\r\n</ApplData>\r\n\r\n</DataRoot>'), res.text);
      assert.ok(!res.text.includes('ApplyHistory'));
    }
    assert.equal(unknown.text.replace('9002015000000999', arriveId), foreign.text);
  });

  void it('hostile paths: traversal, percent-encoding, over-long, extra segments, matrix parameters, other methods; nothing changes', async () => {
    const before = caseSnapshot(t.dataDir);
    const encoded = [...arriveId].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('');
    const same = await call(t, key, 'GET', `${REFERENCE}/${encoded}`);
    assert.equal(same.status, 200);
    assert.equal(item(same.text, 'ArriveID'), arriveId);
    const expect: Array<[string, number]> = [
      [`${REFERENCE}/..%2F..%2Fapply`, 400],
      [`${REFERENCE}/%2e%2e%2f${arriveId}`, 400],
      [`${REFERENCE}/${arriveId}%00`, 400],
      [`${REFERENCE}/%E0%A4%A`, 404],
      [`${REFERENCE}/${'9'.repeat(2000)}`, 400],
      [`${REFERENCE}/-1`, 400],
      [`${REFERENCE}/${arriveId}/`, 404],
      [`${REFERENCE}/${arriveId}/x`, 404],
      [`${REFERENCE}/${arriveId};id=1`, 404],
      [`${REFERENCE}/`, 404],
      [REFERENCE, 404],
    ];
    for (const [path, status] of expect) {
      const res = await call(t, key, 'GET', path);
      assert.equal(res.status, status, `${path}: ${res.text}`);
      assert.ok(res.text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\r\n<DataRoot>\r\n'), path);
      assert.ok(!res.text.includes('<ApplyHistory>'), path);
    }
    // dot segments are resolved before routing, as any URL is: this one names 利用者ID登録, which is POST only
    assert.equal((await call(t, key, 'GET', `${REFERENCE}/../../authentication/user`)).status, 405);
    const long = await call(t, key, 'GET', `${REFERENCE}/${'9'.repeat(2000)}`);
    assert.equal(item(long.text, 'ArriveID'), '');
    const post = await call(t, key, 'POST', `${REFERENCE}/${arriveId}`, 'x');
    assert.equal(post.status, 405);
    assert.equal(post.headers.allow, 'GET');
    assert.equal((await call(t, 'no-such-key', 'GET', `${REFERENCE}/${arriveId}`)).status, 401);
    assert.equal(caseSnapshot(t.dataDir), before);
  });
});
