// Integration: `todoke banks`, `todoke payments` and `todoke pay` on a saved profile against an
// in-process sandbox with its stand-in bank. The list comes grouped with its skipped banks; the 納付
// come as e-Gov sent them; `pay` prints the form the stand-in bank accepts (the profile's endpoint is a
// local sandbox, so its loopback URL is allowed) and the ATM numbers, exits 1 when e-Gov or the lists
// say no; bad command lines exit 2 having sent nothing.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { STAND_IN_BANK_NAME } from '../../src/sandbox/payments/bank-list.js';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/server.js';
import type { PaymentView } from '../../src/sandbox/operator/payment-actions.js';
import { makeBatchFolders } from '../support/application-folders.js';
import { cli } from '../support/cli.js';
import { scratchHome } from '../support/home.js';
import { repoRoot } from '../support/paths.js';
import { rawRequest } from './sandbox-support.js';

const pki = join(repoRoot, 'assets', 'sandbox-pki');
const SOFTWARE_ID = 'TODOKESANDBOX1';

let sandbox: SandboxHandle;
let home: string;
let arriveId = '';
let unpaid: PaymentView;
let expired: PaymentView;
const requests: string[] = [];

function todoke(argv: string[]) {
  return cli(argv, { env: { TODOKE_HOME: home, PW: 'todoke' } });
}

async function ok(argv: string[]) {
  const r = await todoke(argv);
  assert.equal(r.code, 0, `todoke ${argv.join(' ')}\n${r.stdout}\n${r.stderr}`);
  return r;
}

before(async () => {
  sandbox = await startSandbox({ dataDir: scratchHome('todoke-cli-pay-sandbox-'), formatCheckDelayMs: 0, standInBank: true, log: (line) => requests.push(line) });
  home = scratchHome('todoke-cli-pay-');
  await ok(['register', '--user-id', `cli-pay-${process.pid}`, '--endpoint', sandbox.url, '--software-id', SOFTWARE_ID, '--p12', join(pki, 'yamada-taro.p12'), '--password-env', 'PW']);
  const applied = JSON.parse((await ok(['apply', ...makeBatchFolders(join(home, 'data')), '--wait', '--password-env', 'PW', '--json'])).stdout) as { applications: { arriveId: string }[] };
  arriveId = applied.applications[0]!.arriveId;
  unpaid = sandbox.operatePayment({ action: 'add-payment', arriveId, amount: '12000', deadline: '20991231' });
  expired = sandbox.operatePayment({ action: 'add-payment', arriveId, amount: '300', deadline: '20991231' });
  sandbox.operatePayment({ action: 'expire-payment', arriveId, payNumber: expired.payNumber });
});

after(async () => {
  await sandbox?.close();
});

void describe('todoke banks, payments, pay', () => {
  void it('bad command lines exit 2 and send nothing', async () => {
    const sent = requests.length;
    const bad: Array<[string[], RegExp]> = [
      [['banks', 'extra'], /引数は要りません/],
      [['payments'], /到達番号を 1 つ指定/],
      [['payments', arriveId, 'x'], /到達番号を 1 つ指定/],
      [['payments', '../etc'], /到達番号ではありません/],
      [['pay', arriveId], /到達番号と納付番号を 1 つずつ/],
      [['pay', arriveId, unpaid.payNumber], /--bank で金融機関名/],
      [['pay', arriveId, unpaid.payNumber, '--bank', ' '], /--bank で金融機関名/],
      [['pay', arriveId, '123', '--bank', 'x'], /納付番号ではありません/],
      [['pay', arriveId, '1'.repeat(5000), '--bank', 'x'], /納付番号ではありません/],
      [['pay', arriveId, `${unpaid.payNumber}\n`, '--bank', 'x'], /納付番号ではありません/],
      [['pay', '12', unpaid.payNumber, '--bank', 'x'], /到達番号ではありません/],
      [['pay', arriveId, unpaid.payNumber, '--bank', 'x', '--open'], /--open/],
    ];
    for (const [argv, message] of bad) {
      const r = await todoke(argv);
      assert.equal(r.code, 2, `todoke ${argv.join(' ')}\n${r.stdout}\n${r.stderr}`);
      assert.match(r.stderr, message, r.stderr);
    }
    assert.equal(requests.length, sent);
  });

  void it('banks: grouped as e-Gov groups them, the stand-in bank under と, the http test bank skipped with its reason', async () => {
    const r = await ok(['banks']);
    assert.match(r.stdout, /銀行等\n {2}［と］\n {4}Todoke練習銀行（サンドボックス） {2}http:\/\/127\.0\.0\.1:\d+\/standin-bank\//);
    for (const label of ['信用金庫', '信用組合', '農協・漁協', '労働金庫']) assert.match(r.stdout, new RegExp(`\n${label}\n`));
    assert.match(r.stdout, /使えない金融機関（1 件[^\n]*\n {2}擬似インターネット銀行１: 暗号化されていない接続（http）の URL です/);
    const json = JSON.parse((await ok(['banks', '--json'])).stdout) as { banks: { name: string; url: string }[]; skipped: { name: string }[]; listDate: string };
    assert.equal(json.listDate, '20150326');
    assert.equal(json.banks.find((b) => b.name === STAND_IN_BANK_NAME)!.url, sandbox.standInBankUrl);
    assert.deepEqual(json.skipped.map((s) => s.name), ['擬似インターネット銀行１']);
  });

  void it('payments: amount, deadline (JST), status as sent and the three numbers', async () => {
    const r = await ok(['payments', arriveId]);
    assert.match(r.stdout, new RegExp(`- 納付番号 ${unpaid.payNumber}\\n {4}金額 +12,000 円\\n {4}納付期限 +2099-12-31（日本時間）\\n {4}状況 +未納`));
    assert.ok(r.stdout.includes(unpaid.confirmNumber) && r.stdout.includes(unpaid.facilityNumber));
    assert.match(r.stdout, /状況 +納付期限切れ/);
    const json = JSON.parse((await ok(['payments', arriveId, '--json'])).stdout) as { payments: { payNumber: string; status: string; totalFee: string }[] };
    assert.deepEqual(json.payments.map((p) => [p.payNumber, p.status, p.totalFee]), [
      [unpaid.payNumber, '未納', '12000'],
      [expired.payNumber, '納付期限切れ', '300'],
    ]);
  });

  void it('pay: prints the bank URL, the form and the ATM numbers; the printed form is what the stand-in bank accepts; no browser, nothing sent to the bank', async () => {
    const r = await ok(['pay', arriveId, unpaid.payNumber, '--bank', STAND_IN_BANK_NAME]);
    assert.ok(r.stdout.includes(`移動先（POST）: ${sandbox.standInBankUrl}`), r.stdout);
    assert.match(r.stdout, new RegExp(`payNumber +${unpaid.payNumber}`));
    assert.match(r.stdout, /ATM（Pay-easy）で納付するときの番号:\n {2}収納機関番号 +\d{5}\n {2}納付番号 +\d{16}\n {2}確認番号 +\d{6}/);
    const json = JSON.parse((await ok(['pay', arriveId, unpaid.payNumber, '--bank', STAND_IN_BANK_NAME, '--json'])).stdout) as {
      handOff: { form: { action: string; fields: Record<string, string> } };
      atm: Record<string, string>;
    };
    assert.deepEqual(json.atm, { facilityNumber: unpaid.facilityNumber, payNumber: unpaid.payNumber, confirmNumber: unpaid.confirmNumber });
    const still = JSON.parse((await ok(['payments', arriveId, '--json'])).stdout) as { payments: { status: string }[] };
    assert.equal(still.payments[0]!.status, '未納');
    const atBank = await rawRequest(json.handOff.form.action, '/standin-bank/', {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(json.handOff.form.fields).toString(),
    });
    assert.equal(atBank.status, 200, atBank.text);
    assert.match(atBank.text, /ログイン/);
  });

  void it('pay: exit 1 for an expired 納付 (e-Gov page shown, ATM numbers still printed), an unknown 納付, an unlisted or skipped bank', async () => {
    const expiredRun = await todoke(['pay', arriveId, expired.payNumber, '--bank', STAND_IN_BANK_NAME]);
    assert.equal(expiredRun.code, 1, expiredRun.stdout + expiredRun.stderr);
    assert.match(expiredRun.stdout, /金融機関サイトへは移動できません（e-Gov の応答 HTTP 400）: .*納付期限/);
    assert.ok(expiredRun.stdout.includes(expired.confirmNumber));
    for (const [argv, message] of [
      [['pay', arriveId, '1111222233334444', '--bank', STAND_IN_BANK_NAME], /納付はありません/],
      [['pay', arriveId, unpaid.payNumber, '--bank', 'どこかの銀行'], /一覧にありません/],
      [['pay', arriveId, unpaid.payNumber, '--bank', '擬似インターネット銀行１'], /開けません（暗号化されていない接続/],
    ] as Array<[string[], RegExp]>) {
      const r = await todoke(argv);
      assert.equal(r.code, 1, `todoke ${argv.join(' ')}\n${r.stdout}\n${r.stderr}`);
      assert.match(r.stderr, /エラー \[PAYMENT_NOT_POSSIBLE\]: /);
      assert.match(r.stderr, message);
    }
  });
});
