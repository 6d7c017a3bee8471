// Sandbox (Node). The notice APIs on one case (REFERENCE §4.8, §4.12–§4.17): 補正通知一覧, 公文書・
// コメント一覧, 公文書取得 / 取得完了, 公文書署名検証, コメント通知取得 / 取得完了. The access key has
// been checked; another user's case answers exactly like an unknown one (as 状況照会 does). Every
// notice ZIP is packed on the GET, its entries timed at the request (§7.1).
import { X509Certificate } from 'node:crypto';
import { SigningError } from '../../main/signing/errors.js';
import { parseXmlSafely } from '../../main/signing/xml/safe-xml.js';
import { verifySignedXml } from '../../main/signing/xml/verify.js';
import type { SandboxResponse } from '../http/respond.js';
import type { Route } from '../http/router.js';
import { failure, type SandboxFailure } from '../messages.js';
import { distinguishedName, japaneseName, serialBytes, termValidity } from '../notices/certificate-lines.js';
import { packNoticeZip } from '../notices/notice-zip.js';
import { readZipEntry } from '../notices/zip-entry.js';
import type { CaseRow, CaseStore } from '../state/case-store.js';
import type { NoticeStore } from '../state/notice-store.js';
import { decodeBase64Lenient } from '../wire/base64.js';
import {
  emptyVerify,
  writeAmendListBody,
  writeCommentDownloadBody,
  writeNoticeDoneBody,
  writeNoticeListBody,
  writeOfficialDownloadBody,
  writeVerifyBody,
  type VerifyAnswer,
} from '../wire/notice-family.js';
import { jstTimestamp } from '../wire/time.js';
import type { AccessHandler } from './access.js';
import { applyBodyLimit, echoOf, fail, type ApplyLimits } from './apply.js';
import { leaves, readApplData } from './request-xml.js';

export interface NoticeRouteDeps {
  cases: CaseStore;
  notices: NoticeStore;
  /** the 官職 CA certificates 公文書署名検証 trusts */
  officialAnchors: readonly X509Certificate[];
  limits: ApplyLimits;
}

const ARRIVE_ID = /^\d{16,18}$/;
const NOTICE_SUB_ID = /^[1-9]\d{0,8}$/;
/** a 取得完了 body is two numbers in a small envelope */
const DONE_BODY_LIMIT = 64 * 1024;
/** the XML 公文書署名検証 inflates out of the upload */
const MAX_VERIFY_XML_BYTES = 10 * 1024 * 1024;

type Check = { ok: true; c: CaseRow } | { ok: false; failure: SandboxFailure };

function caseOf(deps: NoticeRouteDeps, userId: string, arriveId: string): Check {
  if (!ARRIVE_ID.test(arriveId)) return { ok: false, failure: failure('ARRIVE_ID_INVALID', '到達番号は 16〜18 桁の数字') };
  const c = deps.cases.ofUser(userId, arriveId);
  return c ? { ok: true, c } : { ok: false, failure: failure('CASE_NOT_FOUND') };
}

const OK = { code: '0', message: '' } as const;
const errorResult = (message: string) => ({ code: '1', message }) as const;

// ---- 補正通知一覧 -------------------------------------------------------------------------------

/** [SIM-CHOICE] CorrectType 0 and AmendDocType 4 as the one recorded notice shows (code lists unknown, §4.8) */
const CORRECT_TYPE = '0';
const AMEND_DOC_TYPE = '4';

function amendListHandler(deps: NoticeRouteDeps): AccessHandler {
  return async ({ params, userId, now }) => {
    const id = params.arriveId!;
    const empty = (message: string) => writeAmendListBody(errorResult(message), { arriveId: echoOf(id), procName: '', correctType: '', amendDocType: '', notices: [] });
    const found = caseOf(deps, userId, id);
    if (!found.ok) return fail(found.failure, empty);
    const notices = [];
    for (const n of deps.notices.list(id, 'amend')) {
      const zip = await packNoticeZip(deps.notices.files(id, 'amend', n.noticeSubId), now);
      notices.push({
        noticeSubId: n.noticeSubId,
        correctRequestedDate: n.issueDate,
        correctExpiredDate: n.correctExpiredDate,
        correctCompletedDate: n.correctCompletedDate,
        docTitle: n.docTitle,
        fileData: zip.toString('base64'),
        fileNames: deps.notices.fileNames(id, 'amend', n.noticeSubId),
      });
    }
    return { status: 200, body: writeAmendListBody(OK, { arriveId: id, procName: found.c.procName, correctType: CORRECT_TYPE, amendDocType: AMEND_DOC_TYPE, notices }) };
  };
}

// ---- 公文書・コメント一覧 --------------------------------------------------------------------------

function noticeListHandler(deps: NoticeRouteDeps): AccessHandler {
  return ({ params, userId }) => {
    const id = params.arriveId!;
    const found = caseOf(deps, userId, id);
    if (!found.ok) return Promise.resolve(fail(found.failure, (m) => writeNoticeListBody(errorResult(m), { arriveId: echoOf(id), procName: '', officials: [], comments: [] })));
    const entries = (kind: 'official' | 'comment', states: [string, string]) =>
      deps.notices.list(id, kind).map((n) => ({
        noticeSubId: n.noticeSubId,
        issueDate: n.issueDate,
        docTitle: n.docTitle,
        fileNames: deps.notices.fileNames(id, kind, n.noticeSubId),
        state: n.doneDate === '' ? states[0] : states[1],
      }));
    return Promise.resolve({
      status: 200,
      body: writeNoticeListBody(OK, {
        arriveId: id,
        procName: found.c.procName,
        // [SIM-CHOICE] DownloadStatus 未取得 / 取得済, agreed with the client (§4.12: never recorded)
        officials: entries('official', ['未取得', '取得済']),
        comments: entries('comment', ['未読', '既読']),
      }),
    });
  };
}

// ---- 公文書取得 / コメント通知取得 ----------------------------------------------------------------

function downloadHandler(deps: NoticeRouteDeps, kind: 'official' | 'comment'): AccessHandler {
  const write = kind === 'official' ? writeOfficialDownloadBody : writeCommentDownloadBody;
  return async ({ params, userId, now }) => {
    const id = params.arriveId!;
    const sub = params.noticeSubId!;
    const error = (f: SandboxFailure) => fail(f, (m) => write(errorResult(m), { arriveId: echoOf(id), noticeSubId: echoOf(sub), fileData: '' }));
    const found = caseOf(deps, userId, id);
    if (!found.ok) return error(found.failure);
    if (!NOTICE_SUB_ID.test(sub)) return error(failure('NOTICE_SUB_ID_INVALID'));
    const n = deps.notices.find(id, kind, Number(sub));
    if (!n) return error(failure('NOTICE_NOT_FOUND'));
    // SEEN (§4.13): a GET does not mark the notice obtained; only 取得完了 does
    const zip = await packNoticeZip(deps.notices.files(id, kind, n.noticeSubId), now);
    return { status: 200, body: write(OK, { arriveId: id, noticeSubId: String(n.noticeSubId), fileData: zip.toString('base64') }) };
  };
}

// ---- 公文書取得完了 / コメント通知取得完了 ------------------------------------------------------

function doneHandler(deps: NoticeRouteDeps, kind: 'official' | 'comment'): AccessHandler {
  return async ({ req, res, userId, now }) => {
    const blank = { procName: '', docTitle: '', downloadDate: '', fileNames: [] };
    const error = (f: SandboxFailure, arriveId = '', noticeSubId = '', extra?: SandboxResponse['extraHeaders']) =>
      fail(f, (m) => writeNoticeDoneBody(errorResult(m), { arriveId: echoOf(arriveId), noticeSubId: echoOf(noticeSubId), ...blank }), extra);
    const read = await readApplData(req, DONE_BODY_LIMIT);
    if (!read.ok) {
      if (read.aborted) res.destroy();
      return error(read.failure, '', '', read.tooLarge ? [['Connection', 'close']] : undefined);
    }
    const fields = leaves(read.applData, ['ArriveID', 'NoticeSubID']);
    if (!fields.ok) return error(fields.failure);
    const { ArriveID: id = '', NoticeSubID: sub = '' } = fields.text;
    const found = caseOf(deps, userId, id);
    if (!found.ok) return error(found.failure, id, sub);
    if (!NOTICE_SUB_ID.test(sub)) return error(failure('NOTICE_SUB_ID_INVALID'), id, sub);
    // [SIM-CHOICE] a repeated 取得完了 answers the same again (the first DownloadDate) and changes nothing
    const n = deps.notices.markDone(id, kind, Number(sub), jstTimestamp(now));
    if (!n) return error(failure('NOTICE_NOT_FOUND'), id, sub);
    return {
      status: 200,
      body: writeNoticeDoneBody(OK, {
        arriveId: id,
        noticeSubId: String(n.noticeSubId),
        procName: found.c.procName,
        docTitle: n.docTitle,
        downloadDate: n.doneDate,
        fileNames: deps.notices.fileNames(id, kind, n.noticeSubId),
      }),
    };
  };
}

// ---- 公文書署名検証 ----------------------------------------------------------------------------

/** The KeyInfo certificates in order (the verifier has accepted the document's shape already). */
function keyInfoCertificates(xml: Buffer): X509Certificate[] {
  const doc = parseXmlSafely(xml, { maxBytes: MAX_VERIFY_XML_BYTES });
  const out: X509Certificate[] = [];
  const found = doc.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'X509Certificate');
  for (let i = 0; i < found.length; i++) {
    const e = found[i]!;
    const der = decodeBase64Lenient(e.textContent ?? '');
    if (der) out.push(new X509Certificate(der));
  }
  return out;
}

/**
 * [SIM-CHOICE] e-Gov's answer for a signature that fails was never recorded (§4.15): ErrorCount = the
 * number of problems, ValidationResult in the web version's words (署名検証結果はエラーです。) with the
 * reasons, CertificateResult `-` (as SEEN) unless the certificate itself fails (expired, untrusted).
 */
async function verifyDocument(xml: Buffer, fileName: string, arriveId: string, anchors: readonly X509Certificate[], now: Date): Promise<VerifyAnswer | SandboxFailure> {
  let report;
  let certificates: X509Certificate[];
  try {
    report = await verifySignedXml(xml, { profile: 'official', trustAnchors: [...anchors], at: now, maxBytes: MAX_VERIFY_XML_BYTES });
    certificates = keyInfoCertificates(xml);
  } catch (e) {
    if (!(e instanceof SigningError)) throw e;
    return failure('VERIFY_DOCUMENT_INVALID', e.messageJa);
  }
  const signatureProblems = [
    ...(report.signatureValueValid ? [] : ['署名値が証明書の公開鍵で検証できません']),
    ...report.references.filter((r) => !r.valid).map((r) => r.reason ?? `${r.uri} の内容が署名時と一致しません`),
  ];
  const certificateProblems = [
    ...(report.validity.state === 'expired' ? ['署名者の証明書の有効期限が切れています'] : []),
    ...(report.validity.state === 'notYetValid' ? ['署名者の証明書はまだ有効期間に入っていません'] : []),
    ...(report.chain.trusted === false ? [`証明書を信頼できません（${report.chain.reason ?? '発行元の認証局が不明です'}）`] : []),
  ];
  const [signer, issuer] = certificates;
  const line = (c: X509Certificate) => ({ publisherDn: distinguishedName(c.issuer), ownerDn: distinguishedName(c.subject), serialNumber: serialBytes(c), termValidity: termValidity(c) });
  return {
    arriveId,
    errorCount: String(signatureProblems.length + certificateProblems.length),
    documentFileName: fileName,
    // SEEN `-`: a 公文書 whose signature covers no attached file
    attachedFileName: '-',
    official: signer
      ? {
          validationResult: signatureProblems.length === 0 ? '正常です。' : `署名検証結果はエラーです。${signatureProblems.join('。')}。`,
          certificateResult: certificateProblems.length === 0 ? '-' : `証明書検証結果はエラーです。${certificateProblems.join('。')}。`,
          certificateCount: String(certificates.length),
          publisher: japaneseName(signer, 'publisher'),
          owner: japaneseName(signer, 'owner'),
          ...line(signer),
        }
      : null,
    government: issuer ? line(issuer) : null,
  };
}

function verifyHandler(deps: NoticeRouteDeps): AccessHandler {
  return async ({ req, res, userId, now }) => {
    const error = (f: SandboxFailure, arriveId = '', extra?: SandboxResponse['extraHeaders']) => fail(f, (m) => writeVerifyBody(errorResult(m), emptyVerify(echoOf(arriveId))), extra);
    const read = await readApplData(req, applyBodyLimit(deps.limits.maxZipBytes));
    if (!read.ok) {
      if (read.aborted) res.destroy();
      return error(read.failure, '', read.tooLarge ? [['Connection', 'close']] : undefined);
    }
    const outer = leaves(read.applData, ['ArriveID'], [], ['Upload']);
    if (!outer.ok || !outer.elements.Upload) return error(outer.ok ? failure('REQUEST_SHAPE', 'ApplData には ArriveID と Upload を指定してください') : outer.failure);
    const id = outer.text.ArriveID ?? '';
    // SEEN: FileName (any name) beside FileData and SigVerificationXMLFileName; tolerated when missing
    const upload = leaves(outer.elements.Upload, ['FileData', 'SigVerificationXMLFileName'], ['FileName']);
    if (!upload.ok) return error(upload.failure, id);
    const found = caseOf(deps, userId, id);
    if (!found.ok) return error(found.failure, id);
    const zip = decodeBase64Lenient(upload.text.FileData ?? '');
    if (!zip) return error(failure('FILE_DATA_INVALID'), id);
    const wanted = upload.text.SigVerificationXMLFileName ?? '';
    if (wanted === '' || wanted.length > 255) return error(failure('VERIFY_UPLOAD_INVALID', 'SigVerificationXMLFileName は 1〜255 文字'), id);
    const entry = await readZipEntry(zip, wanted, { maxEntries: deps.limits.maxEntries, maxEntryBytes: MAX_VERIFY_XML_BYTES });
    if (!entry.ok) {
      const why = { NOT_ZIP: 'ZIP として読めません', TOO_MANY_ENTRIES: 'ファイルが多すぎます', MISSING: `${wanted} がありません`, DUPLICATE: `${wanted} が 2 つあります`, ENCRYPTED: '暗号化されています', TOO_LARGE: `${wanted} が大きすぎます` }[entry.problem];
      return error(failure('VERIFY_UPLOAD_INVALID', why), id);
    }
    const answer = await verifyDocument(entry.bytes, wanted, id, deps.officialAnchors, now);
    if ('kind' in answer) return error(answer, id);
    return { status: 200, body: writeVerifyBody(OK, answer) };
  };
}

export function noticeRoutes(deps: NoticeRouteDeps): Array<Route<AccessHandler>> {
  return [
    { method: 'GET', pattern: '/shinsei/1/access/amend/{arriveId}', api: '補正通知一覧取得', handler: amendListHandler(deps) },
    { method: 'GET', pattern: '/shinsei/1/access/notice/{arriveId}', api: '公文書・コメント一覧取得', handler: noticeListHandler(deps) },
    { method: 'GET', pattern: '/shinsei/1/access/officialdocument/{arriveId}/{noticeSubId}', api: '公文書取得', handler: downloadHandler(deps, 'official') },
    { method: 'PUT', pattern: '/shinsei/1/access/officialdocument', api: '公文書取得完了', handler: doneHandler(deps, 'official') },
    { method: 'POST', pattern: '/shinsei/1/access/officialdocument/verify', api: '公文書署名検証', handler: verifyHandler(deps) },
    { method: 'GET', pattern: '/shinsei/1/access/comment/{arriveId}/{noticeSubId}', api: 'コメント通知取得', handler: downloadHandler(deps, 'comment') },
    { method: 'PUT', pattern: '/shinsei/1/access/comment', api: 'コメント通知取得完了', handler: doneHandler(deps, 'comment') },
  ];
}

