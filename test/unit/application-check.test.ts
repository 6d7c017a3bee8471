// Unit: checking 申請データ against REFERENCE §5 (src/main/application/check.ts). The model is built in
// memory from the accepted sample files and then broken one way at a time; each case asserts the
// exact problem codes, severities and, for characters, the line and column.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { classifyChar } from '../../src/main/application/charset.js';
import { checkApplicationData } from '../../src/main/application/check.js';
import { inMemoryFile, makeApplication, parseFolderName, type Application, type ApplicationData } from '../../src/main/application/model.js';
import type { CheckReport } from '../../src/main/application/problems.js';
import { egovDir } from '../support/paths.js';

const samples = join(egovDir, 'samples');
const KOUSEI = readFileSync(join(samples, '900A010200001000_base_kousei.xml'));
const FORM = readFileSync(join(samples, '900A01020000100001_01.xml'));
const FORM_NAME = '900A01020000100001_01.xml';

function app(folder = '900A010200001000(1)', files: Record<string, Buffer | string> = {}, kousei: Buffer | string | null = KOUSEI): Application {
  const all: Record<string, Buffer | string> = { [FORM_NAME]: FORM, 'tenpu.txt': 'hogehoge', ...files };
  const list = Object.entries(all)
    .filter(([, v]) => v !== '__absent__')
    .map(([name, v]) => inMemoryFile(name, Buffer.isBuffer(v) ? v : Buffer.from(v, 'utf8')));
  return makeApplication(folder, kousei === null ? null : inMemoryFile('kousei.xml', Buffer.isBuffer(kousei) ? kousei : Buffer.from(kousei, 'utf8')), list);
}

function batch(...applications: Application[]): ApplicationData {
  return { source: { kind: 'folders', paths: [] }, applications, problems: [] };
}

const codes = (r: CheckReport) => r.problems.map((p) => p.code);
const kouseiWith = (from: string, to: string) => Buffer.from(KOUSEI.toString('utf8').replace(from, to), 'utf8');

void describe('checkApplicationData: a clean application', () => {
  void it('passes the accepted sample with no problem', () => {
    const report = checkApplicationData(batch(app()));
    assert.deepEqual(report, { ok: true, problems: [], errors: 0, warnings: 0 });
  });

  void it('every problem carries a Japanese and an English message', () => {
    const report = checkApplicationData(batch(app('bad name', { 'x.xml': '<a>' }, null)));
    assert.ok(report.problems.length >= 3);
    for (const p of report.problems) {
      assert.match(p.messageJa, /[ぁ-んァ-ヶ一-龠]/, p.code);
      assert.ok(p.message.length > 0);
    }
  });
});

void describe('checkApplicationData: folder names', () => {
  void it('parses {手続ID}({n}) and bare {手続ID}, and nothing else', () => {
    assert.deepEqual(parseFolderName('900A010200001000(12)'), { procedureId: '900A010200001000', sequence: 12, zeroPadded: false });
    assert.deepEqual(parseFolderName('900A010002010000'), { procedureId: '900A010002010000', sequence: null, zeroPadded: false });
    assert.deepEqual(parseFolderName('900A010200001000(001)'), { procedureId: '900A010200001000', sequence: 1, zeroPadded: true });
    for (const bad of ['900A01020000100(1)', '900A0102000010000(1)', '900A010200001000(0)', '900A010200001000()', '900a010200001000(1)', '900A010200001000 (1)', '申請1']) {
      assert.equal(parseFolderName(bad), null, bad);
    }
  });

  void it('reports an invalid name (error), a zero-padded number (warning), duplicates and bare+numbered', () => {
    const report = checkApplicationData(
      batch(app('申請1'), app('900A010200001000(001)'), app('900A010200001000(2)'), app('900a010200001000(2)'), app('900A010200001000')),
    );
    const folderCodes = report.problems.filter((p) => p.code.startsWith('FOLDER_')).map((p) => [p.code, p.severity, p.folder ?? null]);
    assert.deepEqual(folderCodes, [
      ['FOLDER_NAME_INVALID', 'error', '申請1'],
      ['FOLDER_NAME_ZERO_PADDED', 'warning', '900A010200001000(001)'],
      ['FOLDER_NAME_INVALID', 'error', '900a010200001000(2)'],
      ['FOLDER_DUPLICATE', 'error', '900a010200001000(2)'],
      ['FOLDER_BARE_AND_NUMBERED', 'warning', null],
    ]);
  });

  void it('reports a kousei.xml whose 手続ID is not the folder\'s', () => {
    const report = checkApplicationData(batch(app('900A010002008000(1)')));
    assert.deepEqual(codes(report), ['KOUSEI_PROCEDURE_MISMATCH']);
  });

  void it('reports an empty batch and too many applications', () => {
    assert.deepEqual(codes(checkApplicationData(batch())), ['BATCH_EMPTY']);
    const three = batch(app('900A010200001000(1)'), app('900A010200001000(2)'), app('900A010200001000(3)'));
    assert.deepEqual(codes(checkApplicationData(three, { maxApplications: 2 })), ['BATCH_TOO_MANY_APPLICATIONS']);
  });
});

void describe('checkApplicationData: kousei.xml and the files it lists', () => {
  void it('reports a missing kousei.xml', () => {
    const report = checkApplicationData(batch(app(undefined, {}, null)));
    assert.deepEqual(codes(report), ['KOUSEI_MISSING']);
    assert.equal(report.problems[0]!.folder, '900A010200001000(1)');
  });

  void it('reports a kousei.xml that is not XML (and does not guess which files are listed)', () => {
    const report = checkApplicationData(batch(app(undefined, {}, 'これは XML ではありません')));
    assert.deepEqual(codes(report), ['XML_MALFORMED']);
    assert.equal(report.problems[0]!.file, 'kousei.xml');
  });

  void it('reports a kousei.xml with a DOCTYPE', () => {
    const evil = '<?xml version="1.0"?><!DOCTYPE DataRoot [<!ENTITY x "y">]><DataRoot>&x;</DataRoot>';
    assert.deepEqual(codes(checkApplicationData(batch(app(undefined, {}, evil)))), ['XML_DOCTYPE']);
  });

  void it('reports a kousei.xml without <構成情報 ID="構成情報">', () => {
    assert.deepEqual(codes(checkApplicationData(batch(app(undefined, {}, kouseiWith('<構成情報 ID="構成情報">', '<構成情報 ID="x">'))))), ['KOUSEI_NO_KOUSEI_JOHO']);
    assert.deepEqual(codes(checkApplicationData(batch(app(undefined, {}, '<?xml version="1.0" encoding="UTF-8"?><Other/>')))), ['KOUSEI_NO_KOUSEI_JOHO']);
  });

  void it('reports a missing 申請書 and a missing 添付書類', () => {
    const report = checkApplicationData(batch(app(undefined, { [FORM_NAME]: '__absent__', 'tenpu.txt': '__absent__' })));
    assert.deepEqual(
      report.problems.map((p) => [p.code, p.severity, p.file]),
      [
        ['FORM_MISSING', 'error', FORM_NAME],
        ['ATTACHMENT_MISSING', 'error', 'tenpu.txt'],
      ],
    );
  });

  void it('treats a case-only difference as missing plus unlisted', () => {
    const report = checkApplicationData(batch(app(undefined, { 'tenpu.txt': '__absent__', 'TENPU.TXT': 'hogehoge' })));
    assert.deepEqual(codes(report), ['ATTACHMENT_MISSING', 'FILE_UNLISTED']);
  });

  void it('reports an unlisted file as a warning, never dropping it', () => {
    const report = checkApplicationData(batch(app(undefined, { 'extra.pdf': '%PDF-1.4' })));
    assert.deepEqual(
      report.problems.map((p) => [p.code, p.severity, p.file]),
      [['FILE_UNLISTED', 'warning', 'extra.pdf']],
    );
    assert.equal(report.ok, true);
  });

  void it('reports a listed file name that escapes the folder', () => {
    const report = checkApplicationData(batch(app(undefined, {}, kouseiWith('<添付書類ファイル名称>tenpu.txt<', '<添付書類ファイル名称>../../etc/passwd<'))));
    assert.deepEqual(codes(report), ['KOUSEI_LISTED_NAME_UNSAFE', 'FILE_UNLISTED']);
  });

  void it('warns when kousei.xml lists no 申請書', () => {
    const noForm = KOUSEI.toString('utf8').replace(/<申請書属性情報>[\s\S]*<\/申請書属性情報>/, '');
    const report = checkApplicationData(batch(app(undefined, {}, noForm)));
    assert.deepEqual(codes(report), ['KOUSEI_NO_FORM', 'FILE_UNLISTED']);
  });

  void it('checks a 申請書 as XML too', () => {
    const report = checkApplicationData(batch(app(undefined, { [FORM_NAME]: '<DataRoot><a></DataRoot>' })));
    assert.deepEqual(codes(report), ['XML_MALFORMED']);
    assert.equal(report.problems[0]!.file, FORM_NAME);
  });
});

void describe('checkApplicationData: file names', () => {
  void it('reports unsafe names, names only differing in case, and non-ASCII names', () => {
    const report = checkApplicationData(batch(app(undefined, { 'a:b.txt': 'x', 'Tenpu.txt': 'y', '添付 書類.pdf': 'z', 'ctl\u0007.txt': 'w' })));
    assert.deepEqual(
      report.problems.filter((p) => p.code !== 'FILE_UNLISTED').map((p) => [p.code, p.severity, p.file]),
      [
        ['FILE_NAME_UNSAFE', 'error', 'a:b.txt'],
        ['FILE_NAME_UNSAFE', 'error', 'ctl\u0007.txt'],
        ['FILE_NAME_DUPLICATE', 'error', 'tenpu.txt'],
        ['FILE_NAME_NOT_ASCII', 'warning', '添付 書類.pdf'],
      ],
    );
  });
});

void describe('checkApplicationData: encoding and characters (§5.6)', () => {
  void it('reports XML that is not UTF-8, with the line and column of the first bad byte', () => {
    const sjis = Buffer.concat([Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\r\n<DataRoot>\r\n  <a>'), Buffer.from([0x82, 0xa0]), Buffer.from('</a></DataRoot>')]);
    const report = checkApplicationData(batch(app(undefined, { [FORM_NAME]: sjis })));
    assert.deepEqual(
      report.problems.map((p) => [p.code, p.line, p.column]),
      [['XML_NOT_UTF8', 3, 6]],
    );
  });

  void it('warns about a BOM but still reads the document', () => {
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), FORM]);
    const report = checkApplicationData(batch(app(undefined, { [FORM_NAME]: withBom })));
    assert.deepEqual(
      report.problems.map((p) => [p.code, p.severity]),
      [['XML_BOM', 'warning']],
    );
    assert.equal(report.ok, true);
  });

  void it('flags a control character as an error with line and column', () => {
    const report = checkApplicationData(batch(app(undefined, { [FORM_NAME]: '<DataRoot>\n<a>x\u0001</a></DataRoot>' })));
    assert.deepEqual(
      report.problems.map((p) => [p.code, p.severity, p.line, p.column]),
      [['CHAR_ILLEGAL', 'error', 2, 5]],
    );
    assert.match(report.problems[0]!.messageJa, /U\+0001/);
  });

  void it('warns about 機種依存文字 and characters outside JIS X 0208, each with line and column', () => {
    const text = '<DataRoot>\r\n\t<住所>東京都①丁目</住所>\r\n\t<氏名>𠮷田　髙橋😀</氏名>\r\n\t<備考>①</備考>\r\n</DataRoot>';
    const report = checkApplicationData(batch(app(undefined, { [FORM_NAME]: text })));
    assert.deepEqual(
      report.problems.map((p) => [p.code, p.severity, p.line, p.column]),
      [
        ['CHAR_PLATFORM_DEPENDENT', 'warning', 2, 9],
        ['CHAR_OUTSIDE_JIS', 'warning', 3, 6],
        ['CHAR_PLATFORM_DEPENDENT', 'warning', 3, 9],
        ['CHAR_OUTSIDE_JIS', 'warning', 3, 11],
      ],
    );
    assert.equal(report.ok, true);
  });

  void it('classifies characters: JIS X 0208 and both wave-dash spellings fine, extensions and others not', () => {
    for (const ch of ['A', '　', 'ア', 'ｱ', '漢', '〜', '～', '−', '－', '∥', '‖', '￥']) assert.equal(classifyChar(ch.codePointAt(0)!), 'ok', ch);
    for (const ch of ['①', '㈱', '髙', 'Ⅰ']) assert.equal(classifyChar(ch.codePointAt(0)!), 'platform-dependent', ch);
    for (const ch of ['😀', '𠮷', 'é', '丂']) assert.equal(classifyChar(ch.codePointAt(0)!), 'outside-jis', ch);
    assert.equal(classifyChar(0x0b), 'illegal');
  });

  void it('the accepted sample files have no character finding', () => {
    for (const name of ['900A010200001000_base_kousei.xml', '900A01020000100001_01.xml', '4950000020325000_base_kousei.xml', '495000020325029841_01.xml']) {
      const report = checkApplicationData(batch(app(undefined, { [FORM_NAME]: readFileSync(join(samples, name)) })));
      assert.deepEqual(
        report.problems.filter((p) => p.code.startsWith('CHAR_')),
        [],
        name,
      );
    }
  });
});

void describe('checkApplicationData: sizes', () => {
  void it('reports a file, an application and a batch over their limits, and an empty file', () => {
    const big = app('900A010200001000(1)', { 'tenpu.txt': 'x'.repeat(2000) });
    const report = checkApplicationData(batch(big, app('900A010200001000(2)', { 'tenpu.txt': '' })), {
      maxFileBytes: 10_000,
      maxApplicationBytes: 11_000,
      maxBatchBytes: 20_000,
    });
    assert.deepEqual(
      report.problems.map((p) => [p.code, p.severity, p.folder ?? null, p.file ?? null]),
      [
        ['APPLICATION_TOO_LARGE', 'error', '900A010200001000(1)', null],
        ['FILE_EMPTY', 'warning', '900A010200001000(2)', 'tenpu.txt'],
        ['BATCH_TOO_LARGE', 'error', null, null],
      ],
    );
    const perFile = checkApplicationData(batch(big), { maxFileBytes: 1000 });
    assert.ok(perFile.problems.some((p) => p.code === 'FILE_TOO_LARGE' && p.file === 'tenpu.txt'));
  });

  void it('reports too many files in one application', () => {
    assert.deepEqual(codes(checkApplicationData(batch(app()), { maxFilesPerApplication: 2 })), ['APPLICATION_TOO_MANY_FILES']);
  });
});

void describe('checkApplicationData: XML over the limit', () => {
  void it('does not parse a loaded XML over the XML limit, only reports its size', () => {
    const report = checkApplicationData(batch(app(undefined, { [FORM_NAME]: `<DataRoot>${'<a>'.repeat(2000)}` })), { maxXmlBytes: 5000 });
    assert.deepEqual(
      report.problems.map((p) => [p.code, p.file]),
      [
        ['FILE_TOO_LARGE', 'kousei.xml'],
        ['FILE_TOO_LARGE', FORM_NAME],
      ],
    );
  });
});
