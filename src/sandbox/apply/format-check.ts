// Sandbox (Node). The 形式チェック of one application folder (REFERENCE §4.3, §5, §9 "Batch
// pipeline"): kousei.xml present and well-formed; its 署名情報 a valid kousei-profile XML-DSig (the
// verifier shared with the client: #構成情報 plus the 申請書 files by their SHA-256 digests); the
// signer's certificate chaining to a sandbox trust anchor and valid at the time of sending; the
// folder named after the 手続ID; the 申請種別 and 初回受付番号 the caller expects (一括申請: a 新規申請
// with none; 取下げ: 取下げ申請 or 取下げ依頼 naming the case, REFERENCE §5.7); every listed
// attachment present. Returns the values the APIs show for an arrived application, or every problem.
import type { X509Certificate } from 'node:crypto';
import type { Element as XmlElement, Node as XmlNode } from '@xmldom/xmldom';
import { SigningError } from '../../main/signing/errors.js';
import { parseXmlSafely } from '../../main/signing/xml/safe-xml.js';
import { verifySignedXml } from '../../main/signing/xml/verify.js';
import type { ApplicationFolder } from './package.js';

export const KOUSEI_FILE = 'kousei.xml';

/**
 * [SIM-CHOICE] MinistryName: e-Gov's verification environment showed "デグレ省" for its API test
 * procedures (受付行政機関ID 100900, SEEN); any other procedure shows the first part of 提出先名称.
 */
const MINISTRY_BY_AGENCY: Readonly<Record<string, string>> = { '100900': 'デグレ省' };

/** What the caller accepts: 申請種別 → the 手続ID it requires (null: any), and the 初回受付番号 required. */
export interface FolderExpectation {
  applyTypes: ReadonlyMap<string, string | null>;
  firstArriveId: string;
  /** names the API in messages: 一括申請, 取下げ */
  api: string;
}

const NEW_APPLICATION: FolderExpectation = { applyTypes: new Map([['新規申請', null]]), firstArriveId: '', api: '一括申請' };

export interface ArrivedApplication {
  folderName: string;
  applyType: string;
  /** kousei 提出先情報/提出先名称, whole */
  receptionDesk: string;
  /** 申請書様式名称s, then 添付書類名称s (ApplyForm of the 取下げ answer) */
  formNames: string[];
  /** 申請書ファイル名称s, then 添付書類ファイル名称s (ApplyFile) */
  fileNames: string[];
  procedureId: string;
  procedureName: string;
  ministryName: string;
  applicantName: string;
  corporationName: string;
  departmentName: string;
}

export type FolderVerdict = { ok: true; application: ArrivedApplication } | { ok: false; folderName: string; problems: string[] };

function children(parent: XmlNode, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (n as XmlElement).localName === name && !(n as XmlElement).namespaceURI) out.push(n as XmlElement);
  }
  return out;
}

function path(root: XmlElement, ...names: string[]): XmlElement | null {
  let current: XmlElement | null = root;
  for (const name of names) {
    const found: XmlElement[] = current ? children(current, name) : [];
    current = found.length === 1 ? found[0]! : null;
    if (!current) return null;
  }
  return current;
}

function text(root: XmlElement, ...names: string[]): string {
  return (path(root, ...names)?.textContent ?? '').replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
}

export async function checkApplicationFolder(
  folder: ApplicationFolder,
  anchors: readonly X509Certificate[],
  at: Date,
  expect: FolderExpectation = NEW_APPLICATION,
): Promise<FolderVerdict> {
  const fail = (...problems: string[]): FolderVerdict => ({ ok: false, folderName: folder.name, problems });
  const kousei = folder.files.get(KOUSEI_FILE);
  if (!kousei) return fail(`構成管理XML（${KOUSEI_FILE}）がありません`);
  let root: XmlElement;
  try {
    root = parseXmlSafely(kousei).documentElement as XmlElement;
  } catch (e) {
    if (e instanceof SigningError) return fail(`構成管理XMLが正しい XML ではありません（${e.messageJa}）`);
    throw e;
  }
  if (!root || root.localName !== 'DataRoot') return fail('構成管理XMLのルート要素が DataRoot ではありません');
  const problems: string[] = [];
  const kanri = path(root, '構成情報', '管理情報');
  if (!kanri) return fail('構成管理XMLに 構成情報/管理情報 がありません');

  const procedureId = text(kanri, '手続番号', '手続ID');
  const agencyId = text(kanri, '手続番号', '受付行政機関ID');
  const folderPattern = /^([0-9A-Za-z]{16})(?:\((\d+)\))?$/.exec(folder.name);
  if (!/^[0-9A-Za-z]{16}$/.test(procedureId)) problems.push(`手続ID「${procedureId}」が 16 桁の英数字ではありません`);
  else if (!folderPattern || folderPattern[1] !== procedureId) problems.push(`フォルダー名は「${procedureId}」または「${procedureId}(番号)」でなければなりません`);
  const kind = text(kanri, '申請種別');
  const firstArriveId = text(kanri, '初回受付番号');
  if (!expect.applyTypes.has(kind)) {
    problems.push(`申請種別「${kind}」は${expect.api}では受け付けられません（${[...expect.applyTypes.keys()].join('・')}のみ）`);
  } else {
    const requiredProcedure = expect.applyTypes.get(kind);
    if (requiredProcedure && procedureId !== requiredProcedure) problems.push(`${kind}の手続IDは「${requiredProcedure}」でなければなりません（「${procedureId}」）`);
    if (expect.firstArriveId === '' && firstArriveId !== '') problems.push(`${kind}の初回受付番号は空でなければなりません`);
    if (expect.firstArriveId !== '' && firstArriveId !== expect.firstArriveId) {
      problems.push(`初回受付番号「${firstArriveId}」が${expect.api}の対象の到達番号「${expect.firstArriveId}」と一致しません`);
    }
  }
  const kouseiJoho = path(root, '構成情報')!;
  const formNames: string[] = [];
  const fileNames: string[] = [];
  for (const form of children(kouseiJoho, '申請書属性情報')) {
    formNames.push(text(form, '申請書様式名称'));
    fileNames.push(text(form, '申請書ファイル名称'));
  }
  for (const attachment of children(kouseiJoho, '添付書類属性情報')) {
    const name = text(attachment, '添付書類ファイル名称');
    if (name && !folder.files.has(name)) problems.push(`添付書類「${name}」がフォルダーにありません`);
    formNames.push(text(attachment, '添付書類名称'));
    fileNames.push(name);
  }

  try {
    const report = await verifySignedXml(kousei, {
      profile: 'kousei',
      at,
      trustAnchors: [...anchors],
      readFile: (name) => {
        const bytes = folder.files.get(name);
        return bytes ? Promise.resolve(bytes) : Promise.reject(new Error(name));
      },
    });
    problems.push(...report.problems);
    if (report.chain.trusted === null) problems.push('証明書を信頼できません: サンドボックスに信頼する認証局が設定されていません');
  } catch (e) {
    if (!(e instanceof SigningError)) throw e;
    problems.push(`構成管理XMLの電子署名を検証できません（${e.messageJa}）`);
  }
  if (problems.length > 0) return fail(...problems);

  const applicant = path(kanri, '申請者連絡先情報', '申請者情報');
  const get = (name: string) => (applicant ? text(applicant, name) : '');
  const ministryName = MINISTRY_BY_AGENCY[agencyId] ?? (text(kouseiJoho, '提出先情報', '提出先名称').split(',')[0] ?? '');
  return {
    ok: true,
    application: {
      folderName: folder.name,
      applyType: kind,
      receptionDesk: text(kouseiJoho, '提出先情報', '提出先名称'),
      formNames,
      fileNames,
      procedureId,
      procedureName: text(kanri, '手続名称'),
      ministryName,
      applicantName: get('氏名'),
      corporationName: get('法人団体名'),
      departmentName: get('部門名'),
    },
  };
}
