// Main process (core). The 補正 of a case and its draft as the screens see them (src/shared/amendment.ts):
// the outbox entry with the status of the 補正 case when stored, and the draft's files with their diff.
import type { AmendmentFileView, AmendmentState, CaseAmendmentView } from '../../shared/amendment.js';
import type { AmendmentDraft } from '../filing/amendment-draft.js';
import type { FileComparison } from '../filing/xml-diff.js';
import type { CaseStore } from '../store/cases.js';
import type { OutboxEntry } from '../store/outbox.js';

function stateOf(entry: OutboxEntry): AmendmentState {
  // the store's CHECK keeps a 補正 out of sent / following; were one there, it arrived
  return entry.state === 'sent' || entry.state === 'following' ? 'done' : entry.state;
}

export function amendmentView(entry: OutboxEntry, cases: Pick<CaseStore, 'get'> | null): CaseAmendmentView {
  const stored = entry.newArriveId && cases ? cases.get(entry.newArriveId) : null;
  return {
    entryId: entry.id,
    kind: entry.amendmentKind ?? 'amendapply',
    state: stateOf(entry),
    newArriveId: entry.newArriveId,
    status: stored?.status ?? null,
    createdAt: new Date(entry.createdAt).toISOString(),
    updatedAt: new Date(entry.updatedAt).toISOString(),
    attemptCount: entry.attemptCount,
    failure: entry.failure,
  };
}

/** The draft's files, kousei.xml first, each with how it differs from the filed one. */
export function draftFileViews(draft: AmendmentDraft, changes: readonly FileComparison[]): AmendmentFileView[] {
  const byName = new Map(changes.map((c) => [c.name, c]));
  return draft.files.map((f) => {
    const c = byName.get(f.name);
    return {
      name: f.name,
      size: f.size,
      filedSize: f.filedSize,
      replaced: f.replaced,
      change: c?.change ?? 'same',
      fields: c?.fields ?? null,
      fieldsError: c?.fieldsError?.messageJa ?? null,
    };
  });
}
