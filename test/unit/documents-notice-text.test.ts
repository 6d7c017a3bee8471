import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { noticeText } from '../../src/main/documents/notice-text.js';
import { recordedDir } from '../support/paths.js';

const read = (path: string) => readFileSync(join(recordedDir, path));

void describe('noticeText (a notice without its layout)', () => {
  void it('the recorded 補正通知 gives its title and instruction, one paragraph per line', () => {
    const text = noticeText(read('amend-notices/response-filedata-1/hoseitsuuchi.xml'));
    assert.deepEqual(text.split('\n'), ['9002015000243941', '2015年03月09日', 'STテスト部　ST検査担当 ST試験太郎', '任意部分補正', '補正指示', 'テストで部分補正指示をメッセージで送ります。修正してくださいね。']);
  });

  void it('the recorded コメント and both 公文書 keep every sentence; the signature is not text', () => {
    assert.match(noticeText(read('comment/response-filedata-1/commenttsuuchi.xml')), /コメント通知をメッセージで送信します/);
    const doc1 = noticeText(read('officialdocument/response-filedata-1/0000-API-001.xml'));
    assert.match(doc1, /^API-001\n15\/02\/26\n窓口\u3000一郎\u3000殿\n/);
    assert.match(doc1, /テスト用の公文書です。/);
    const doc2 = noticeText(read('officialdocument-verify/1/response-filedata-1/0000-API-002.xml'));
    assert.match(doc2, /模擬認証局官職証明書での署名付与文書/);
    assert.doesNotMatch(doc2, /SignatureValue|MII|DigestValue/);
  });

  void it('an element no one has seen is kept as text, not dropped', () => {
    const xml = Buffer.from('<DOC><BODY><TITLE>題</TITLE><NEWTHING>新しい要素の文</NEWTHING><MAINTXT><P>本文</P><P/></MAINTXT></BODY></DOC>');
    assert.equal(noticeText(xml), '題\n新しい要素の文\n本文');
  });

  void it('no BODY: the whole document; empty DOC: empty text', () => {
    assert.equal(noticeText(Buffer.from('<DOC><TITLE>だけ</TITLE></DOC>')), 'だけ');
    assert.equal(noticeText(Buffer.from('<DOC/>')), '');
  });

  void it('refuses DOCTYPE, entities, malformed and truncated XML', () => {
    for (const xml of ['<?xml version="1.0"?><!DOCTYPE DOC [<!ENTITY e SYSTEM "file:///etc/passwd">]><DOC>&e;</DOC>', '<DOC><BODY>', 'not xml', '']) {
      assert.throws(() => noticeText(Buffer.from(xml)), /./);
    }
  });
});
