// Sandbox (Node). The check of a 補正 package (REFERENCE §5.8): one application folder judged by the
// 形式チェック's own code (format-check.ts: kousei.xml, its signature and signer trusted and valid
// now, folder name, attachments) for the SAME 手続ID as the case corrected, with 初回受付番号 = that
// case's 到達番号 and the 申請種別 the API takes: 再提出 for 補正（再提出）, 部分補正 for 補正（部分補正）,
// either for 補正申請 (SEEN 再提出; [SIM-CHOICE] 部分補正 as well, §4.11 leaves it open).
import type { X509Certificate } from 'node:crypto';
import { checkApplicationFolder, type FolderVerdict } from './format-check.js';
import type { ApplicationFolder } from './package.js';

export type AmendApi = 'amendapply' | 'reamend' | 'partamend';

export const AMEND_APPLY_TYPES: Record<AmendApi, readonly string[]> = {
  amendapply: ['再提出', '部分補正'],
  reamend: ['再提出'],
  partamend: ['部分補正'],
};

const API_LABEL: Record<AmendApi, string> = { amendapply: '補正申請', reamend: '補正（再提出）', partamend: '補正（部分補正）' };

export function checkAmendmentFolder(
  folder: ApplicationFolder,
  anchors: readonly X509Certificate[],
  at: Date,
  target: { arriveId: string; procedureId: string },
  api: AmendApi,
): Promise<FolderVerdict> {
  const applyTypes = new Map(AMEND_APPLY_TYPES[api].map((t) => [t, target.procedureId] as const));
  return checkApplicationFolder(folder, anchors, at, { applyTypes, firstArriveId: target.arriveId, api: API_LABEL[api] });
}
