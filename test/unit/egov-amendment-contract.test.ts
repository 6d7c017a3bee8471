// Contract tests of 補正申請 / 再提出 / 部分補正 against real traffic (test/fixtures/egov-v1/recorded*,
// A.18–A.21): each recorded request is rebuilt byte for byte from its ZIP, sent to the exact path,
// and its answer decodes; the delivery rules hold (a 500 — the recorded answer for an ineligible case —
// an unreadable answer, a timeout or a reset are 'unknown' and forbid a blind resend; 400 and 401 stay
// answered); bytes that are not a prepared 補正 of that kind never go out.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { MAX_AMENDMENT_ZIP_BYTES, decodeAmendmentRequest, encodeAmendmentRequest } from '../../src/main/egov/amendment-codec.js';
import { connectionFailed, connectionReset, isEgovError, timedOut, type EgovError } from '../../src/main/egov/errors.js';
import { EgovV1Gateway } from '../../src/main/egov/gateway-v1.js';
import type { AmendmentKind } from '../../src/shared/documents.js';
import { cannedCaller, failingCaller, recordedExchange, swapped, type RecordedExchange } from '../support/recorded-exchange.js';

const amendapply = recordedExchange('recorded/amendapply/2');
const reamend = recordedExchange('recorded/reamend-abolished');
const partamend = recordedExchange('recorded/partamend-abolished');
const ineligible = recordedExchange('recorded-history/amendapply-ineligible-500');

const PROC_1 = 'ＡＰＩテスト用手続（労働保険関係手続）（通）０００１／ＡＰＩテスト用手続（労働保険関係手続）（通）０００１';
const FORM = 'ＡＰＩテスト用手続（労働保険関係手続）（通）０００１＿０１';

function zipOf(rec: RecordedExchange): Buffer {
  const m = /<FileData>([^<]*)<\/FileData>/.exec(rec.request!.toString('latin1'));
  assert.ok(m);
  return Buffer.from(m[1]!.replace(/\n/g, ''), 'base64');
}

const arriveIdOf = (rec: RecordedExchange): string => /<ArriveID>(\d+)<\/ArriveID>/.exec(rec.request!.toString('latin1'))![1]!;

const receipt = (arriveId: string, newArriveId: string, arriveDate: string, two: boolean) => ({
  arriveId,
  newArriveId,
  procedureName: PROC_1,
  arriveDate,
  arriveResult: '到達',
  applyType: '補正',
  ministryName: 'デグレ省',
  receptionDesk: '総務省,行政管理局,API',
  applicantName: 'ほげ　ほげ',
  formNames: two ? [FORM, 'テスト添付書類１'] : [FORM],
  fileNames: two ? ['900A01020000100001_01.xml', 'tenpu.txt'] : ['900A01020000100001_01.xml'],
  orgDistFileSend: '',
});

const recorded = [
  { kind: 'amendapply', rec: amendapply, target: undefined, expected: receipt('9002015000248266', '9002015000248393', '20150625141736', true) },
  { kind: 'reamend', rec: reamend, target: undefined, expected: null },
  { kind: 'partamend', rec: partamend, target: { basicForm: true, attached: false }, expected: receipt('9002015000243941', '', '20150617121224', false) },
] as const;

const unknownWithCheck = (e: unknown): e is EgovError => isEgovError(e) && e.delivery === 'unknown' && e.messageJa.includes('状況照会で確認してから');
const invalidArg = (e: unknown): boolean => isEgovError(e, 'EGOV_INVALID_ARGUMENT') && e.delivery === 'not-sent';

void describe('every recorded 補正 request is rebuilt and sent byte for byte', () => {
  for (const r of recorded) {
    void it(`${r.kind}: prepareAmendment rebuilds the body of ${r.rec.path} from its ZIP, and sendAmendment sends exactly it`, async () => {
      assert.equal(r.rec.method, 'POST');
      assert.equal(r.rec.status, 202);
      const gateway = new EgovV1Gateway(cannedCaller(r.rec.status, r.rec.response));
      const arriveId = arriveIdOf(r.rec);
      const prepared = gateway.prepareAmendment({ kind: r.kind, arriveId, zip: zipOf(r.rec), ...(r.target ? { target: r.target } : {}) });
      assert.deepEqual(prepared.body, r.rec.request);
      assert.equal(prepared.kind, r.kind);
      assert.equal(prepared.arriveId, arriveId);
      assert.equal(prepared.sha256, createHash('sha256').update(r.rec.request!).digest('hex'));

      const caller = cannedCaller(r.rec.status, r.rec.response);
      const answer = await new EgovV1Gateway(caller).sendAmendment('KEY', r.kind, prepared.body);
      assert.equal(caller.requests.length, 1);
      const request = caller.requests[0]!;
      assert.equal(request.method, 'POST');
      assert.equal(`/shinsei/1/${request.path}`, r.rec.path);
      assert.equal(request.accessKey, 'KEY');
      assert.deepEqual(Buffer.from(request.body!, 'utf8'), r.rec.request);
      assert.deepEqual(request.arrayElements, ['ApplyForm', 'ApplyFile']);
      if (r.expected) assert.deepEqual(answer, r.expected);
      else assert.equal(answer.arriveId, arriveId);
    });
  }

  void it('再提出 (A.18) decodes to its own new 到達番号 and two forms', async () => {
    const answer = await new EgovV1Gateway(cannedCaller(202, reamend.response)).sendAmendment('KEY', 'reamend', reamend.request!);
    assert.notEqual(answer.newArriveId, '');
    assert.notEqual(answer.newArriveId, answer.arriveId);
    assert.equal(answer.formNames.length, 2);
  });

  void it('decodeAmendmentRequest reads each recorded body back for its own kind only', () => {
    assert.deepEqual(decodeAmendmentRequest('amendapply', amendapply.request!), { arriveId: '9002015000248266', zip: zipOf(amendapply) });
    assert.deepEqual(decodeAmendmentRequest('partamend', partamend.request!), { arriveId: '9002015000243941', zip: zipOf(partamend), target: { basicForm: true, attached: false } });
    // 補正申請 and 再提出 share one frame: the body cannot tell them apart, which is why the kind travels beside it
    assert.ok(decodeAmendmentRequest('reamend', amendapply.request!));
    assert.equal(decodeAmendmentRequest('amendapply', partamend.request!), null);
    assert.equal(decodeAmendmentRequest('partamend', amendapply.request!), null);
    assert.equal(decodeAmendmentRequest('withdrawal' as AmendmentKind, amendapply.request!), null);
  });
});

void describe('what sendAmendment refuses to send', () => {
  const text = amendapply.request!.toString('latin1');
  const altered = [
    ['CRLF line ends', text.replace(/\n/g, '\r\n')],
    ['an extra space', text.replace('<Upload>', '<Upload> ')],
    ['no final LF', text.slice(0, -1)],
    ['a non-ASCII byte in the base64', text.replace('UEsDBBQ', 'UEsD\u00e9BQ')],
    ['a 17-digit ArriveID cut to 15', text.replace('9002015000248266', '900201500024826')],
    ['a second ApplData', text.replace('</DataRoot>', '<ApplData/></DataRoot>')],
    ['a Target with both flags 0', partamend.request!.toString('latin1').replace('<BasicFormFlag>1<', '<BasicFormFlag>0<')],
    ['a Target flag 2', partamend.request!.toString('latin1').replace('<BasicFormFlag>1<', '<BasicFormFlag>2<')],
    ['empty', ''],
  ] as const;
  for (const [what, body] of altered) {
    void it(`a body with ${what}`, async () => {
      const caller = cannedCaller(202, amendapply.response);
      const gateway = new EgovV1Gateway(caller);
      for (const kind of ['amendapply', 'partamend'] as const) await assert.rejects(gateway.sendAmendment('KEY', kind, Buffer.from(body, 'latin1')), invalidArg);
      assert.equal(caller.requests.length, 0);
    });
  }

  void it('a body prepared for another kind, or an unknown kind', async () => {
    const caller = cannedCaller(202, amendapply.response);
    const gateway = new EgovV1Gateway(caller);
    await assert.rejects(gateway.sendAmendment('KEY', 'partamend', amendapply.request!), invalidArg);
    await assert.rejects(gateway.sendAmendment('KEY', 'amendapply', partamend.request!), invalidArg);
    await assert.rejects(gateway.sendAmendment('KEY', 'apply' as AmendmentKind, amendapply.request!), invalidArg);
    assert.equal(caller.requests.length, 0);
  });

  void it('prepareAmendment refuses an empty or oversized ZIP, a bad 到達番号 or kind, and a Target where it does not belong', () => {
    const zip = zipOf(amendapply);
    const base = { kind: 'amendapply' as AmendmentKind, arriveId: '9002015000248266', zip };
    const bads = [
      { ...base, zip: new Uint8Array() },
      { ...base, zip: new Uint8Array(MAX_AMENDMENT_ZIP_BYTES + 1) },
      { ...base, arriveId: '9002015000248266</ArriveID>' },
      { ...base, arriveId: '' },
      { ...base, kind: 'withdrawal' as AmendmentKind },
      { ...base, target: { basicForm: true, attached: false } },
      { ...base, kind: 'partamend' as AmendmentKind },
      { ...base, kind: 'partamend' as AmendmentKind, target: { basicForm: false, attached: false } },
      { ...base, kind: 'partamend' as AmendmentKind, target: { basicForm: 1 as unknown as boolean, attached: false } },
    ];
    for (const bad of bads) assert.throws(() => encodeAmendmentRequest(bad), invalidArg, JSON.stringify({ ...bad, zip: bad.zip.length }));
  });

  void it('部分補正 of attachments only, or of both, in the same frame', () => {
    const zip = zipOf(partamend);
    const both = encodeAmendmentRequest({ kind: 'partamend', arriveId: '9002015000243941', zip, target: { basicForm: true, attached: true } });
    assert.equal(both.toString('latin1'), partamend.request!.toString('latin1').replace('<AttachedFlag>0<', '<AttachedFlag>1<'));
    assert.deepEqual(decodeAmendmentRequest('partamend', both)?.target, { basicForm: true, attached: true });
    const attachedOnly = encodeAmendmentRequest({ kind: 'partamend', arriveId: '9002015000243941', zip, target: { basicForm: false, attached: true } });
    assert.deepEqual(decodeAmendmentRequest('partamend', attachedOnly)?.target, { basicForm: false, attached: true });
  });
});

void describe('delivery of a 補正 whose answer is not a receipt', () => {
  const send = (caller: ReturnType<typeof cannedCaller>, kind: AmendmentKind = 'amendapply', body: Buffer = amendapply.request!) => new EgovV1Gateway(caller).sendAmendment('KEY', kind, body);

  void it('the recorded HTTP 500 for an ineligible case (A.21) is unknown: check 状況照会 before any resend', async () => {
    assert.equal(ineligible.status, 500);
    const gateway = new EgovV1Gateway(cannedCaller(500, ineligible.response));
    assert.deepEqual(gateway.prepareAmendment({ kind: 'amendapply', arriveId: arriveIdOf(ineligible), zip: zipOf(ineligible) }).body, ineligible.request);
    await assert.rejects(gateway.sendAmendment('KEY', 'amendapply', ineligible.request!), (e: unknown) => {
      assert.ok(unknownWithCheck(e));
      assert.equal(e.code, 'EGOV_API_ERROR');
      assert.equal(e.status, 500);
      assert.equal(e.serverMessage, 'システムでエラーが発生したため処理が中断されました。電子政府利用支援センターまでご連絡ください。');
      assert.ok(e.messageJa.includes('9002015000243936'));
      assert.equal(e.detail?.amendment, 'amendapply');
      return true;
    });
  });

  void it('a 500 without a readable body, a truncated 202 and a 202 about another case are unknown', async () => {
    await assert.rejects(send(cannedCaller(500, '<html>Internal Server Error</html>')), unknownWithCheck);
    await assert.rejects(send(cannedCaller(202, amendapply.response.subarray(0, 300))), unknownWithCheck);
    await assert.rejects(send(cannedCaller(202, swapped(amendapply.response, '<ArriveID>9002015000248266', '<ArriveID>9002015000248267'))), unknownWithCheck);
  });

  void it('a NewArriveID equal to ArriveID, or empty where the 補正 is a case of its own, is unknown; empty is right for 部分補正', async () => {
    await assert.rejects(send(cannedCaller(202, swapped(amendapply.response, '<NewArriveID>9002015000248393', '<NewArriveID>9002015000248266'))), unknownWithCheck);
    await assert.rejects(send(cannedCaller(202, swapped(amendapply.response, '<NewArriveID>9002015000248393</NewArriveID>', '<NewArriveID></NewArriveID>'))), unknownWithCheck);
    await assert.rejects(send(cannedCaller(202, swapped(reamend.response, /<NewArriveID>\d+<\/NewArriveID>/.exec(reamend.response.toString('utf8'))![0], '<NewArriveID/>')), 'reamend', reamend.request!), unknownWithCheck);
    await assert.rejects(send(cannedCaller(202, swapped(partamend.response, '<NewArriveID></NewArriveID>', '<NewArriveID>not-a-number</NewArriveID>')), 'partamend', partamend.request!), unknownWithCheck);
    const kept = await send(cannedCaller(202, partamend.response), 'partamend', partamend.request!);
    assert.equal(kept.newArriveId, '');
    const other = await send(cannedCaller(202, swapped(partamend.response, '<NewArriveID></NewArriveID>', '<NewArriveID>9002015000249999</NewArriveID>')), 'partamend', partamend.request!);
    assert.equal(other.newArriveId, '9002015000249999');
  });

  void it('a connection reset or a response timeout is unknown; a refused connection was never sent', async () => {
    await assert.rejects(send(failingCaller(connectionReset('example.test', new Error('ECONNRESET'), false))), (e: unknown) => unknownWithCheck(e) && e.code === 'EGOV_CONNECTION_RESET');
    await assert.rejects(send(failingCaller(timedOut('example.test', 'response', 60_000))), (e: unknown) => unknownWithCheck(e) && e.code === 'EGOV_TIMEOUT');
    await assert.rejects(send(failingCaller(connectionFailed('example.test', new Error('ECONNREFUSED')))), (e: unknown) => isEgovError(e, 'EGOV_CONNECTION_FAILED') && e.delivery === 'not-sent');
  });

  void it('a 400 refusal (Code 1) and a 401 stay answered, message as e-Gov wrote it', async () => {
    const refusal = '<?xml version="1.0" encoding="UTF-8"?><DataRoot><Result><Code>1</Code><Message>補正対象の申請案件ではありません。</Message></Result></DataRoot>';
    await assert.rejects(send(cannedCaller(400, refusal)), (e: unknown) => isEgovError(e, 'EGOV_API_ERROR') && e.delivery === 'answered' && e.serverMessage === '補正対象の申請案件ではありません。');
    await assert.rejects(send(cannedCaller(401, '')), (e: unknown) => isEgovError(e, 'EGOV_AUTH_FAILED') && e.delivery === 'answered');
  });
});
