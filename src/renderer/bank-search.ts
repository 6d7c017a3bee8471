// Renderer (pure). The bank picker's list: e-Gov's banks grouped as e-Gov groups them (銀行等 under
// its kana-initial headings, then 信用金庫, 信用組合, 農協・漁協, 労働金庫), in e-Gov's order, and found
// by what a person types however they type it — ﾐｽﾞﾎ, ミズホ and みずほ, ＵＦＪ and ufj find the same
// bank (NFKC, katakana folded to hiragana, case folded). No DOM, no React.
import { BANK_GROUPS, type Bank, type BankGroup } from '../shared/payment.js';
import type { Messages } from './messages/index.js';

/** A search longer than this is cut (no bank's name is near it): typing a novel costs nothing. */
export const MAX_QUERY_LENGTH = 100;

/** One heading of the picker: a group, and its banks under their kana initials (one null-initial block for the portals). */
export interface BankSection {
  group: BankGroup;
  initials: { initial: string | null; banks: Bank[] }[];
}

const KATAKANA_FIRST = 0x30a1;
const KATAKANA_LAST = 0x30f6;
const KANA_OFFSET = 0x60;

/**
 * What a text is compared as: NFKC (half-width kana and full-width letters to their usual forms),
 * katakana as hiragana, lower case, without spaces and 中黒 (・), which a name may be typed with or
 * without. The long-vowel mark ー is kept: it is part of a kana name.
 */
export function searchKey(text: string): string {
  const folded = text.slice(0, MAX_QUERY_LENGTH * 4).normalize('NFKC').toLowerCase();
  let out = '';
  for (const ch of folded) {
    const code = ch.codePointAt(0) ?? 0;
    if (/[\s・]/u.test(ch)) continue;
    out += code >= KATAKANA_FIRST && code <= KATAKANA_LAST ? String.fromCodePoint(code - KANA_OFFSET) : ch;
  }
  return out;
}

/** The banks whose name or service name holds the query (all of them for an empty one), in e-Gov's order. */
export function searchBanks(banks: readonly Bank[], query: string): Bank[] {
  const key = searchKey(query.slice(0, MAX_QUERY_LENGTH));
  if (key === '') return [...banks];
  return banks.filter((b) => searchKey(b.name).includes(key) || (b.serviceName !== null && searchKey(b.serviceName).includes(key)));
}

/**
 * The banks in sections: the groups in e-Gov's order (BANK_GROUPS; a group a newer core names that
 * Todoke does not know comes last rather than being lost), each bank's initial heading where it
 * first appears, the banks in the order e-Gov listed them.
 */
export function groupBanks(banks: readonly Bank[]): BankSection[] {
  const sections = new Map<BankGroup, BankSection>();
  for (const group of BANK_GROUPS) sections.set(group, { group, initials: [] });
  for (const bank of banks) {
    let section = sections.get(bank.group);
    if (!section) {
      section = { group: bank.group, initials: [] };
      sections.set(bank.group, section);
    }
    let block = section.initials.find((i) => i.initial === bank.initial);
    if (!block) {
      block = { initial: bank.initial, banks: [] };
      section.initials.push(block);
    }
    block.banks.push(bank);
  }
  return [...sections.values()].filter((s) => s.initials.length > 0);
}

/** A group's heading in the language; a group Todoke does not know, as it came. */
export function groupLabel(group: string, m: Messages): string {
  const labels = m.payments.picker.groups;
  return Object.hasOwn(labels, group) ? labels[group]! : group;
}

/** A bank's key in the picker (names are unique within e-Gov's list, but a portal may share one with a bank). */
export function bankKey(bank: Pick<Bank, 'group' | 'name'>): string {
  return `${bank.group}\u0000${bank.name}`;
}
