// Test support (Node) for the sandbox's case APIs (状況照会, 取下げ) and its operator: users, an
// application brought to 到達 through 一括申請 + 形式チェック, 取下げ packages signed like the recorded
// one (both 取下げ申請 and 取下げ依頼, REFERENCE §5.7), and the 到達番号 counter set so that the
// recorded numbers come out.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { signKousei } from '../../src/main/signing/xml/kousei-profile.js';
import { DATABASE_FILE } from '../../src/sandbox/state/db.js';
import { openSqlite } from '../../src/sandbox/state/sqlite.js';
import { openEgovSigner } from '../support/egov-signer.js';
import { egovCertsDir, egovDir } from '../support/paths.js';
import { craftZip } from '../support/zip-craft.js';
import { item, PATHS, post, rawRequest, signedBody, SOFTWARE_ID, type RawResponse, type TestSandbox } from './sandbox-support.js';

export const egovCertificates = readdirSync(egovCertsDir)
  .filter((f) => f.endsWith('.cer'))
  .map((f) => join(egovCertsDir, f));

export const APPLY = '/shinsei/1/access/apply';
export const REFERENCE = '/shinsei/1/access/reference';
export const WITHDRAWAL = '/shinsei/1/access/withdrawal';
const SAMPLE_ZIP = readFileSync(join(egovDir, 'samples', 'bulk_apply_for_api.zip'));
const RECORDED_WITHDRAWAL = join(egovDir, 'recorded', 'withdrawal', '2', 'request-filedata-1', '9990000000000008(1)');

export async function userWithKey(t: TestSandbox, userId: string): Promise<string> {
  const signer = openEgovSigner('e-GovEE01_sha2');
  assert.equal((await post(t, PATHS.register, await signedBody(signer, userId))).status, 201);
  const res = await post(t, PATHS.login, await signedBody(signer, userId));
  assert.equal(res.status, 200, res.text);
  return item(res.text, 'AccessKey')!;
}

export function call(t: TestSandbox, key: string, method: string, path: string, body?: string | Buffer): Promise<RawResponse> {
  return rawRequest(t.sandbox.url, path, { method, headers: { 'x-eGovAPI-SoftwareID': SOFTWARE_ID, 'x-eGovAPI-AccessKey': key }, ...(body === undefined ? {} : { body }) });
}

/** kiji's 一括申請 envelope, base64 wrapped every 60 as Ruby did. */
export function applyRequest(zip: Buffer, fileName = 'apply.zip'): string {
  const b64 = (zip.toString('base64').match(/.{1,60}/g) ?? []).join('\n') + '\n';
  return `<?xml version="1.0"?>\n<DataRoot>\n  <ApplData Id="ApplData">\n    <Upload>\n      <FileName>${fileName}</FileName>\n      <FileData>${b64}</FileData>\n    </Upload>\n  </ApplData>\n</DataRoot>\n`;
}

/** kiji's 取下げ envelope (REFERENCE §4.7: no FileName). */
export function withdrawalRequest(arriveId: string, zip: Buffer | string): string {
  const b64 = typeof zip === 'string' ? zip : (zip.toString('base64').match(/.{1,60}/g) ?? []).join('\n') + '\n';
  return `<?xml version="1.0"?>\n<DataRoot>\n  <ApplData Id="ApplData">\n    <ArriveID>${arriveId}</ArriveID>\n    <Upload>\n      <FileData>${b64}</FileData>\n    </Upload>\n  </ApplData>\n</DataRoot>\n`;
}

/** The recorded sample application sent by 一括申請 at the sandbox clock, checked at `checkAt`: its 到達番号. */
export async function arriveSample(t: TestSandbox, key: string, checkAt?: string): Promise<string> {
  const res = await call(t, key, 'POST', APPLY, applyRequest(SAMPLE_ZIP));
  assert.equal(res.status, 202, res.text);
  const sendNumber = item(res.text, 'SendNumber')!;
  if (checkAt) t.setClock(checkAt);
  assert.equal(await t.sandbox.runFormatChecks(), 1);
  const list = await call(t, key, 'GET', `${APPLY};id=${sendNumber}`);
  const arriveId = item(list.text, 'ArriveID');
  assert.ok(arriveId, list.text);
  return arriveId;
}

/** Sets the global 到達番号 counter: the next number issued ends in value + 1. */
export function setArriveCounter(dataDir: string, value: number): void {
  const db = openSqlite(join(dataDir, DATABASE_FILE));
  try {
    db.prepare("INSERT INTO counters (name, value) VALUES ('arrive', ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value").run(value);
  } finally {
    db.close();
  }
}

/** Every row of the case tables, to show that a refused request changed nothing. */
export function caseSnapshot(dataDir: string): string {
  const db = openSqlite(join(dataDir, DATABASE_FILE));
  try {
    return JSON.stringify(['applications', 'apply_history', 'counters'].map((table) => db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).all()));
  } finally {
    db.close();
  }
}

const TORISAGE_IRAI = (arriveId: string) => `<?xml version="1.0" encoding="UTF-8"?>
<?xml-stylesheet type="text/xsl" href="999000000000000003.xsl" ?>
<DataRoot>
	<様式ID>999000000000000003</様式ID>
	<様式バージョン>0001</様式バージョン>
	<STYLESHEET>999000000000000003.xsl</STYLESHEET>
	<取下げ依頼情報>
		<到達番号>${arriveId}</到達番号>
		<手続名称>ＡＰＩテスト用手続</手続名称>
		<申請者氏名>取下依頼\u3000花子</申請者氏名>
		<依頼年月日>
			<年>2015</年>
			<月>4</月>
			<日>28</日>
		</依頼年月日>
		<理由>テストのため</理由>
	</取下げ依頼情報>
</DataRoot>`;

export interface WithdrawalPackageOptions {
  kind?: '取下げ申請' | '取下げ依頼';
  /** kousei 初回受付番号; default the target */
  firstArriveId?: string;
  /** the 到達番号 written in the form; default the target */
  formArriveId?: string;
  /** kousei 申請種別 written instead of the kind's */
  applyType?: string;
  folderName?: string;
  /** leave kousei.xml unsigned (its recorded signature removed) */
  unsigned?: boolean;
  /** change the form after signing */
  tamper?: boolean;
}

/** A signed 取下げ package for `target`, built from the recorded 取下げ申請 (or turned into a 取下げ依頼). */
export async function withdrawalPackage(target: string, o: WithdrawalPackageOptions = {}): Promise<{ zip: Buffer; folder: string; formFile: string }> {
  const kind = o.kind ?? '取下げ申請';
  let kousei = readFileSync(join(RECORDED_WITHDRAWAL, 'kousei.xml'), 'utf8').replace(/<署名情報>[\s\S]*<\/署名情報>/, '');
  let form = readFileSync(join(RECORDED_WITHDRAWAL, 'torisageshinsei.xml'), 'utf8');
  let formFile = 'torisageshinsei.xml';
  let procedureId = '9990000000000008';
  if (kind === '取下げ依頼') {
    procedureId = '9990000000000003';
    formFile = 'torisageirai.xml';
    form = TORISAGE_IRAI(target);
    kousei = kousei
      .replace('<手続ID>9990000000000008</手続ID>', '<手続ID>9990000000000003</手続ID>')
      .replace('<手続名称>取下げ申請書XML管理手続</手続名称>', '<手続名称>取下げ依頼XML管理手続</手続名称>')
      .replace('<申請書様式ID>999000000000000008</申請書様式ID>', '<申請書様式ID>999000000000000003</申請書様式ID>')
      .replace('<申請書様式名称>取下げ申請書XML</申請書様式名称>', '<申請書様式名称>取下げ依頼XML</申請書様式名称>')
      .replace('<申請書ファイル名称>torisageshinsei.xml</申請書ファイル名称>', '<申請書ファイル名称>torisageirai.xml</申請書ファイル名称>');
  }
  kousei = kousei
    .replace(/<初回受付番号>[^<]*<\/初回受付番号>/, `<初回受付番号>${o.firstArriveId ?? target}</初回受付番号>`)
    .replace(/<申請種別>[^<]*<\/申請種別>/, `<申請種別>${o.applyType ?? kind}</申請種別>`);
  form = form.replace(/<到達番号>[^<]*<\/到達番号>/, `<到達番号>${o.formArriveId ?? target}</到達番号>`);
  const formBytes = Buffer.from(form, 'utf8');
  const signed = o.unsigned
    ? Buffer.from(kousei, 'utf8')
    : await signKousei(Buffer.from(kousei, 'utf8'), (name) => (name === formFile ? Promise.resolve(formBytes) : Promise.reject(new Error(name))), openEgovSigner('e-GovEE01_sha2'), {
        signatureId: 'T20150428',
      });
  const folder = o.folderName ?? `${procedureId}(1)`;
  const zip = craftZip([
    { name: `${folder}/kousei.xml`, data: signed },
    { name: `${folder}/${formFile}`, data: o.tamper ? Buffer.from(form.replace('テストのため', 'べつのりゆう'), 'utf8') : formBytes },
  ]);
  return { zip, folder, formFile };
}
