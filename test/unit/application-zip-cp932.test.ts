// Unit: CP932 file names for the batch ZIP (src/main/application/cp932.ts). What the characters
// that matter in Japanese file names become, and which are refused rather than turned into '?'.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Cp932Error, decodeCp932, encodeCp932, isAscii } from '../../src/main/application/cp932.js';
import { isTodokeError } from '../../src/shared/errors.js';

const hex = (text: string) => encodeCp932(text).toString('hex');

void describe('encodeCp932', () => {
  void it('writes ASCII as is', () => {
    assert.equal(hex('kousei.xml'), Buffer.from('kousei.xml').toString('hex'));
    assert.equal(hex('900A010200001000(1)/tenpu.txt'), Buffer.from('900A010200001000(1)/tenpu.txt').toString('hex'));
    assert.ok(isAscii('a~b?'));
    assert.ok(!isAscii('ａ'));
  });

  void it('writes the name e-Gov itself sends as it does (REFERENCE.md §7.1)', () => {
    assert.equal(hex('スタイルシート1.xsl'), '8358835e8343838b8356815b8367312e78736c');
  });

  void it('maps the Windows-31J characters of Japanese file names, and reads them back unchanged', () => {
    const table: Array<[string, string]> = [
      ['～', '8160'], // U+FF5E FULLWIDTH TILDE: the CP932 "wave dash"
      ['－', '817c'], // U+FF0D FULLWIDTH HYPHEN-MINUS
      ['‐', '815d'], // U+2010 HYPHEN
      ['―', '815c'], // U+2015 HORIZONTAL BAR
      ['∥', '8161'], // U+2225 PARALLEL TO
      ['￢', '81ca'], // U+FFE2 FULLWIDTH NOT SIGN
      ['①', '8740'], // NEC special row 13
      ['㈱', '878a'], // NEC special row 13
      ['№', '8782'],
      ['Ⅰ', '8754'],
      ['ⅰ', 'fa40'], // IBM extension
      ['髙', 'fbfc'], // IBM extension (not the NEC-selected ED/EE copy)
      ['﨑', 'fab1'], // IBM extension
      ['纊', 'fa5c'], // IBM extension, trail byte 0x5C
      ['ｱ', 'b1'], // half-width katakana, one byte
      ['ソ', '835c'], // trail byte 0x5C ("5C problem"): kept, e-Gov reads CP932
      ['表', '955c'],
      ['申請書', '905c90bf8f91'],
    ];
    for (const [text, bytes] of table) {
      assert.equal(hex(text), bytes, text);
      assert.equal(decodeCp932(encodeCp932(text)), text, text);
    }
  });

  void it('refuses characters CP932 cannot hold, naming the first one, instead of writing "?"', () => {
    const refused: Array<[string, string]> = [
      ['〜', '〜'], // U+301C WAVE DASH: CP932 has only ～ U+FF5E
      ['−', '−'], // U+2212 MINUS SIGN: CP932 has only － U+FF0D
      ['—', '—'], // U+2014 EM DASH
      ['‖', '‖'], // U+2016 DOUBLE VERTICAL LINE: CP932 has ∥ U+2225
      ['¬', '¬'], // U+00AC: CP932 has ￢ U+FFE2
      ['¥', '¥'], // iconv-lite would write 0x5C, a backslash
      ['‾', '‾'], // iconv-lite would write 0x7E
      ['鷗', '鷗'],
      ['é', 'é'],
      ['\u00a0', '\u00a0'],
      ['添付🍣.pdf', '🍣'],
      ['𠮷野家.txt', '𠮷'],
      ['資料〜その2.pdf', '〜'],
    ];
    for (const [name, character] of refused) {
      assert.throws(
        () => encodeCp932(name),
        (e: unknown) => {
          assert.ok(e instanceof Cp932Error, name);
          assert.ok(isTodokeError(e, 'CP932_UNENCODABLE'));
          assert.equal(e.character, character);
          assert.ok(e.messageJa.includes(`「${character}」`), e.messageJa);
          assert.equal(e.detail?.name, name);
          return true;
        },
        name,
      );
    }
  });

  void it('keeps a real question mark', () => {
    assert.equal(hex('a?b'), '613f62');
    assert.equal(hex('なに?.txt'), '82c882c93f2e747874');
  });
});
