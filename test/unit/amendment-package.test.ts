// Unit: the 補正 package (src/main/filing/amendment-package.ts). The filed application e-Gov accepted
// (recorded/apply) rewritten for its 補正 gives the 構成情報 of the 補正 e-Gov accepted
// (recorded/amendapply/2) and the samples' amendapply kousei byte for byte; the signature verifies;
// the ZIP is one `{手続ID}(1)` folder that reads back and passes the check; a kousei that cannot be
// rewritten surely, another procedure, or data the check refuses is never signed.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { checkApplicationData } from '../../src/main/application/check.js';
import { readApplicationZipBuffer } from '../../src/main/application/read-zip.js';
import { amendedKouseiXml, amendmentData, buildAmendmentPackage, type AmendmentFolder } from '../../src/main/filing/amendment-package.js';
import { openPkcs12 } from '../../src/main/signing/file-signer.js';
import type { Signer } from '../../src/main/signing/signer.js';
import { kouseiJohoDigest } from '../../src/main/signing/xml/kousei-profile.js';
import { verifySignedXml } from '../../src/main/signing/xml/verify.js';
import { isTodokeError } from '../../src/shared/errors.js';
import { egovDir, recordedDir, repoRoot } from '../support/paths.js';

const PROCEDURE = '900A010200001000';
const FORM = '900A01020000100001_01.xml';
const filedDir = join(recordedDir, 'apply', 'request-filedata-1', `${PROCEDURE}(1)`);
const acceptedDir = join(recordedDir, 'amendapply', '2', 'request-filedata-1', `${PROCEDURE}(1)`);
const filedKousei = readFileSync(join(filedDir, 'kousei.xml'));
const acceptedKousei = readFileSync(join(acceptedDir, 'kousei.xml'));
const signer: Signer = openPkcs12(readFileSync(join(repoRoot, 'assets', 'sandbox-pki', 'yamada-taro.p12')), 'todoke');
const at = new Date('2015-06-25T05:17:00Z');

const filedFolder = (): AmendmentFolder => ({
  kousei: filedKousei,
  files: [
    { name: FORM, bytes: readFileSync(join(filedDir, FORM)) },
    { name: 'tenpu.txt', bytes: readFileSync(join(filedDir, 'tenpu.txt')) },
  ],
});

const draftInvalid = (e: unknown) => isTodokeError(e, 'AMENDMENT_DRAFT_INVALID') && e.messageJa.length > 0;
const withoutSignature = (xml: Buffer) => Buffer.from(xml.toString('utf8').replace(/<署名情報>[\s\S]*<\/署名情報>/, ''), 'utf8');

describe('amendedKouseiXml', () => {
  it('gives the 構成情報 of the accepted 補正 from the filed kousei', () => {
    const amended = amendedKouseiXml(filedKousei, { arriveId: '9002015000248266', kind: 'amendapply' });
    assert.equal(kouseiJohoDigest(amended).toString('hex'), kouseiJohoDigest(acceptedKousei).toString('hex'));
    assert.ok(!amended.toString('utf8').includes('署名情報'), 'the old signature is gone');
  });

  it('changes nothing else: the samples differ by exactly these two values', () => {
    const base = readFileSync(join(egovDir, 'samples', 'apply_900A010200001000_base_kousei.xml'));
    const amendSample = readFileSync(join(egovDir, 'samples', 'amendapply_900A010200001000_base_kousei.xml'));
    assert.deepEqual(amendedKouseiXml(base, { arriveId: '9002015000247414', kind: 'amendapply' }), amendSample);
    // and the accepted package, rewritten once more, is itself without its signature
    assert.deepEqual(amendedKouseiXml(acceptedKousei, { arriveId: '9002015000248266', kind: 'reamend' }), withoutSignature(acceptedKousei));
  });

  it('writes 部分補正 for partamend', () => {
    const amended = amendedKouseiXml(filedKousei, { arriveId: '9002015000243941', kind: 'partamend' }).toString('utf8');
    assert.match(amended, /<申請種別>部分補正<\/申請種別>/);
    assert.match(amended, /<初回受付番号>9002015000243941<\/初回受付番号>/);
  });

  it('refuses a kousei without the elements, with two of them, or with them only in a comment', () => {
    const text = filedKousei.toString('utf8');
    const target = { arriveId: '9002015000248266', kind: 'amendapply' as const };
    assert.throws(() => amendedKouseiXml(Buffer.from(text.replace('<初回受付番号/>', '')), target), draftInvalid);
    assert.throws(() => amendedKouseiXml(Buffer.from(text.replace('<初回受付番号/>', '<初回受付番号/><初回受付番号/>')), target), draftInvalid);
    assert.throws(() => amendedKouseiXml(Buffer.from(text.replace('<初回受付番号/>', '<!-- <初回受付番号/> -->')), target), draftInvalid);
    assert.throws(() => amendedKouseiXml(Buffer.from(text.replace('<申請種別>新規申請</申請種別>', '<!--<申請種別>x</申請種別>--><申請種別>新規申請</申請種別>')), target), draftInvalid);
  });

  it('refuses hostile, truncated and non-kousei documents and a bad 到達番号', () => {
    const target = { arriveId: '9002015000248266', kind: 'amendapply' as const };
    assert.throws(() => amendedKouseiXml(Buffer.from('<!DOCTYPE d [<!ENTITY x "y">]><DataRoot>&x;</DataRoot>'), target), draftInvalid);
    assert.throws(() => amendedKouseiXml(filedKousei.subarray(0, 500), target), draftInvalid);
    assert.throws(() => amendedKouseiXml(Buffer.from('<様式><初回受付番号/></様式>'), target), draftInvalid);
    assert.throws(() => amendedKouseiXml(filedKousei, { arriveId: '12345</初回受付番号>', kind: 'amendapply' }), draftInvalid);
    assert.throws(() => amendedKouseiXml(filedKousei, { arriveId: '9002015000248266', kind: 'other' as never }), draftInvalid);
  });
});

describe('buildAmendmentPackage', () => {
  it('signs a kousei that verifies and packs one {手続ID}(1) folder that passes the check', async () => {
    const built = await buildAmendmentPackage({ kind: 'amendapply', arriveId: '9002015000248266', procedureId: PROCEDURE, folder: filedFolder() }, { signer, at });
    assert.equal(built.folderName, `${PROCEDURE}(1)`);
    assert.equal(built.applicantName, 'ほげ　ほげ');
    assert.match(built.zipSha256, /^[0-9a-f]{64}$/);
    const form = readFileSync(join(filedDir, FORM));
    const report = await verifySignedXml(built.kousei, {
      profile: 'kousei',
      at: new Date('2025-06-01T00:00:00Z'),
      readFile: (name) => (name === FORM ? Promise.resolve(form) : name === 'tenpu.txt' ? Promise.resolve(readFileSync(join(filedDir, 'tenpu.txt'))) : Promise.reject(new Error(name))),
    });
    assert.equal(report.valid, true, report.problems.join('; '));
    assert.equal(kouseiJohoDigest(built.kousei).toString('hex'), kouseiJohoDigest(acceptedKousei).toString('hex'));
    const data = await readApplicationZipBuffer(built.zip);
    assert.deepEqual(
      data.applications.map((a) => a.folderName),
      [`${PROCEDURE}(1)`],
    );
    assert.deepEqual(data.applications[0]!.files.map((f) => f.name).sort(), [FORM, 'tenpu.txt']);
    assert.equal(checkApplicationData(data).ok, true);
  });

  it('uses folder (1) whatever number the filed folder had, and the same content hash for the same data', async () => {
    const a = amendmentData({ kind: 'amendapply', arriveId: '9002015000248266', procedureId: PROCEDURE, folder: filedFolder() });
    assert.equal(a.folderName, `${PROCEDURE}(1)`);
    const one = await buildAmendmentPackage({ kind: 'amendapply', arriveId: '9002015000248266', procedureId: PROCEDURE, folder: filedFolder() }, { signer, at });
    const two = await buildAmendmentPackage({ kind: 'amendapply', arriveId: '9002015000248266', procedureId: PROCEDURE, folder: filedFolder() }, { signer, at: new Date(at.getTime() + 60_000) });
    assert.equal(one.contentSha256, two.contentSha256);
    assert.notEqual(one.zipSha256, two.zipSha256);
  });

  it('refuses another procedure and a duplicated file name before signing', async () => {
    const never: Signer = { ...signer, sign: () => Promise.reject(new Error('signed')) } as Signer;
    await assert.rejects(buildAmendmentPackage({ kind: 'amendapply', arriveId: '9002015000248266', procedureId: '900A010000004000', folder: filedFolder() }, { signer: never, at }), draftInvalid);
    const folder = filedFolder();
    await assert.rejects(
      buildAmendmentPackage({ kind: 'amendapply', arriveId: '9002015000248266', procedureId: PROCEDURE, folder: { ...folder, files: [...folder.files, folder.files[1]!] } }, { signer: never, at }),
      draftInvalid,
    );
  });

  it('refuses data the check refuses (a listed file missing) with FILING_CHECK_FAILED', async () => {
    const folder = filedFolder();
    await assert.rejects(
      buildAmendmentPackage({ kind: 'amendapply', arriveId: '9002015000248266', procedureId: PROCEDURE, folder: { ...folder, files: folder.files.slice(0, 1) } }, { signer, at }),
      (e: unknown) => isTodokeError(e, 'FILING_CHECK_FAILED'),
    );
  });
});
