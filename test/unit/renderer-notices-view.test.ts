// Unit: how the 公文書 screens read a notice (src/renderer/notice-view.ts): every verdict Todoke can
// give has a badge, and only `valid` is ever good (in either language: no other verdict is worded as
// valid); a 補正 deadline turns urgent three JST days before it and stays so once past; sizes,
// dates and the PDF bytes the viewer is handed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LocalVerdict } from '../../src/shared/documents.js';
import { formatDay, formatEgovMinute } from '../../src/renderer/format.js';
import { en } from '../../src/renderer/messages/en.js';
import { ja } from '../../src/renderer/messages/ja.js';
import { base64Bytes, deadlineState, formatBytes, looksLikePdf, parseEgovDay, pdfFiles, VERDICT_TONES, verdictBadge } from '../../src/renderer/notice-view.js';

/** every LocalVerdict: a verdict added to the type and not here is a type error (satisfies) */
const VERDICTS = Object.keys({ valid: 1, invalid: 1, untrusted: 1, unsigned: 1, unverifiable: 1 } satisfies Record<LocalVerdict, 1>) as LocalVerdict[];

void describe('verdictBadge', () => {
  void it('gives every verdict a badge with words of its own, in both languages', () => {
    assert.deepEqual(Object.keys(VERDICT_TONES).sort(), [...VERDICTS].sort());
    for (const messages of [ja, en]) {
      const words = VERDICTS.map((v) => messages.inbox.verdict[verdictBadge(v).key]);
      assert.equal(new Set(words).size, VERDICTS.length, 'no two verdicts read alike');
      for (const w of words) assert.ok(w.trim().length > 0);
    }
  });

  void it('shows only valid as good, and words no other verdict as valid', () => {
    for (const v of VERDICTS) {
      const badge = verdictBadge(v);
      assert.equal(badge.tone === 'success', v === 'valid', `${v} is ${badge.tone}`);
      if (v === 'valid') continue;
      assert.doesNotMatch(ja.inbox.verdict[badge.key], /検証済|有効|正常|合格/, v);
      assert.doesNotMatch(en.inbox.verdict[badge.key], /\b(valid|verified|ok|passed)\b/i, v);
    }
    assert.deepEqual(verdictBadge('valid'), { key: 'valid', tone: 'success' });
    assert.equal(ja.inbox.verdict.valid, '検証済');
  });

  void it('marks a failed signature as danger and an unknown issuer or unreadable one as a warning', () => {
    assert.equal(verdictBadge('invalid').tone, 'danger');
    assert.equal(ja.inbox.verdict.invalid, '署名不正');
    assert.equal(verdictBadge('untrusted').tone, 'warning');
    assert.equal(ja.inbox.verdict.untrusted, '未確認の発行元');
    assert.equal(verdictBadge('unverifiable').tone, 'warning');
    assert.equal(ja.inbox.verdict.unsigned, '署名なし');
    assert.equal(ja.inbox.verdict.unverifiable, '検証不可');
  });

  void it('shows a document not checked yet as unchecked, never as valid', () => {
    assert.deepEqual(verdictBadge(null), { key: 'unchecked', tone: 'neutral' });
  });

  void it('reads a verdict it does not know (a newer core) as not verifiable, never as valid', () => {
    for (const odd of ['VALID', 'valid ', 'ok', '__proto__', 'toString', '']) {
      assert.deepEqual(verdictBadge(odd as LocalVerdict), { key: 'unverifiable', tone: 'warning' }, JSON.stringify(odd));
    }
  });
});

void describe('deadlineState', () => {
  /** 2026-11-30 10:05 JST */
  const now = new Date('2026-11-30T01:05:00Z');
  const amend = (deadline: string, completedDate = '') => ({ kind: 'amend' as const, deadline, completedDate });

  void it('counts whole JST days and turns urgent three days before, on the day, and once past', () => {
    assert.deepEqual(
      ['20261204', '20261203', '20261130', '20261129', '20261001'].map((d) => {
        const s = deadlineState(amend(d), now);
        return s.kind === 'none' || s.kind === 'done' ? s.kind : `${s.kind}:${s.days}`;
      }),
      ['later:4', 'soon:3', 'soon:0', 'overdue:-1', 'overdue:-60'],
    );
  });

  void it('judges the day in Japan, whatever the hour in UTC', () => {
    // 2026-11-30 23:30 JST is still the 30th there (14:30 UTC); 00:30 JST on the 1st is the 30th in UTC
    assert.equal(deadlineState(amend('20261130'), new Date('2026-11-30T14:30:00Z')).kind, 'soon');
    const next = deadlineState(amend('20261130'), new Date('2026-11-30T15:30:00Z'));
    assert.equal(next.kind, 'overdue');
  });

  void it('is nothing for a 公文書 or コメント, for no deadline, and for a text that is not a day', () => {
    for (const kind of ['document', 'comment'] as const) assert.equal(deadlineState({ kind, deadline: '20261201', completedDate: '' }, now).kind, 'none');
    for (const bad of ['', ' ', '2026121', '202612011', '20261301', '20260230', '2026-12-01', 'abcdefgh', '２０２６１２０１', '9'.repeat(10_000)]) {
      assert.equal(deadlineState(amend(bad), now).kind, 'none', JSON.stringify(bad.slice(0, 20)));
    }
  });

  void it('is done once the 補正 was completed, however late', () => {
    const s = deadlineState(amend('20261001', '20261002093000'), now);
    assert.equal(s.kind, 'done');
  });

  void it('parses a JST day strictly', () => {
    assert.equal(parseEgovDay('20240229')?.toISOString(), '2024-02-29T00:00:00.000Z');
    assert.equal(parseEgovDay('20230229'), null);
  });
});

void describe('dates and sizes as the screens write them', () => {
  void it('writes an issue date as 2026年11月30日 10:05 in Japan time', () => {
    assert.equal(formatEgovMinute('20261130100500', ja), '2026年11月30日 10:05');
    assert.equal(formatEgovMinute('not a date', ja), 'not a date');
    assert.equal(formatDay(parseEgovDay('20261203')!, ja), '2026年12月3日');
    assert.equal(formatDay(parseEgovDay('20261203')!, en), '3 December 2026');
  });

  void it('writes deadline texts that say how many days are left or past', () => {
    assert.equal(ja.inbox.deadline.soon('2026年12月3日', 3), '2026年12月3日（あと 3 日）');
    assert.equal(ja.inbox.deadline.overdue('2026年11月29日', 1), '2026年11月29日（1 日過ぎています）');
    assert.equal(en.inbox.deadline.overdue('November 29, 2026', 1), 'November 29, 2026 (1 day overdue)');
  });

  void it('writes sizes in bytes, KB and MB, and a broken size as a dash', () => {
    assert.equal(formatBytes(0, 'ja-JP'), '0 B');
    assert.equal(formatBytes(812, 'ja-JP'), '812 B');
    assert.equal(formatBytes(14_540, 'ja-JP'), '14.2 KB');
    assert.equal(formatBytes(3 * 1024 * 1024 + 100_000, 'en-US'), '3.1 MB');
    assert.equal(formatBytes(2 ** 53, 'en-US'), '8,388,608 GB');
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) assert.equal(formatBytes(bad, 'ja-JP'), '—');
  });
});

void describe('the PDF bytes the viewer is handed', () => {
  void it('decodes base64 and recognises a PDF by its first bytes', () => {
    const pdf = base64Bytes(Buffer.from('%PDF-1.7\n%âãÏÓ\n').toString('base64'));
    assert.ok(pdf && looksLikePdf(pdf));
    assert.equal(looksLikePdf(base64Bytes(Buffer.from('<html>%PDF-').toString('base64'))!), false);
    assert.equal(looksLikePdf(new Uint8Array([0x25, 0x50, 0x44, 0x46])), false, 'truncated');
    assert.equal(looksLikePdf(new Uint8Array()), false);
  });

  void it('refuses what is not base64 rather than showing something else', () => {
    for (const bad of ['%PDF-', 'JVBERi0', 'JVBERi0=x', 'JVBE Ri0x', 'JVBERi0x\n', '====', '<script>']) assert.equal(base64Bytes(bad), null, bad);
    assert.deepEqual(base64Bytes(''), new Uint8Array());
  });

  void it('decodes a large answer whole', () => {
    const big = Buffer.alloc(4 * 1024 * 1024, 0x41);
    big.write('%PDF-', 0);
    const bytes = base64Bytes(big.toString('base64'));
    assert.equal(bytes?.length, big.length);
    assert.ok(bytes && looksLikePdf(bytes));
  });

  void it('lists the PDFs among the files, in order', () => {
    const files = [
      { name: 'a.xml', media: 'xml' },
      { name: 'b.pdf', media: 'pdf' },
      { name: 'c.xsl', media: 'xsl' },
      { name: 'd.PDF', media: 'pdf' },
      { name: 'e.pdf', media: 'other' },
    ];
    assert.deepEqual(pdfFiles(files).map((f) => f.name), ['b.pdf', 'd.PDF']);
  });
});
