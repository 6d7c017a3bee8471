// Main process. 補正通知一覧, 公文書・コメント一覧, 公文書 / コメント通知 取得 and 取得完了 (REFERENCE §4.8,
// §4.12–§4.14, §4.16, §4.17): the path or body is checked before anything is sent, and every answer
// must be about the very case and notice asked for. 取得 does not mark anything as obtained; the
// caller completes only once the ZIP is kept, so a crash in between costs a second download, never
// a 公文書 e-Gov believes delivered but Todoke lost.
import type { AmendNoticeList, NoticeDownload, NoticeList, NoticeReceipt } from '../../shared/documents.js';
import type { EgovCaller } from './http.js';
import {
  AMEND_NOTICES_ARRAY_ELEMENTS,
  NOTICES_ARRAY_ELEMENTS,
  NOTICE_RECEIPT_ARRAY_ELEMENTS,
  amendNoticesPath,
  checkListEcho,
  checkNoticeEcho,
  decodeAmendNotices,
  decodeNoticeDownload,
  decodeNoticeList,
  decodeNoticeReceipt,
  encodeNoticeCompletion,
  noticeCompletionPath,
  noticeDownloadPath,
  noticesPath,
  type NoticeKind,
} from './notices-codec.js';

/** 補正通知一覧 of `arriveId`; a case without 補正通知 gives an empty list. */
export async function amendNotices(client: EgovCaller, accessKey: string, arriveId: string): Promise<AmendNoticeList> {
  const path = amendNoticesPath(arriveId);
  const reply = await client.call({ method: 'GET', path: `access/${path}`, accessKey, arrayElements: AMEND_NOTICES_ARRAY_ELEMENTS });
  const list = decodeAmendNotices(reply.applData);
  checkListEcho(list, arriveId);
  return list;
}

/** 公文書・コメント一覧 of `arriveId`. */
export async function notices(client: EgovCaller, accessKey: string, arriveId: string): Promise<NoticeList> {
  const path = noticesPath(arriveId);
  const reply = await client.call({ method: 'GET', path: `access/${path}`, accessKey, arrayElements: NOTICES_ARRAY_ELEMENTS });
  const list = decodeNoticeList(reply.applData);
  checkListEcho(list, arriveId);
  return list;
}

/** 公文書取得 or コメント通知取得: the ZIP as e-Gov sent it. Its size is bounded by the transport's response cap. */
export async function downloadNotice(client: EgovCaller, accessKey: string, kind: NoticeKind, arriveId: string, noticeSubId: number): Promise<NoticeDownload> {
  const path = noticeDownloadPath(kind, arriveId, noticeSubId);
  const reply = await client.call({ method: 'GET', path: `access/${path}`, accessKey });
  const download = decodeNoticeDownload(reply.applData);
  checkNoticeEcho(download, arriveId, noticeSubId);
  return download;
}

/** 公文書取得完了 or コメント通知取得完了: call only once the ZIP is kept (what a repeat does at e-Gov was never recorded). */
export async function completeNotice(client: EgovCaller, accessKey: string, kind: NoticeKind, arriveId: string, noticeSubId: number): Promise<NoticeReceipt> {
  const path = noticeCompletionPath(kind);
  const body = encodeNoticeCompletion(arriveId, noticeSubId);
  const reply = await client.call({ method: 'PUT', path: `access/${path}`, accessKey, body, arrayElements: NOTICE_RECEIPT_ARRAY_ELEMENTS });
  const receipt = decodeNoticeReceipt(reply.applData);
  checkNoticeEcho(receipt, arriveId, noticeSubId);
  return receipt;
}
