// Unit: why a send, a 取下げ or a 補正 did not go through, in the person's language (src/renderer/failure-text.ts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { failureText } from '../../src/renderer/failure-text.js';

const ja = { lang: 'ja' } as const;
const en = { lang: 'en' } as const;

void describe('failure text', () => {
  test('a send cut off by the app stopping: stored as a short English note, said in Japanese in the Japanese UI', () => {
    const f = { code: 'INTERRUPTED', message: 'the app stopped while the request was being sent' };
    assert.match(failureText(f, ja), /^アプリが送信の途中で終了しました。/);
    assert.match(failureText(f, en), /^The app stopped while the request was being sent\./);
  });

  test('Todoke\'s own refusals: the stored Japanese (which may name the case\'s status) in Japanese, English words in English', () => {
    const refused = { code: 'AMENDMENT_INELIGIBLE', message: 'e-Gov は補正を受け付けませんでした（HTTP 500）。状況照会では案件は「審査中」のままで…' };
    assert.equal(failureText(refused, ja), refused.message);
    assert.match(failureText(refused, en), /^e-Gov refused the amendment \(HTTP 500\)/);
    for (const code of ['WITHDRAWAL_REPLACED', 'AMENDMENT_REPLACED']) {
      assert.equal(failureText({ code, message: '新しい…に置き換えました' }, ja), '新しい…に置き換えました');
      assert.match(failureText({ code, message: '新しい…に置き換えました' }, en), /^Replaced by a new /);
    }
  });

  test('e-Gov\'s words and any other code: as stored, with the code in English', () => {
    const egov = { code: 'EGOV_API_ERROR', message: '該当する申請情報が存在しません。' };
    assert.equal(failureText(egov, ja), egov.message);
    assert.equal(failureText(egov, en), '該当する申請情報が存在しません。 (EGOV_API_ERROR)');
    // a code that happens to be a property name of every object is not one of Todoke's own
    for (const code of ['constructor', '__proto__', 'toString', '']) {
      assert.equal(failureText({ code, message: 'x' }, ja), 'x');
      assert.equal(failureText({ code, message: 'x' }, en), `x (${code})`);
    }
  });
});
