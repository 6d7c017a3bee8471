// Sandbox (Node). The 一括申請 family: 一括申請 (POST apply, A.7), 送信案件一覧 (GET apply;id= and
// apply;date=, A.8–A.12) and 申請案件一覧 (GET apply/{送信番号}, A.13). The access key has been
// checked by the access guard; every answer is scoped to the key's user.
import type { Document, Element as XmlElement } from '@xmldom/xmldom';
import { SigningError } from '../../main/signing/errors.js';
import { parseXmlSafely } from '../../main/signing/xml/safe-xml.js';
import type { FormatChecker } from '../apply/format-checker.js';
import { readPackage, type PackageLimits, type PackageProblem } from '../apply/package.js';
import { readBody } from '../http/body.js';
import type { SandboxResponse } from '../http/respond.js';
import type { Route } from '../http/router.js';
import { SANDBOX_ERRORS, failure, type SandboxFailure } from '../messages.js';
import type { ApplyStore } from '../state/apply-store.js';
import { writeApplyBody, writeApplyListBody, writeSendListBody, writeSendListBytes, type ApplyAnswer } from '../wire/apply-family.js';
import { decodeBase64Lenient } from '../wire/base64.js';
import { jstTimestamp } from '../wire/time.js';
import type { AccessHandler } from './access.js';

export interface ApplyLimits extends PackageLimits {
  /** largest decoded 申請データ ZIP */
  maxZipBytes: number;
  /** PackageApply records in one 送信案件一覧 answer */
  maxListRecords: number;
}

export interface ApplyDeps {
  store: ApplyStore;
  checker: FormatChecker;
  limits: ApplyLimits;
}

const SEND_NUMBER = /^\d{18}$/;
const MAX_FILE_NAME = 255;

/** The request body limit of 一括申請: base64 of the largest ZIP, wrapped every 60, plus the XML around it. */
export function applyBodyLimit(maxZipBytes: number): number {
  const base64 = Math.ceil(maxZipBytes / 3) * 4;
  return base64 + Math.ceil(base64 / 60) * 2 + 64 * 1024;
}

export function fail(f: SandboxFailure, write: (message: string) => string, extraHeaders?: SandboxResponse['extraHeaders']): SandboxResponse {
  const row = SANDBOX_ERRORS[f.kind];
  const body = write(row.message(f.detail));
  return extraHeaders ? { status: row.status, body, extraHeaders } : { status: row.status, body };
}

// ---- 一括申請 ---------------------------------------------------------------------------------

const applyError = (f: SandboxFailure, fileName = '', extraHeaders?: SandboxResponse['extraHeaders']) =>
  fail(
    f,
    (message) => writeApplyBody({ code: '1', message }, { sendNumber: '', sendDate: '', sendFileName: fileName, sendApplyCount: '', errorCount: '' }),
    extraHeaders,
  );

/** Element children; [] when text other than whitespace sits between them. */
export function elementChildren(parent: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1) out.push(n as XmlElement);
    else if ((n.nodeType === 3 || n.nodeType === 4) && !/^[ \t\r\n]*$/.test((n as unknown as { data: string }).data)) return [];
  }
  return out;
}

export function only(parent: XmlElement, name: string): XmlElement | null {
  const kids = elementChildren(parent);
  return kids.length === 1 && kids[0]!.localName === name && !kids[0]!.namespaceURI ? kids[0]! : null;
}

/** DataRoot/ApplData/Upload/{FileName, FileData} and nothing else (kiji's and the client's shape). */
function readUpload(doc: Document): { fileName: string; fileData: string } | SandboxFailure {
  const root = doc.documentElement;
  const applData = root && root.localName === 'DataRoot' ? only(root, 'ApplData') : null;
  const upload = applData ? only(applData, 'Upload') : null;
  if (!upload) return failure('REQUEST_SHAPE', 'DataRoot/ApplData/Upload が必要です');
  const kids = elementChildren(upload);
  const names = kids.map((k) => k.localName).sort();
  if (names.length !== 2 || names[0] !== 'FileData' || names[1] !== 'FileName' || kids.some((k) => k.namespaceURI || elementChildren(k).length > 0)) {
    return failure('REQUEST_SHAPE', 'Upload には FileName と FileData を 1 つずつ指定してください');
  }
  const text = (name: string) => kids.find((k) => k.localName === name)!.textContent ?? '';
  return { fileName: text('FileName'), fileData: text('FileData') };
}

export function packageFailure(p: PackageProblem, limits: ApplyLimits): SandboxFailure {
  switch (p.kind) {
    case 'NOT_ZIP':
      return failure('PACKAGE_NOT_ZIP', p.detail);
    case 'UNSAFE_NAME':
      return failure('PACKAGE_UNSAFE_NAME', p.detail);
    case 'LAYOUT':
      return failure('PACKAGE_LAYOUT', p.detail);
    case 'TOO_MANY_ENTRIES':
      return failure('PACKAGE_TOO_MANY_ENTRIES', `上限 ${limits.maxEntries} 個`);
    case 'TOO_LARGE_INFLATED':
      return failure('PACKAGE_INFLATED_TOO_LARGE', `上限 ${limits.maxInflatedBytes} バイト`);
    case 'NO_APPLICATION':
      return failure('PACKAGE_NO_APPLICATION');
    case 'TOO_MANY_APPLICATIONS':
      return failure('PACKAGE_TOO_MANY_APPLICATIONS', `上限 ${limits.maxApplications} 件`);
  }
}

function applyHandler(deps: ApplyDeps): AccessHandler {
  return async ({ req, res, userId, softwareId, now }) => {
    const limit = applyBodyLimit(deps.limits.maxZipBytes);
    const body = await readBody(req, limit);
    if (body.kind === 'tooLarge') return applyError(failure('PACKAGE_TOO_LARGE', `上限 ${deps.limits.maxZipBytes} バイト`), '', [['Connection', 'close']]);
    if (body.kind === 'aborted') {
      res.destroy();
      return applyError(failure('APPLY_BODY_EMPTY'));
    }
    if (body.body.length === 0) return applyError(failure('APPLY_BODY_EMPTY'));
    let doc: Document;
    try {
      doc = parseXmlSafely(body.body, { maxBytes: limit });
    } catch (e) {
      if (!(e instanceof SigningError)) throw e;
      return applyError(e.code === 'XML_DOCTYPE' ? failure('XML_DOCTYPE') : failure('XML_MALFORMED'));
    }
    const upload = readUpload(doc);
    if ('kind' in upload) return applyError(upload);
    const echo = upload.fileName.length <= MAX_FILE_NAME ? upload.fileName : '';
    if (upload.fileName.length === 0 || upload.fileName.length > MAX_FILE_NAME) return applyError(failure('FILE_NAME_INVALID'), echo);
    const zip = decodeBase64Lenient(upload.fileData);
    if (!zip) return applyError(failure('FILE_DATA_INVALID'), echo);
    if (zip.length > deps.limits.maxZipBytes) return applyError(failure('PACKAGE_TOO_LARGE', `上限 ${deps.limits.maxZipBytes} バイト`), echo);
    const pkg = await readPackage(zip, deps.limits);
    if (!pkg.ok) return applyError(packageFailure(pkg.problem, deps.limits), echo);

    const sendDate = jstTimestamp(now);
    const answer: ApplyAnswer = deps.store.transaction(() => {
      const sendNumber = deps.store.nextSendNumber(sendDate);
      deps.store.insertSend({ sendNumber, userId, softwareId, sentAt: now.getTime(), sendDate, fileName: upload.fileName, allCount: pkg.folders.length, zip });
      return { sendNumber, sendDate, sendFileName: upload.fileName, sendApplyCount: pkg.folders.length, errorCount: 0 };
    });
    deps.checker.schedule(answer.sendNumber);
    return { status: 202, body: writeApplyBody({ code: '0', message: '' }, answer) };
  };
}

// ---- 送信案件一覧 ------------------------------------------------------------------------------

const sendListError = (f: SandboxFailure, echo: { sendNumber?: string; from?: string; to?: string }) =>
  fail(f, (message) => writeSendListBody({ code: '1', message }, { sendNumber: echo.sendNumber ?? '', sendDateFrom: echo.from ?? '', sendDateTo: echo.to ?? '', packages: [] }));

/** [SIM-CHOICE] echoed values are cut to this length (a query is a few characters) */
const ECHO_MAX = 64;
export const echoOf = (s: string) => (s.length <= ECHO_MAX ? s : '');

function validDay(day: string): boolean {
  if (!/^\d{8}$/.test(day)) return false;
  const [y, m, d] = [Number(day.slice(0, 4)), Number(day.slice(4, 6)), Number(day.slice(6, 8))];
  const t = new Date(Date.UTC(y, m - 1, d));
  return y >= 1 && t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

function sendsById(deps: ApplyDeps): AccessHandler {
  return ({ params, userId }) => {
    const id = params.sendNumber!;
    if (!SEND_NUMBER.test(id)) return Promise.resolve(sendListError(failure('SEND_QUERY_INVALID', '送信番号は 18 桁の数字'), { sendNumber: echoOf(id) }));
    const found = deps.store.send(userId, id);
    if (!found) return Promise.resolve(sendListError(failure('SENDS_NOT_FOUND'), { sendNumber: id }));
    return Promise.resolve({ status: 200, body: writeSendListBody({ code: '0', message: '' }, { sendNumber: id, sendDateFrom: '', sendDateTo: '', packages: [found] }) });
  };
}

function sendsByDate(deps: ApplyDeps): AccessHandler {
  return ({ params, userId }) => {
    const range = params.range!;
    const m = /^(\d{8})-(\d{8})$/.exec(range);
    const [from, to] = m ? [m[1]!, m[2]!] : ['', ''];
    if (!m || !validDay(from) || !validDay(to) || from > to) {
      const detail = 'date は YYYYMMDD-YYYYMMDD（開始日 ≦ 終了日）';
      return Promise.resolve(sendListError(failure('SEND_QUERY_INVALID', detail), m ? { from, to } : {}));
    }
    const packages = deps.store.sendsBetween(userId, from, to, deps.limits.maxListRecords);
    if (packages.length === 0) return Promise.resolve(sendListError(failure('SENDS_NOT_FOUND'), { from, to }));
    return Promise.resolve({ status: 200, body: writeSendListBytes({ code: '0', message: '' }, { sendNumber: '', sendDateFrom: from, sendDateTo: to, packages }) });
  };
}

// ---- 申請案件一覧 ------------------------------------------------------------------------------

const applyListError = (f: SandboxFailure, sendNumber: string) =>
  fail(f, (message) => writeApplyListBody({ code: '1', message }, { sendNumber, errorCount: '', errorFile: '', applies: [] }));

function appliesOfSend(deps: ApplyDeps): AccessHandler {
  return ({ params, userId }) => {
    const id = params.sendNumber!;
    if (!SEND_NUMBER.test(id)) return Promise.resolve(applyListError(failure('SEND_QUERY_INVALID', '送信番号は 18 桁の数字'), echoOf(id)));
    const found = deps.store.send(userId, id);
    if (!found) return Promise.resolve(applyListError(failure('SEND_NOT_FOUND'), id));
    return Promise.resolve({
      status: 200,
      body: writeApplyListBody({ code: '0', message: '' }, { sendNumber: id, errorCount: found.errorCount, errorFile: found.errorFile, applies: found.applies }),
    });
  };
}

export function applyRoutes(deps: ApplyDeps): Array<Route<AccessHandler>> {
  return [
    { method: 'POST', pattern: '/shinsei/1/access/apply', api: '一括申請', handler: applyHandler(deps) },
    { method: 'GET', pattern: '/shinsei/1/access/apply;id={sendNumber}', api: '送信案件一覧情報取得', handler: sendsById(deps) },
    { method: 'GET', pattern: '/shinsei/1/access/apply;date={range}', api: '送信案件一覧情報取得', handler: sendsByDate(deps) },
    { method: 'GET', pattern: '/shinsei/1/access/apply/{sendNumber}', api: '申請案件一覧情報取得', handler: appliesOfSend(deps) },
  ];
}
