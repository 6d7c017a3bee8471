// Unit: how the 電子納付 screens read a 納付 and e-Gov's bank list (src/renderer/payment-view.ts,
// bank-search.ts): yen with separators and anything else shown as sent, days left judged by the JST
// calendar with malformed deadlines unreadable (never a guess), the status badge (an unknown status
// neutral and marked, never mapped), who gets 「銀行で支払う」, and the picker's groups in e-Gov's order
// with a search that does not care about kana kind, width or case.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bankKey, groupBanks, groupLabel, MAX_QUERY_LENGTH, searchBanks, searchKey } from '../../src/renderer/bank-search.js';
import { en } from '../../src/renderer/messages/en.js';
import { ja } from '../../src/renderer/messages/ja.js';
import { canHandOff, daysLeftText, daysUntil, dueStateOf, formatDeadline, formatYen, isUrgent, payStatusBadge } from '../../src/renderer/payment-view.js';
import type { Bank } from '../../src/shared/payment.js';

/** 2026-11-30 23:30 JST (14:30 UTC): late in the day in Japan, still the same JST day */
const NOW = new Date('2026-11-30T14:30:00Z');

void describe('formatYen', () => {
  void it('writes digits as yen with the separators of the language', () => {
    assert.equal(formatYen('12000', 'ja-JP'), '¥12,000');
    assert.equal(formatYen('0', 'en'), '¥0');
    assert.equal(formatYen('1000000', 'en'), '¥1,000,000');
  });

  void it('keeps every digit of an amount past the safe integers', () => {
    assert.equal(formatYen('12345678901234567890', 'ja-JP'), '¥12,345,678,901,234,567,890');
  });

  void it('returns null for what is not an amount: the caller shows it as sent', () => {
    for (const bad of ['', ' 100', '100 ', '1,000', '-5', '１２３', '12.5', '1e5', '¥100', '0x10', '1'.repeat(21), '1'.repeat(100_000)]) {
      assert.equal(formatYen(bad, 'ja-JP'), null, JSON.stringify(bad.slice(0, 30)));
    }
  });
});

void describe('days left', () => {
  void it('counts whole JST days: the day itself is today, the day before is past', () => {
    assert.equal(daysUntil('20261130', NOW), 0);
    assert.equal(daysUntil('20261201', NOW), 1);
    assert.equal(daysUntil('20261129', NOW), -1);
    // 2026-11-30 15:30 UTC is already 12/01 in Japan
    assert.equal(daysUntil('20261201', new Date('2026-11-30T15:30:00Z')), 0);
  });

  void it('a deadline that is not a JST day, or a clock that is not a time, is unreadable', () => {
    for (const bad of ['', '2026120', '202612011', '20261301', '20260230', '2026-12-01', 'abcdefgh', '２０２６１２０１']) {
      assert.equal(daysUntil(bad, NOW), null, bad);
    }
    assert.equal(daysUntil('20261201', new Date('nonsense')), null);
  });

  void it('says あと n 日 / 今日まで / 期限切れ, and nothing when unreadable', () => {
    assert.equal(daysLeftText(dueStateOf(2), ja), 'あと 2 日');
    assert.equal(daysLeftText(dueStateOf(0), ja), '今日まで');
    assert.equal(daysLeftText(dueStateOf(-4), ja), '期限切れ');
    assert.equal(daysLeftText(dueStateOf(null), ja), '');
    assert.equal(daysLeftText(dueStateOf(1), en), '1 day left');
    assert.equal(daysLeftText(dueStateOf(30), en), '30 days left');
  });

  void it('stands out within 3 days, today and past, not later; a fraction, NaN or Infinity from a core is unreadable', () => {
    assert.deepEqual([-1, 0, 1, 3, 4].map((d) => isUrgent(dueStateOf(d))), [true, true, true, true, false]);
    for (const bad of [1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60]) assert.deepEqual(dueStateOf(bad), { kind: 'unreadable' });
    assert.equal(isUrgent(dueStateOf(null)), false);
  });

  void it('writes a deadline as a date; anything else exactly as sent', () => {
    assert.equal(formatDeadline('20261203', ja), '2026年12月3日');
    assert.equal(formatDeadline('20261203', en), new Intl.DateTimeFormat(en.dates.locale, { dateStyle: 'long', timeZone: 'UTC' }).format(Date.UTC(2026, 11, 3)));
    assert.equal(formatDeadline('2026/12/3', ja), '2026/12/3');
  });
});

void describe('payStatusBadge and canHandOff', () => {
  void it('styles the three known statuses; an unknown one is neutral and marked unknown', () => {
    assert.deepEqual(payStatusBadge('未納'), { tone: 'warning', known: true });
    assert.deepEqual(payStatusBadge('納付済'), { tone: 'success', known: true });
    assert.deepEqual(payStatusBadge('納付期限切れ'), { tone: 'danger', known: true });
    for (const unknown of ['納付済み', ' 納付済', '取消', '', 'PAID']) assert.deepEqual(payStatusBadge(unknown), { tone: 'neutral', known: false }, unknown);
  });

  void it('offers the bank only for a 未納 one with a 16-digit 納付番号', () => {
    assert.equal(canHandOff({ status: '未納', payNumber: '1234567890123456' }), true);
    assert.equal(canHandOff({ status: '納付済', payNumber: '1234567890123456' }), false);
    assert.equal(canHandOff({ status: '納付期限切れ', payNumber: '1234567890123456' }), false);
    assert.equal(canHandOff({ status: '未納', payNumber: '123456789012345' }), false);
    assert.equal(canHandOff({ status: '未納', payNumber: '１２３４５６７８９０１２３４５６' }), false);
    assert.equal(canHandOff({ status: '未納', payNumber: '1234567890123456\n' }), false);
  });
});

const bank = (group: Bank['group'], initial: string | null, name: string, serviceName: string | null = null): Bank => ({
  group,
  initial,
  name,
  serviceName,
  url: `https://${encodeURIComponent(name)}.example/`,
});

/** e-Gov's order: banks by initial, then the portals */
const LIST: Bank[] = [
  bank('bank', 'あ', 'あおぞら銀行'),
  bank('bank', 'あ', 'イオン銀行', 'イオン銀行インターネットバンキング'),
  bank('bank', 'さ', '三菱ＵＦＪ銀行', '三菱UFJダイレクト'),
  bank('bank', 'み', 'みずほ銀行', 'みずほダイレクト'),
  bank('bank', 'ゆ', 'ゆうちょ銀行'),
  bank('shinkin', null, '信用金庫'),
  bank('creditUnion', null, '信用組合'),
  bank('norinchukin', null, 'ＪＡバンク・ＪＦマリンバンク'),
  bank('labour', null, 'ろうきん'),
];

void describe('groupBanks', () => {
  void it('groups in e-Gov order with the kana headings in the order they came', () => {
    const sections = groupBanks(LIST);
    assert.deepEqual(sections.map((s) => s.group), ['bank', 'shinkin', 'creditUnion', 'norinchukin', 'labour']);
    assert.deepEqual(sections[0]?.initials.map((i) => i.initial), ['あ', 'さ', 'み', 'ゆ']);
    assert.deepEqual(sections[0]?.initials[0]?.banks.map((b) => b.name), ['あおぞら銀行', 'イオン銀行']);
    assert.deepEqual(sections[1]?.initials, [{ initial: null, banks: [LIST[5]] }]);
  });

  void it('puts the portals in their groups even when listed before the banks, and keeps a group it does not know, last', () => {
    const odd = { ...bank('bank', null, '新しい種類'), group: 'future' as Bank['group'] };
    const sections = groupBanks([LIST[8]!, odd, ...LIST.slice(0, 2)]);
    assert.deepEqual(sections.map((s) => s.group), ['bank', 'labour', 'future']);
  });

  void it('an empty list has no sections', () => {
    assert.deepEqual(groupBanks([]), []);
  });

  void it('heads each group in the language; a group it does not know, even constructor, as it came', () => {
    assert.equal(groupLabel('norinchukin', ja), '農協・漁協');
    assert.equal(groupLabel('labour', en), 'Labour banks');
    assert.equal(groupLabel('constructor', ja), 'constructor');
    assert.equal(groupLabel('future', en), 'future');
  });

  void it('keys a bank by group and name', () => {
    assert.notEqual(bankKey(bank('bank', 'し', '信用金庫')), bankKey(bank('shinkin', null, '信用金庫')));
  });
});

void describe('searching banks', () => {
  const names = (q: string) => searchBanks(LIST, q).map((b) => b.name);

  void it('finds the same bank in hiragana, katakana and half-width katakana', () => {
    assert.deepEqual(names('みずほ'), ['みずほ銀行']);
    assert.deepEqual(names('ミズホ'), ['みずほ銀行']);
    assert.deepEqual(names('ﾐｽﾞﾎ'), ['みずほ銀行']);
    assert.deepEqual(names('いおん'), ['イオン銀行']);
    assert.deepEqual(names('ﾕｳﾁｮ'), ['ゆうちょ銀行']);
  });

  void it('ignores width, case, spaces and 中黒, and looks in the service name too', () => {
    assert.deepEqual(names('ufj'), ['三菱ＵＦＪ銀行']);
    assert.deepEqual(names('ＵＦＪ'), ['三菱ＵＦＪ銀行']);
    assert.deepEqual(names('ja バンク'), ['ＪＡバンク・ＪＦマリンバンク']);
    assert.deepEqual(names('バンクＪＦ'), ['ＪＡバンク・ＪＦマリンバンク']);
    assert.deepEqual(names('ダイレクト'), ['三菱ＵＦＪ銀行', 'みずほ銀行']);
  });

  void it('an empty or blank query lists all in order; no match is empty', () => {
    assert.deepEqual(names(''), LIST.map((b) => b.name));
    assert.deepEqual(names(' \u3000 '), LIST.map((b) => b.name));
    assert.deepEqual(names('存在しない銀行'), []);
  });

  void it('a huge or hostile query is cut and matches nothing, without throwing', () => {
    assert.deepEqual(names('あ'.repeat(1_000_000)), []);
    assert.deepEqual(names('.*'), []);
    assert.deepEqual(names('\u0000\u202e'), []);
    assert.ok(searchKey('x'.repeat(1_000_000)).length <= MAX_QUERY_LENGTH * 4);
  });

  void it('searchKey folds kana and width but keeps the long-vowel mark', () => {
    assert.equal(searchKey('ｱｲｳ ﾊﾞﾝｸ'), 'あいうばんく');
    assert.equal(searchKey('ローソン'), 'ろーそん');
    assert.equal(searchKey('ＡＢＣ・ｄｅｆ'), 'abcdef');
  });
});
