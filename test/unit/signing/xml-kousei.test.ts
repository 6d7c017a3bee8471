import assert from 'node:assert/strict';
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SigningError, type SigningErrorCode } from '../../../src/main/signing/errors.js';
import type { KeyObjectSigner } from '../../../src/main/signing/signer.js';
import { ALG } from '../../../src/main/signing/xml/dsig.js';
import {
  folderFileReader,
  signKousei,
  signKouseiInFolder,
  verifySignedXml,
  type ReadFile,
} from '../../../src/main/signing/xml/index.js';
import { canonicalize } from '../../../src/main/signing/xml/c14n.js';
import { childrenNamed } from '../../../src/main/signing/xml/dom.js';
import { parseXmlText } from '../../../src/main/signing/xml/safe-xml.js';
import { signDocument } from '../../../src/main/signing/xml/sign-core.js';
import { openEgovSigner } from '../../support/egov-signer.js';
import { recordedDir } from '../../support/paths.js';

const PCT_KOUSEI = '#%E6%A7%8B%E6%88%90%E6%83%85%E5%A0%B1';
const APPLY_FOLDER = join(recordedDir, 'apply', 'request-filedata-1', '900A010200001000(1)');
const FORM = '900A01020000100001_01.xml';

function findKouseiFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return findKouseiFiles(path);
    return name === 'kousei.xml' ? [path] : [];
  });
}

/** recorded_at of the API call whose request carried this package. */
function recordedAt(kouseiPath: string): Date {
  const parts = relative(recordedDir, kouseiPath).split(sep);
  const apiParts = parts.slice(0, parts.findIndex((p) => p.startsWith('request-filedata-')));
  const meta = JSON.parse(readFileSync(join(recordedDir, ...apiParts, 'meta.json'), 'utf8')) as { recorded_at: string };
  return new Date(meta.recorded_at);
}

async function rejectsWith(p: Promise<unknown>, code: SigningErrorCode): Promise<SigningError> {
  let caught: unknown;
  try {
    await p;
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof SigningError, `expected SigningError ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  assert.ok(caught.messageJa.length > 0);
  return caught;
}

function signatureInfo(text: string): string {
  const start = text.indexOf('<署名情報>');
  const end = text.indexOf('</署名情報>') + '</署名情報>'.length;
  assert.ok(start > 0 && end > start, 'one 署名情報');
  assert.equal(text.indexOf('<署名情報>', start + 1), -1, 'exactly one 署名情報');
  return text.slice(start, end);
}

function outsideSignature(text: string): string {
  const sig = signatureInfo(text);
  return text.replace(sig, '');
}

function valueOf(text: string, tag: string): string {
  const m = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(text);
  assert.ok(m, tag);
  return m[1]!;
}

function allValues(text: string, tag: string): string[] {
  return [...text.matchAll(new RegExp(`<${tag}>([^<]*)</${tag}>`, 'g'))].map((m) => m[1]!);
}

/** Puts the recorded signer's SignatureValue and certificate into our output. */
function withRecordedKeyMaterial(ours: string, recorded: string): string {
  return ours
    .replace(valueOf(ours, 'SignatureValue'), valueOf(recorded, 'SignatureValue'))
    .replace(valueOf(ours, 'X509Certificate'), valueOf(recorded, 'X509Certificate'));
}

function signatureIdOf(text: string): string {
  const m = /<Signature xmlns="http:\/\/www\.w3\.org\/2000\/09\/xmldsig#" Id="([^"]+)">/.exec(text);
  assert.ok(m);
  return m[1]!;
}

function scratchCopy(from: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'todoke-kousei-'));
  cpSync(from, dir, { recursive: true });
  for (const name of readdirSync(dir)) chmodSync(join(dir, name), 0o644);
  return dir;
}

const memoryFiles =
  (files: Record<string, Buffer | string>): ReadFile =>
  async (name) => {
    const v = files[name];
    if (v === undefined) throw Object.assign(new Error(`ENOENT: ${name}`), { code: 'ENOENT' });
    return Buffer.isBuffer(v) ? v : Buffer.from(v);
  };

const recordedKousei = findKouseiFiles(recordedDir);

void describe('kousei profile: recorded packages', () => {
  void it('finds every recorded kousei.xml', () => {
    assert.equal(recordedKousei.length, 5, recordedKousei.join('\n'));
  });

  for (const file of recordedKousei) {
    const name = relative(recordedDir, file);
    void it(`${name} verifies with the files of its folder`, async () => {
      const report = await verifySignedXml(readFileSync(file), { readFile: folderFileReader(dirname(file)), at: recordedAt(file) });
      assert.equal(report.profile, 'kousei');
      assert.equal(report.valid, true, report.problems.join('\n'));
      assert.equal(report.references[0]!.uri, PCT_KOUSEI);
      assert.equal(report.references[0]!.kind, 'element');
      assert.ok(report.references.length === 2 && report.references[1]!.kind === 'file' && report.references[1]!.valid);
      assert.equal(report.signer.commonName, 'Jiro Madoguchi');
      assert.equal(report.validity.state, 'valid');
      assert.deepEqual(report.problems, []);
      // 添付書類 are not signed in any accepted package (REFERENCE §5.3): only the 申請書 is.
      assert.ok(!report.references.some((r) => r.uri.includes('tenpu')));
    });
  }

  void it('a package is invalid when one byte of 構成情報 changes', async () => {
    const text = readFileSync(join(APPLY_FOLDER, 'kousei.xml'), 'utf8');
    const tampered = text.replace('<郵便番号>1200001</郵便番号>', '<郵便番号>1200002</郵便番号>');
    assert.notEqual(tampered, text);
    const report = await verifySignedXml(Buffer.from(tampered), { readFile: folderFileReader(APPLY_FOLDER) });
    assert.equal(report.valid, false);
    assert.equal(report.signatureValueValid, true);
    assert.equal(report.references[0]!.valid, false);
    assert.equal(report.references[1]!.valid, true);
  });

  void it('a package is invalid when one byte of the 申請書 changes, or it is missing', async () => {
    const dir = scratchCopy(APPLY_FOLDER);
    try {
      const form = readFileSync(join(dir, FORM));
      form.writeUInt8(form.readUInt8(form.length - 3) ^ 0x01, form.length - 3);
      writeFileSync(join(dir, FORM), form);
      const changed = await verifySignedXml(readFileSync(join(dir, 'kousei.xml')), { readFile: folderFileReader(dir) });
      assert.equal(changed.valid, false);
      assert.deepEqual(changed.references.map((r) => r.valid), [true, false]);
      assert.match(changed.problems.join(), /内容が署名後に変更されています/);

      rmSync(join(dir, FORM));
      const missing = await verifySignedXml(readFileSync(join(dir, 'kousei.xml')), { readFile: folderFileReader(dir) });
      assert.equal(missing.valid, false);
      assert.match(missing.references[1]!.reason ?? '', /見つからない/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  void it('without a way to read files, file references are not counted as valid', async () => {
    const report = await verifySignedXml(readFileSync(join(APPLY_FOLDER, 'kousei.xml')));
    assert.equal(report.valid, false);
    assert.equal(report.references[1]!.valid, false);
  });

  void it('references that leave the folder are invalid references, not crashes', async () => {
    const text = readFileSync(join(APPLY_FOLDER, 'kousei.xml'), 'utf8');
    let calls = 0;
    const spy: ReadFile = async (name) => {
      calls++;
      return folderFileReader(APPLY_FOLDER)(name);
    };
    for (const uri of ['../kousei.xml', '/etc/passwd', 'file:///etc/passwd', 'a%5Cb.xml', 'C:x.xml', 'a%00b', '%E0%A4%A', 'http://127.0.0.1/x']) {
      const report = await verifySignedXml(Buffer.from(text.replace(`URI="${FORM}"`, `URI="${uri}"`)), { readFile: spy });
      assert.equal(report.valid, false, uri);
      const fileRef = report.references.find((r) => r.uri === uri);
      assert.ok(fileRef && !fileRef.valid, uri);
      assert.match(fileRef.reason ?? '', /フォルダーの外/, uri);
    }
    assert.equal(calls, 0, 'no hostile name reaches readFile');
  });
});

void describe('kousei profile: signing', () => {
  let ee01: KeyObjectSigner;
  before(() => {
    ee01 = openEgovSigner('e-GovEE01_sha2');
  });
  after(async () => {
    await ee01.close();
  });

  for (const file of recordedKousei) {
    const name = relative(recordedDir, file);
    void it(`re-signing ${name} rewrites only 署名情報, with the recorded SignedInfo`, async () => {
      const recorded = readFileSync(file, 'utf8');
      const out = (await signKousei(Buffer.from(recorded), folderFileReader(dirname(file)), ee01, { signatureId: signatureIdOf(recorded) })).toString('utf8');
      assert.equal(outsideSignature(out), outsideSignature(recorded));
      assert.deepEqual(allValues(out, 'DigestValue'), allValues(recorded, 'DigestValue'));
      // Same SignedInfo bytes, same layout: only the key material differs.
      assert.equal(withRecordedKeyMaterial(out, recorded), recorded);
      const report = await verifySignedXml(Buffer.from(out), { readFile: folderFileReader(dirname(file)) });
      assert.equal(report.valid, true, report.problems.join('\n'));
      assert.equal(report.signer.commonName, 'Ichiro Madoguchi');
    });
  }

  void it('signing a package with no 署名情報 puts it right after </構成情報>, as e-Gov received it', async () => {
    let reproduced = 0;
    for (const file of recordedKousei) {
      const recorded = readFileSync(file, 'utf8');
      const sig = signatureInfo(recorded);
      if (!recorded.includes(`</構成情報>${sig}`)) continue; // one package has a line break before it
      const unsigned = recorded.replace(sig, '');
      const out = (await signKousei(Buffer.from(unsigned), folderFileReader(dirname(file)), ee01, { signatureId: signatureIdOf(recorded) })).toString();
      assert.equal(withRecordedKeyMaterial(out, recorded), recorded, relative(recordedDir, file));
      reproduced++;
    }
    assert.equal(reproduced, 4);
  });

  void it('writes #構成情報 raw when asked, and verifies in both forms', async () => {
    const kousei = readFileSync(join(APPLY_FOLDER, 'kousei.xml'));
    const read = folderFileReader(APPLY_FOLDER);
    for (const [form, uri] of [['raw', '#構成情報'], ['percent-encoded', PCT_KOUSEI]] as const) {
      const out = await signKousei(kousei, read, ee01, { signatureId: 's1', referenceForm: form });
      assert.ok(out.toString().includes(`<Reference URI="${uri}">`), form);
      const report = await verifySignedXml(out, { readFile: read });
      assert.equal(report.valid, true, report.problems.join('\n'));
      assert.equal(report.references[0]!.uri, uri);
    }
  });

  void it('keeps a BOM, CRLF line ends and every byte outside 署名情報', async () => {
    const recorded = readFileSync(join(APPLY_FOLDER, 'kousei.xml'), 'utf8');
    const crlf = `\uFEFF${recorded.replace(signatureInfo(recorded), '').replace(/\n/g, '\r\n')}`;
    const out = (await signKousei(Buffer.from(crlf), folderFileReader(APPLY_FOLDER), ee01, { signatureId: 'crlf' })).toString('utf8');
    assert.ok(out.startsWith('\uFEFF<?xml version="1.0" encoding="UTF-8"?>\r\n<?xml-stylesheet'));
    assert.equal(outsideSignature(out), crlf);
    assert.equal((await verifySignedXml(Buffer.from(out), { readFile: folderFileReader(APPLY_FOLDER) })).valid, true);
  });

  void it('inherits xml:* attributes of ancestors into the canonical 構成情報 (C14N 1.0)', async () => {
    const recorded = readFileSync(join(APPLY_FOLDER, 'kousei.xml'), 'utf8');
    const withLang = recorded.replace('<DataRoot>', '<DataRoot xml:lang="ja">');
    const doc = parseXmlText(withLang);
    const joho = childrenNamed(doc.documentElement!, '構成情報')[0]!;
    assert.ok(canonicalize(joho).startsWith('<構成情報 ID="構成情報" xml:lang="ja">'));
    const out = await signKousei(Buffer.from(withLang), folderFileReader(APPLY_FOLDER), ee01, { signatureId: 'lang' });
    assert.equal((await verifySignedXml(out, { readFile: folderFileReader(APPLY_FOLDER) })).valid, true);
    const relabelled = out.toString().replace('xml:lang="ja"', 'xml:lang="en"');
    assert.equal((await verifySignedXml(Buffer.from(relabelled), { readFile: folderFileReader(APPLY_FOLDER) })).references[0]!.valid, false);
  });

  void it('reports a 申請書 the signature does not cover', async () => {
    const recorded = readFileSync(join(APPLY_FOLDER, 'kousei.xml'), 'utf8');
    const unsigned = recorded.replace(signatureInfo(recorded), '');
    const end = unsigned.indexOf('</構成情報>') + '</構成情報>'.length;
    const joho = childrenNamed(parseXmlText(unsigned).documentElement!, '構成情報')[0]!;
    const { createHash } = await import('node:crypto');
    const digestValue = createHash('sha256').update(canonicalize(joho)).digest('base64');
    const onlyKousei = await signDocument({
      profile: 'kousei',
      compose: (s) => `${unsigned.slice(0, end)}<署名情報>${s}</署名情報>${unsigned.slice(end)}`,
      references: [{ uri: PCT_KOUSEI, transforms: [ALG.c14n], digestValue }],
      signatureId: 'partial',
      signer: ee01,
    }).then(
      () => assert.fail('the self-check must refuse a signature that leaves the 申請書 out'),
      (e: unknown) => e,
    );
    assert.ok(onlyKousei instanceof SigningError && onlyKousei.code === 'SIGNATURE_UNSUPPORTED');
    assert.match(onlyKousei.messageJa, /署名の対象に含まれていません/);
  });

  void it('splices correctly around comments, CDATA, PIs, quotes and ">" in attribute values', async () => {
    const recorded = readFileSync(join(APPLY_FOLDER, 'kousei.xml'), 'utf8');
    const tricky = recorded
      .replace(signatureInfo(recorded), '')
      .replace('</DataRoot>', '<!-- after --><署名情報 /><その他/></DataRoot>')
      .replace('<様式ID>', '<!-- </構成情報><署名情報> --><?pi </DataRoot>?><様式ID a="x>y/>" b=\'"\'>')
      .replace('<構成情報 ID="構成情報">', "<構成情報 ID='構成情報' note=\"a>b\">")
      .replace('<通信欄/>', '<通信欄><![CDATA[</構成情報><署名情報/>]]></通信欄>');
    const read = folderFileReader(APPLY_FOLDER);
    const out = (await signKousei(Buffer.from(tricky), read, ee01, { signatureId: 'tricky' })).toString('utf8');
    const start = out.indexOf('<署名情報><Signature');
    assert.ok(start > 0);
    const end = out.indexOf('</署名情報>', start) + '</署名情報>'.length;
    assert.equal(out.slice(0, start) + '<署名情報 />' + out.slice(end), tricky, 'the empty 署名情報 was replaced in place, nothing else changed');
    assert.equal((await verifySignedXml(Buffer.from(out), { readFile: read })).valid, true);
  });

  void describe('refuses what it cannot sign safely', () => {
    const base = readFileSync(join(APPLY_FOLDER, 'kousei.xml'), 'utf8');
    const read = folderFileReader(APPLY_FOLDER);
    const withFormName = (name: string) => Buffer.from(base.replace(`<申請書ファイル名称>${FORM}<`, `<申請書ファイル名称>${name}<`));

    for (const name of ['../x.xml', '/etc/passwd', 'a\\b.xml', 'C:x.xml', 'c:\\windows\\win.ini', '', '  ', 'a/../../b.xml', './', 'sub//x.xml', 'kousei.xml:stream']) {
      void it(`a hostile 申請書 name ${JSON.stringify(name)}`, async () => {
        let reads = 0;
        const spy: ReadFile = async (n) => {
          reads++;
          return read(n);
        };
        await rejectsWith(signKousei(withFormName(name.replace(/&/g, '&amp;').replace(/</g, '&lt;')), spy, ee01, { signatureId: 'x' }), 'KOUSEI_FILE_ESCAPES');
        assert.equal(reads, 0);
      });
    }

    void it('a NUL or a symlink out of the folder, even past the name check', async () => {
      await rejectsWith(read('a\u0000b.xml'), 'KOUSEI_FILE_ESCAPES');
      const dir = scratchCopy(APPLY_FOLDER);
      try {
        const { symlinkSync } = await import('node:fs');
        symlinkSync('/etc/hostname', join(dir, 'link.xml'));
        await rejectsWith(folderFileReader(dir)('link.xml'), 'KOUSEI_FILE_ESCAPES');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    void it('a missing 申請書 file', async () => {
      const e = await rejectsWith(signKousei(withFormName('nothere.xml'), read, ee01, { signatureId: 'x' }), 'KOUSEI_FILE_MISSING');
      assert.match(e.messageJa, /nothere\.xml/);
      await rejectsWith(signKousei(Buffer.from(base), memoryFiles({}), ee01, { signatureId: 'x' }), 'KOUSEI_FILE_MISSING');
    });

    void it('no 構成情報, several, or one without its ID', async () => {
      const noJoho = base.replace(/<構成情報 ID="構成情報">[\s\S]*<\/構成情報>/, '');
      await rejectsWith(signKousei(Buffer.from(noJoho), read, ee01, { signatureId: 'x' }), 'KOUSEI_NO_KOUSEI_JOHO');
      await rejectsWith(signKousei(Buffer.from('<other/>'), read, ee01, { signatureId: 'x' }), 'KOUSEI_NO_KOUSEI_JOHO');
      await rejectsWith(signKousei(Buffer.from(base.replace('<構成情報 ID="構成情報">', '<構成情報>')), read, ee01, { signatureId: 'x' }), 'KOUSEI_NO_KOUSEI_JOHO');
      await rejectsWith(signKousei(Buffer.from(base.replace('<様式ID>', '<構成情報/><様式ID>')), read, ee01, { signatureId: 'x' }), 'KOUSEI_NO_KOUSEI_JOHO');
    });

    void it('duplicate IDs', async () => {
      await rejectsWith(signKousei(Buffer.from(base.replace('<管理情報>', '<管理情報 ID="構成情報">')), read, ee01, { signatureId: 'x' }), 'XML_DUPLICATE_ID');
      await rejectsWith(signKousei(Buffer.from(base.replace('<様式ID>', '<様式ID Id="dup">').replace('<STYLESHEET>', '<STYLESHEET id="dup">')), read, ee01, { signatureId: 'x' }), 'XML_DUPLICATE_ID');
      // The new Signature's own Id must not collide with an ID already in the document.
      await rejectsWith(signKousei(Buffer.from(base.replace('<様式ID>', '<様式ID Id="s">')), read, ee01, { signatureId: 's' }), 'XML_DUPLICATE_ID');
    });

    void it('a DOCTYPE or an entity bomb', async () => {
      const bomb = base.replace(
        '<?xml-stylesheet',
        '<!DOCTYPE DataRoot [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><?xml-stylesheet',
      );
      await rejectsWith(signKousei(Buffer.from(bomb.replace('<手続名称>', '<手続名称>&c;')), read, ee01, { signatureId: 'x' }), 'XML_DOCTYPE');
    });

    void it('a truncated file', async () => {
      const bytes = Buffer.from(base);
      for (const cut of [bytes.length - 12, Math.floor(bytes.length / 2), 200, 1]) {
        const p = signKousei(bytes.subarray(0, cut), read, ee01, { signatureId: 'x' });
        await rejectsWith(p, 'XML_MALFORMED');
      }
      await rejectsWith(signKousei(Buffer.alloc(0), read, ee01, { signatureId: 'x' }), 'XML_MALFORMED');
    });

    void it('a 20 MB file', async () => {
      const pad = Buffer.alloc(20 * 1024 * 1024, 0x20);
      const huge = Buffer.concat([Buffer.from(base.replace('</DataRoot>', '')), pad, Buffer.from('</DataRoot>\n')]);
      await rejectsWith(signKousei(huge, read, ee01, { signatureId: 'x' }), 'XML_TOO_LARGE');
    });

    void it('two 署名情報', async () => {
      const sig = signatureInfo(base);
      await rejectsWith(signKousei(Buffer.from(base.replace(sig, sig + sig.replace('Id="20150422184516"', 'Id="o"'))), read, ee01, { signatureId: 'x' }), 'SIGNATURE_UNSUPPORTED');
    });

    void it('a bad signature Id', async () => {
      await rejectsWith(signKousei(Buffer.from(base), read, ee01, { signatureId: '<x>' }), 'SIGNATURE_ID_INVALID');
    });
  });
});

void describe('kousei profile: verification of hostile documents', () => {
  const signed = readFileSync(join(APPLY_FOLDER, 'kousei.xml'), 'utf8');
  const read = folderFileReader(APPLY_FOLDER);
  const verify = (text: string) => verifySignedXml(Buffer.from(text), { readFile: read });
  const johoStart = signed.indexOf('<構成情報 ID="構成情報">');
  const johoEnd = signed.indexOf('</構成情報>') + '</構成情報>'.length;
  const joho = signed.slice(johoStart, johoEnd);

  void it('a second, unsigned 構成情報 before the signed one', async () => {
    await rejectsWith(verify(signed.replace(joho, `${joho.replace(' ID="構成情報"', '')}${joho}`)), 'XML_TARGET_MISSING');
  });

  void it('the signed 構成情報 moved into a wrapper, a fake one in its place', async () => {
    const fake = joho.replace(' ID="構成情報"', ' ID="fake"').replace('新規申請', '取下げ申請');
    await rejectsWith(verify(signed.replace(joho, `${fake}<包み>${joho}</包み>`)), 'XML_TARGET_MISSING');
  });

  void it('two elements with the ID 構成情報', async () => {
    await rejectsWith(verify(signed.replace('<管理情報>', '<管理情報 ID="構成情報">')), 'XML_DUPLICATE_ID');
  });

  void it('a Signature outside 署名情報, or none', async () => {
    const sigInfo = signatureInfo(signed);
    const sigOnly = sigInfo.slice('<署名情報>'.length, -'</署名情報>'.length);
    await rejectsWith(verify(signed.replace(sigInfo, sigOnly)), 'SIGNATURE_UNSUPPORTED');
    await rejectsWith(verify(signed.replace(sigInfo, '')), 'SIGNATURE_MISSING');
  });

  void it('a transform on a file reference', async () => {
    const withTransform = signed.replace(
      `<Reference URI="${FORM}">`,
      `<Reference URI="${FORM}"><Transforms><Transform Algorithm="${ALG.c14n}"/></Transforms>`,
    );
    await rejectsWith(verify(withTransform), 'SIGNATURE_UNSUPPORTED');
  });
});

void describe('kousei profile: signKouseiInFolder', () => {
  let ee01: KeyObjectSigner;
  before(() => {
    ee01 = openEgovSigner('e-GovEE01_sha2');
  });
  after(async () => {
    await ee01.close();
  });

  void it('writes a backup, then the signed file; never overwrites an existing backup', async () => {
    const dir = scratchCopy(APPLY_FOLDER);
    try {
      const original = readFileSync(join(dir, 'kousei.xml'));
      const now = new Date(2025, 0, 2, 3, 4, 5);
      const first = await signKouseiInFolder(dir, ee01, { signatureId: 'a1', referenceForm: 'raw', now });
      assert.equal(first.backupPath, join(dir, 'kousei.xml.bak-20250102030405'));
      assert.deepEqual(first.references, ['#構成情報', FORM]);
      assert.ok(readFileSync(first.backupPath).equals(original));
      const signedOnce = readFileSync(join(dir, 'kousei.xml'));
      assert.equal(outsideSignature(signedOnce.toString()), outsideSignature(original.toString()));
      assert.equal((await verifySignedXml(signedOnce, { readFile: folderFileReader(dir) })).valid, true);

      const second = await signKouseiInFolder(dir, ee01, { signatureId: 'a2', now });
      assert.equal(second.backupPath, join(dir, 'kousei.xml.bak-20250102030405-2'));
      assert.ok(readFileSync(first.backupPath).equals(original), 'the first backup is untouched');
      assert.ok(readFileSync(second.backupPath).equals(signedOnce));
      assert.deepEqual(second.references, [PCT_KOUSEI, FORM]);
      assert.deepEqual(readdirSync(dir).filter((n) => n.endsWith('.tmp')), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  void it('leaves the original untouched, with no backup or temp file, when signing fails', async () => {
    const dir = scratchCopy(APPLY_FOLDER);
    try {
      const before = readdirSync(dir).sort();
      const original = readFileSync(join(dir, 'kousei.xml'));
      rmSync(join(dir, FORM));
      await rejectsWith(signKouseiInFolder(dir, ee01, { signatureId: 'x' }), 'KOUSEI_FILE_MISSING');
      assert.ok(readFileSync(join(dir, 'kousei.xml')).equals(original));
      writeFileSync(join(dir, FORM), readFileSync(join(APPLY_FOLDER, FORM)));

      const closed = openEgovSigner('e-GovEE01_sha2');
      await closed.close();
      await rejectsWith(signKouseiInFolder(dir, closed, { signatureId: 'x' }), 'SIGNER_CLOSED');
      assert.ok(readFileSync(join(dir, 'kousei.xml')).equals(original));
      assert.deepEqual(readdirSync(dir).sort(), before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  void it('does not overwrite an edit made while the signer was waiting', async () => {
    const dir = scratchCopy(APPLY_FOLDER);
    try {
      const edited = Buffer.from('edited by someone else');
      const slow: KeyObjectSigner = Object.create(ee01) as KeyObjectSigner;
      slow.sign = async (data) => {
        writeFileSync(join(dir, 'kousei.xml'), edited);
        return ee01.sign(data);
      };
      await rejectsWith(signKouseiInFolder(dir, slow, { signatureId: 'x' }), 'KOUSEI_CHANGED');
      assert.ok(readFileSync(join(dir, 'kousei.xml')).equals(edited));
      assert.deepEqual(readdirSync(dir).filter((n) => n.includes('.bak-') || n.endsWith('.tmp')), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  void it('refuses a folder without kousei.xml and a 20 MB kousei.xml', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'todoke-kousei-'));
    try {
      await rejectsWith(signKouseiInFolder(dir, ee01, { signatureId: 'x' }), 'KOUSEI_FILE_MISSING');
      writeFileSync(join(dir, 'kousei.xml'), Buffer.alloc(20 * 1024 * 1024, 0x20));
      await rejectsWith(signKouseiInFolder(dir, ee01, { signatureId: 'x' }), 'XML_TOO_LARGE');
      assert.ok(existsSync(join(dir, 'kousei.xml')));
      assert.deepEqual(readdirSync(dir), ['kousei.xml']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
