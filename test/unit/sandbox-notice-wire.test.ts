// The sandbox's notice writers (src/sandbox/wire/notice-family.ts) byte for byte against e-Gov's
// recorded bodies (A.17, A.22–A.28), fed the values the recordings carry; and the bundled server
// stylesheets byte-identical to the recorded ones.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { STYLESHEET, stylesheetBytes } from '../../src/sandbox/notices/stylesheets.js';
import {
  writeAmendListBody,
  writeCommentDownloadBody,
  writeNoticeDoneBody,
  writeNoticeListBody,
  writeOfficialDownloadBody,
  writeVerifyBody,
} from '../../src/sandbox/wire/notice-family.js';
import { recordedDir } from '../support/paths.js';

const recorded = (rel: string) => readFileSync(join(recordedDir, rel, 'response.xml'), 'utf8');
const value = (body: string, name: string) => {
  const m = new RegExp(`<${name}>([^<]*)</${name}>`).exec(body);
  assert.ok(m, `${name} in the recording`);
  return m[1]!;
};
const OK = { code: '0', message: '' } as const;
const PROC4 = 'ＡＰＩテスト用手続（労働保険関係手続）（通）０００４／ＡＰＩテスト用手続（労働保険関係手続）（通）０００４';
const PROC1 = 'ＡＰＩテスト用手続（労働保険関係手続）（通）０００１／ＡＰＩテスト用手続（労働保険関係手続）（通）０００１';

void describe('notice bodies', () => {
  void it('write the recorded 補正通知一覧 (A.17)', () => {
    const body = recorded('amend-notices');
    const written = writeAmendListBody(OK, {
      arriveId: '9002015000243941',
      procName: PROC1,
      correctType: '0',
      amendDocType: '4',
      notices: [
        {
          noticeSubId: 1,
          correctRequestedDate: '20150309153750',
          correctExpiredDate: '20150315',
          correctCompletedDate: '',
          docTitle: '任意部分補正',
          fileData: value(body, 'FileData'),
          fileNames: ['hoseitsuuchi.xml', '999000000000000010.xsl'],
        },
      ],
    });
    assert.equal(written, body);
  });

  void it('write the recorded 公文書・コメント一覧 (A.22), and 公文書 entries in the slot of its 6 empty lines', () => {
    const comment = { noticeSubId: 1, issueDate: '20150309164758', docTitle: 'コメント（メッセージ）', fileNames: ['commenttsuuchi.xml', '999000000000000002.xsl'], state: '既読' };
    const answer = { arriveId: '9002015000243928', procName: PROC4, officials: [], comments: [comment] };
    assert.equal(writeNoticeListBody(OK, answer), recorded('notices'));
    const withOfficial = writeNoticeListBody(OK, {
      ...answer,
      officials: [{ noticeSubId: 1, issueDate: '20260101090000', docTitle: '署名付き公文書１', fileNames: ['0000-SBX-001.xml'], state: '未取得' }],
    });
    assert.ok(
      withOfficial.includes(
        `</ProcName>\r\n\t<Official>\r\n\t\t<NoticeSubID>1</NoticeSubID>\r\n\t\t<IssueDate>20260101090000</IssueDate>\r\n\t\t<DocTitle>署名付き公文書１</DocTitle>\r\n\r\n` +
          `\t\t<File>\r\n\t\t\t<FileName>0000-SBX-001.xml</FileName>\r\n\t\t</File>\r\n\r\n\t\t<DownloadStatus>未取得</DownloadStatus>\r\n\t</Official>\r\n\r\n\t<Comment>`,
      ),
    );
  });

  void it('write the recorded 公文書取得 (A.23, A.24) and コメント通知取得 (A.27)', () => {
    for (const [rel, sub] of [
      ['officialdocument', '1'],
      ['officialdocument-verify/1', '2'],
    ] as const) {
      const body = recorded(rel);
      assert.equal(writeOfficialDownloadBody(OK, { arriveId: '9002015000243931', noticeSubId: sub, fileData: value(body, 'FileData') }), body, rel);
    }
    const comment = recorded('comment');
    assert.equal(writeCommentDownloadBody(OK, { arriveId: '9002015000243928', noticeSubId: '1', fileData: value(comment, 'FileData') }), comment);
  });

  void it('write the recorded 取得完了 of a 公文書 (A.25) and of a コメント (A.28)', () => {
    assert.equal(
      writeNoticeDoneBody(OK, {
        arriveId: '9002015000243931',
        noticeSubId: '1',
        procName: PROC4,
        docTitle: '署名付き公文書１',
        downloadDate: '20150617204230',
        fileNames: ['0000-API-001.xml', 'スタイルシート1.xsl'],
      }),
      recorded('officialdocument-done'),
    );
    assert.equal(
      writeNoticeDoneBody(OK, {
        arriveId: '9002015000243928',
        noticeSubId: '1',
        procName: PROC4,
        docTitle: 'コメント（メッセージ）',
        downloadDate: '20150428114506',
        fileNames: ['commenttsuuchi.xml', '999000000000000002.xsl'],
      }),
      recorded('comment-done'),
    );
  });

  void it('write the recorded 公文書署名検証 (A.26)', () => {
    const body = recorded('officialdocument-verify/2');
    assert.equal(
      writeVerifyBody(OK, {
        arriveId: '9002015000243931',
        errorCount: '0',
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
          publisherDn: 'OU=DemoOfficialStatusCA, O=Japanese Government, C=JP',
          ownerDn: 'OU=DemoOfficialStatusCA, O=Japanese Government, C=JP',
          serialNumber: '32 35 34 37 30 34 39 30 37 35 37 31 37 36',
          termValidity: '2014/08/01 00:00:00 から 2024/07/31 23:59:59',
        },
      }),
      body,
    );
  });
});

void describe('bundled server stylesheets', () => {
  void it('are the recorded bytes, double-encoded U+3000 included', () => {
    const pairs: Array<[string, string]> = [
      [STYLESHEET.correction, 'amend-notices'],
      [STYLESHEET.comment, 'comment'],
      [STYLESHEET.official, 'officialdocument'],
    ];
    for (const [name, rel] of pairs) {
      assert.ok(stylesheetBytes(name as never).equals(readFileSync(join(recordedDir, rel, 'response-filedata-1', name))), name);
    }
    assert.ok(stylesheetBytes(STYLESHEET.correction).includes(Buffer.from([0xc3, 0xa3, 0xc2, 0x80, 0xc2, 0x80])));
  });
});
