// Runs in every process. The 補正 workbench as the screens and `todoke amend` see it (issue #10 item
// 6): the draft of one case's correction — the filed files, which are replaced, the field-level diff of
// each changed XML — and the 補正 sent for it through the outbox. Wire names stay in the codecs.
import type { CaseSummaryView, SentEntryView } from './case.js';
import type { AmendmentKind } from './documents.js';

/** Like a 取下げ's: a 補正 is never `sent` / `following` (it has no 送信番号). */
export type AmendmentState = 'ready' | 'sending' | 'done' | 'unknown' | 'ready-for-resend' | 'ambiguous' | 'failed';

/** One field that differs between the filed and the corrected XML. */
export interface FieldChangeView {
  /** element names from the root, `[n]` where a name repeats, `@name` for an attribute */
  path: string;
  before: string;
  after: string;
  change: 'changed' | 'added' | 'removed';
}

/** One file of the draft against the filed application. */
export interface AmendmentFileView {
  name: string;
  /** bytes the 補正 will send */
  size: number;
  /** bytes filed; null for an added file */
  filedSize: number | null;
  /** replaced (or added) by the person */
  replaced: boolean;
  change: 'same' | 'changed' | 'added' | 'removed';
  /** the field diff of a changed XML file; null otherwise */
  fields: { changes: FieldChangeView[]; total: number; capped: boolean } | null;
  /** why a changed XML file is compared as a whole only (too large, unreadable) */
  fieldsError: string | null;
}

/** A 補正 of a case, as its outbox entry and (when stored) its own case say. */
export type CaseAmendmentView = SentEntryView<AmendmentKind, AmendmentState>;

/** case.amendmentDraft and its neighbours: the workbench of one case. */
export interface AmendmentDraftView {
  case: CaseSummaryView;
  /** null when there is no draft yet: the filed application was not found (give a folder) */
  draftId: string | null;
  /** where the filed application came from */
  source: 'outbox' | 'folder' | 'amendment' | null;
  files: AmendmentFileView[];
  /** some file differs from the filed one (a 補正 that changes nothing is not sent) */
  changed: boolean;
  /** a 補正 may be made now */
  allowed: boolean;
  blockedReason: string | null;
  blockedReasonEn: string | null;
  amendments: CaseAmendmentView[];
}

/** case.amend's answer. */
export interface AmendmentView extends CaseAmendmentView {
  /** 到達番号 of the case corrected */
  arriveId: string;
  /** ids of earlier 補正 that provably never left, set aside for this one */
  replaced: string[];
}
