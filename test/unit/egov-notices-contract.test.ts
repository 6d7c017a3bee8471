// Contract tests of 補正通知一覧, 公文書・コメント一覧, 公文書 / コメント通知 取得 and 取得完了 and 公文書署名検証
// against real traffic (test/fixtures/egov-v1/recorded): every recorded answer decodes through the
// gateway to what its XML says (the ZIPs to the recorded files), the recorded PUT and POST bodies are
// rebuilt byte for byte, the paths are exact, hostile arguments never reach a request, and broken,
// hostile, huge or truncated answers are refused with typed errors.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { VERIFY_PATH, decodeVerification, encodeVerifyRequest } from '../../src/main/egov/document-verify-codec.js';
import { isEgovError, type EgovError } from '../../src/main/egov/errors.js';
import { EgovV1Gateway } from '../../src/main/egov/gateway-v1.js';
import {
  AMEND_NOTICES_ARRAY_ELEMENTS,
  NOTICES_ARRAY_ELEMENTS,
  NOTICE_RECEIPT_ARRAY_ELEMENTS,
  decodeAmendNotices,
  decodeNoticeDownload,
  decodeNoticeList,
  encodeNoticeCompletion,
} from '../../src/main/egov/notices-codec.js';
import { interpretResponse } from '../../src/main/egov/reply.js';
import type { VerifyUpload } from '../../src/shared/documents.js';
import { recordedDir } from '../support/paths.js';
import { cannedCaller, recordedExchange, swapped, type RecordedExchange } from '../support/recorded-exchange.js';
import { zipEntries } from '../support/zip-entries.js';

const amendList = recordedExchange('recorded/amend-notices');
const noticeList = recordedExchange('recorded/notices');
const document1 = recordedExchange('recorded/officialdocument');
const document2 = recordedExchange('recorded/officialdocument-verify/1');
const documentDone = recordedExchange('recorded/officialdocument-done');
const comment = recordedExchange('recorded/comment');
const commentDone = recordedExchange('recorded/comment-done');
const verify = recordedExchange('recorded/officialdocument-verify/2');

const PROC_1 = 'ＡＰＩテスト用手続（労働保険関係手続）（通）０００１／ＡＰＩテスト用手続（労働保険関係手続）（通）０００１';
const PROC_4 = 'ＡＰＩテスト用手続（労働保険関係手続）（通）０００４／ＡＰＩテスト用手続（労働保険関係手続）（通）０００４';

const malformed = (e: unknown): e is EgovError => isEgovError(e, 'EGOV_MALFORMED_RESPONSE');
const invalidArg = (e: unknown): boolean => isEgovError(e, 'EGOV_INVALID_ARGUMENT') && e.delivery === 'not-sent';

const gatewayFor = (status: number, body: Buffer | string) => {
  const caller = cannedCaller(status, body);
  return { caller, gateway: new EgovV1Gateway(caller) };
};

const filedata = (dir: string, name: string): Buffer => readFileSync(join(recordedDir, dir, 'response-filedata-1', name));

/** The FileData of a recorded body, as the text between its tags. */
function fileDataText(rec: RecordedExchange, which: 'request' | 'response' = 'response'): string {
  const m = /<FileData>([^<]*)<\/FileData>/.exec((which === 'request' ? rec.request! : rec.response).toString('utf8'));
  assert.ok(m);
  return m[1]!;
}

const amendBody = (body: Buffer | string) => decodeAmendNotices(interpretResponse(200, body, { arrayElements: AMEND_NOTICES_ARRAY_ELEMENTS }).applData);
const noticesBody = (body: Buffer | string) => decodeNoticeList(interpretResponse(200, body, { arrayElements: NOTICES_ARRAY_ELEMENTS }).applData);
const downloadBody = (body: Buffer | string) => decodeNoticeDownload(interpretResponse(200, body).applData);

void describe('補正通知一覧 (A.17)', () => {
  void it('recorded/amend-notices decodes through the gateway, with the exact request, and its ZIP holds the recorded 補正通知', async () => {
    const { caller, gateway } = gatewayFor(amendList.status, amendList.response);
    const list = await gateway.amendNotices('KEY', '9002015000243941');
    assert.deepEqual(caller.requests, [{ method: 'GET', path: 'access/amend/9002015000243941', accessKey: 'KEY', arrayElements: AMEND_NOTICES_ARRAY_ELEMENTS }]);
    assert.equal(`/shinsei/1/${caller.requests[0]!.path}`, amendList.path);
    assert.equal(amendList.method, 'GET');
    const [notice] = list.notices;
    assert.ok(notice);
    assert.deepEqual({ ...list, notices: [{ ...notice, zip: null }] }, {
      arriveId: '9002015000243941',
      procedureName: PROC_1,
      correctType: '0',
      amendDocType: '4',
      notices: [
        {
          noticeSubId: 1,
          requestedDate: '20150309153750',
          expiredDate: '20150315',
          completedDate: '',
          title: '任意部分補正',
          zip: null,
          fileNames: ['hoseitsuuchi.xml', '999000000000000010.xsl'],
        },
      ],
    });
    const entries = await zipEntries(Buffer.from(notice.zip));
    assert.deepEqual([...entries.keys()], ['hoseitsuuchi.xml', '999000000000000010.xsl']);
    assert.deepEqual(entries.get('hoseitsuuchi.xml'), filedata('amend-notices', 'hoseitsuuchi.xml'));
    assert.deepEqual(entries.get('999000000000000010.xsl'), filedata('amend-notices', '999000000000000010.xsl'));
  });

  void it('a case without 補正通知 is an empty list', () => {
    const body = amendList.response.toString('utf8').replace(/<Official>[\s\S]*<\/Official>/, '');
    assert.deepEqual(amendBody(body).notices, []);
  });

  void it('FileData broken into lines, indented or with CRLF decodes to the same ZIP', () => {
    const data = fileDataText(amendList);
    const spread = data.replace(/(.{76})/g, '$1\r\n\t\t\t');
    const a = amendBody(amendList.response).notices[0]!.zip;
    const b = amendBody(swapped(amendList.response, data, `\n ${spread} \n`)).notices[0]!.zip;
    assert.deepEqual(b, a);
  });

  void it('refuses FileData that is not base64, is cut short, is empty, or is not a ZIP', () => {
    const data = fileDataText(amendList);
    for (const bad of ['@@@@', data.slice(0, -3), '', '   ', Buffer.from('%PDF-1.4 not a zip').toString('base64'), Buffer.from('PK\x05\x06' + '\0'.repeat(18), 'latin1').toString('base64'), 'QQ==', `${data}=`]) {
      assert.throws(() => amendBody(swapped(amendList.response, data, bad)), malformed, JSON.stringify(bad.slice(0, 20)));
    }
  });

  void it('refuses a 補正通知 without FileData, NoticeSubID or CorrectRequestedDate', () => {
    for (const element of [/<FileData>[^<]*<\/FileData>/, /<NoticeSubID>1<\/NoticeSubID>/, /<CorrectRequestedDate>\d+<\/CorrectRequestedDate>/]) {
      const body = amendList.response.toString('utf8').replace(element, '');
      assert.throws(() => amendBody(body), malformed, String(element));
    }
  });

  void it('refuses a NoticeSubID that is not a positive integer of up to 9 digits', () => {
    for (const bad of ['abc', '0', '-1', '1e3', '1.5', '01', ' 1x', '1234567890', '']) {
      assert.throws(() => amendBody(swapped(amendList.response, '<NoticeSubID>1</NoticeSubID>', `<NoticeSubID>${bad}</NoticeSubID>`)), malformed, bad);
    }
  });

  void it('refuses impossible dates and keeps an empty deadline', () => {
    assert.throws(() => amendBody(swapped(amendList.response, '<CorrectExpiredDate>20150315', '<CorrectExpiredDate>20150230')), malformed);
    assert.throws(() => amendBody(swapped(amendList.response, '<CorrectRequestedDate>20150309153750', '<CorrectRequestedDate>2015030915375')), malformed);
    assert.throws(() => amendBody(swapped(amendList.response, '<CorrectCompletedDate></CorrectCompletedDate>', '<CorrectCompletedDate>yesterday</CorrectCompletedDate>')), malformed);
    assert.equal(amendBody(swapped(amendList.response, '<CorrectExpiredDate>20150315</CorrectExpiredDate>', '<CorrectExpiredDate></CorrectExpiredDate>')).notices[0]!.expiredDate, '');
  });

  void it('refuses a File with text instead of FileName, and two notices with one 通知番号', () => {
    assert.throws(() => amendBody(amendList.response.toString('utf8').replace(/<File>\s*<FileName>hoseitsuuchi.xml<\/FileName>\s*<\/File>/, '<File>hoseitsuuchi.xml</File>')), malformed);
    const official = /<Official>[\s\S]*<\/Official>/.exec(amendList.response.toString('utf8'))![0];
    assert.throws(() => amendBody(swapped(amendList.response, official, official + official)), malformed);
  });

  void it('refuses an answer about another case', async () => {
    const { gateway } = gatewayFor(200, swapped(amendList.response, '<ArriveID>9002015000243941', '<ArriveID>9002015000243942'));
    await assert.rejects(gateway.amendNotices('KEY', '9002015000243941'), malformed);
  });
});

void describe('公文書・コメント一覧 (A.22)', () => {
  void it('recorded/notices decodes through the gateway, with the exact request', async () => {
    const { caller, gateway } = gatewayFor(noticeList.status, noticeList.response);
    const list = await gateway.notices('KEY', '9002015000243928');
    assert.deepEqual(caller.requests, [{ method: 'GET', path: 'access/notice/9002015000243928', accessKey: 'KEY', arrayElements: NOTICES_ARRAY_ELEMENTS }]);
    assert.equal(`/shinsei/1/${caller.requests[0]!.path}`, noticeList.path);
    assert.deepEqual(list, {
      arriveId: '9002015000243928',
      procedureName: PROC_4,
      documents: [],
      comments: [
        { kind: 'comment', noticeSubId: 1, issueDate: '20150309164758', title: 'コメント（メッセージ）', fileNames: ['commenttsuuchi.xml', '999000000000000002.xsl'], state: '既読' },
      ],
    });
  });

  const official = (extra: string) =>
    `<Official>\n\t\t<NoticeSubID>2</NoticeSubID>\n\t\t<IssueDate>20150310100000</IssueDate>\n\t\t<DocTitle>署名付き公文書１</DocTitle>\n\t\t<File><FileName>0000-API-001.xml</FileName></File>${extra}\n\t</Official>\n\t<Comment>`;

  void it('reads a 公文書 entry in the agreed (never recorded) Official shape, with or without DownloadStatus', () => {
    const withState = noticesBody(swapped(noticeList.response, '<Comment>', official('<DownloadStatus>未取得</DownloadStatus>')));
    assert.deepEqual(withState.documents, [{ kind: 'document', noticeSubId: 2, issueDate: '20150310100000', title: '署名付き公文書１', fileNames: ['0000-API-001.xml'], state: '未取得' }]);
    assert.equal(withState.comments.length, 1);
    assert.equal(noticesBody(swapped(noticeList.response, '<Comment>', official(''))).documents[0]!.state, '');
  });

  void it('refuses a 公文書 entry without 通知番号 or with a broken one', () => {
    assert.throws(() => noticesBody(swapped(noticeList.response, '<Comment>', official('').replace('<NoticeSubID>2</NoticeSubID>', ''))), malformed);
    assert.throws(() => noticesBody(swapped(noticeList.response, '<Comment>', official('').replace('<NoticeSubID>2', '<NoticeSubID>two'))), malformed);
  });

  void it('reads a list of 5000 コメント whole, in order, and refuses one 通知番号 twice', () => {
    const entry = (n: number) => `<Comment><NoticeSubID>${n}</NoticeSubID><IssueDate>20150309164758</IssueDate><DocTitle>c${n}</DocTitle><Reading>未読</Reading></Comment>`;
    const many = Array.from({ length: 5000 }, (_, i) => entry(i + 1)).join('\n');
    const body = noticeList.response.toString('utf8').replace(/<Comment>[\s\S]*<\/Comment>/, many);
    const list = noticesBody(body);
    assert.equal(list.comments.length, 5000);
    assert.deepEqual(list.comments.map((c) => c.noticeSubId), Array.from({ length: 5000 }, (_, i) => i + 1));
    assert.throws(() => noticesBody(body.replace('<NoticeSubID>4000<', '<NoticeSubID>17<')), malformed);
  });

  void it('refuses a コメント without IssueDate, with text beside its elements, or nested', () => {
    assert.throws(() => noticesBody(swapped(noticeList.response, '<IssueDate>20150309164758</IssueDate>', '')), malformed);
    assert.throws(() => noticesBody(swapped(noticeList.response, '<Reading>既読</Reading>', '<Reading>既読</Reading>stray')), malformed);
    assert.throws(() => noticesBody(swapped(noticeList.response, '<Reading>既読</Reading>', '<Reading><Reading>既読</Reading></Reading>')), malformed);
  });

  void it('refuses a DOCTYPE with entities, a truncated body, and a body in another encoding', () => {
    const text = noticeList.response.toString('utf8');
    const doctype = text.replace('<DataRoot>', '<!DOCTYPE DataRoot [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>\n<DataRoot>').replace('<DocTitle>コメント（メッセージ）', '<DocTitle>&b;');
    assert.throws(() => noticesBody(doctype), malformed);
    for (const cut of [40, 200, 400, text.length - 20]) assert.throws(() => noticesBody(Buffer.from(text).subarray(0, cut)), malformed, String(cut));
    assert.throws(() => noticesBody(text.replace('encoding="UTF-8"', 'encoding="Shift_JIS"')), malformed);
    assert.throws(() => noticesBody(Buffer.concat([Buffer.from(text), Buffer.from([0xff, 0xfe])])), malformed);
  });

  void it('never sends a hostile 到達番号', async () => {
    const { caller, gateway } = gatewayFor(200, noticeList.response);
    for (const bad of ['', '123', '9002015000243928/../../authentication', '９００２０１５０００２４３９２８', '9002015000243928;id=1', '12345678901234567890']) {
      await assert.rejects(gateway.notices('KEY', bad), invalidArg, bad);
      await assert.rejects(gateway.amendNotices('KEY', bad), invalidArg, bad);
    }
    assert.equal(caller.requests.length, 0);
  });
});

void describe('公文書取得 / コメント通知取得 (A.23, A.24, A.27)', () => {
  const cases = [
    { rec: document1, get: 'getDocument', arriveId: '9002015000243931', noticeSubId: 1, file: ['officialdocument', '0000-API-001.xml'] },
    { rec: document2, get: 'getDocument', arriveId: '9002015000243931', noticeSubId: 2, file: ['officialdocument-verify/1', '0000-API-002.xml'] },
    { rec: comment, get: 'getComment', arriveId: '9002015000243928', noticeSubId: 1, file: ['comment', 'commenttsuuchi.xml'] },
  ] as const;
  for (const c of cases) {
    void it(`${c.rec.path} decodes through the gateway, and its ZIP holds the recorded ${c.file[1]}`, async () => {
      const { caller, gateway } = gatewayFor(c.rec.status, c.rec.response);
      const download = await gateway[c.get]('KEY', c.arriveId, c.noticeSubId);
      assert.equal(caller.requests.length, 1);
      assert.equal(caller.requests[0]!.method, 'GET');
      assert.equal(caller.requests[0]!.body, undefined);
      assert.equal(`/shinsei/1/${caller.requests[0]!.path}`, c.rec.path);
      assert.equal(download.arriveId, c.arriveId);
      assert.equal(download.noticeSubId, c.noticeSubId);
      assert.deepEqual(Buffer.from(download.zip), Buffer.from(fileDataText(c.rec), 'base64'));
      assert.deepEqual((await zipEntries(Buffer.from(download.zip))).get(c.file[1]), filedata(c.file[0], c.file[1]));
    });
  }

  void it('refuses an answer about another case or another notice', async () => {
    const otherCase = gatewayFor(200, swapped(document1.response, '<ArriveID>9002015000243931', '<ArriveID>9002015000243930'));
    await assert.rejects(otherCase.gateway.getDocument('KEY', '9002015000243931', 1), malformed);
    const otherNotice = gatewayFor(200, swapped(document1.response, '<NoticeSubID>1', '<NoticeSubID>2'));
    await assert.rejects(otherNotice.gateway.getDocument('KEY', '9002015000243931', 1), malformed);
    const commentAsked = gatewayFor(200, comment.response);
    await assert.rejects(commentAsked.gateway.getComment('KEY', '9002015000243928', 3), malformed);
  });

  void it('refuses a download without Download, FileData, or with a FileData that is no ZIP', () => {
    assert.throws(() => downloadBody(document1.response.toString('utf8').replace(/<Download>[\s\S]*<\/Download>/, '')), malformed);
    assert.throws(() => downloadBody(document1.response.toString('utf8').replace(/<FileData>[^<]*<\/FileData>/, '')), malformed);
    assert.throws(() => downloadBody(swapped(document1.response, fileDataText(document1), Buffer.from('<html>error</html>').toString('base64'))), malformed);
    assert.throws(() => downloadBody(swapped(document1.response, fileDataText(document1), '!!!!')), malformed);
    assert.throws(() => downloadBody(document1.response.toString('utf8').replace('<Download>', '<Download></Download><Download>')), malformed);
  });

  void it('reads a multi-MB ZIP (a 公文書 with a PDF) whole', () => {
    const zip = Buffer.alloc(6 * 1024 * 1024, 7);
    Buffer.from([0x50, 0x4b, 0x03, 0x04]).copy(zip);
    const body = swapped(document1.response, fileDataText(document1), zip.toString('base64'));
    assert.deepEqual(Buffer.from(downloadBody(body).zip), zip);
  });

  void it('never sends a hostile 通知番号', async () => {
    const { caller, gateway } = gatewayFor(200, document1.response);
    for (const bad of [0, -1, 1.5, Number.NaN, Infinity, 1e10, '1' as unknown as number, '1/../x' as unknown as number]) {
      await assert.rejects(gateway.getDocument('KEY', '9002015000243931', bad), invalidArg, String(bad));
      await assert.rejects(gateway.getComment('KEY', '9002015000243931', bad), invalidArg, String(bad));
      await assert.rejects(gateway.completeDocument('KEY', '9002015000243931', bad), invalidArg, String(bad));
    }
    assert.equal(caller.requests.length, 0);
  });
});

void describe('公文書取得完了 / コメント通知取得完了 (A.25, A.28)', () => {
  const cases = [
    { rec: documentDone, complete: 'completeDocument', arriveId: '9002015000243931', title: '署名付き公文書１', date: '20150617204230', files: ['0000-API-001.xml', 'スタイルシート1.xsl'] },
    { rec: commentDone, complete: 'completeComment', arriveId: '9002015000243928', title: 'コメント（メッセージ）', date: '20150428114506', files: ['commenttsuuchi.xml', '999000000000000002.xsl'] },
  ] as const;
  for (const c of cases) {
    void it(`PUT ${c.rec.path}: the body is the recorded request byte for byte, and the answer decodes`, async () => {
      const { caller, gateway } = gatewayFor(c.rec.status, c.rec.response);
      const receipt = await gateway[c.complete]('KEY', c.arriveId, 1);
      assert.equal(c.rec.method, 'PUT');
      assert.equal(caller.requests.length, 1);
      const request = caller.requests[0]!;
      assert.equal(`/shinsei/1/${request.path}`, c.rec.path);
      assert.equal(request.method, 'PUT');
      assert.deepEqual(request.arrayElements, NOTICE_RECEIPT_ARRAY_ELEMENTS);
      assert.deepEqual(Buffer.from(request.body!, 'utf8'), c.rec.request);
      assert.deepEqual(receipt, { arriveId: c.arriveId, noticeSubId: 1, procedureName: PROC_4, title: c.title, downloadDate: c.date, fileNames: [...c.files] });
    });
  }

  void it('encodes a larger 通知番号 in the same frame', () => {
    assert.equal(encodeNoticeCompletion('9002015000243931', 123456789), documentDone.request!.toString('utf8').replace('<NoticeSubID>1<', '<NoticeSubID>123456789<'));
  });

  void it('refuses a receipt about another notice, without DownloadDate, or with a broken one', async () => {
    const other = gatewayFor(200, swapped(documentDone.response, '<NoticeSubID>1', '<NoticeSubID>9'));
    await assert.rejects(other.gateway.completeDocument('KEY', '9002015000243931', 1), malformed);
    const noDate = gatewayFor(200, swapped(documentDone.response, '<DownloadDate>20150617204230</DownloadDate>', ''));
    await assert.rejects(noDate.gateway.completeDocument('KEY', '9002015000243931', 1), malformed);
    const badDate = gatewayFor(200, swapped(commentDone.response, '<DownloadDate>20150428114506', '<DownloadDate>20151328114506'));
    await assert.rejects(badDate.gateway.completeComment('KEY', '9002015000243928', 1), malformed);
  });

  void it('passes e-Gov refusals on as they came (400 Code 1: answered)', async () => {
    const body = '<?xml version="1.0" encoding="UTF-8"?><DataRoot><Result><Code>1</Code><Message>対象の公文書が存在しません。</Message></Result></DataRoot>';
    const { gateway } = gatewayFor(400, body);
    await assert.rejects(gateway.completeDocument('KEY', '9002015000243931', 1), (e: unknown) => isEgovError(e, 'EGOV_API_ERROR') && e.delivery === 'answered' && e.serverMessage === '対象の公文書が存在しません。');
  });
});

void describe('公文書署名検証 (A.26)', () => {
  const zip = Buffer.from(fileDataText(verify, 'request'), 'base64');
  const upload: VerifyUpload = { arriveId: '9002015000243931', fileName: 'officialdocument_for_verify.zip', zip, xmlFileName: '0000-API-002.xml' };

  void it('the ZIP 公文書取得 returned (A.24) is sent as the recorded request, byte for byte', async () => {
    const downloaded = await gatewayFor(document2.status, document2.response).gateway.getDocument('KEY', '9002015000243931', 2);
    const { caller, gateway } = gatewayFor(verify.status, verify.response);
    await gateway.verifyDocument('KEY', { ...upload, zip: downloaded.zip });
    assert.equal(caller.requests.length, 1);
    const request = caller.requests[0]!;
    assert.equal(request.method, 'POST');
    assert.equal(request.path, `access/${VERIFY_PATH}`);
    assert.equal(`/shinsei/1/${request.path}`, verify.path);
    assert.deepEqual(Buffer.from(request.body!, 'utf8'), verify.request);
  });

  void it('decodes the recorded answer', async () => {
    const { gateway } = gatewayFor(verify.status, verify.response);
    assert.deepEqual(await gateway.verifyDocument('KEY', upload), {
      arriveId: '9002015000243931',
      errorCount: 0,
      errors: [],
      documentFileName: '0000-API-002.xml',
      attachedFileName: '-',
      official: {
        validationResult: '正常です。',
        certificateResult: '-',
        certificateCount: '2',
        publisher: '日本国政府,デモ官職認証局',
        owner: '日本国政府,テスト省,テスト用証明書０１Ａ',
        publisherDn: 'OU=DemoOfficialStatusCA, O=Japanese Government, C=JP',
        ownerDn: 'CN=testEE 01A, OU=Test, O=Japanese Government, C=JP',
        serialNumber: '32 35 37 30 34 31 35 38 38 33 32 37 36 31',
        termValidity: '2014/08/04 00:00:00 から 2019/08/03 23:59:59',
      },
      government: {
        validationResult: '',
        certificateResult: '',
        certificateCount: '',
        publisher: '',
        owner: '',
        publisherDn: 'OU=DemoOfficialStatusCA, O=Japanese Government, C=JP',
        ownerDn: 'OU=DemoOfficialStatusCA, O=Japanese Government, C=JP',
        serialNumber: '32 35 34 37 30 34 39 30 37 35 37 31 37 36',
        termValidity: '2014/08/01 00:00:00 から 2024/07/31 23:59:59',
      },
    });
  });

  const verifyBody = (body: string) => decodeVerification(interpretResponse(200, body).applData);

  void it('keeps the text of unknown elements as errors when ErrorCount is not 0 (their format was never recorded)', () => {
    const body = swapped(verify.response, '<ErrorCount>0</ErrorCount>', '<ErrorCount>2</ErrorCount><ErrorList><Error><Message>署名が不正です。</Message></Error><Error>証明書が失効しています。</Error></ErrorList>').replace(
      /<VerifyResult>[\s\S]*<\/VerifyResult>/,
      '',
    );
    const v = verifyBody(body);
    assert.equal(v.errorCount, 2);
    assert.deepEqual(v.errors, ['署名が不正です。', '証明書が失効しています。']);
    assert.equal(v.official, null);
    assert.equal(v.government, null);
  });

  void it('refuses a missing or non-numeric ErrorCount, a repeated VerifyResult, and an answer about another case', async () => {
    for (const bad of ['', '<ErrorCount>x</ErrorCount>', '<ErrorCount>-1</ErrorCount>', '<ErrorCount>1234567</ErrorCount>']) {
      assert.throws(() => verifyBody(swapped(verify.response, '<ErrorCount>0</ErrorCount>', bad)), malformed, bad);
    }
    assert.throws(() => verifyBody(swapped(verify.response, '<VerifyResult>', '<VerifyResult></VerifyResult><VerifyResult>')), malformed);
    const { gateway } = gatewayFor(200, swapped(verify.response, '<ArriveID>9002015000243931', '<ArriveID>9002015000243932'));
    await assert.rejects(gateway.verifyDocument('KEY', upload), malformed);
  });

  void it('refuses to send an empty or non-ZIP upload, a bad name or 到達番号, and escapes what XML needs escaped', async () => {
    const { caller, gateway } = gatewayFor(200, verify.response);
    const bads: VerifyUpload[] = [
      { ...upload, zip: new Uint8Array() },
      { ...upload, zip: Buffer.from('%PDF-1.4') },
      { ...upload, fileName: '' },
      { ...upload, fileName: 'a/b.zip' },
      { ...upload, fileName: 'a\u0000.zip' },
      { ...upload, xmlFileName: '' },
      { ...upload, xmlFileName: '../0000-API-002.xml' },
      { ...upload, xmlFileName: '/etc/passwd' },
      { ...upload, xmlFileName: 'x\n.xml' },
      { ...upload, xmlFileName: 'x'.repeat(256) },
      { ...upload, arriveId: '9002015000243931</ArriveID><X>' },
    ];
    for (const bad of bads) await assert.rejects(gateway.verifyDocument('KEY', bad), invalidArg, JSON.stringify({ ...bad, zip: bad.zip.length }));
    assert.equal(caller.requests.length, 0);
    const escaped = encodeVerifyRequest({ ...upload, fileName: 'a&b<c>.zip', xmlFileName: 'フォルダ/公文書&1.xml' });
    assert.ok(escaped.includes('<FileName>a&amp;b&lt;c&gt;.zip</FileName>'));
    assert.ok(escaped.includes('<SigVerificationXMLFileName>フォルダ/公文書&amp;1.xml</SigVerificationXMLFileName>'));
  });
});

void describe('every recorded answer of these APIs, truncated', () => {
  const answers = [
    { name: 'amend-notices', rec: amendList, call: (g: EgovV1Gateway) => g.amendNotices('KEY', '9002015000243941') },
    { name: 'notices', rec: noticeList, call: (g: EgovV1Gateway) => g.notices('KEY', '9002015000243928') },
    { name: 'officialdocument', rec: document1, call: (g: EgovV1Gateway) => g.getDocument('KEY', '9002015000243931', 1) },
    { name: 'comment', rec: comment, call: (g: EgovV1Gateway) => g.getComment('KEY', '9002015000243928', 1) },
    { name: 'officialdocument-done', rec: documentDone, call: (g: EgovV1Gateway) => g.completeDocument('KEY', '9002015000243931', 1) },
    { name: 'comment-done', rec: commentDone, call: (g: EgovV1Gateway) => g.completeComment('KEY', '9002015000243928', 1) },
    { name: 'officialdocument-verify', rec: verify, call: (g: EgovV1Gateway) => g.verifyDocument('KEY', { arriveId: '9002015000243931', fileName: 'v.zip', zip: Buffer.from(fileDataText(verify, 'request'), 'base64'), xmlFileName: '0000-API-002.xml' }) },
  ];
  for (const a of answers) {
    void it(`${a.name}: decodes whole, and every cut before </DataRoot> is a malformed answer, never a partial value`, async () => {
      await a.call(new EgovV1Gateway(cannedCaller(a.rec.status, a.rec.response)));
      const end = a.rec.response.indexOf('</DataRoot>');
      assert.ok(end > 0);
      for (let cut = 0; cut < end; cut += Math.max(1, Math.floor(end / 40))) {
        await assert.rejects(a.call(new EgovV1Gateway(cannedCaller(a.rec.status, a.rec.response.subarray(0, cut)))), malformed, String(cut));
      }
    });
  }
});
