// Unit: the 取下げ package (src/main/filing/withdrawal-package.ts). Built from the values of the 取下げ
// e-Gov accepted (recorded/withdrawal/2), kousei.xml and the form come out as that package and the
// samples have them; the signature verifies with Todoke's verifier; the ZIP reads back and passes
// the 申請データ check; the 取下げ request made of it round-trips; bad text is refused by field and
// position before anything is signed.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { checkApplicationData } from '../../src/main/application/check.js';
import { readApplicationZipBuffer } from '../../src/main/application/read-zip.js';
import { decodeWithdrawalRequest, encodeWithdrawalRequest } from '../../src/main/egov/withdrawal-codec.js';
import {
  buildWithdrawalPackage,
  procedureIdOfFolder,
  withdrawalFormXml,
  withdrawalKouseiXml,
  type WithdrawalInput,
  type WithdrawalPerson,
} from '../../src/main/filing/withdrawal-package.js';
import { openPkcs12 } from '../../src/main/signing/file-signer.js';
import type { Signer } from '../../src/main/signing/signer.js';
import { verifySignedXml } from '../../src/main/signing/xml/verify.js';
import { isTodokeError } from '../../src/shared/errors.js';
import { egovDir, recordedDir, repoRoot } from '../support/paths.js';

const recordedFolder = join(recordedDir, 'withdrawal', '2', 'request-filedata-1', '9990000000000008(1)');
const recordedKousei = readFileSync(join(recordedFolder, 'kousei.xml'));
const sampleShinsei = readFileSync(join(egovDir, 'samples', 'torisageshinsei.xml'));
const sampleIrai = readFileSync(join(egovDir, 'samples', 'torisageirai.xml'));
const signer: Signer = openPkcs12(readFileSync(join(repoRoot, 'assets', 'sandbox-pki', 'yamada-taro.p12')), 'todoke');

// the recorded package's 申請者情報 and 連絡先情報
const applicant: WithdrawalPerson = {
  name: '取下申請　太郎',
  nameKana: 'トリサゲシンセイ　タロウ',
  title: '部長',
  corporationName: '株式会社ほげ',
  corporationNameKana: 'カブシキガイシャホゲ',
  departmentName: '営業部',
  departmentNameKana: 'エイギョウブ',
  postalCode: '1540011',
  address: '東京都世田谷区上馬',
  addressKana: 'トウキョウトセタガヤクカミウマ',
  phone: '03-303-0303',
  email: 'kakipo+egov@gmail.com',
};
const contact: WithdrawalPerson = {
  name: '取下申請　次郎',
  nameKana: 'トリサゲシンセイ　ジロウ',
  title: '営業部長',
  corporationName: '株式会社ほげ',
  corporationNameKana: 'カブシキガイシャホゲ',
  departmentName: '営業部',
  departmentNameKana: 'エイギョウブ',
  postalCode: '1200001',
  address: '東京都足立区大谷田',
  addressKana: 'トウキョウトアダチクオオヤタ',
  phone: '00-0000-0000',
  email: 'test-egov@test.co.jp',
};
const procedureName = 'ＡＰＩテスト用手続（労働保険関係手続）（通）０００２／ＡＰＩテスト用手続（労働保険関係手続）（通）０００２';

const recordedInput: WithdrawalInput = {
  kind: 'application',
  target: { arriveId: '9002015000246820', procedureId: procedureIdOfFolder('900A010000004000(1)'), procedureName, submitTo: '総務省,行政管理局,API' },
  applicant,
  contact,
  reason: 'テストのため',
  remarks: 'とくになし',
};
// 2015-04-23 in JST, the 提出年月日 of the recorded form
const at = new Date('2015-04-23T01:00:00Z');

const invalidInput = (field: string) => (e: unknown) => {
  assert.ok(isTodokeError(e, 'WITHDRAWAL_INPUT_INVALID'), String(e));
  assert.equal(e.detail?.field, field);
  return true;
};

function unsignedPart(xml: Buffer): string {
  const text = xml.toString('utf8');
  return text.slice(0, text.indexOf('</構成情報>') + '</構成情報>'.length);
}

void describe('the 取下げ申請 package', () => {
  void it('kousei.xml is the accepted one, byte for byte up to </構成情報>', () => {
    assert.equal(unsignedPart(withdrawalKouseiXml(recordedInput)), unsignedPart(recordedKousei));
  });

  void it('the form is the sample, byte for byte, with the applicant written where the sample had another name and phone', () => {
    const expected = sampleShinsei
      .toString('utf8')
      .replace('<申請者氏名>取下げ申請　太郎</申請者氏名>', '<申請者氏名>取下申請　太郎</申請者氏名>')
      .replace('<連絡先>030-3030-3030</連絡先>', '<連絡先>03-303-0303</連絡先>');
    assert.equal(withdrawalFormXml(recordedInput, at).toString('utf8'), expected);
    // and with the sample's own values, exactly the sample
    const sampleValues = { ...recordedInput, applicant: { ...applicant, name: '取下げ申請　太郎', phone: '030-3030-3030' } };
    assert.ok(withdrawalFormXml(sampleValues, at).equals(sampleShinsei));
  });

  void it('is signed in memory and verifies with the existing verifier (#構成情報 and the form)', async () => {
    const built = await buildWithdrawalPackage(recordedInput, { signer, at });
    assert.equal(built.folderName, '9990000000000008(1)');
    assert.equal(built.formFileName, 'torisageshinsei.xml');
    assert.equal(built.arriveId, '9002015000246820');
    assert.equal(unsignedPart(built.kousei), unsignedPart(recordedKousei));
    assert.match(built.kousei.toString('utf8'), /<\/構成情報><署名情報><Signature xmlns="http:\/\/www\.w3\.org\/2000\/09\/xmldsig#" Id="20150423100000">/);
    const report = await verifySignedXml(built.kousei, {
      profile: 'kousei',
      at: new Date('2025-06-01T00:00:00Z'),
      readFile: (name) => (name === 'torisageshinsei.xml' ? Promise.resolve(built.form) : Promise.reject(new Error(name))),
    });
    assert.equal(report.valid, true, report.problems.join('; '));
    assert.deepEqual(
      report.references.map((r) => [r.uri, r.valid]),
      [
        ['#%E6%A7%8B%E6%88%90%E6%83%85%E5%A0%B1', true],
        ['torisageshinsei.xml', true],
      ],
    );
    assert.equal(report.signer.subject.includes('山田'), true);
    // a changed form no longer verifies
    const tampered = await verifySignedXml(built.kousei, { profile: 'kousei', at: new Date('2025-06-01T00:00:00Z'), readFile: () => Promise.resolve(Buffer.from(built.form.toString('utf8').replace('テストのため', 'テストのためX'))) });
    assert.equal(tampered.valid, false);
  });

  void it('the ZIP reads back as one application that passes the 申請データ check, and travels in a 取下げ request', async () => {
    const built = await buildWithdrawalPackage(recordedInput, { signer, at });
    const data = await readApplicationZipBuffer(built.zip);
    assert.equal(data.applications.length, 1);
    const [app] = data.applications;
    assert.equal(app?.folderName, '9990000000000008(1)');
    assert.equal(app?.procedureId, '9990000000000008');
    assert.ok((await app!.kousei!.read()).equals(built.kousei));
    assert.deepEqual(
      app?.files.map((f) => f.name),
      ['torisageshinsei.xml'],
    );
    assert.ok((await app!.files[0]!.read()).equals(built.form));
    const report = checkApplicationData(data);
    assert.deepEqual(
      report.problems.filter((p) => p.severity === 'error').map((p) => p.code),
      [],
    );
    const body = encodeWithdrawalRequest({ arriveId: built.arriveId, zip: built.zip });
    const back = decodeWithdrawalRequest(body);
    assert.equal(back?.arriveId, '9002015000246820');
    assert.ok(back?.zip.equals(built.zip));
  });

  void it('escapes what the filer typed, and keeps line breaks of the reason as the file’s CRLF', async () => {
    const input = { ...recordedInput, reason: '誤って送信した<申請>のため\n& 取り下げます', applicant: { ...applicant, corporationName: 'Ａ&Ｂ<商事>' } };
    const form = withdrawalFormXml(input, at).toString('utf8');
    assert.ok(form.includes('<理由>誤って送信した&lt;申請&gt;のため\r\n&amp; 取り下げます</理由>'));
    const kousei = withdrawalKouseiXml(input).toString('utf8');
    assert.ok(kousei.includes('<法人団体名>Ａ&amp;Ｂ&lt;商事&gt;</法人団体名>'));
    const built = await buildWithdrawalPackage(input, { signer, at });
    const report = await verifySignedXml(built.kousei, { profile: 'kousei', at: new Date('2025-06-01T00:00:00Z'), readFile: () => Promise.resolve(built.form) });
    assert.equal(report.valid, true);
  });

  void it('writes the date of submission in the era of that JST day', () => {
    const eraOf = (iso: string) => {
      const form = withdrawalFormXml(recordedInput, new Date(iso)).toString('utf8');
      return /<年号>(.*)<\/年号>\r\n\t\t\t<年>(\d+)<\/年>\r\n\t\t\t<月>(\d+)<\/月>\r\n\t\t\t<日>(\d+)<\/日>/.exec(form)!.slice(1).join(' ');
    };
    assert.equal(eraOf('2019-04-30T14:59:59Z'), '平成 31 4 30');
    assert.equal(eraOf('2019-04-30T15:00:00Z'), '令和 1 5 1');
    assert.equal(eraOf('2025-12-31T15:00:00Z'), '令和 8 1 1');
  });
});

void describe('the 取下げ依頼 package', () => {
  const input: WithdrawalInput = { ...recordedInput, kind: 'request' };

  /** the element structure, values removed */
  const shape = (xml: Buffer) =>
    xml
      .toString('utf8')
      .replace(/>[^<]*</g, '><')
      .replace(/<([^/>]+)\/>/g, '<$1></$1>');

  void it('has the template’s structure, procedure and form, signed and verifiable', async () => {
    const built = await buildWithdrawalPackage(input, { signer, at });
    assert.equal(built.folderName, '9990000000000003(1)');
    assert.equal(built.formFileName, 'torisageirai.xml');
    assert.equal(shape(built.form), shape(sampleIrai));
    const form = built.form.toString('utf8');
    assert.ok(form.includes('<到達番号>9002015000246820</到達番号>'));
    assert.ok(form.includes('<年>2015</年>'));
    const kousei = built.kousei.toString('utf8');
    assert.ok(kousei.includes('<様式ID>999000000000000009</様式ID>'));
    assert.ok(kousei.includes('<手続ID>9990000000000003</手続ID>'));
    assert.ok(kousei.includes('<申請種別>取下げ依頼</申請種別>'));
    assert.ok(kousei.includes('<初回受付番号>9002015000246820</初回受付番号>'));
    assert.ok(kousei.includes('<申請書ファイル名称>torisageirai.xml</申請書ファイル名称>'));
    const report = await verifySignedXml(built.kousei, { profile: 'kousei', at: new Date('2025-06-01T00:00:00Z'), readFile: () => Promise.resolve(built.form) });
    assert.equal(report.valid, true, report.problems.join('; '));
  });
});

void describe('bad input is refused before anything is signed', () => {
  let signed = 0;
  const spy: Signer = { kind: signer.kind, certificate: signer.certificate, close: () => signer.close(), sign: (d) => ((signed += 1), signer.sign(d)) };

  const refuse = async (input: WithdrawalInput, field: string, message?: RegExp) => {
    await assert.rejects(buildWithdrawalPackage(input, { signer: spy, at }), (e: unknown) => {
      invalidInput(field)(e);
      if (message) assert.match((e as { messageJa: string }).messageJa, message);
      return true;
    });
  };

  void it('characters e-Gov may not take, with the field and the position named', async () => {
    await refuse({ ...recordedInput, reason: '一行目\n二行目😀です' }, 'reason', /理由の2行目4文字目の「U\+1F600」/);
    await refuse({ ...recordedInput, reason: '①のため' }, 'reason', /1行目1文字目.*機種依存文字/);
    await refuse({ ...recordedInput, reason: 'テスト\u0007' }, 'reason', /U\+0007.*XML に書けない文字/);
    await refuse({ ...recordedInput, reason: 'a\ud800b' }, 'reason', /U\+D800/);
    await refuse({ ...recordedInput, reason: 'Café' }, 'reason', /範囲外/);
    await refuse({ ...recordedInput, applicant: { ...applicant, name: '𠮷田　太郎' } }, 'applicant.name', /申請者の氏名の1文字目の「U\+20BB7」/);
    await refuse({ ...recordedInput, contact: { ...contact, address: '東京都髙島' } }, 'contact.address', /連絡先の住所の4文字目の「髙（U\+9AD9）」は機種依存文字/);
    await refuse({ ...recordedInput, remarks: '\uFFFE' }, 'remarks');
  });

  void it('missing, too long, line breaks where none belong, and malformed numbers', async () => {
    await refuse({ ...recordedInput, reason: '' }, 'reason', /取下げの理由を入力してください/);
    await refuse({ ...recordedInput, reason: ' \n ' }, 'reason');
    await refuse({ ...recordedInput, reason: 'あ'.repeat(1001) }, 'reason', /1000文字以内/);
    await refuse({ ...recordedInput, reason: 'タブ\tあり' }, 'reason', /タブ/);
    await refuse({ ...recordedInput, applicant: { ...applicant, name: '取下\n太郎' } }, 'applicant.name', /改行/);
    await refuse({ ...recordedInput, applicant: { ...applicant, name: '' } }, 'applicant.name');
    await refuse({ ...recordedInput, applicant: { ...applicant, phone: '03(303)0303' } }, 'applicant.phone');
    await refuse({ ...recordedInput, applicant: { ...applicant, postalCode: '154-0011' } }, 'applicant.postalCode');
    await refuse({ ...recordedInput, applicant: { ...applicant, email: 'メール@example.jp' } }, 'applicant.email');
    await refuse({ ...recordedInput, applicant: { ...applicant, name: 42 as unknown as string } }, 'applicant.name');
    await refuse({ ...recordedInput, target: { ...recordedInput.target, arriveId: '9002015000246820/../x' } }, 'target.arriveId');
    await refuse({ ...recordedInput, target: { ...recordedInput.target, procedureId: '900A010000004000(1)' } }, 'target.procedureId');
    await refuse({ ...recordedInput, target: { ...recordedInput.target, procedureName: '' } }, 'target.procedureName');
    await refuse({ ...recordedInput, kind: 'withdraw' as unknown as 'application' }, 'kind');
    assert.throws(() => procedureIdOfFolder('../900A010000004000'), invalidInput('target.procedureId'));
    await assert.rejects(buildWithdrawalPackage(recordedInput, { signer: spy, at: new Date(Number.NaN) }), invalidInput('at'));
    assert.equal(signed, 0, 'nothing was signed');
  });
});
