// Sandbox (Node). The operator's notices on a case — what the ministry sends and the API only reads
// (REFERENCE §6.2, §9 "Back-office hooks"): a 補正通知 (§4.8, §7.4), a コメント (§4.12, §7.4) and a
// 公文書 signed with a 官職署名 (§7.2, §7.3), optionally with a PDF beside it, or deliberately broken
// (tampered after signing, an expired 官職 certificate, a CA no bundle holds) so that a client's
// verification can be seen failing. Each is recorded with its files, the case's counters and
// message, and a history event in one transaction (state/notice-store.ts).
import type { CaseRow, CaseStore } from '../state/case-store.js';
import { HISTORY, STATUS } from '../state/history.js';
import type { NoticeFile, NoticeKind, NoticeStore } from '../state/notice-store.js';
import { jstTimestamp } from '../wire/time.js';
import { escapeXmlText } from '../wire/xml-text.js';
import { commentNoticeXml, correctionNoticeXml, officialDocumentLines } from '../notices/notice-documents.js';
import { signOfficialDocument } from '../notices/official-signature.js';
import { officialSigner, type OfficialSignerKind } from '../notices/official-signers.js';
import { smallPdf } from '../notices/small-pdf.js';
import { STYLESHEET, stylesheetBytes } from '../notices/stylesheets.js';
import { checkText, OperatorError } from './actions.js';

export const NOTICE_ACTIONS = ['issue-correction', 'issue-comment', 'issue-document'] as const;
export type NoticeAction = (typeof NOTICE_ACTIONS)[number];

export function isNoticeAction(name: string): name is NoticeAction {
  return (NOTICE_ACTIONS as readonly string[]).includes(name);
}

export interface NoticeRequest {
  action: NoticeAction;
  arriveId: string;
  title?: string;
  text?: string;
  /** issue-correction: CorrectExpiredDate, YYYYMMDD */
  deadline?: string;
  /** issue-document */
  pdf?: boolean;
  tamper?: boolean;
  expiredSigner?: boolean;
  unknownCa?: boolean;
}

/** What the operator sees after issuing. */
export interface NoticeIssued {
  arriveId: string;
  kind: NoticeKind;
  noticeSubId: number;
  docTitle: string;
  files: string[];
  status: string;
}

export const MAX_NOTICE_TEXT_CHARS = 4000;
const KEYS: Record<NoticeAction, readonly string[]> = {
  'issue-correction': ['title', 'text', 'deadline'],
  'issue-comment': ['title', 'text'],
  'issue-document': ['title', 'text', 'pdf', 'tamper', 'expiredSigner', 'unknownCa'],
};
// eslint-disable-next-line no-control-regex -- a notice's text may have line breaks, nothing else of C0/C1
const TEXT_CONTROL = /[\u0000-\u0009\u000B\u000C\u000E-\u001F\u007F-\u009F\u2028\u2029]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function checkNoticeText(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '' || [...value].length > MAX_NOTICE_TEXT_CHARS || TEXT_CONTROL.test(value) || LONE_SURROGATE.test(value)) {
    throw new OperatorError('OPERATOR_BAD_ARGUMENT', `本文（text）は 1〜${MAX_NOTICE_TEXT_CHARS} 文字で、改行のほかに制御文字を含まない文字列にしてください。`);
  }
  return value;
}

/** A real calendar date YYYYMMDD (CorrectExpiredDate, SEEN 20150315). */
export function isDeadline(value: string): boolean {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return y >= 1900 && date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

function flag(value: unknown, name: string): boolean {
  if (typeof value !== 'boolean') throw new OperatorError('OPERATOR_BAD_ARGUMENT', `${name} は true か false で指定してください。`);
  return value;
}

/** A notice request from untrusted input (the admin port's JSON body): unknown keys and malformed values refused. */
export function parseNoticeRequest(action: NoticeAction, arriveId: string, body: Record<string, unknown>): NoticeRequest {
  if (!/^\d{16,18}$/.test(arriveId)) throw new OperatorError('OPERATOR_BAD_ARGUMENT', '到達番号は 16〜18 桁の数字で指定してください。');
  const extra = Object.keys(body).filter((k) => !KEYS[action].includes(k));
  if (extra.length > 0) throw new OperatorError('OPERATOR_BAD_ARGUMENT', `${action} に指定できない項目があります: ${extra.slice(0, 3).join(', ').slice(0, 80)}（指定できるもの: ${KEYS[action].join(', ')}）`);
  const r: NoticeRequest = { action, arriveId };
  if (body.title !== undefined) r.title = checkText(body.title, '表題（title）');
  if (body.text !== undefined) r.text = checkNoticeText(body.text);
  if (body.deadline !== undefined) {
    if (typeof body.deadline !== 'string' || !isDeadline(body.deadline)) throw new OperatorError('OPERATOR_BAD_ARGUMENT', '補正期限（deadline）は実在する日付を YYYYMMDD で指定してください。');
    r.deadline = body.deadline;
  }
  for (const k of ['pdf', 'tamper', 'expiredSigner', 'unknownCa'] as const) if (body[k] !== undefined) r[k] = flag(body[k], k);
  if (r.expiredSigner && r.unknownCa) throw new OperatorError('OPERATOR_BAD_ARGUMENT', 'expiredSigner と unknownCa は同時に指定できません。');
  return r;
}

// Wording SEEN in the recorded notices (A.17, A.22, A.25; hoseitsuuchi.xml, commenttsuuchi.xml);
// the 公文書's body text is the sandbox's own.
const DEFAULTS = {
  correctionTitle: '任意部分補正',
  correctionText: '申請内容に補正が必要な箇所があります。補正指示の内容を確認し、補正申請を行ってください。',
  commentTitle: 'コメント（メッセージ）',
  commentText: 'コメント通知をメッセージで送信します',
  documentTitle: (n: number) => `署名付き公文書${String(n).replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)))}`,
  documentText: 'この公文書は Todoke サンドボックスが発行した練習用の文書です。実在の行政機関が発行したものではありません。',
};

/** [SIM-CHOICE] the 公文書's file name, after e-Gov's 0000-API-001.xml */
export const officialFileName = (n: number, ext: 'xml' | 'pdf') => `0000-SBX-${String(n).padStart(3, '0')}.${ext}`;

/** The text of the PDF beside a 公文書 (ASCII: see small-pdf.ts). */
export function officialPdfLines(arriveId: string, date: string, n = 1): string[] {
  return [`Todoke sandbox official document ${n}`, `Arrive ID ${arriveId}`, `Issued ${date} (JST)`, 'Practice document, not issued by any real authority.'];
}

const CLOSED = new Set<string>([STATUS.finished, STATUS.withdrawn]);

function assertCorrectionAllowed(c: CaseRow): void {
  if (c.applyType.startsWith('取下げ') || CLOSED.has(c.status) || c.status === STATUS.withdrawing) {
    throw new OperatorError('OPERATOR_NOT_ALLOWED', `到達番号 ${c.arriveId} の案件（${c.applyType}、状況: ${c.status}）には補正通知を出せません。`);
  }
}

export interface NoticeDeps {
  cases: CaseStore;
  notices: NoticeStore;
}

export async function issueNotice(deps: NoticeDeps, r: NoticeRequest, now: Date): Promise<NoticeIssued> {
  const c = deps.cases.find(r.arriveId);
  if (!c) throw new OperatorError('OPERATOR_CASE_NOT_FOUND', `到達番号 ${r.arriveId} の案件はサンドボックスにありません。`);
  const at = now.getTime();
  const date = jstTimestamp(now);
  // [SIM-CHOICE] the author of a notice: the case's ministry and a fixed examiner name
  const author = { authorSection: c.ministryName, authorName: 'サンドボックス 審査担当' };
  let kind: NoticeKind;
  let docTitle: string;
  let files: (n: number) => NoticeFile[];
  let subId: number;
  if (r.action === 'issue-correction') {
    assertCorrectionAllowed(c);
    kind = 'amend';
    docTitle = r.title ?? DEFAULTS.correctionTitle;
    const xml = correctionNoticeXml({ arriveId: c.arriveId, at: now, title: docTitle, text: r.text ?? DEFAULTS.correctionText, ...author });
    files = () => [
      { name: 'hoseitsuuchi.xml', content: xml },
      { name: STYLESHEET.correction, content: stylesheetBytes(STYLESHEET.correction) },
    ];
    subId = deps.notices.issue({
      arriveId: c.arriveId,
      kind,
      docTitle,
      ...(r.deadline ? { correctExpiredDate: r.deadline } : {}),
      files,
      status: STATUS.awaitingCorrection,
      event: HISTORY.correctionRequested,
      at,
      date,
    });
  } else if (r.action === 'issue-comment') {
    kind = 'comment';
    docTitle = r.title ?? DEFAULTS.commentTitle;
    const xml = commentNoticeXml({ arriveId: c.arriveId, at: now, title: docTitle, text: r.text ?? DEFAULTS.commentText, authorSection: '', authorName: ' ' });
    files = () => [
      { name: 'commenttsuuchi.xml', content: xml },
      { name: STYLESHEET.comment, content: stylesheetBytes(STYLESHEET.comment) },
    ];
    subId = deps.notices.issue({ arriveId: c.arriveId, kind, docTitle, files, event: HISTORY.commentIssued(c.status), at, date });
  } else {
    kind = 'official';
    // The number is known only inside the store's transaction, but signing is asynchronous: sign for
    // the next number now; the store refuses to number it differently (a concurrent issue retries).
    const next = deps.notices.list(c.arriveId, 'official').length + 1;
    docTitle = r.title ?? DEFAULTS.documentTitle(next);
    const signerKind: OfficialSignerKind = r.expiredSigner ? 'expired' : r.unknownCa ? 'unknown-ca' : 'bundled';
    const lines = officialDocumentLines({
      docNo: `SBX-${c.arriveId}-${next}`,
      at: now,
      title: docTitle,
      text: r.text ?? DEFAULTS.documentText,
      toName: c.applicantName,
      ...author,
    });
    const titleLine = `<TITLE>${escapeXmlText(docTitle)}</TITLE>`;
    const xml = await signOfficialDocument(lines, officialSigner(signerKind, now), r.tamper ? { tamper: (t) => t.replace(titleLine, `<TITLE>${escapeXmlText(docTitle)}（改ざん）</TITLE>`) } : {});
    const pdf = r.pdf ? smallPdf(officialPdfLines(c.arriveId, date, next)) : null;
    files = (n) => {
      if (n !== next) throw new OperatorError('OPERATOR_NOT_ALLOWED', `到達番号 ${c.arriveId} に同時に別の公文書が発行されました。もう一度実行してください。`);
      return [
        { name: officialFileName(n, 'xml'), content: xml },
        ...(pdf ? [{ name: officialFileName(n, 'pdf'), content: pdf }] : []),
        { name: STYLESHEET.official, content: stylesheetBytes(STYLESHEET.official) },
      ];
    };
    subId = deps.notices.issue({ arriveId: c.arriveId, kind, docTitle, files, event: HISTORY.documentIssued(c.status), at, date });
  }
  return {
    arriveId: c.arriveId,
    kind,
    noticeSubId: subId,
    docTitle,
    files: deps.notices.fileNames(c.arriveId, kind, subId),
    status: deps.cases.find(c.arriveId)!.status,
  };
}
