// Unit: the field-level diff of a 補正 (src/main/filing/xml-diff.ts). Paths name repeated elements by
// index, attributes by @, formatting is no change, and hostile, truncated, huge and deep documents are
// refused with the side and file named; non-XML files and unreadable XML compare by SHA-256.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { AmendmentError } from '../../src/main/filing/amendment-errors.js';
import { compareFile, diffXml, MAX_VALUE_CHARS } from '../../src/main/filing/xml-diff.js';
import { recordedDir } from '../support/paths.js';

const b = (s: string): Buffer => Buffer.from(s, 'utf8');
const refusal = (code: string) => (e: unknown) => e instanceof AmendmentError && e.code === code && e.messageJa.length > 0;

const filedForm = readFileSync(join(recordedDir, 'amendapply', '2', 'request-filedata-1', '900A010200001000(1)', '900A01020000100001_01.xml'));

describe('diffXml', () => {
  it('finds nothing between a document and itself, and nothing for formatting only', () => {
    assert.deepEqual(diffXml(filedForm, filedForm), { changes: [], total: 0, capped: false });
    const compact = '<?xml version="1.0" encoding="UTF-8"?><様式><氏名>山田　太郎</氏名><住所 種別="1">東京都</住所><空/></様式>';
    const pretty = '<?xml version="1.0"?>\r\n<!-- 書式だけ違う -->\r\n<様式>\r\n\t<氏名>\r\n\t\t山田　太郎\r\n\t</氏名>\r\n\t<住所 種別="1">東京都</住所>\r\n\t<空></空>\r\n</様式>\r\n';
    assert.equal(diffXml(b(compact), b(pretty)).total, 0);
  });

  it('names a changed field by its path with indexes where names repeat', () => {
    const before = '<様式><被保険者><氏名>甲</氏名></被保険者><被保険者><氏名>乙</氏名><番号>1</番号></被保険者><提出日>1</提出日></様式>';
    const after = '<様式><被保険者><氏名>甲</氏名></被保険者><被保険者><氏名>丙</氏名><番号>1</番号></被保険者><提出日>1</提出日></様式>';
    assert.deepEqual(diffXml(b(before), b(after)).changes, [{ path: '様式/被保険者[2]/氏名', before: '乙', after: '丙', change: 'changed' }]);
  });

  it('reports added and removed elements and attributes, filed order first', () => {
    const before = '<R a="1" gone="x"><A>1</A><B>2</B></R>';
    const after = '<R a="2" new="y"><A>1</A><C>3</C></R>';
    assert.deepEqual(diffXml(b(before), b(after)).changes, [
      { path: 'R/@a', before: '1', after: '2', change: 'changed' },
      { path: 'R/@gone', before: 'x', after: '', change: 'removed' },
      { path: 'R/B', before: '2', after: '', change: 'removed' },
      { path: 'R/@new', before: '', after: 'y', change: 'added' },
      { path: 'R/C', before: '', after: '3', change: 'added' },
    ]);
  });

  it('indexes a second sibling added to a name that was single', () => {
    const changes = diffXml(b('<R><X>1</X></R>'), b('<R><X>1</X><X>2</X></R>'))
      .changes.map((c) => `${c.change} ${c.path}`)
      .sort();
    // the lone X became X[1]: by path it is a rename, which a reader sees as removed + added
    assert.deepEqual(changes, ['added R/X[1]', 'added R/X[2]', 'removed R/X']);
  });

  it('finds a change in the recorded 申請書 and ignores namespace declarations', () => {
    const changed = b(filedForm.toString('utf8').replace('<年>59</年>', '<年>60</年>'));
    assert.deepEqual(diffXml(filedForm, changed).changes, [{ path: 'DataRoot/G00005-A-250045-001_1/生年月日/年', before: '59', after: '60', change: 'changed' }]);
    assert.equal(diffXml(b('<R xmlns="urn:a"><A>1</A></R>'), b('<R xmlns="urn:b"><A>1</A></R>')).total, 0);
  });

  it('keeps text around child elements as the field of the container', () => {
    const diff = diffXml(b('<P>前<b>太字</b>後</P>'), b('<P>前<b>太字</b>後ろ</P>'));
    assert.deepEqual(diff.changes, [{ path: 'P', before: '前後', after: '前後ろ', change: 'changed' }]);
  });

  it('cuts long values and caps the list while still counting', () => {
    const long = 'あ'.repeat(MAX_VALUE_CHARS + 50);
    const [c] = diffXml(b(`<R><T>${long}</T></R>`), b('<R><T>短い</T></R>')).changes;
    assert.equal([...c!.before].length, MAX_VALUE_CHARS + 1);
    assert.ok(c!.before.endsWith('…'));
    const many = (v: string) => b(`<R>${Array.from({ length: 50 }, (_, i) => `<F${i}>${v}</F${i}>`).join('')}</R>`);
    const diff = diffXml(many('1'), many('2'), { limits: { maxChanges: 10 } });
    assert.equal(diff.changes.length, 10);
    assert.equal(diff.total, 50);
    assert.equal(diff.capped, true);
  });

  it('refuses DOCTYPE and entities without expanding them', () => {
    const laughs = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><r>&b;</r>';
    assert.throws(() => diffXml(b(laughs), b('<r/>'), { name: 'f.xml' }), (e: unknown) => refusal('AMENDMENT_XML_UNREADABLE')(e) && (e as AmendmentError).detail?.side === 'before');
    const external = '<!DOCTYPE r SYSTEM "http://example.invalid/x.dtd"><r/>';
    assert.throws(() => diffXml(b('<r/>'), b(external)), (e: unknown) => refusal('AMENDMENT_XML_UNREADABLE')(e) && (e as AmendmentError).detail?.side === 'after');
  });

  it('refuses truncated, malformed and non-UTF-8 documents naming the file', () => {
    const truncated = filedForm.subarray(0, Math.floor(filedForm.length / 2));
    assert.throws(
      () => diffXml(filedForm, truncated, { name: '900A01020000100001_01.xml' }),
      (e: unknown) => refusal('AMENDMENT_XML_UNREADABLE')(e) && (e as AmendmentError).messageJa.includes('900A01020000100001_01.xml'),
    );
    assert.throws(() => diffXml(b('<a><b></a>'), b('<a/>')), refusal('AMENDMENT_XML_UNREADABLE'));
    assert.throws(() => diffXml(Buffer.from([0x3c, 0x61, 0x3e, 0x82, 0xa0, 0x3c, 0x2f, 0x61, 0x3e]), b('<a/>')), refusal('AMENDMENT_XML_UNREADABLE'));
    assert.throws(() => diffXml(b(''), b('<a/>')), refusal('AMENDMENT_XML_UNREADABLE'));
  });

  it('refuses a document over the size limit before parsing it', () => {
    const big = Buffer.alloc(2048, 0x20);
    assert.throws(
      () => diffXml(b('<a/>'), big, { limits: { maxBytes: 1024 } }),
      (e: unknown) => refusal('AMENDMENT_DIFF_TOO_LARGE')(e) && (e as AmendmentError).detail?.bytes === 2048,
    );
  });

  it('refuses a document with more elements than the limit', () => {
    const wide = b(`<r>${'<e/>'.repeat(200)}</r>`);
    assert.throws(() => diffXml(wide, wide, { limits: { maxElements: 100 } }), refusal('AMENDMENT_DIFF_TOO_LARGE'));
    assert.equal(diffXml(wide, wide, { limits: { maxElements: 201 } }).total, 0);
  });

  it('refuses a document nested deeper than the parser allows', () => {
    const deep = b(`${'<d>'.repeat(400)}${'</d>'.repeat(400)}`);
    assert.throws(() => diffXml(deep, deep), refusal('AMENDMENT_XML_UNREADABLE'));
  });
});

describe('compareFile', () => {
  it('compares non-XML files by SHA-256 only', () => {
    const same = compareFile('tenpu.txt', b('abc'), b('abc'));
    assert.equal(same.change, 'same');
    assert.equal(same.beforeSha256, same.afterSha256);
    const changed = compareFile('tenpu.pdf', b('abc'), b('abd'));
    assert.equal(changed.change, 'changed');
    assert.equal(changed.fields, null);
    assert.equal(compareFile('new.pdf', null, b('x')).change, 'added');
    assert.equal(compareFile('old.pdf', b('x'), null).change, 'removed');
  });

  it('diffs changed XML by field and falls back to the hash for unreadable XML', () => {
    const diffed = compareFile('a.xml', b('<r><v>1</v></r>'), b('<r><v>2</v></r>'));
    assert.equal(diffed.fields?.total, 1);
    const hostile = compareFile('a.xml', b('<r/>'), b('<!DOCTYPE r [<!ENTITY x "y">]><r>&x;</r>'));
    assert.equal(hostile.change, 'changed');
    assert.equal(hostile.fields, null);
    assert.equal(hostile.fieldsError?.code, 'AMENDMENT_XML_UNREADABLE');
  });
});
