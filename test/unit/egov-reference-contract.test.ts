// Contract tests of 状況照会 and 取下げ against real traffic (test/fixtures/egov-v1/recorded): every
// recorded answer of these two APIs decodes to the recorded values, the recorded 取下げ request is
// rebuilt byte for byte from its ZIP, the paths are exact, a hostile 到達番号 never reaches a request,
// and broken, hostile, huge or truncated answers are refused with typed errors.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isEgovError, type EgovError } from '../../src/main/egov/errors.js';
import { EgovV1Gateway } from '../../src/main/egov/gateway-v1.js';
import type { EgovCaller, EgovRequest, ReplyReader } from '../../src/main/egov/http.js';
import { SENDS_ARRAY_ELEMENTS, decodeSends } from '../../src/main/egov/apply-codec.js';
import { caseStatus } from '../../src/main/egov/reference.js';
import { REFERENCE_ARRAY_ELEMENTS, assertArriveId, decodeCaseStatus, referencePath } from '../../src/main/egov/reference-codec.js';
import { interpretResponse } from '../../src/main/egov/reply.js';
import { sendWithdrawal } from '../../src/main/egov/withdrawal.js';
import { WITHDRAWAL_ARRAY_ELEMENTS, decodeWithdrawalReceipt, decodeWithdrawalRequest, encodeWithdrawalRequest } from '../../src/main/egov/withdrawal-codec.js';
import { recordedDir } from '../support/paths.js';

interface Recording {
  name: string;
  method: string;
  status: number;
  path: string;
  response: Buffer;
  request: Buffer | null;
}

function recording(dir: string, name: string): Recording {
  const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as { method: string; status: number; path: string };
  let request: Buffer | null = null;
  try {
    request = readFileSync(join(dir, 'request.xml'));
  } catch {
    request = null;
  }
  return { name, method: meta.method, status: meta.status, path: meta.path, response: readFileSync(join(dir, 'response.xml')), request };
}

/** Every recorded exchange, wherever kiji's cassettes put it (a 状況照会 hides in amendapply/1). */
function allRecordings(): Recording[] {
  const out: Recording[] = [];
  const walk = (dir: string, name: string): void => {
    const entries = readdirSync(dir, { withFileTypes: true });
    if (entries.some((e) => e.name === 'meta.json')) out.push(recording(dir, name));
    for (const e of entries) if (e.isDirectory() && !e.name.includes('filedata')) walk(join(dir, e.name), name ? `${name}/${e.name}` : e.name);
  };
  walk(recordedDir, '');
  return out;
}

const recordings = allRecordings();
const references = recordings.filter((r) => r.path.startsWith('/shinsei/1/access/reference/'));
const withdrawals = recordings.filter((r) => r.path === '/shinsei/1/access/withdrawal');

function find(name: string): Recording {
  const r = recordings.find((x) => x.name === name);
  assert.ok(r, name);
  return r;
}

const reference = find('reference');
const referenceEnded = find('amendapply/1');
const withdrawal = find('withdrawal/2');

const decodeStatusBody = (body: Buffer | string, status = 200) => decodeCaseStatus(interpretResponse(status, body, { arrayElements: REFERENCE_ARRAY_ELEMENTS }).applData);
const decodeReceiptBody = (body: Buffer | string) => decodeWithdrawalReceipt(interpretResponse(202, body, { arrayElements: WITHDRAWAL_ARRAY_ELEMENTS }).applData);

/** An EgovCaller that answers with fixed bytes, the way EgovClient.call would read them, and records what it was asked. */
function cannedCaller(status: number, body: Buffer | string): EgovCaller & { requests: EgovRequest[] } {
  const requests: EgovRequest[] = [];
  return {
    requests,
    call(request: EgovRequest) {
      requests.push(request);
      return Promise.resolve().then(() => interpretResponse(status, body, { arrayElements: request.arrayElements ?? [] }));
    },
    callReading<T>(request: EgovRequest, read: ReplyReader<T>) {
      requests.push(request);
      return Promise.resolve().then(() => read(status, typeof body === 'string' ? Buffer.from(body, 'utf8') : body));
    },
  };
}

const malformed = (e: unknown): e is EgovError => isEgovError(e, 'EGOV_MALFORMED_RESPONSE');
const invalidArg = (e: unknown): boolean => isEgovError(e, 'EGOV_INVALID_ARGUMENT') && e.delivery === 'not-sent';

function swap(rec: Recording, from: string, to: string): string {
  const text = rec.response.toString('utf8');
  assert.ok(text.includes(from), from);
  return text.replace(from, to);
}

const event = (subId: number, date: string, operatorType: string, processType: string, status: string) => ({
  subId,
  date,
  operatorType,
  processType,
  status,
  payNumber: '',
  payStatus: '',
  totalFee: '',
  payExpiredDate: '',
});

void describe('every recorded 状況照会 and 取下げ', () => {
  void it('are found: two 状況照会 (A.14, A.15) and one 取下げ (A.16)', () => {
    assert.deepEqual(references.map((r) => r.name).sort(), ['amendapply/1', 'reference']);
    assert.deepEqual(withdrawals.map((r) => r.name), ['withdrawal/2']);
  });

  for (const rec of references) {
    void it(`${rec.name}: GET ${rec.path} decodes through the gateway, with the exact request path`, async () => {
      assert.equal(rec.method, 'GET');
      assert.equal(rec.status, 200);
      const arriveId = rec.path.split('/').at(-1)!;
      const caller = cannedCaller(rec.status, rec.response);
      const status = await new EgovV1Gateway(caller).caseStatus('KEY', arriveId);
      assert.equal(status.arriveId, arriveId);
      assert.equal(caller.requests.length, 1);
      assert.deepEqual(caller.requests[0], { method: 'GET', path: `access/reference/${arriveId}`, accessKey: 'KEY', arrayElements: REFERENCE_ARRAY_ELEMENTS });
      assert.equal(`/shinsei/1/${caller.requests[0]?.path}`, rec.path);
    });
  }

  void it('状況照会 審査中（補正待ち） (recorded/reference, A.14)', () => {
    assert.deepEqual(decodeStatusBody(reference.response), {
      arriveId: '9002015000243941',
      procedureName: 'ＡＰＩテスト用手続（労働保険関係手続）（通）０００１／ＡＰＩテスト用手続（労働保険関係手続）（通）０００１',
      amendMessage: '補正待ちの補正通知が1件あります。補正情報を確認し、補正を行ってください。',
      commentMessage: '',
      documentMessage: '',
      payMessage: '',
      status: '審査中（補正待ち）',
      arriveDate: '20150309095605',
      examStartDate: '20150309153512',
      examEndDate: '',
      procedureEndDate: '',
      withdrawFlag: '0',
      withdrawType: '0',
      reintroductionFlag: '0',
      history: [
        event(1, '20150309095605', '送信', '新規申請', '到達'),
        event(2, '20150309153902', '受信', '審査開始通知', '審査中'),
        event(3, '20150309153905', '受信', '補正指示通知', '審査中（補正待ち）'),
      ],
    });
  });

  void it('状況照会 手続終了 with ReintroductionFlag 1 (recorded/amendapply/1, A.15)', () => {
    const status = decodeStatusBody(referenceEnded.response);
    assert.equal(status.arriveId, '9002015000248266');
    assert.equal(status.status, '手続終了');
    assert.equal(status.amendMessage, '');
    assert.deepEqual([status.arriveDate, status.examStartDate, status.examEndDate, status.procedureEndDate], ['20150618133400', '20150618134410', '20150618134429', '20150618134429']);
    assert.equal(status.reintroductionFlag, '1');
    assert.deepEqual(status.history, [
      event(1, '20150618133400', '送信', '新規申請', '到達'),
      event(2, '20150618134538', '受信', '審査開始通知', '審査中'),
      event(3, '20150618134539', '受信', '手続終了通知', '手続終了'),
    ]);
  });

  void it('取下げ 202 (recorded/withdrawal/2, A.16)', () => {
    assert.equal(withdrawal.method, 'POST');
    assert.equal(withdrawal.status, 202);
    assert.deepEqual(decodeReceiptBody(withdrawal.response), {
      arriveId: '9002015000246820',
      newArriveId: '9002015000246823',
      procedureName: '取下げ申請書XML管理手続',
      arriveDate: '20150428112000',
      arriveResult: '到達',
      applyType: '取下げ',
      ministryName: 'デグレ省',
      receptionDesk: '',
      applicantName: '取下申請　太郎',
      formNames: ['取下げ申請書XML'],
      fileNames: ['torisageshinsei.xml'],
      orgDistFileSend: '',
    });
  });

  void it('recorded/withdrawal/1 is no 取下げ but 送信案件一覧 of the batch withdrawn: the case shows 到達（取下げ処理中）', () => {
    const before = find('withdrawal/1');
    assert.equal(before.path, '/shinsei/1/access/apply;id=201504281051005638');
    const [send] = decodeSends(interpretResponse(200, before.response, { arrayElements: SENDS_ARRAY_ELEMENTS }).applData).sends;
    assert.equal(send?.applications[0]?.arriveId, decodeReceiptBody(withdrawal.response).arriveId);
    assert.equal(send?.applications[0]?.status, '到達（取下げ処理中）');
  });

  void it('every 到達番号 anywhere in the recordings is 16 digits (what assertArriveId accepts)', () => {
    for (const rec of recordings) {
      // the abolished 部分補正's answer has an empty NewArriveID; every other one is filled
      for (const m of rec.response.toString('utf8').matchAll(/<(?:New)?ArriveID>([^<]+)</g)) {
        assert.match(m[1]!, /^\d{16}$/, rec.name);
        assert.doesNotThrow(() => assertArriveId(m[1]!));
      }
    }
  });

  void it('取下げ request: FileData decoded and encoded again gives the recorded request byte for byte', () => {
    const request = withdrawal.request;
    assert.ok(request);
    const decoded = decodeWithdrawalRequest(request);
    assert.ok(decoded);
    assert.equal(decoded.arriveId, '9002015000246820');
    assert.equal(decoded.zip.subarray(0, 4).toString('hex'), '504b0304', 'a ZIP');
    const rebuilt = encodeWithdrawalRequest(decoded);
    assert.equal(rebuilt.toString('utf8'), request.toString('utf8'));
    assert.ok(rebuilt.equals(request));
    assert.ok(!rebuilt.toString('utf8').includes('FileName'), 'no FileName in a 取下げ Upload');
  });

  void it('the gateway prepares the exact bytes and their SHA-256, and sendWithdrawal sends them once to the exact path', async () => {
    const caller = cannedCaller(202, withdrawal.response);
    const gateway = new EgovV1Gateway(caller);
    const decoded = decodeWithdrawalRequest(withdrawal.request!)!;
    const prepared = gateway.prepareWithdrawal(decoded);
    assert.ok(prepared.body.equals(withdrawal.request!));
    assert.equal(prepared.sha256, createHash('sha256').update(withdrawal.request!).digest('hex'));
    assert.equal(prepared.arriveId, '9002015000246820');
    const receipt = await gateway.sendWithdrawal('KEY', prepared.body);
    assert.equal(receipt.newArriveId, '9002015000246823');
    assert.equal(caller.requests.length, 1);
    const [req] = caller.requests;
    assert.equal(req?.method, 'POST');
    assert.equal(`/shinsei/1/${req?.path}`, withdrawal.path);
    assert.equal(req?.accessKey, 'KEY');
    assert.ok(Buffer.from(req?.body ?? '', 'utf8').equals(withdrawal.request!));
  });

  void it('a single ApplyHistory, ApplyForm and ApplyFile are still lists; several forms keep their order', () => {
    const one = reference.response.toString('utf8').replace(/\r\n\r\n\t<ApplyHistory>\r\n\t\t<ApplyHistorySubID>[23][\s\S]*?<\/ApplyHistory>/g, '');
    assert.equal(decodeStatusBody(one).history.length, 1);
    const two = swap(withdrawal, '\t<ApplyForm>\r\n\t\t<FormName>取下げ申請書XML</FormName>\r\n\t</ApplyForm>', '\t<ApplyForm><FormName>取下げ申請書XML</FormName></ApplyForm><ApplyForm><FormName>添付</FormName></ApplyForm>');
    assert.deepEqual(decodeReceiptBody(two).formNames, ['取下げ申請書XML', '添付']);
  });

  void it('unknown status strings, event types and flag values are kept verbatim', () => {
    const body = reference.response
      .toString('utf8')
      .replace('<Status>審査中（補正待ち）</Status>', '<Status>取下げ済み（仮）</Status>')
      .replace('<ProcessType>補正指示通知</ProcessType>', '<ProcessType>未知の通知</ProcessType>')
      .replace('<WithdrawType>0</WithdrawType>', '<WithdrawType>2</WithdrawType>')
      .replace('<PayExpiredDate></PayExpiredDate>', '<PayExpiredDate>20150315</PayExpiredDate>')
      .replace('<TotalFee></TotalFee>', '<TotalFee>1,000</TotalFee>');
    const status = decodeStatusBody(body);
    assert.equal(status.status, '取下げ済み（仮）');
    assert.equal(status.history[2]?.processType, '未知の通知');
    assert.equal(status.withdrawType, '2');
    assert.equal(status.history[0]?.payExpiredDate, '20150315');
    assert.equal(status.history[0]?.totalFee, '1,000');
  });
});

void describe('paths and 到達番号', () => {
  void it('builds reference/{到達番号} exactly', () => {
    assert.equal(referencePath('9002015000243941'), 'reference/9002015000243941');
    assert.equal(referencePath('900201500024394112'), 'reference/900201500024394112');
  });

  const hostile = [
    '',
    '900201500024394',
    '9002015000243941123',
    '900201500024394x',
    '９００２０１５０００２４３９４１',
    ' 9002015000243941',
    '9002015000243941\n',
    '9002015000243941/../../bank',
    '../../authentication/login',
    '9002015000243941;id=1',
    '9002015000243941?x=1',
    '9002015000243941%2F',
    '9002015000243941#',
  ];

  void it('a hostile or malformed 到達番号 is refused before any request', async () => {
    for (const arriveId of hostile) {
      assert.throws(() => assertArriveId(arriveId), invalidArg, JSON.stringify(arriveId));
      assert.throws(() => referencePath(arriveId), invalidArg, JSON.stringify(arriveId));
      assert.throws(() => encodeWithdrawalRequest({ arriveId, zip: Buffer.from('PK') }), invalidArg, JSON.stringify(arriveId));
    }
    const caller = cannedCaller(200, reference.response);
    const gateway = new EgovV1Gateway(caller);
    for (const arriveId of hostile) {
      await assert.rejects(gateway.caseStatus('KEY', arriveId), invalidArg, JSON.stringify(arriveId));
      assert.throws(() => gateway.prepareWithdrawal({ arriveId, zip: Buffer.from('PK') }), invalidArg);
    }
    for (const notString of [9002015000243941, null, undefined, ['9002015000243941']]) {
      await assert.rejects(gateway.caseStatus('KEY', notString as unknown as string), invalidArg);
    }
    assert.equal(caller.requests.length, 0, 'nothing sent');
  });

  void it('an answer about another case is refused', async () => {
    await assert.rejects(caseStatus(cannedCaller(200, reference.response), 'KEY', '9002015000248266'), malformed);
    const body = encodeWithdrawalRequest({ arriveId: '9002015000246821', zip: Buffer.from('PK') });
    await assert.rejects(sendWithdrawal(cannedCaller(202, withdrawal.response), 'KEY', body), (e: unknown) => malformed(e) && e.delivery === 'unknown');
  });

  void it('sendWithdrawal sends nothing that is not an encodeWithdrawalRequest body', async () => {
    const caller = cannedCaller(202, withdrawal.response);
    await assert.rejects(sendWithdrawal(caller, 'KEY', Buffer.from('<DataRoot/>')), invalidArg);
    const broken = Buffer.from(withdrawal.request!);
    broken[200] = 0xff; // inside FileData
    await assert.rejects(sendWithdrawal(caller, 'KEY', broken), invalidArg);
    const injected = Buffer.from(withdrawal.request!.toString('utf8').replace('<ArriveID>9002015000246820</ArriveID>', '<ArriveID>9002015000246820</ArriveID><ArriveID>1</ArriveID>'));
    await assert.rejects(sendWithdrawal(caller, 'KEY', injected), invalidArg);
    assert.equal(caller.requests.length, 0);
  });

  void it('refuses an empty or oversized ZIP', () => {
    assert.throws(() => encodeWithdrawalRequest({ arriveId: '9002015000246820', zip: Buffer.alloc(0) }), invalidArg);
    assert.throws(() => encodeWithdrawalRequest({ arriveId: '9002015000246820', zip: Buffer.alloc(1024 * 1024 + 1) }), invalidArg);
  });
});

void describe('broken, hostile, huge and truncated answers are refused with typed errors', () => {
  void it('not XML', async () => {
    await assert.rejects(caseStatus(cannedCaller(200, '<html>proxy error</html'), 'KEY', '9002015000243941'), malformed);
    await assert.rejects(caseStatus(cannedCaller(200, Buffer.from([0xff, 0xfe, 0x00])), 'KEY', '9002015000243941'), malformed);
    await assert.rejects(caseStatus(cannedCaller(200, ''), 'KEY', '9002015000243941'), malformed);
  });

  void it('missing or empty fields the answer must have', () => {
    for (const [from, to] of [
      ['<ArriveID>9002015000243941</ArriveID>', ''],
      ['<ArriveID>9002015000243941</ArriveID>', '<ArriveID></ArriveID>'],
      ['<Status>審査中（補正待ち）</Status>', ''],
      ['<Status>審査中（補正待ち）</Status>', '<Status></Status>'],
      ['<ArriveDate>20150309095605</ArriveDate>', ''],
      ['<WithdrawFlag>0</WithdrawFlag>', ''],
      ['<ReintroductionFlag>0</ReintroductionFlag>', ''],
      ['<ApplyHistorySubID>1</ApplyHistorySubID>', ''],
      ['<RegDate>20150309095605</RegDate>', ''],
    ] as const) {
      assert.throws(() => decodeStatusBody(swap(reference, from, to)), malformed, `${from} → ${to}`);
    }
    for (const [from, to] of [
      ['<ArriveID>9002015000246820</ArriveID>', ''],
      ['<NewArriveID>9002015000246823</NewArriveID>', ''],
      ['<NewArriveID>9002015000246823</NewArriveID>', '<NewArriveID>9002015000246820</NewArriveID>'],
      ['<ArriveDate>20150428112000</ArriveDate>', '<ArriveDate></ArriveDate>'],
      ['<FormName>取下げ申請書XML</FormName>', ''],
    ] as const) {
      assert.throws(() => decodeReceiptBody(swap(withdrawal, from, to)), malformed, `${from} → ${to}`);
    }
  });

  void it('wrong types: 到達番号, dates, flags and event numbers that are not what they should be', () => {
    for (const [from, to] of [
      ['<ArriveID>9002015000243941</ArriveID>', '<ArriveID>900201500024394A</ArriveID>'],
      ['<ArriveID>9002015000243941</ArriveID>', '<ArriveID><x>1</x></ArriveID>'],
      ['<ArriveDate>20150309095605</ArriveDate>', '<ArriveDate>20150231095605</ArriveDate>'],
      ['<ArriveDate>20150309095605</ArriveDate>', '<ArriveDate>2015-03-09</ArriveDate>'],
      ['<ExamStartDate>20150309153512</ExamStartDate>', '<ExamStartDate>20150309246000</ExamStartDate>'],
      ['<ExamEndDate></ExamEndDate>', '<ExamEndDate>soon</ExamEndDate>'],
      ['<WithdrawFlag>0</WithdrawFlag>', '<WithdrawFlag>yes</WithdrawFlag>'],
      ['<WithdrawType>0</WithdrawType>', '<WithdrawType>-1</WithdrawType>'],
      ['<ApplyHistorySubID>1</ApplyHistorySubID>', '<ApplyHistorySubID>0</ApplyHistorySubID>'],
      ['<ApplyHistorySubID>2</ApplyHistorySubID>', '<ApplyHistorySubID>1</ApplyHistorySubID>'],
      ['<ApplyHistorySubID>1</ApplyHistorySubID>', '<ApplyHistorySubID>１</ApplyHistorySubID>'],
      ['<RegDate>20150309095605</RegDate>', '<RegDate>201503090956</RegDate>'],
      ['<PayExpiredDate></PayExpiredDate>', '<PayExpiredDate>20150230</PayExpiredDate>'],
      ['<Status>審査中（補正待ち）</Status>', '<Status>a</Status><Status>b</Status>'],
      ['<ApplyHistory>', '<ApplyHistory>text'],
    ] as const) {
      assert.throws(() => decodeStatusBody(swap(reference, from, to)), malformed, `${from} → ${to}`);
    }
    assert.throws(() => decodeReceiptBody(swap(withdrawal, '<NewArriveID>9002015000246823</NewArriveID>', '<NewArriveID>12</NewArriveID>')), malformed);
    assert.throws(() => decodeReceiptBody(swap(withdrawal, '<ArriveDate>20150428112000</ArriveDate>', '<ArriveDate>20151328112000</ArriveDate>')), malformed);
  });

  void it('a huge answer cut off anywhere, and a huge well-formed one with thousands of events', async () => {
    for (const rec of [reference, referenceEnded]) {
      for (let cut = 1; cut < rec.response.length; cut += 97) {
        await assert.rejects(caseStatus(cannedCaller(200, rec.response.subarray(0, cut)), 'KEY', rec.path.split('/').at(-1)!), malformed, `${rec.name} cut at ${cut}`);
      }
    }
    for (let cut = 1; cut < withdrawal.response.length; cut += 53) {
      const body = encodeWithdrawalRequest({ arriveId: '9002015000246820', zip: Buffer.from('PK') });
      await assert.rejects(sendWithdrawal(cannedCaller(202, withdrawal.response.subarray(0, cut)), 'KEY', body), (e: unknown) => malformed(e) && e.delivery === 'unknown', `cut at ${cut}`);
    }
    const text = reference.response.toString('utf8');
    const block = /\t<ApplyHistory>[\s\S]*?<\/ApplyHistory>\r\n/.exec(text)![0];
    const many = Array.from({ length: 5000 }, (_, i) => block.replace('<ApplyHistorySubID>1<', `<ApplyHistorySubID>${i + 1}<`)).join('\r\n');
    const huge = text.replace(/\t<ApplyHistory>[\s\S]*<\/ApplyHistory>\r\n/, many);
    const status = decodeStatusBody(huge);
    assert.equal(status.history.length, 5000);
    assert.equal(status.history.at(-1)?.subId, 5000);
  });

  void it('a DOCTYPE (entity expansion, external entity) is refused before anything is read', async () => {
    const bomb = reference.response
      .toString('utf8')
      .replace('<DataRoot>', '<!DOCTYPE DataRoot [<!ENTITY a "1"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>\r\n<DataRoot>')
      .replace('<Status>審査中（補正待ち）</Status>', '<Status>&b;</Status>');
    await assert.rejects(caseStatus(cannedCaller(200, bomb), 'KEY', '9002015000243941'), malformed);
    const external = withdrawal.response.toString('utf8').replace('<DataRoot>', '<!DOCTYPE DataRoot SYSTEM "file:///etc/passwd">\r\n<DataRoot>');
    const body = encodeWithdrawalRequest({ arriveId: '9002015000246820', zip: Buffer.from('PK') });
    await assert.rejects(sendWithdrawal(cannedCaller(202, external), 'KEY', body), (e: unknown) => malformed(e) && e.delivery === 'unknown');
    // an entity the parser does not know stays text or fails; it never reaches another file
    const undeclared = swap(reference, '<Status>審査中（補正待ち）</Status>', '<Status>&xxe;</Status>');
    try {
      assert.notEqual(decodeStatusBody(undeclared).status.includes('root:'), true);
    } catch (e) {
      assert.ok(malformed(e));
    }
  });

  void it('after 取下げ, an error answer that may hide an acceptance means delivery unknown; a clear refusal stays as it is', async () => {
    const body = encodeWithdrawalRequest({ arriveId: '9002015000246820', zip: Buffer.from('PK') });
    const systemError = withdrawal.response
      .toString('utf8')
      .replace('<Code>0</Code>', '<Code>1</Code>')
      .replace('<Message></Message>', '<Message>システムでエラーが発生したため処理が中断されました。電子政府利用支援センターまでご連絡ください。</Message>');
    await assert.rejects(sendWithdrawal(cannedCaller(500, systemError), 'KEY', body), (e: unknown) => {
      assert.ok(isEgovError(e, 'EGOV_API_ERROR'));
      assert.equal(e.delivery, 'unknown');
      assert.match(e.messageJa, /状況照会/);
      assert.match(e.messageJa, /9002015000246820/);
      return true;
    });
    const refused = systemError.replace(/<Message>.*<\/Message>/, '<Message>取下げできない状態です。</Message>');
    await assert.rejects(sendWithdrawal(cannedCaller(400, refused), 'KEY', body), (e: unknown) => isEgovError(e, 'EGOV_API_ERROR') && e.delivery === 'answered');
    await assert.rejects(sendWithdrawal(cannedCaller(202, 'garbage'), 'KEY', body), (e: unknown) => malformed(e) && e.delivery === 'unknown');
  });
});
