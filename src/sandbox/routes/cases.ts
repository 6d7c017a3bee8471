// Sandbox (Node). The APIs on one arrived case: 状況照会 (GET reference/{到達番号}, A.14/A.15) and
// 取下げ (POST withdrawal, A.16). The access key has been checked; a case of another user is
// answered exactly like an unknown one.
import type { X509Certificate } from 'node:crypto';
import type { Document, Element as XmlElement } from '@xmldom/xmldom';
import { SigningError } from '../../main/signing/errors.js';
import { parseXmlSafely } from '../../main/signing/xml/safe-xml.js';
import { readPackage } from '../apply/package.js';
import { checkWithdrawalFolder } from '../apply/withdrawal-check.js';
import { readBody } from '../http/body.js';
import type { SandboxResponse } from '../http/respond.js';
import type { Route } from '../http/router.js';
import { failure, type SandboxFailure } from '../messages.js';
import { withdrawalRefusal, type CaseStore } from '../state/case-store.js';
import { correctable, recordCorrection } from '../state/corrections.js';
import type { NoticeStore } from '../state/notice-store.js';
import { checkAmendmentFolder, type AmendApi } from '../apply/amendment-check.js';
import { leaves, readApplData } from './request-xml.js';
import { STATUS } from '../state/history.js';
import { emptyReference, writeReferenceBody } from '../wire/reference-family.js';
import { emptySubmission, writeSubmissionBody } from '../wire/submission-family.js';
import { decodeBase64Lenient } from '../wire/base64.js';
import { jstTimestamp } from '../wire/time.js';
import type { AccessHandler } from './access.js';
import { applyBodyLimit, echoOf, elementChildren, fail, only, packageFailure, type ApplyLimits } from './apply.js';

export interface CaseDeps {
  cases: CaseStore;
  notices: NoticeStore;
  anchors: readonly X509Certificate[];
  limits: ApplyLimits;
  log?: (line: string) => void;
}

/**
 * [SIM-CHOICE] 到達番号 as e-Gov issued them: 16 digits in 2015 (SEEN); the successor API documents
 * 16–18, so those lengths are read, and anything else is a malformed request, not an unknown case.
 */
const ARRIVE_ID = /^\d{16,18}$/;
const ARRIVE_ID_RULE = '到達番号は 16〜18 桁の数字';

// ---- 状況照会 -----------------------------------------------------------------------------------

const referenceError = (f: SandboxFailure, arriveId: string) => fail(f, (message) => writeReferenceBody({ code: '1', message }, emptyReference(arriveId)));

function referenceHandler(deps: CaseDeps): AccessHandler {
  return ({ params, userId }) => {
    const id = params.arriveId!;
    if (!ARRIVE_ID.test(id)) return Promise.resolve(referenceError(failure('ARRIVE_ID_INVALID', ARRIVE_ID_RULE), echoOf(id)));
    // [INFERRED] e-Gov's answer for an unknown or another user's 到達番号 was never recorded
    // (REFERENCE §4.6): a business error, 400 + Code 1 (§2.6), in this API's layout.
    const c = deps.cases.ofUser(userId, id);
    if (!c) return Promise.resolve(referenceError(failure('CASE_NOT_FOUND'), id));
    return Promise.resolve({
      status: 200,
      body: writeReferenceBody(
        { code: '0', message: '' },
        {
          arriveId: c.arriveId,
          procName: c.procName,
          amendMessage: c.amendMessage,
          commentMessage: c.commentMessage,
          documentMessage: c.documentMessage,
          payMessage: c.payMessage,
          status: c.status,
          arriveDate: c.arriveDate,
          examStartDate: c.examStartDate,
          examEndDate: c.examEndDate,
          procEndDate: c.procEndDate,
          withdrawFlag: c.withdrawFlag,
          withdrawType: c.withdrawType,
          reintroductionFlag: c.reintroductionFlag,
          history: deps.cases.history(c.arriveId),
        },
      ),
    });
  };
}

// ---- 取下げ -------------------------------------------------------------------------------------

const withdrawalError = (f: SandboxFailure, arriveId = '', extraHeaders?: SandboxResponse['extraHeaders']) =>
  fail(f, (message) => writeSubmissionBody({ code: '1', message }, emptySubmission(arriveId)), extraHeaders);

/**
 * DataRoot/ApplData/{ArriveID, Upload/FileData} (SEEN: no FileName, unlike 一括申請); a FileName
 * beside FileData is tolerated ([SIM-CHOICE]: a client modelled on 一括申請 may send one).
 */
function readWithdrawal(doc: Document): { arriveId: string; fileData: string } | SandboxFailure {
  const root = doc.documentElement;
  const applData = root && root.localName === 'DataRoot' ? only(root, 'ApplData') : null;
  const kids = applData ? elementChildren(applData) : [];
  const names = kids.map((k) => k.localName).sort();
  if (!applData || names.length !== 2 || names[0] !== 'ArriveID' || names[1] !== 'Upload' || kids.some((k) => k.namespaceURI)) {
    return failure('REQUEST_SHAPE', 'DataRoot/ApplData には ArriveID と Upload を 1 つずつ指定してください');
  }
  const arrive = kids.find((k) => k.localName === 'ArriveID')!;
  const upload = kids.find((k) => k.localName === 'Upload')!;
  const uploadKids = elementChildren(upload);
  const uploadNames = uploadKids.map((k) => k.localName).sort();
  const shapeOk = (uploadNames.length === 1 && uploadNames[0] === 'FileData') || (uploadNames.length === 2 && uploadNames[0] === 'FileData' && uploadNames[1] === 'FileName');
  if (elementChildren(arrive).length > 0 || !shapeOk || uploadKids.some((k: XmlElement) => k.namespaceURI || elementChildren(k).length > 0)) {
    return failure('REQUEST_SHAPE', 'Upload には FileData を 1 つ指定してください');
  }
  return { arriveId: (arrive.textContent ?? '').trim(), fileData: uploadKids.find((k) => k.localName === 'FileData')!.textContent ?? '' };
}

function withdrawalHandler(deps: CaseDeps): AccessHandler {
  return async ({ req, res, userId, now }) => {
    const limit = applyBodyLimit(deps.limits.maxZipBytes);
    const body = await readBody(req, limit);
    if (body.kind === 'tooLarge') return withdrawalError(failure('PACKAGE_TOO_LARGE', `上限 ${deps.limits.maxZipBytes} バイト`), '', [['Connection', 'close']]);
    if (body.kind === 'aborted') {
      res.destroy();
      return withdrawalError(failure('APPLY_BODY_EMPTY'));
    }
    if (body.body.length === 0) return withdrawalError(failure('APPLY_BODY_EMPTY'));
    let doc: Document;
    try {
      doc = parseXmlSafely(body.body, { maxBytes: limit });
    } catch (e) {
      if (!(e instanceof SigningError)) throw e;
      return withdrawalError(e.code === 'XML_DOCTYPE' ? failure('XML_DOCTYPE') : failure('XML_MALFORMED'));
    }
    const request = readWithdrawal(doc);
    if ('kind' in request) return withdrawalError(request);
    const target = request.arriveId;
    if (!ARRIVE_ID.test(target)) return withdrawalError(failure('ARRIVE_ID_INVALID', ARRIVE_ID_RULE), echoOf(target));
    const zip = decodeBase64Lenient(request.fileData);
    if (!zip) return withdrawalError(failure('FILE_DATA_INVALID'), target);
    if (zip.length > deps.limits.maxZipBytes) return withdrawalError(failure('PACKAGE_TOO_LARGE', `上限 ${deps.limits.maxZipBytes} バイト`), target);

    const original = deps.cases.ofUser(userId, target);
    if (!original) return withdrawalError(failure('CASE_NOT_FOUND'), target);
    const refusal = withdrawalRefusal(original);
    // [INFERRED] e-Gov answered a 補正申請 against a case in the wrong state with its 500 system
    // error (A.21, SEEN); REFERENCE §9 recommends the same for an ineligible 取下げ.
    if (refusal) {
      deps.log?.(`取下げを受け付けません（${target}: ${refusal}）`);
      return withdrawalError(failure('INTERNAL'), target);
    }

    const pkg = await readPackage(zip, { ...deps.limits, maxApplications: 1 });
    if (!pkg.ok) {
      if (pkg.problem.kind === 'TOO_MANY_APPLICATIONS') return withdrawalError(failure('WITHDRAWAL_LAYOUT', 'フォルダーが 2 つ以上あります'), target);
      return withdrawalError(packageFailure(pkg.problem, deps.limits), target);
    }
    const verdict = await checkWithdrawalFolder(pkg.folders[0]!, deps.anchors, now, target);
    if (!verdict.ok) return withdrawalError(failure('WITHDRAWAL_CHECK_FAILED', `${verdict.folderName}: ${verdict.problems.join('／')}`), target);

    const a = verdict.application;
    const date = jstTimestamp(now);
    const stored = deps.cases.insertWithdrawal({
      userId,
      targetArriveId: target,
      applyType: a.applyType,
      folderName: a.folderName,
      procedureId: a.procedureId,
      procedureName: a.procedureName,
      // [INFERRED] the 取下げ goes to the ministry of the case (SEEN: デグレ省 for a 取下げ kousei
      // with 受付行政機関ID 100999 and no 提出先, against an API test procedure of デグレ省)
      ministryName: original.ministryName,
      applicantName: a.applicantName,
      corporationName: a.corporationName,
      departmentName: a.departmentName,
      at: now.getTime(),
      date,
    });
    if (!stored.ok) {
      // the case changed between the check above and the transaction (another 取下げ, the operator)
      return stored.refusal === 'NOT_FOUND' ? withdrawalError(failure('CASE_NOT_FOUND'), target) : withdrawalError(failure('INTERNAL'), target);
    }
    return {
      status: 202,
      body: writeSubmissionBody(
        { code: '0', message: '' },
        {
          arriveId: target,
          procName: a.procedureName,
          arriveDate: date,
          newArriveId: stored.newArriveId,
          arriveResult: STATUS.arrived,
          // SEEN 取下げ for a 取下げ申請; [SIM-CHOICE] the same for a 取下げ依頼 (e-Gov answered 補正 for a 再提出: the kind, not the 申請種別)
          applyType: '取下げ',
          ministryName: original.ministryName,
          receptionDesk: a.receptionDesk,
          applicantName: a.applicantName,
          formNames: a.formNames,
          fileNames: a.fileNames,
          orgDistFileSend: '',
        },
      ),
    };
  };
}

// ---- 補正: 補正申請, 補正（再提出）, 補正（部分補正） ---------------------------------------------------

/**
 * DataRoot/ApplData/{ArriveID, Upload/FileData} as 取下げ (SEEN for all three), plus for 部分補正
 * ApplData/Target/{BasicFormFlag, AttachedFlag} (SEEN; [SIM-CHOICE] read as 0/1 and not acted on, the
 * package says what is corrected). A FileName beside FileData is tolerated as for 取下げ.
 */
function amendHandler(deps: CaseDeps, api: AmendApi): AccessHandler {
  return async ({ req, res, userId, now }) => {
    const read = await readApplData(req, applyBodyLimit(deps.limits.maxZipBytes));
    if (!read.ok) {
      if (read.aborted) res.destroy();
      const f = read.tooLarge ? failure('PACKAGE_TOO_LARGE', `上限 ${deps.limits.maxZipBytes} バイト`) : read.failure.kind === 'BODY_EMPTY' ? failure('APPLY_BODY_EMPTY') : read.failure;
      return withdrawalError(f, '', read.tooLarge ? [['Connection', 'close']] : undefined);
    }
    const outer = leaves(read.applData, ['ArriveID'], [], api === 'partamend' ? ['Upload', 'Target'] : ['Upload']);
    if (!outer.ok || !outer.elements.Upload) return withdrawalError(outer.ok ? failure('REQUEST_SHAPE', 'ApplData には ArriveID と Upload を指定してください') : outer.failure);
    const target = outer.text.ArriveID ?? '';
    if (outer.elements.Target) {
      const flags = leaves(outer.elements.Target, ['BasicFormFlag', 'AttachedFlag']);
      if (!flags.ok || !/^[01]$/.test(flags.text.BasicFormFlag ?? '') || !/^[01]$/.test(flags.text.AttachedFlag ?? '')) {
        return withdrawalError(failure('REQUEST_SHAPE', 'Target には BasicFormFlag と AttachedFlag を 0 か 1 で指定してください'), echoOf(target));
      }
    }
    const upload = leaves(outer.elements.Upload, ['FileData'], ['FileName']);
    if (!upload.ok) return withdrawalError(upload.failure, echoOf(target));
    if (!ARRIVE_ID.test(target)) return withdrawalError(failure('ARRIVE_ID_INVALID', ARRIVE_ID_RULE), echoOf(target));
    const zip = decodeBase64Lenient(upload.text.FileData ?? '');
    if (!zip) return withdrawalError(failure('FILE_DATA_INVALID'), target);
    if (zip.length > deps.limits.maxZipBytes) return withdrawalError(failure('PACKAGE_TOO_LARGE', `上限 ${deps.limits.maxZipBytes} バイト`), target);

    const original = deps.cases.ofUser(userId, target);
    if (!original) return withdrawalError(failure('CASE_NOT_FOUND'), target);
    // SEEN (A.21): a 補正申請 against a case neither 補正待ち nor flagged for 再提出 → e-Gov's 500
    if (!correctable(original)) {
      deps.log?.(`補正を受け付けません（${target}: ${original.status}、ReintroductionFlag ${original.reintroductionFlag}）`);
      return withdrawalError(failure('INTERNAL'), target);
    }
    const pkg = await readPackage(zip, { ...deps.limits, maxApplications: 1 });
    if (!pkg.ok) {
      if (pkg.problem.kind === 'TOO_MANY_APPLICATIONS') return withdrawalError(failure('AMEND_LAYOUT', 'フォルダーが 2 つ以上あります'), target);
      return withdrawalError(packageFailure(pkg.problem, deps.limits), target);
    }
    const verdict = await checkAmendmentFolder(pkg.folders[0]!, deps.anchors, now, original, api);
    if (!verdict.ok) return withdrawalError(failure('AMEND_CHECK_FAILED', `${verdict.folderName}: ${verdict.problems.join('／')}`), target);

    const a = verdict.application;
    const date = jstTimestamp(now);
    const stored = recordCorrection(deps.cases, deps.notices, {
      userId,
      targetArriveId: target,
      applyType: a.applyType,
      folderName: a.folderName,
      procedureId: a.procedureId,
      procedureName: a.procedureName,
      ministryName: original.ministryName,
      applicantName: a.applicantName,
      corporationName: a.corporationName,
      departmentName: a.departmentName,
      at: now.getTime(),
      date,
    });
    if (!stored.ok) return stored.refusal === 'NOT_FOUND' ? withdrawalError(failure('CASE_NOT_FOUND'), target) : withdrawalError(failure('INTERNAL'), target);
    return {
      status: 202,
      body: writeSubmissionBody(
        { code: '0', message: '' },
        {
          arriveId: target,
          procName: a.procedureName,
          arriveDate: date,
          newArriveId: stored.newArriveId,
          arriveResult: STATUS.arrived,
          // SEEN 補正 for 再提出 and 部分補正 alike (A.18–A.20)
          applyType: '補正',
          ministryName: original.ministryName,
          receptionDesk: a.receptionDesk,
          applicantName: a.applicantName,
          formNames: a.formNames,
          fileNames: a.fileNames,
          orgDistFileSend: '',
        },
      ),
    };
  };
}

export function caseRoutes(deps: CaseDeps): Array<Route<AccessHandler>> {
  return [
    { method: 'POST', pattern: '/shinsei/1/access/amendapply', api: '補正（補正申請）', handler: amendHandler(deps, 'amendapply') },
    { method: 'POST', pattern: '/shinsei/1/access/reamend', api: '補正（再提出）', handler: amendHandler(deps, 'reamend') },
    { method: 'POST', pattern: '/shinsei/1/access/partamend', api: '補正（部分補正）', handler: amendHandler(deps, 'partamend') },
    { method: 'GET', pattern: '/shinsei/1/access/reference/{arriveId}', api: '状況照会', handler: referenceHandler(deps) },
    { method: 'POST', pattern: '/shinsei/1/access/withdrawal', api: '取下げ', handler: withdrawalHandler(deps) },
  ];
}
