// Unit: the check judges plain XML by the scanner of c14n-fast.ts instead of a DOM
// (src/main/application/check.ts). Whatever path a document takes, the check must report exactly
// what safe-xml's parser says: each case here is one the scanner alone would let through, or one
// where the kousei.xml listing read without a DOM could differ from the DOM's.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { checkApplicationData } from '../../src/main/application/check.js';
import { inMemoryFile, makeApplication, type ApplicationData } from '../../src/main/application/model.js';
import { problem, type CheckProblem } from '../../src/main/application/problems.js';
import { parseXmlText } from '../../src/main/signing/xml/safe-xml.js';
import { egovDir } from '../support/paths.js';

const samples = join(egovDir, 'samples');
const KOUSEI = readFileSync(join(samples, '900A010200001000_base_kousei.xml'), 'utf8');
const FORM = readFileSync(join(samples, '900A01020000100001_01.xml'), 'utf8');
const FORM_NAME = '900A01020000100001_01.xml';

function batch(kousei: string, form: string = FORM): ApplicationData {
  const files = [inMemoryFile(FORM_NAME, Buffer.from(form)), inMemoryFile('tenpu.txt', Buffer.from('hogehoge'))];
  return { source: { kind: 'folders', paths: [] }, applications: [makeApplication(FOLDER, inMemoryFile('kousei.xml', Buffer.from(kousei)), files)], problems: [] };
}

const FOLDER = '900A010200001000(1)';

/** XML_MALFORMED with the parser's own reason, or nothing, as safe-xml decides. */
function expectedXmlProblems(text: string, file: string): CheckProblem[] {
  try {
    parseXmlText(text.replace(/^\uFEFF/, ''));
    return [];
  } catch (e) {
    const reason = (e as { detail?: { reason?: unknown } }).detail?.reason;
    return [problem('XML_MALFORMED', { folder: FOLDER, file, detail: typeof reason === 'string' ? reason : (e as Error).message })];
  }
}

const xmlProblems = (data: ApplicationData, file: string) => checkApplicationData(data).problems.filter((p) => p.file === file && p.code === 'XML_MALFORMED');

const decl = '<?xml version="1.0" encoding="UTF-8"?>';
const forms: Record<string, string> = {
  'the sample as it is': FORM,
  'XML 1.1 declared': FORM.replace(decl, '<?xml version="1.1" encoding="UTF-8"?>'),
  'a declaration without a version': FORM.replace(decl, '<?xml encoding="UTF-8"?>'),
  'standalone declared': FORM.replace(decl, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'),
  'U+FFFD in a text': FORM.replace('<様式コピー情報>0', '<様式コピー情報>0\uFFFD'),
  'a comment ending in "-"': FORM.replace('<Doctype>', '<!-- note ---><Doctype>'),
  'a processing instruction whose target is not a name': FORM.replace('<Doctype>', '<?\u3000x y?><Doctype>'),
  'nesting 300 deep': FORM.replace('<Doctype>', `${'<d>'.repeat(300)}${'</d>'.repeat(300)}<Doctype>`),
  'a default namespace on an element': FORM.replace('<Doctype>', '<n xmlns="urn:example">1</n><Doctype>'),
  'duplicate IDs (well-formed)': FORM.replace('<Doctype>', '<a ID="x"/><b ID="x"/><Doctype>'),
  'a byte order mark': `\uFEFF${FORM}`,
  'an unclosed element': FORM.replace('</DataRoot>', ''),
};

void describe('checkApplicationData without a DOM: the same verdict as safe-xml', () => {
  for (const [name, form] of Object.entries(forms)) {
    void it(`申請書: ${name}`, () => {
      assert.deepEqual(xmlProblems(batch(KOUSEI, form), FORM_NAME), expectedXmlProblems(form, FORM_NAME));
    });
  }

  void it('kousei.xml with a second 構成情報: the listing is the first one’s, as the DOM reads it', () => {
    const second = KOUSEI.replace('</構成情報>', '</構成情報><構成情報><申請書属性情報><申請書ファイル名称>other.xml</申請書ファイル名称></申請書属性情報></構成情報>');
    const report = checkApplicationData(batch(second));
    assert.ok(!report.problems.some((p) => p.file === 'other.xml'), JSON.stringify(report.problems));
  });

  void it('kousei.xml whose 構成情報 has another attribute: still read, through the DOM', () => {
    const report = checkApplicationData(batch(KOUSEI.replace('<構成情報 ID="構成情報">', '<構成情報 ID="構成情報" x="1">')));
    assert.deepEqual(
      report.problems.filter((p) => p.severity === 'error'),
      [],
    );
  });

  void it('kousei.xml without an ID on 構成情報: KOUSEI_NO_KOUSEI_JOHO, as before', () => {
    const report = checkApplicationData(batch(KOUSEI.replace('<構成情報 ID="構成情報">', '<構成情報>')));
    assert.ok(report.problems.some((p) => p.code === 'KOUSEI_NO_KOUSEI_JOHO'));
  });

  void it('kousei.xml declared XML 1.1: XML_MALFORMED, as before', () => {
    const kousei = KOUSEI.replace(decl, '<?xml version="1.1" encoding="UTF-8"?>');
    assert.deepEqual(xmlProblems(batch(kousei), 'kousei.xml'), expectedXmlProblems(kousei, 'kousei.xml'));
    assert.equal(xmlProblems(batch(kousei), 'kousei.xml').length, 1);
  });
});
