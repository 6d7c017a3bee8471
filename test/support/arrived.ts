// Test support (pure). One arrived application (ArrivedApplication, src/shared/filing.ts) as
// 送信案件一覧 lists it, and its counters (CaseCounters, src/shared/case.ts): a plain 到達 case with
// nothing waiting, so that the store, sync, 取下げ and 案件 screen tests name only the fields they are
// about instead of each writing the whole sixteen-field literal again. It imports only types, so
// the renderer's tests may use it too.
import type { CaseCounters } from '../../src/shared/case.js';
import type { ArrivedApplication } from '../../src/shared/filing.js';

/** The counters of a case just arrived: 到達, no fee, no 補正, no comment, no 公文書. */
export function caseCounters(over: Partial<CaseCounters> = {}): CaseCounters {
  return {
    status: '到達',
    statusDate: '20260115100500',
    payStatus: '-',
    payWaitCount: 0,
    correctStatus: 'なし',
    commentCountNotRead: 0,
    commentCount: 0,
    docCountNotDownload: 0,
    docCount: 0,
    ...over,
  };
}

/** A 資格取得届 of 山田 太郎 (no 法人), just arrived, with `over` laid on top. */
export function arrivedApplication(arriveId: string, over: Partial<ArrivedApplication> = {}): ArrivedApplication {
  return {
    arriveId,
    ministryName: '厚生労働省',
    procedureName: '健康保険・厚生年金保険被保険者資格取得届',
    procedureFolderName: '900A010200001000(1)',
    applicantName: '山田 太郎',
    corporationName: '',
    departmentName: '',
    ...caseCounters(),
    ...over,
  };
}
