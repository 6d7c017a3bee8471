// Main process (CLI host). 電子納付 from the command line, on the saved profile:
// `todoke banks` (電子納付対応金融機関一覧 grouped as e-Gov groups it, with the banks Todoke will not
// open and why), `todoke payments 到達番号` (電子納付情報一覧: each 納付 as e-Gov sent it, with what looks
// wrong), and `todoke pay 到達番号 納付番号 --bank 名前`, which asks for the bank-site hand-off and
// prints where it would go and the form it would post, plus the three Pay-easy numbers for an ATM.
// `pay` never opens a browser and never posts anything to a bank: paying is the filer's act.
import { parseArgs } from 'node:util';
import { BANK_GROUP_LABEL, BANK_GROUPS, isKnownPayStatus, type Bank, type BankList, type BankSiteHandOff, type Payment } from '../../../shared/payment.js';
import { CliError } from '../cli-error.js';
import { filingOptions, withFiling } from '../filing-context.js';
import { printJson, table } from '../identity-output.js';
import type { CliIo } from '../io.js';
import { EXIT_INVALID, EXIT_OK } from '../io.js';
import { shown } from '../shown.js';
import { UsageError } from '../usage-error.js';
import { arriveIdArg } from './status.js';

/** `YYYYMMDD` (JST) as 2015-03-31（日本時間）; anything else as it came. */
export function jstDay(text: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  return m ? `${m[1]}-${m[2]}-${m[3]}（日本時間）` : shown(text, 40);
}

function yenText(amount: string): string {
  return /^\d{1,15}$/.test(amount) ? `${Number(amount).toLocaleString('en-US')} 円` : `${shown(amount, 40)}（金額として読めません）`;
}

function statusText(status: string): string {
  return isKnownPayStatus(status) ? shown(status, 40) : `${shown(status, 40)}（Todoke の知らない状態です。e-Gov の表示のまま）`;
}

// ---- banks --------------------------------------------------------------------------------

export function bankListLines(list: BankList): string[] {
  const lines = [`電子納付対応金融機関一覧（${list.listDate ? `${jstDay(list.listDate).replace('（日本時間）', '')} 現在、` : ''}${list.banks.length} 件）`];
  for (const group of BANK_GROUPS) {
    const inGroup = list.banks.filter((b) => b.group === group);
    if (!inGroup.length) continue;
    lines.push('', `${BANK_GROUP_LABEL[group]}`);
    let initial: string | null | undefined;
    for (const b of inGroup) {
      if (group === 'bank' && b.initial !== initial) {
        initial = b.initial;
        lines.push(`  ［${initial === null ? '頭文字なし' : shown(initial, 4)}］`);
      }
      lines.push(`    ${bankLine(b)}`);
    }
  }
  if (list.skipped.length) {
    lines.push('', `使えない金融機関（${list.skipped.length} 件。Todoke はこれらのサイトを開きません）`);
    for (const s of list.skipped) lines.push(`  ${shown(s.name || '（名前なし）', 60)}: ${shown(s.reason, 80)}  ${shown(s.url, 120)}`);
  }
  return lines;
}

function bankLine(b: Bank): string {
  return `${shown(b.name, 60)}${b.serviceName ? `（${shown(b.serviceName, 60)}）` : ''}  ${shown(b.url, 200)}`;
}

export async function banksCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: filingOptions, strict: true, allowPositionals: true });
  if (positionals.length) throw new UsageError(`todoke banks に引数は要りません（${shown(positionals[0]!, 40)}）。`, 'todoke banks takes no arguments');
  return withFiling(io, values, async (ctx) => {
    const list = await ctx.session.withAccessKey((key) => ctx.gateway.banks(key));
    if (values.json) printJson(io, list);
    else io.stdout(`${bankListLines(list).join('\n')}\n`);
    return EXIT_OK;
  });
}

// ---- payments -----------------------------------------------------------------------------

/** The three numbers a Pay-easy ATM or internet banking asks for. */
function payEasyRows(p: Payment): [string, string][] {
  return [
    ['収納機関番号', shown(p.facilityNumber, 20)],
    ['納付番号', shown(p.payNumber, 30)],
    ['確認番号', shown(p.confirmNumber, 20)],
  ];
}

export function paymentLines(p: Payment): string[] {
  const rows: [string, string][] = [
    ['金額', yenText(p.totalFee)],
    ['納付期限', jstDay(p.deadline)],
    ['状況', statusText(p.status)],
    ...payEasyRows(p),
    ['納付手続名', shown(p.payNameKana, 60)],
  ];
  if (p.payDate) rows.push(['納付日', jstDay(p.payDate)]);
  if (p.memo.trim()) rows.push(['メッセージ', shown(p.memo.trim(), 200)]);
  const lines = [`- 納付番号 ${shown(p.payNumber, 30)}`, table(rows, '    ').replace(/\n+$/, '')];
  for (const problem of p.problems) lines.push(`    注意: ${shown(problem, 200)}`);
  return lines;
}

export async function paymentsCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: filingOptions, strict: true, allowPositionals: true });
  if (positionals.length !== 1) throw new UsageError('到達番号を 1 つ指定してください（todoke payments 到達番号）。', 'todoke payments takes one 到達番号');
  const arriveId = arriveIdArg(positionals[0]!);
  return withFiling(io, values, async (ctx) => {
    const list = await ctx.session.withAccessKey((key) => ctx.gateway.payments(key, arriveId));
    if (values.json) {
      printJson(io, list);
      return EXIT_OK;
    }
    const lines = [`電子納付情報: 到達番号 ${list.arriveId}（${shown(list.procedureName, 60)}）  ${list.payments.length} 件`];
    if (!list.payments.length) lines.push('  （納付はありません）');
    for (const p of list.payments) lines.push(...paymentLines(p));
    io.stdout(`${lines.join('\n')}\n`);
    return EXIT_OK;
  });
}

// ---- pay ----------------------------------------------------------------------------------

const payOptions = { ...filingOptions, bank: { type: 'string' } } as const;

function payNumberArg(text: string): string {
  if (!/^\d{16}$/.test(text)) throw new UsageError(`「${shown(text, 40)}」は納付番号ではありません。納付番号は 16 桁の数字です（todoke payments 到達番号 で確認できます）。`, 'not a 納付番号 (16 digits)');
  return text;
}

export function handOffLines(handOff: BankSiteHandOff, bank: Bank): string[] {
  const form = handOff.form!;
  return [
    `金融機関: ${shown(bank.name, 60)}`,
    `移動先（POST）: ${shown(form.action, 300)}`,
    '送信するフォーム:',
    table(Object.entries(form.fields).map(([name, value]) => [shown(name, 40), shown(value, 80)])).replace(/\n+$/, ''),
    '',
    'Todoke はブラウザーを開きません。インターネットバンキングへのログインは、移動してから 30 分以内に行ってください。',
  ];
}

export async function payCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: payOptions, strict: true, allowPositionals: true });
  if (positionals.length !== 2) throw new UsageError('到達番号と納付番号を 1 つずつ指定してください（todoke pay 到達番号 納付番号 --bank 金融機関名）。', 'todoke pay takes a 到達番号 and a 納付番号');
  const arriveId = arriveIdArg(positionals[0]!);
  const payNumber = payNumberArg(positionals[1]!);
  const bankName = values.bank;
  if (bankName === undefined || bankName.trim() === '') throw new UsageError('--bank で金融機関名を指定してください（名前は todoke banks で確認できます）。', '--bank NAME is required');
  return withFiling(io, values, (ctx) =>
    ctx.session.withAccessKey(async (key) => {
      const list = await ctx.gateway.banks(key);
      const bank = list.banks.find((b) => b.name === bankName);
      if (!bank) {
        const skipped = list.skipped.find((s) => s.name === bankName);
        throw new CliError('PAYMENT_NOT_POSSIBLE', {
          ja: skipped
            ? `「${shown(bankName, 60)}」のサイトは開けません（${shown(skipped.reason, 80)}）。ほかの金融機関を選ぶか、ATM で納付してください。`
            : `「${shown(bankName, 60)}」は電子納付対応金融機関一覧にありません。todoke banks で名前を確認してください。`,
          en: skipped ? 'the bank is listed with an unusable URL' : 'bank not in the list',
        });
      }
      const payments = await ctx.gateway.payments(key, arriveId);
      const payment = payments.payments.find((p) => p.payNumber === payNumber);
      if (!payment) {
        throw new CliError('PAYMENT_NOT_POSSIBLE', { ja: `到達番号 ${arriveId} に納付番号 ${payNumber} の納付はありません。todoke payments ${arriveId} で確認してください。`, en: 'no such 納付 on the case' });
      }
      const handOff = await ctx.gateway.bankSite(key, { arriveId, payNumber, bankName }, list);
      const atm = { facilityNumber: payment.facilityNumber, payNumber: payment.payNumber, confirmNumber: payment.confirmNumber };
      if (values.json) {
        printJson(io, { arriveId, payNumber, bank, payment, handOff: { status: handOff.status, form: handOff.form, text: handOff.text }, atm });
        return handOff.form ? EXIT_OK : EXIT_INVALID;
      }
      const lines = [`電子納付: 到達番号 ${arriveId}（${shown(payments.procedureName, 60)}）`, ...paymentLines(payment), ''];
      if (handOff.form) lines.push(...handOffLines(handOff, bank));
      else lines.push(`金融機関サイトへは移動できません（e-Gov の応答 HTTP ${handOff.status}）: ${shown(handOff.text, 300)}`);
      lines.push('', 'ATM（Pay-easy）で納付するときの番号:', table(payEasyRows(payment)).replace(/\n+$/, ''));
      io.stdout(`${lines.join('\n')}\n`);
      return handOff.form ? EXIT_OK : EXIT_INVALID;
    }),
  );
}
