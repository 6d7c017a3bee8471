// Unit: the 取下げ form's data (src/renderer/withdrawal-form.ts): the prefill, the checks that
// mirror the contract's schema, case.withdraw's arguments, and where a refusal of the core lands.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { operations } from '../../src/shared/contract.js';
import { en } from '../../src/renderer/messages/en.js';
import { ja } from '../../src/renderer/messages/ja.js';
import { checkForm, emptyPerson, fieldLabel, fieldOfError, initialForm, withdrawArgs, type FieldPath, type WithdrawalForm } from '../../src/renderer/withdrawal-form.js';

const taro = { ...emptyPerson(), name: '山田　太郎', address: '東京都千代田区霞が関1-1', phone: '03-1234-5678' };
const label = (path: FieldPath) => fieldLabel(path, ja);
const check = (form: WithdrawalForm) => checkForm(form, label, ja.withdraw.checks);
const filled = (): WithdrawalForm => ({ ...initialForm({ suggestedKind: 'application', applicant: taro, contact: taro }), reason: '誤って送信したため' });

void describe('the 取下げ form', () => {
  void test('prefill: the suggested kind; 連絡先 the same as 申請者 unless it differs', () => {
    const same = initialForm({ suggestedKind: 'request', applicant: taro, contact: { ...taro } });
    assert.equal(same.kind, 'request');
    assert.equal(same.contactSame, true);
    const other = initialForm({ suggestedKind: 'application', applicant: taro, contact: { ...taro, phone: '03-9999-0000' } });
    assert.equal(other.contactSame, false);
    assert.equal(other.contact.phone, '03-9999-0000');
    const none = initialForm({ suggestedKind: 'application', applicant: null, contact: null });
    assert.equal(none.applicant.name, '');
    assert.equal(none.contactSame, true);
  });

  void test('required fields, lengths and patterns are named in Japanese', () => {
    const empty = check(initialForm({ suggestedKind: 'application', applicant: null, contact: null }));
    assert.deepEqual(Object.keys(empty).sort(), ['applicant.address', 'applicant.name', 'applicant.phone', 'reason']);
    assert.equal(empty['applicant.phone'], '申請者の電話番号を入力してください。');
    assert.equal(empty.reason, '取下げの理由を入力してください。');

    const bad = check({ ...filled(), reason: 'あ'.repeat(1001), applicant: { ...taro, phone: '03(1234)5678', postalCode: '100-00', email: 'taro' } });
    assert.equal(bad.reason, '取下げの理由は1000文字以内で入力してください（いま1001文字です）。');
    assert.match(bad['applicant.phone'] ?? '', /半角数字とハイフン/);
    assert.match(bad['applicant.postalCode'] ?? '', /7桁/);
    assert.match(bad['applicant.email'] ?? '', /名前@ドメイン/);
    assert.equal(checkForm({ ...filled(), reason: '' }, (p) => fieldLabel(p, en), en.withdraw.checks).reason, 'Enter the reason for the withdrawal.');
  });

  void test('a separate 連絡先 is checked too; 備考 only for 取下げ申請', () => {
    assert.deepEqual(check({ ...filled(), contactSame: false, contact: { ...taro, name: '' } }), { 'contact.name': '連絡先の氏名を入力してください。' });
    assert.deepEqual(check({ ...filled(), kind: 'request', remarks: 'x'.repeat(1001) }), {});
    assert.ok(check({ ...filled(), remarks: 'x'.repeat(1001) }).remarks);
  });

  void test('the arguments pass the contract: numbers half-width, empty optional fields left out', () => {
    const form = { ...filled(), remarks: '  ', applicant: { ...taro, phone: '０３－１２３４－５６７８', postalCode: '100-0013', nameKana: ' ヤマダ　タロウ ' } };
    assert.deepEqual(check(form), {});
    const args = withdrawArgs('9002015000243931', form, 'withdraw-job-1');
    assert.equal(args.applicant.phone, '03-1234-5678');
    assert.equal(args.applicant.postalCode, '1000013');
    assert.equal(args.applicant.nameKana, 'ヤマダ　タロウ');
    assert.equal('fax' in args.applicant, false);
    assert.equal('remarks' in args, false, 'blank remarks are not sent');
    assert.equal('contact' in args, false, 'the same 連絡先 is not sent twice');
    assert.deepEqual(operations['case.withdraw'].args.check(args, 'args'), args);
    const own = withdrawArgs('9002015000243931', { ...form, contactSame: false, contact: { ...taro, name: '連絡　花子' } }, 'withdraw-job-2');
    assert.equal(own.contact?.name, '連絡　花子');
    assert.equal(withdrawArgs('9002015000243931', { ...form, kind: 'request', remarks: '備考' }, 'withdraw-job-3').remarks, undefined);
  });

  void test("the core's refusal lands on the field it names", () => {
    const refusal = (field: string, code = 'WITHDRAWAL_INPUT_INVALID') => ({ code, message: '', messageJa: '', detail: { field } });
    assert.equal(fieldOfError(refusal('reason'), true), 'reason');
    assert.equal(fieldOfError(refusal('applicant.nameKana'), true), 'applicant.nameKana');
    assert.equal(fieldOfError(refusal('contact.phone'), true), 'applicant.phone', 'a 連絡先 sent as the 申請者 is where the person typed it');
    assert.equal(fieldOfError(refusal('contact.phone'), false), 'contact.phone');
    assert.equal(fieldOfError(refusal('procedureName'), false), null);
    assert.equal(fieldOfError(refusal('reason', 'WITHDRAWAL_REFUSED'), false), null);
    assert.equal(fieldOfError({ code: 'INVALID_ARGUMENT', message: '', messageJa: '', detail: { path: 'args.applicant.email' } }, false), 'applicant.email');
  });
});
