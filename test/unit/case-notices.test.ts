// What the person is told about each case sync finding (src/shared/case-notices.ts): the 到達番号
// and what happened in Japanese and English, statuses quoted as sent, and silence where nothing
// happened worth a notice.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CaseSyncEvent } from '../../src/shared/case.js';
import { caseNoticeOf, caseNoticesSummary, paymentNoticesOf } from '../../src/shared/case-notices.js';
import type { PaymentChangedEvent } from '../../src/shared/payment.js';
import { aPayment } from '../support/payment-fixture.js';

const ID = '2026113000000042';

function changed(over: Partial<Extract<CaseSyncEvent, { type: 'case.changed' }>>): CaseSyncEvent {
  return { type: 'case.changed', arriveId: ID, isNew: false, changes: [], status: '審査中', newHistory: [], referenced: true, ...over };
}

void describe('caseNoticeOf', () => {
  void it('a status change names the case and both statuses as sent', () => {
    const n = caseNoticeOf(changed({ changes: [{ field: 'status', before: '到達', after: '審査中' }] }));
    assert.ok(n);
    assert.equal(n.kind, 'status');
    assert.equal(n.arriveId, ID);
    assert.equal(n.level, 'info');
    assert.equal(n.messageJa, `到達番号 ${ID} の状況が「到達」から「審査中」に変わりました。`);
    assert.match(n.message, new RegExp(`Case ${ID}: status changed from “到達” to “審査中”`));
  });

  void it('an unknown status is quoted as it came, never mapped', () => {
    const n = caseNoticeOf(changed({ status: '審査中（特別な状態α）', changes: [{ field: 'status', before: '到達', after: '審査中（特別な状態α）' }] }));
    assert.match(n?.messageJa ?? '', /「審査中（特別な状態α）」に変わりました/);
  });

  void it('no notice for a change without a new status, nor for a case Todoke just learnt of', () => {
    assert.equal(caseNoticeOf(changed({ changes: [{ field: 'commentCount', before: 0, after: 1 }] })), null);
    assert.equal(caseNoticeOf(changed({ isNew: true, changes: [{ field: 'status', before: null, after: '到達' }] })), null);
    assert.equal(caseNoticeOf(changed({ changes: [{ field: 'status', before: null, after: '到達' }] })), null);
    assert.equal(caseNoticeOf(changed({ changes: [{ field: 'status', before: '到達', after: '到達' }] })), null);
  });

  void it('補正 and 電子納付 ask for action (warning); 公文書 and コメント are news (info)', () => {
    const correction = caseNoticeOf({ type: 'case.correction', arriveId: ID, correctStatus: 'あり', before: 'なし' });
    assert.equal(correction?.level, 'warning');
    assert.equal(correction?.kind, 'correction');
    assert.equal(correction?.messageJa, `到達番号 ${ID} に補正の求めがあります（補正: あり）。内容を確かめてください。`);

    const pay = caseNoticeOf({ type: 'case.payment-due', arriveId: ID, payWaitCount: 2, payStatus: '納付待ち', before: 0 });
    assert.equal(pay?.level, 'warning');
    assert.equal(pay?.messageJa, `到達番号 ${ID} に納付を待っている手数料が 2 件あります（納付状況: 納付待ち）。`);
    assert.match(pay?.message ?? '', /2 fees waiting/);

    const doc = caseNoticeOf({ type: 'case.document', arriveId: ID, docCount: 3, docCountNotDownload: 2, added: 1 });
    assert.equal(doc?.level, 'info');
    assert.equal(doc?.messageJa, `到達番号 ${ID} に公文書が 1 件届きました。Todoke が受け取って保管し、署名を確かめます。`);
    assert.match(doc?.message ?? '', /1 new official document\. Todoke keeps it/);

    const comment = caseNoticeOf({ type: 'case.comment', arriveId: ID, commentCount: 5, commentCountNotRead: 3, added: 2 });
    assert.equal(comment?.titleJa, 'コメントが届きました');
    assert.equal(comment?.messageJa, `到達番号 ${ID} にコメントが 2 件届きました。Todoke が受け取って保管します。`);
    assert.match(comment?.message ?? '', /2 new comments/);
  });
});

void describe('caseNoticesSummary', () => {
  const notices = ['2026113000000001', '2026113000000002', '2026113000000003', '2026113000000004', '2026113000000005'].map(
    (id) => caseNoticeOf({ type: 'case.correction', arriveId: id, correctStatus: 'あり', before: 'なし' })!,
  );

  void it('many cases: counted in the title, the first three named, the rest counted', () => {
    const s = caseNoticesSummary(notices, 5);
    assert.equal(s.titleJa, '5 件の案件に動きがありました');
    const lines = s.messageJa.split('\n');
    assert.equal(lines.length, 4);
    assert.ok(lines[0]!.includes('2026113000000001'));
    assert.equal(lines[3], 'ほか 2 件');
    assert.equal(s.title, '5 cases changed');
    assert.equal(s.message.split('\n')[3], 'and 2 more');
  });

  void it('one case with several findings: the case in the title, no "more" line when all fit', () => {
    const one = [notices[0]!, caseNoticeOf({ type: 'case.comment', arriveId: '2026113000000001', commentCount: 1, commentCountNotRead: 1, added: 1 })!];
    const s = caseNoticesSummary(one, 1);
    assert.equal(s.titleJa, '到達番号 2026113000000001 に動きがありました');
    assert.equal(s.messageJa.split('\n').length, 2);
  });
});

void describe('notices of a read of 電子納付情報一覧', () => {
  const arriveId = '900202600000000009';
  const event = (changes: PaymentChangedEvent['changes'], totalFee = '3000', unlisted: string[] = []): PaymentChangedEvent => ({
    arriveId,
    payments: { arriveId, procedureName: '手続', fetchedAt: '2026-12-01T00:00:00.000Z', payments: changes.map((c) => aPayment({ payNumber: c.payNumber, status: c.after, totalFee })) },
    changes,
    unlisted,
  });

  void it('paid is news (info), past its deadline asks for action (warning), each naming the amount and the 納付番号', () => {
    const notices = paymentNoticesOf(
      event([
        { payNumber: '1000000000000001', before: '未納', after: '納付済' },
        { payNumber: '1000000000000002', before: '未納', after: '納付期限切れ' },
      ]),
    );
    assert.deepEqual(
      notices.map((n) => [n.kind, n.level, n.titleJa, n.title]),
      [
        ['payment', 'info', '納付が確認されました', 'Payment confirmed'],
        ['payment', 'warning', '納付期限が過ぎました', 'Payment deadline passed'],
      ],
    );
    assert.equal(notices[0]!.messageJa, `到達番号 ${arriveId} の ¥3,000（納付番号 1000000000000001） を e-Gov が納付済としました。`);
    assert.match(notices[1]!.message, /¥3,000 \(payment number 1000000000000002\)/);
  });

  void it('a status Todoke does not know is quoted as it came; an amount that is not digits is shown as sent', () => {
    const [n] = paymentNoticesOf(event([{ payNumber: '1000000000000003', before: '未納', after: '消込中' }], '3,000円'));
    assert.equal(n!.messageJa, `到達番号 ${arriveId} の 3,000円（納付番号 1000000000000003） の状況が「未納」から「消込中」に変わりました。`);
  });

  void it('a malformed event says nothing instead of throwing', () => {
    for (const bad of [{}, { arriveId, changes: 'x' }, { arriveId, changes: [null, 7, { payNumber: 1, before: '未納', after: '納付済' }], payments: null }]) {
      assert.deepEqual(paymentNoticesOf(bad as unknown as PaymentChangedEvent), []);
    }
    // no list beside the change: the 納付番号 alone
    const [n] = paymentNoticesOf({ arriveId, changes: [{ payNumber: '1000000000000006', before: '未納', after: '納付済' }] } as unknown as PaymentChangedEvent);
    assert.equal(n!.messageJa, `到達番号 ${arriveId} の 納付番号 1000000000000006 を e-Gov が納付済としました。`);
  });

  void it('a 納付 e-Gov no longer lists asks for care (warning): not payable from Todoke, ask before paying', () => {
    const base = event([{ payNumber: '1000000000000007', before: '未納', after: '未納' }], '4800', ['1000000000000007', '1000000000000099']);
    const notices = paymentNoticesOf(base);
    assert.deepEqual(
      notices.map((n) => [n.level, n.titleJa, n.title]),
      [
        ['warning', '納付が e-Gov の一覧から消えました', 'Payment no longer listed by e-Gov'],
        ['warning', '納付が e-Gov の一覧から消えました', 'Payment no longer listed by e-Gov'],
      ],
    );
    assert.equal(notices[0]!.messageJa, `到達番号 ${arriveId} の ¥4,800（納付番号 1000000000000007） が、e-Gov の電子納付情報一覧に載らなくなりました。Todoke からは支払えません。支払う前に、手続の担当窓口に確認してください。`);
    // one the view does not hold: the 納付番号 alone
    assert.match(notices[1]!.messageJa, /の 納付番号 1000000000000099 が、/);
    // an older core's event without the field, or a malformed one: nothing about it
    assert.deepEqual(paymentNoticesOf({ ...base, unlisted: undefined } as unknown as PaymentChangedEvent), []);
    assert.deepEqual(paymentNoticesOf({ ...base, unlisted: [7, null, { x: 1 }] } as unknown as PaymentChangedEvent), []);
  });

  void it('a new 納付 and an unchanged one say nothing here (the sync payment-due notice tells of a new fee)', () => {
    assert.deepEqual(
      paymentNoticesOf(
        event([
          { payNumber: '1000000000000004', before: null, after: '未納' },
          { payNumber: '1000000000000005', before: '未納', after: '未納' },
        ]),
      ),
      [],
    );
  });
});
