// Core host. What the 取下げ form can say before the person types anything: the 申請者 and 連絡先 of
// the case as its own kousei.xml gave them (REFERENCE §5.2 申請者連絡先情報), and its 提出先名称.
// Todoke keeps the exact request of every batch it sent (the outbox), so for such a case the
// request is read back — adapter-decoded, unzipped in memory with the same limits as any ZIP, the
// one folder of the case picked, its kousei.xml parsed by the safe parser. A case sent elsewhere, or
// a request that cannot be read, gives nothing: the person types the values, and nothing here fails
// the form for it.
import type { Element as XmlElement } from '@xmldom/xmldom';
import type { WithdrawalPersonView } from '../../shared/case.js';
import { isTodokeError } from '../../shared/errors.js';
import type { Application } from '../application/model.js';
import { readApplicationZipBuffer } from '../application/read-zip.js';
import type { EgovGateway } from '../session/gateway.js';
import { childrenNamed } from '../signing/xml/dom.js';
import { parseXmlSafely } from '../signing/xml/safe-xml.js';
import type { Outbox } from '../store/outbox.js';
import { normalizeName } from '../sync/reconcile.js';

export interface WithdrawalPrefill {
  applicant: WithdrawalPersonView;
  contact: WithdrawalPersonView;
  /** 提出先情報/提出先名称 ('' when empty) */
  submitTo: string;
}

/** The case as stored: which batch entry sent it and how it is named there. */
export interface PrefillCase {
  entryId: string | null;
  procedureFolderName: string;
  applicantName: string;
}

// kousei.xml's 13 children of 申請者情報 / 連絡先情報, in order (§5.2)
const PERSON_FIELDS: ReadonlyArray<[keyof WithdrawalPersonView, string]> = [
  ['name', '氏名'],
  ['nameKana', '氏名フリガナ'],
  ['title', '役職'],
  ['corporationName', '法人団体名'],
  ['corporationNameKana', '法人団体名フリガナ'],
  ['departmentName', '部門名'],
  ['departmentNameKana', '部門名フリガナ'],
  ['postalCode', '郵便番号'],
  ['address', '住所'],
  ['addressKana', '住所フリガナ'],
  ['phone', '電話番号'],
  ['fax', 'FAX番号'],
  ['email', '電子メールアドレス'],
];

/** Longest value read from a kousei.xml: longer ones are not a person's (the form's checks say so). */
const MAX_VALUE = 1000;

function path(from: XmlElement | null, ...names: string[]): XmlElement | null {
  let node = from;
  for (const name of names) node = node ? (childrenNamed(node, name)[0] ?? null) : null;
  return node;
}

function text(el: XmlElement | null): string {
  return (el?.textContent ?? '').trim().slice(0, MAX_VALUE);
}

function person(el: XmlElement | null): WithdrawalPersonView | null {
  if (!el) return null;
  const out = {} as WithdrawalPersonView;
  for (const [key, tag] of PERSON_FIELDS) out[key] = text(path(el, tag));
  return out.name === '' && out.address === '' ? null : out;
}

/** 申請者情報, 連絡先情報 and 提出先名称 of one kousei.xml; null when it holds no 申請者. */
export function prefillFromKousei(kousei: Buffer): WithdrawalPrefill | null {
  const root = parseXmlSafely(kousei).documentElement as XmlElement | null;
  const manage = path(root, '構成情報', '管理情報', '申請者連絡先情報');
  const applicant = person(path(manage, '申請者情報'));
  if (!applicant) return null;
  return { applicant, contact: person(path(manage, '連絡先情報')) ?? applicant, submitTo: text(path(root, '構成情報', '提出先情報', '提出先名称')) };
}

/** The folder of the case among a batch's applications: by its name, else the only one whose applicant fits. */
function folderOf(applications: readonly Application[], c: PrefillCase): Application | null {
  const named = applications.filter((a) => a.folderName === c.procedureFolderName);
  if (named.length === 1) return named[0]!;
  if (applications.length === 1) return applications[0]!;
  return null;
}

/**
 * The application of the case among a batch's: by folder name (or the batch's only one), else the
 * only one whose kousei names the case's applicant; null when that does not single one out. The 補正
 * workbench finds the filed application with it (./amendment-filed.ts).
 */
export async function folderOfCase(applications: readonly Application[], c: PrefillCase): Promise<Application | null> {
  const folder = folderOf(applications, c);
  if (folder) return folder;
  const found: Application[] = [];
  for (const a of applications) {
    if (!a.kousei) continue;
    const p = await Promise.resolve(a.kousei.bytes ?? a.kousei.read())
      .then(prefillFromKousei)
      .catch((e: unknown) => {
        if (isTodokeError(e)) return null;
        throw e;
      });
    if (p && normalizeName(p.applicant.name) === normalizeName(c.applicantName)) found.push(a);
  }
  return found.length === 1 ? found[0]! : null;
}

/**
 * The prefill of a case Todoke sent, from the outbox's recorded request; null for a case sent
 * elsewhere or a request that cannot be read (never throws for those: the person types the values).
 */
export async function prefillFromSentRequest(outbox: Pick<Outbox, 'get' | 'requestBytes'>, gateway: Pick<EgovGateway, 'readBatchRequest'>, c: PrefillCase): Promise<WithdrawalPrefill | null> {
  if (c.entryId === null) return null;
  const entry = outbox.get(c.entryId);
  if (!entry || entry.kind !== 'batch') return null;
  try {
    const { zip } = gateway.readBatchRequest(await outbox.requestBytes(c.entryId));
    const data = await readApplicationZipBuffer(Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength));
    const candidates = data.applications;
    const folder = folderOf(candidates, c);
    const pick = async (a: Application) => (a.kousei ? prefillFromKousei(a.kousei.bytes ?? (await a.kousei.read())) : null);
    if (folder) return await pick(folder);
    // folder names that do not match (e-Gov renumbered?): the only application of that applicant
    const found: WithdrawalPrefill[] = [];
    for (const a of candidates) {
      const p = await pick(a).catch((e: unknown) => {
        if (isTodokeError(e)) return null;
        throw e;
      });
      if (p && normalizeName(p.applicant.name) === normalizeName(c.applicantName)) found.push(p);
    }
    return found.length === 1 ? found[0]! : null;
  } catch (e) {
    // a recorded request that cannot be read back (every reader refuses with a typed error) is no
    // reason to refuse the form; anything else is a bug and is not hidden
    if (isTodokeError(e)) return null;
    throw e;
  }
}
