// Unit: how the notice commands print. What e-Gov sent (titles, states, file names, certificate names,
// its verification texts) reaches the terminal without control or bidi characters and cut to size;
// each check of a verification has a line with its mark; the JSON carries the values as they came.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LocalVerificationView, NoticeSummary, RemoteVerification } from '../../src/shared/documents.js';
import { egovDay, fileLines, localLines, noticeJson, noticeLines, remoteLines } from '../../src/main/cli/notice-output.js';

const base: NoticeSummary = {
  id: 7,
  arriveId: '9002026000000001',
  kind: 'document',
  noticeSubId: 2,
  title: '許可書',
  issueDate: '20261130195241',
  deadline: '',
  completedDate: '',
  listedFileNames: ['0000-SBX-001.xml'],
  egovState: '未取得',
  firstSeenAt: Date.UTC(2026, 10, 30),
  keptAt: null,
  refusal: null,
  doneAt: null,
  readAt: null,
  verifiedAt: null,
  lastError: null,
};

const local: LocalVerificationView = {
  verdict: 'invalid',
  checkedAt: '2026-11-30T10:00:00.000Z',
  fileName: '0000-SBX-001.xml',
  checks: [
    { label: '署名値', ok: true, detail: '確認しました' },
    { label: '参照 #DOCBODY', ok: false, detail: 'ダイジェスト値が一致しません' },
    { label: 'チェーン', ok: null, detail: '確認できません' },
  ],
  signer: null,
  certificates: [],
  anchor: null,
  judgedAt: '2026-11-30T10:52:41.000Z',
  signerValidityNow: null,
  problems: ['本文が変更されています'],
};

const remote: RemoteVerification = {
  arriveId: base.arriveId,
  errorCount: 1,
  errors: ['エラー\u001b[31m です'],
  documentFileName: '0000-SBX-001.xml',
  attachedFileName: '-',
  official: { validationResult: '署名検証結果はエラーです。', certificateResult: '-', certificateCount: '2', publisher: '日本国政府', owner: 'テスト省', publisherDn: '', ownerDn: '', serialNumber: '01', termValidity: '' },
  government: null,
};

void describe('notice output', () => {
  void it('one line per notice: kind, number, title, issue time, states; a 補正 shows its deadline', () => {
    assert.deepEqual(noticeLines(base), ['  公文書 2  「許可書」  発行 2026-11-30 19:52:41  e-Gov: 未取得  Todoke: 一覧のみ（未取得）  署名 未検証']);
    const amend = noticeLines({ ...base, kind: 'amend', noticeSubId: 1, deadline: '20991231', egovState: '', keptAt: 1, doneAt: 1 });
    assert.match(amend[0]!, /^ {2}補正通知 1 {2}「許可書」 {2}発行 .* {2}期限 2099-12-31 {2}Todoke: 保管済み・取得完了$/);
    const kept = noticeLines({ ...base, keptAt: 1, localVerification: local, remoteVerification: remote });
    assert.match(kept[0]!, /Todoke: 保管済み（取得完了は未送信） {2}署名 無効（署名された内容と一致しません）／e-Gov 正常ではない$/);
  });

  void it('hostile titles, states and errors are shown without control or bidi characters, cut to size', () => {
    const lines = noticeLines({
      ...base,
      title: `\u202e悪\u0007${'長'.repeat(500)}`,
      egovState: 'x\r\ny',
      issueDate: '<script>',
      refusal: { code: 'NOTICE_ZIP_BOMB', message: '爆弾\u0000です' },
      lastError: { code: 'EGOV_HTTP', message: 'a\u001b[2Jb', at: 0 },
    });
    const all = lines.join('\n');
    // eslint-disable-next-line no-control-regex -- control characters are what must not appear
    assert.doesNotMatch(all.replace(/\n/g, ''), /[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/);
    assert.ok(lines[0]!.length < 400, lines[0]);
    assert.equal(lines.length, 3);
  });

  void it('every check of a verification has its line and mark; problems follow', () => {
    const lines = localLines(local);
    assert.match(lines[0]!, /判定: 無効.*発行時 2026-11-30 19:52:41 を基準/);
    assert.deepEqual(lines.slice(1, 4), ['    ✓ 署名値: 確認しました', '    ✗ 参照 #DOCBODY: ダイジェスト値が一致しません', '    － チェーン: 確認できません']);
    assert.equal(lines.at(-1), '    問題: 本文が変更されています');
    assert.deepEqual(localLines(null), ['  （まだ検証していません）']);
  });

  void it('e-Gov verification: its verdict, errors and certificates; an unreachable e-Gov says why', () => {
    const lines = remoteLines(remote, null);
    assert.match(lines[0]!, /判定: 正常ではありません（エラー 1 件、0000-SBX-001\.xml）/);
    // eslint-disable-next-line no-control-regex -- the escape must not reach the terminal
    assert.doesNotMatch(lines.join(''), /\u001b/);
    assert.ok(lines.some((l) => /署名検証結果: 署名検証結果はエラーです。/.test(l)));
    assert.deepEqual(remoteLines(null, { code: 'EGOV_CONNECTION_REFUSED', message: '接続できません' }), ['  判定: 確かめられませんでした [EGOV_CONNECTION_REFUSED] 接続できません']);
  });

  void it('files: name, size, media, hash; none said so', () => {
    assert.deepEqual(fileLines([{ name: 'a.xml', size: 3, media: 'xml', sha256: 'a'.repeat(64) }]), [`  a.xml  3 バイト  xml  sha256:${'a'.repeat(64)}`]);
    assert.deepEqual(fileLines([]), ['  （ファイルはありません）']);
  });

  void it('JSON keeps the values as they came, with the stage and both verdicts', () => {
    const j = noticeJson({ ...base, title: '\u202e悪', keptAt: Date.UTC(2026, 10, 30), localVerification: local, remoteVerification: remote });
    assert.equal(j.title, '\u202e悪');
    assert.deepEqual([j.stage, j.verdict, j.remoteOk, j.keptAt, j.doneAt], ['kept', 'invalid', false, '2026-11-30T00:00:00.000Z', null]);
    assert.deepEqual([noticeJson({ ...base, kind: 'comment', localVerification: local }).verdict], [null]);
  });

  void it('a 補正 deadline is shown as a date; anything else as it came', () => {
    assert.equal(egovDay('20150315'), '2015-03-15');
    assert.doesNotMatch(egovDay('2015\u202e'), /\u202e/);
  });
});
