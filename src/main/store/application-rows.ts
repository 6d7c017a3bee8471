// Core host. One row of arrived_applications (a case) as the ArrivedApplication every reader of the
// store shares: the outbox lists a batch's applications with it, the case store builds on it.
import type { ArrivedApplication } from '../../shared/filing.js';

export interface ApplicationRow {
  arrive_id: string;
  ministry_name: string;
  procedure_name: string;
  procedure_folder_name: string;
  applicant_name: string;
  corporation_name: string;
  department_name: string;
  status: string;
  status_date: string;
  pay_status: string;
  pay_wait_count: number;
  correct_status: string;
  comment_count_not_read: number;
  comment_count: number;
  doc_count_not_download: number;
  doc_count: number;
}

export function toApplication(r: ApplicationRow): ArrivedApplication {
  return {
    arriveId: r.arrive_id,
    ministryName: r.ministry_name,
    procedureName: r.procedure_name,
    procedureFolderName: r.procedure_folder_name,
    applicantName: r.applicant_name,
    corporationName: r.corporation_name,
    departmentName: r.department_name,
    status: r.status,
    statusDate: r.status_date,
    payStatus: r.pay_status,
    payWaitCount: r.pay_wait_count,
    correctStatus: r.correct_status,
    commentCountNotRead: r.comment_count_not_read,
    commentCount: r.comment_count,
    docCountNotDownload: r.doc_count_not_download,
    docCount: r.doc_count,
  };
}

/**
 * An application's values in the column order ministry_name … doc_count, as both writers of
 * arrived_applications (the outbox, the case sync) list the columns.
 */
export function applicationValues(a: ArrivedApplication): (string | number)[] {
  return [
    a.ministryName,
    a.procedureName,
    a.procedureFolderName,
    a.applicantName,
    a.corporationName,
    a.departmentName,
    a.status,
    a.statusDate,
    a.payStatus,
    a.payWaitCount,
    a.correctStatus,
    a.commentCountNotRead,
    a.commentCount,
    a.docCountNotDownload,
    a.docCount,
  ];
}
