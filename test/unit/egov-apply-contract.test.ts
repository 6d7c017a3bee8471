// Contract tests of 一括申請, 送信案件一覧 and 申請案件一覧 against real traffic (test/fixtures/egov-v1/
// recorded, recorded-history): every recorded answer decodes to the recorded values, the recorded
// 一括申請 requests are rebuilt byte for byte from their ZIPs, the paths are exact, and broken,
// hostile or truncated answers are refused with typed errors.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { listArrived, listSends, sendBatch } from '../../src/main/egov/apply.js';
import {
  ARRIVED_ARRAY_ELEMENTS,
  SENDS_ARRAY_ELEMENTS,
  applyRequestChunks,
  arrivedPath,
  assertSendNumber,
  checkSendsEcho,
  decodeApplyRequest,
  decodeArrivedList,
  decodeSendReceipt,
  decodeSends,
  encodeApplyRequest,
  isNoSendsMessage,
  looksLikeApplyRequest,
  sendsPath,
} from '../../src/main/egov/apply-codec.js';
import { isEgovError, type EgovError } from '../../src/main/egov/errors.js';
import { EgovV1Gateway, isAccessKeyRejection } from '../../src/main/egov/gateway-v1.js';
import type { EgovCaller, EgovRequest, ReplyReader } from '../../src/main/egov/http.js';
import { interpretResponse } from '../../src/main/egov/reply.js';
import type { SendQuery } from '../../src/shared/filing.js';
import { egovDir, recordedDir } from '../support/paths.js';

const historyDir = join(egovDir, 'recorded-history');
const NO_DATA = '該当する申請情報が存在しません。指定した取得対象期間を確認してください。';

interface Recording {
  status: number;
  path: string;
  response: Buffer;
  request: Buffer | null;
}

function recording(dir: string): Recording {
  const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as { status: number; path: string };
  let request: Buffer | null = null;
  try {
    request = readFileSync(join(dir, 'request.xml'));
  } catch {
    request = null;
  }
  return { status: meta.status, path: meta.path, response: readFileSync(join(dir, 'response.xml')), request };
}

const sendsArrays = { arrayElements: SENDS_ARRAY_ELEMENTS };
const arrivedArrays = { arrayElements: ARRIVED_ARRAY_ELEMENTS };
const decodeSendsBody = (body: Buffer | string, status = 200) => decodeSends(interpretResponse(status, body, sendsArrays).applData);
const decodeArrivedBody = (body: Buffer | string) => decodeArrivedList(interpretResponse(200, body, arrivedArrays).applData);
const decodeReceiptBody = (body: Buffer | string) => decodeSendReceipt(interpretResponse(202, body).applData);

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

const byId = recording(join(recordedDir, 'sends-by-id'));
const byDate = recording(join(recordedDir, 'sends-by-date'));
const arrived = recording(join(recordedDir, 'arrived-by-send-number'));
const apply = recording(join(recordedDir, 'apply'));
const pendingApply = recording(join(historyDir, 'apply-then-sends-by-id-pending', '1'));
const pendingSends = recording(join(historyDir, 'apply-then-sends-by-id-pending', '2'));
const noData = recording(join(historyDir, 'sends-by-date-no-data-400', '2'));
const unsigned = recording(join(historyDir, 'apply-unsigned-package-accepted-202'));

void describe('recorded answers decode to the recorded values', () => {
  void it('一括申請 202 (recorded/apply, A.7)', () => {
    assert.equal(apply.status, 202);
    assert.equal(apply.path, '/shinsei/1/access/apply');
    assert.deepEqual(decodeReceiptBody(apply.response), {
      sendNumber: '201504281145005643',
      sendDate: '20150428114500',
      sendFileName: 'apply.zip',
      sendApplyCount: 1,
      errorCount: 0,
    });
  });

  void it('一括申請 202 of a broken, unsigned package (recorded-history)', () => {
    assert.deepEqual(decodeReceiptBody(unsigned.response), {
      sendNumber: '201504061604574744',
      sendDate: '20150406160457',
      sendFileName: 'test_20140406_01.zip',
      sendApplyCount: 1,
      errorCount: 0,
    });
  });

  void it('送信案件一覧 right after 一括申請: WorkStatus 処理待ち, no Apply (A.8)', () => {
    const receipt = decodeReceiptBody(pendingApply.response);
    assert.equal(pendingSends.path, `/shinsei/1/access/apply;id=${receipt.sendNumber}`);
    const answer = decodeSendsBody(pendingSends.response);
    checkSendsEcho(answer, { sendNumber: receipt.sendNumber });
    assert.deepEqual(answer, {
      sendNumber: '201504061946014767',
      sendDateFrom: '',
      sendDateTo: '',
      sends: [
        {
          sendNumber: '201504061946014767',
          sendDate: '20150406194601',
          workStatus: '処理待ち',
          normalCount: 0,
          allCount: 1,
          errorCount: 0,
          supplementaryMessage: '',
          errorFileBase64: null,
          applications: [],
        },
      ],
    });
  });

  void it('送信案件一覧 by id: one batch of 30, the misspelt CorporationtName read, newest 到達番号 first (A.10)', () => {
    assert.equal(byId.path, '/shinsei/1/access/apply;id=201503090951504109');
    const answer = decodeSendsBody(byId.response);
    checkSendsEcho(answer, { sendNumber: '201503090951504109' });
    assert.equal(answer.sends.length, 1);
    const [send] = answer.sends;
    assert.ok(send);
    assert.equal(send.workStatus, '');
    assert.equal(send.normalCount, 30);
    assert.equal(send.allCount, 30);
    assert.equal(send.applications.length, 30);
    assert.deepEqual(send.applications[0], {
      arriveId: '9002015000243958',
      ministryName: 'デグレ省',
      procedureName: 'ＡＰＩテスト用手続（労働保険適用徴収関係手続）（通）０００３／ＡＰＩテスト用手続（労働保険適用徴収関係手続）（通）０００３',
      procedureFolderName: '900A020700013000(3)',
      applicantName: '威雅武　優座',
      corporationName: '総務省',
      departmentName: '行政管理局',
      status: '審査中（補正待ち）',
      statusDate: '20150309153512',
      payStatus: '-',
      payWaitCount: 0,
      correctStatus: 'あり',
      commentCountNotRead: 0,
      commentCount: 0,
      docCountNotDownload: 0,
      docCount: 0,
    });
    const last = send.applications.at(-1);
    assert.equal(last?.arriveId, '9002015000243883');
    assert.equal(last?.commentCountNotRead, 1);
    const ids = send.applications.map((a) => a.arriveId);
    assert.deepEqual(ids, [...ids].sort().reverse());
  });

  void it('送信案件一覧 by date: 6 batches, 186 applications, newest first, the range echoed (A.11)', () => {
    assert.equal(byDate.path, '/shinsei/1/access/apply;date=20150301-20150310');
    const answer = decodeSendsBody(byDate.response);
    checkSendsEcho(answer, { from: '20150301', to: '20150310' });
    assert.equal(answer.sendNumber, '');
    assert.deepEqual(
      answer.sends.map((s) => [s.sendNumber, s.applications.length]),
      [
        ['201503090953204114', 32],
        ['201503090953124113', 32],
        ['201503090952574112', 32],
        ['201503090952204111', 30],
        ['201503090952104110', 30],
        ['201503090951504109', 30],
      ],
    );
    const all = answer.sends.flatMap((s) => s.applications);
    assert.equal(all.length, 186);
    const statuses = new Set(all.map((a) => a.status));
    assert.deepEqual([...statuses].sort(), ['到達', '審査中（補正待ち）', '審査終了', '手続終了'].sort());
    assert.equal(all[0]?.docCountNotDownload, 2);
    assert.ok(answer.sends.every((s) => s.errorFileBase64 === null && s.workStatus === ''));
  });

  void it('送信案件一覧 "nothing in range" is HTTP 400 Code 1 (A.12): listSends reads it as an empty list, and it is no key refusal', async () => {
    assert.equal(noData.status, 400);
    assert.equal(noData.path, '/shinsei/1/access/apply;date=20150101-20150101');
    let thrown: unknown;
    try {
      interpretResponse(400, noData.response, sendsArrays);
    } catch (e) {
      thrown = e;
    }
    assert.ok(isEgovError(thrown, 'EGOV_API_ERROR'));
    assert.equal(thrown.serverMessage, NO_DATA);
    assert.equal(isNoSendsMessage(thrown.status, thrown.serverMessage), true);
    assert.equal(isAccessKeyRejection(thrown), false);
    const caller = cannedCaller(400, noData.response);
    assert.deepEqual(await listSends(caller, 'KEY', { from: '20150101', to: '20150101' }), []);
    assert.equal(caller.requests[0]?.path, 'access/apply;date=20150101-20150101');
  });

  void it('any other Code 1 of 送信案件一覧 stays an EGOV_API_ERROR', async () => {
    const other = noData.response.toString('utf8').replace(NO_DATA, '取得対象期間の指定が正しくありません。');
    await assert.rejects(listSends(cannedCaller(400, other), 'KEY', { from: '20150101', to: '20150101' }), (e: unknown) => isEgovError(e, 'EGOV_API_ERROR'));
    // the same words with another status are not "no data" either
    await assert.rejects(listSends(cannedCaller(500, noData.response), 'KEY', { from: '20150101', to: '20150101' }), (e: unknown) => isEgovError(e, 'EGOV_API_ERROR'));
  });

  void it('申請案件一覧 (A.13): 30 applications, the same values as in 送信案件一覧', () => {
    assert.equal(arrived.path, '/shinsei/1/access/apply/201503090951504109');
    const list = decodeArrivedBody(arrived.response);
    assert.equal(list.sendNumber, '201503090951504109');
    assert.equal(list.errorCount, 0);
    assert.equal(list.errorFileBase64, null);
    assert.equal(list.applications.length, 30);
    const sends = decodeSendsBody(byId.response).sends[0];
    assert.deepEqual(list.applications, sends?.applications);
  });

  void it('a single Apply and a single PackageApply are still lists', () => {
    const one = pendingSends.response
      .toString('utf8')
      .replace('<ApplyCount>0</ApplyCount>', '<ApplyCount>1</ApplyCount>')
      .replace('\t\t<ApplyCount>1</ApplyCount>', (m) => `${m}\r\n\t\t<Apply><No>1</No><ArriveID>9002015000246820</ArriveID><Status>到達（取下げ処理中）</Status><PayWaitCount>0</PayWaitCount><CommentCountNotRead>0</CommentCountNotRead><CommentCount>0</CommentCount><DocCountNotDownload>0</DocCountNotDownload><DocCount>0</DocCount></Apply>`);
    const answer = decodeSendsBody(one);
    assert.equal(answer.sends.length, 1);
    assert.equal(answer.sends[0]?.applications.length, 1);
    assert.equal(answer.sends[0]?.applications[0]?.status, '到達（取下げ処理中）');
    assert.equal(answer.sends[0]?.applications[0]?.corporationName, '');
  });

  void it('unknown status strings and work statuses are kept verbatim; a non-empty ErrorFile is kept', () => {
    const body = byId.response
      .toString('utf8')
      .replace('<Status>審査中（補正待ち）</Status>', '<Status>未知の状態（仮）</Status>')
      .replace('<WorkStatus></WorkStatus>', '<WorkStatus>形式チェック中</WorkStatus>')
      .replace('<ErrorFile></ErrorFile>', '<ErrorFile>PGh0bWw+PC9odG1sPg==</ErrorFile>');
    const send = decodeSendsBody(body).sends[0];
    assert.equal(send?.applications[0]?.status, '未知の状態（仮）');
    assert.equal(send?.workStatus, '形式チェック中');
    assert.equal(send?.errorFileBase64, 'PGh0bWw+PC9odG1sPg==');
  });
});

void describe('the 一括申請 request', () => {
  const recordedRequests = [
    ['recorded/apply', apply.request],
    ['apply-then-sends-by-id-pending/1', pendingApply.request],
    ['apply-unsigned-package-accepted-202', unsigned.request],
  ] as const;

  for (const [name, request] of recordedRequests) {
    void it(`${name}: FileData decoded and encoded again gives the recorded request byte for byte`, () => {
      assert.ok(request);
      const batch = decodeApplyRequest(request);
      assert.equal(batch.zip.subarray(0, 4).toString('hex'), '504b0304', 'a ZIP');
      const rebuilt = encodeApplyRequest(batch);
      assert.equal(rebuilt.toString('utf8'), request.toString('utf8'));
      assert.ok(rebuilt.equals(request));
      assert.ok(looksLikeApplyRequest(rebuilt));
      assert.ok(Buffer.concat([...applyRequestChunks(batch)]).equals(rebuilt));
    });
  }

  void it('wraps at 60 characters with a final LF for every ZIP length around the line and block edges', () => {
    for (const n of [1, 2, 3, 44, 45, 46, 89, 90, 91, 45 * 1024 - 1, 45 * 1024, 45 * 1024 + 1, 200_003]) {
      const zip = randomBytes(n);
      const body = encodeApplyRequest({ fileName: 'a.zip', zip });
      const text = body.toString('utf8');
      const m = /<FileData>([\s\S]*)<\/FileData>/.exec(text);
      assert.ok(m);
      const data = m[1]!;
      assert.ok(data.endsWith('\n'), `final LF for ${n}`);
      const lines = data.slice(0, -1).split('\n');
      assert.ok(lines.slice(0, -1).every((l) => l.length === 60), `full lines for ${n}`);
      assert.ok(lines.at(-1)!.length > 0 && lines.at(-1)!.length <= 60);
      assert.equal(lines.join(''), zip.toString('base64'));
      assert.ok(decodeApplyRequest(body).zip.equals(zip));
    }
  });

  void it('a ZIP given in pieces (as the packer collects it) gives the same request as the whole, wherever the pieces are cut', () => {
    const zip = randomBytes(45 * 1024 * 3 + 17);
    const whole = encodeApplyRequest({ fileName: 'a.zip', zip });
    const cuts: number[][] = [
      [],
      [0],
      [1],
      [44],
      [45],
      [46],
      [1, 2, 3],
      [45 * 1024 - 1, 45 * 1024 + 1],
      [256 * 1024, 256 * 1024 * 2].filter((c) => c < zip.length),
      Array.from({ length: 40 }, (_, i) => (i * 3541) % zip.length).sort((a, b) => a - b),
    ];
    for (const at of cuts) {
      const edges = [0, ...at, zip.length];
      const parts = edges.slice(1).map((end, i) => zip.subarray(edges[i]!, end));
      assert.ok(encodeApplyRequest({ fileName: 'a.zip', zip: parts }).equals(whole), `cut at ${at.join(',')}`);
      assert.ok(Buffer.concat([...applyRequestChunks({ fileName: 'a.zip', zip: parts })]).equals(whole));
    }
  });

  void it('refuses pieces that are empty in all or are not bytes', () => {
    assert.throws(() => encodeApplyRequest({ fileName: 'a.zip', zip: [] }), invalidArg);
    assert.throws(() => encodeApplyRequest({ fileName: 'a.zip', zip: [Buffer.alloc(0), Buffer.alloc(0)] }), invalidArg);
    assert.throws(() => encodeApplyRequest({ fileName: 'a.zip', zip: [Buffer.from('PK'), 'QQ' as unknown as Uint8Array] }), invalidArg);
    assert.throws(() => encodeApplyRequest({ fileName: 'a.zip', zip: 'PK' as unknown as Uint8Array }), invalidArg);
  });

  void it('a 10 MB ZIP becomes one buffer of exactly the announced size', () => {
    const zip = randomBytes(10 * 1024 * 1024);
    const body = encodeApplyRequest({ fileName: 'big.zip', zip });
    const base64Chars = Math.ceil(zip.length / 3) * 4;
    const expected = Buffer.byteLength(encodeApplyRequest({ fileName: 'big.zip', zip: Buffer.from('x') }).toString('utf8').replace(/<FileData>[\s\S]*<\/FileData>/, '<FileData></FileData>')) + base64Chars + Math.ceil(zip.length / 45);
    assert.equal(body.length, expected);
    assert.ok(decodeApplyRequest(body).zip.equals(zip));
  });

  void it('escapes the file name and keeps a Japanese name as UTF-8', () => {
    const body = encodeApplyRequest({ fileName: '申請 <1>&.zip', zip: Buffer.from('PK') });
    assert.ok(body.toString('utf8').includes('<FileName>申請 &lt;1&gt;&amp;.zip</FileName>'));
    assert.equal(decodeApplyRequest(body).fileName, '申請 <1>&.zip');
  });

  void it('refuses an empty ZIP and names that are empty, too long, paths or hold control characters', () => {
    assert.throws(() => encodeApplyRequest({ fileName: 'a.zip', zip: Buffer.alloc(0) }), invalidArg);
    for (const fileName of ['', '   ', 'a/b.zip', 'a\\b.zip', 'a\nb.zip', 'a\u0000.zip', 'x'.repeat(201), '\ud800.zip']) {
      assert.throws(() => encodeApplyRequest({ fileName, zip: Buffer.from('PK') }), invalidArg, JSON.stringify(fileName));
    }
  });

  void it('the gateway prepares the exact bytes and their SHA-256, and sends nothing else', async () => {
    const gateway = new EgovV1Gateway(cannedCaller(202, apply.response));
    const batch = decodeApplyRequest(apply.request!);
    const prepared = gateway.prepareBatch(batch);
    assert.ok(prepared.body.equals(apply.request!));
    assert.equal(prepared.sha256, createHash('sha256').update(apply.request!).digest('hex'));
    assert.equal(prepared.fileName, 'apply.zip');
    await assert.rejects(gateway.sendBatch('KEY', Buffer.from('<DataRoot/>')), invalidArg);
    const broken = Buffer.from(prepared.body);
    broken[200] = 0xff; // inside FileData: no longer UTF-8
    await assert.rejects(gateway.sendBatch('KEY', broken), invalidArg);
  });

  void it('sendBatch sends the prepared text, once, with the key', async () => {
    const caller = cannedCaller(202, apply.response);
    const receipt = await sendBatch(caller, 'KEY', apply.request!);
    assert.equal(receipt.sendNumber, '201504281145005643');
    assert.equal(caller.requests.length, 1);
    const [req] = caller.requests;
    assert.equal(req?.method, 'POST');
    assert.equal(req?.path, 'access/apply');
    assert.equal(req?.accessKey, 'KEY');
    assert.ok(Buffer.from(req?.body ?? '', 'utf8').equals(apply.request!));
  });
});

void describe('paths with matrix parameters', () => {
  void it('builds apply;id=, apply;date=FROM-TO and apply/{送信番号} exactly', () => {
    assert.equal(sendsPath({ sendNumber: '201504281145005643' }), 'apply;id=201504281145005643');
    assert.equal(sendsPath({ from: '20150301', to: '20150310' }), 'apply;date=20150301-20150310');
    assert.equal(sendsPath({ from: '20150101', to: '20150101' }), 'apply;date=20150101-20150101');
    assert.equal(sendsPath({ from: '20240229', to: '20240301' }), 'apply;date=20240229-20240301');
    assert.equal(arrivedPath('201503090951504109'), 'apply/201503090951504109');
  });

  void it('refuses a 送信番号 that is not 18 digits of a real send time + counter, before sending', async () => {
    const bad = ['', '20150428114500564', '2015042811450056430', '20150428114500564x', '２０１５０４２８１１４５００５６４３', '201513281145005643', '201502301145005643', '201504282445005643', '201504281145005643;date=20150101-20150101', ' 201504281145005643', '201504281145005643/../bank'];
    for (const sendNumber of bad) {
      assert.throws(() => assertSendNumber(sendNumber), invalidArg, sendNumber);
      assert.throws(() => sendsPath({ sendNumber }), invalidArg, sendNumber);
      assert.throws(() => arrivedPath(sendNumber), invalidArg, sendNumber);
    }
    const caller = cannedCaller(200, byId.response);
    await assert.rejects(listSends(caller, 'KEY', { sendNumber: '1234' }), invalidArg);
    await assert.rejects(listArrived(caller, 'KEY', '1234'), invalidArg);
    assert.equal(caller.requests.length, 0, 'nothing sent');
  });

  void it('refuses dates that do not exist, are not YYYYMMDD, or run backwards', () => {
    const bad: SendQuery[] = [
      { from: '20150230', to: '20150301' },
      { from: '20151301', to: '20151302' },
      { from: '20150100', to: '20150101' },
      { from: '2015-03-01', to: '20150310' },
      { from: '20150301', to: '2015031' },
      { from: '20230229', to: '20230301' },
      { from: '20150310', to: '20150301' },
      { from: '20150301', to: '20150310;id=1' },
    ];
    for (const q of bad) assert.throws(() => sendsPath(q), invalidArg, JSON.stringify(q));
  });
});

void describe('broken, hostile and truncated answers are refused with typed errors', () => {
  const swap = (rec: Recording, from: string, to: string): string => {
    const text = rec.response.toString('utf8');
    assert.ok(text.includes(from), from);
    return text.replace(from, to);
  };

  void it('not XML', async () => {
    await assert.rejects(sendBatch(cannedCaller(202, '<html>proxy error</html'), 'KEY', apply.request!), malformed);
    await assert.rejects(listSends(cannedCaller(200, 'Service Unavailable'), 'KEY', { sendNumber: '201503090951504109' }), malformed);
    await assert.rejects(listArrived(cannedCaller(200, Buffer.from([0xff, 0xfe, 0x00])), 'KEY', '201503090951504109'), malformed);
  });

  void it('a missing or malformed SendNumber', () => {
    assert.throws(() => decodeReceiptBody(swap(apply, '<SendNumber>201504281145005643</SendNumber>', '')), malformed);
    assert.throws(() => decodeReceiptBody(swap(apply, '<SendNumber>201504281145005643</SendNumber>', '<SendNumber></SendNumber>')), malformed);
    assert.throws(() => decodeReceiptBody(swap(apply, '201504281145005643', '20150428114500564')), malformed);
    assert.throws(() => decodeArrivedBody(swap(arrived, '<SendNumber>201503090951504109</SendNumber>', '')), malformed);
    assert.throws(() => decodeSendsBody(swap(pendingSends, '\t\t<SendNumber>201504061946014767</SendNumber>', '\t\t<SendNumber>x</SendNumber>')), malformed);
  });

  void it('a count that is not digits', () => {
    for (const bad of ['1a', '-1', '１', '', ' 1 2', '1.0', '9999999999']) {
      assert.throws(() => decodeReceiptBody(swap(apply, '<SendApplyCount>1</SendApplyCount>', `<SendApplyCount>${bad}</SendApplyCount>`)), malformed, bad);
    }
    assert.throws(() => decodeSendsBody(swap(byId, '<NormalCount>30</NormalCount>', '<NormalCount>thirty</NormalCount>')), malformed);
    assert.throws(() => decodeArrivedBody(swap(arrived, '<DocCount>0</DocCount>', '<DocCount>0x1</DocCount>')), malformed);
    assert.throws(() => decodeSendsBody(swap(pendingSends, '<PackageApplyCount>1</PackageApplyCount>', '<PackageApplyCount>one</PackageApplyCount>')), malformed);
  });

  void it('counts that do not match the lists, and an echo of another query', async () => {
    assert.throws(() => decodeSendsBody(swap(pendingSends, '<PackageApplyCount>1</PackageApplyCount>', '<PackageApplyCount>2</PackageApplyCount>')), malformed);
    assert.throws(() => decodeSendsBody(swap(byId, '<ApplyCount>30</ApplyCount>', '<ApplyCount>31</ApplyCount>')), malformed);
    assert.throws(() => decodeArrivedBody(swap(arrived, '<ApplyCount>30</ApplyCount>', '<ApplyCount>29</ApplyCount>')), malformed);
    await assert.rejects(listSends(cannedCaller(200, byId.response), 'KEY', { sendNumber: '201504061946014767' }), malformed);
    await assert.rejects(listSends(cannedCaller(200, byDate.response), 'KEY', { from: '20150301', to: '20150311' }), malformed);
    await assert.rejects(listSends(cannedCaller(200, byDate.response), 'KEY', { sendNumber: '201503090951504109' }), malformed);
    await assert.rejects(listArrived(cannedCaller(200, arrived.response), 'KEY', '201504061946014767'), malformed);
  });

  void it('a huge answer cut off in the middle', async () => {
    for (const cut of [1000, 80_000, byDate.response.length - 5]) {
      const truncated = byDate.response.subarray(0, cut);
      await assert.rejects(listSends(cannedCaller(200, truncated), 'KEY', { from: '20150301', to: '20150310' }), malformed, String(cut));
    }
  });

  void it('a DOCTYPE (entity expansion) is refused before anything is read', async () => {
    const hostile = apply.response
      .toString('utf8')
      .replace('<DataRoot>', '<!DOCTYPE DataRoot [<!ENTITY a "1"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>\r\n<DataRoot>')
      .replace('<SendApplyCount>1</SendApplyCount>', '<SendApplyCount>&b;</SendApplyCount>');
    await assert.rejects(sendBatch(cannedCaller(202, hostile), 'KEY', apply.request!), malformed);
    const sends = byId.response.toString('utf8').replace('<DataRoot>', '<!DOCTYPE DataRoot SYSTEM "file:///etc/passwd">\r\n<DataRoot>');
    await assert.rejects(listSends(cannedCaller(200, sends), 'KEY', { sendNumber: '201503090951504109' }), malformed);
  });

  void it('after 一括申請, an unreadable answer means the batch may be at e-Gov: delivery unknown', async () => {
    await assert.rejects(sendBatch(cannedCaller(202, swap(apply, '<SendNumber>201504281145005643</SendNumber>', '')), 'KEY', apply.request!), (e: unknown) => {
      assert.ok(malformed(e));
      assert.equal(e.delivery, 'unknown');
      assert.match(e.messageJa, /送信案件一覧/);
      return true;
    });
    await assert.rejects(sendBatch(cannedCaller(202, 'garbage'), 'KEY', apply.request!), (e: unknown) => malformed(e) && e.delivery === 'unknown');
  });
});
