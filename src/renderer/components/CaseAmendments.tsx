// Renderer. 補正 on a case's screen: 「補正する…」 when the ministry asks for a correction (else the
// way to the workbench all the same, with why e-Gov will likely refuse), the 補正 made of the case with
// where each stands — 「e-Gov に確認」 for one whose answer never came, the person's own decision for
// one the reconciliation could not settle — and, on a 補正 case, the case it corrects as a link.
import { useEffect, useState } from 'react';
import type { CaseAmendmentView } from '../../shared/amendment.js';
import { requireCoreApi } from '../api.js';
import { useMessages } from '../messages/index.js';
import { useRouterStore } from '../stores/router.js';
import { Alert } from './Alert.js';
import { SentEntryItem } from './SentEntryItem.js';

/** The 補正 part of the 操作 panel. `awaiting`: the case is 補正待ち (or may be filed again). */
export function AmendmentAction({ arriveId, awaiting, withdrawal }: { arriveId: string; awaiting: boolean; withdrawal: boolean }) {
  const a = useMessages().amend;
  const navigate = useRouterStore((s) => s.navigate);
  return (
    <section className="case-amendment stack--tight" aria-labelledby="case-amendment">
      <h3 className="case-actions__title" id="case-amendment">
        {a.sectionTitle}
      </h3>
      {withdrawal ? (
        <p className="muted">{a.notForWithdrawal}</p>
      ) : awaiting ? (
        <>
          <div>
            <button type="button" className="button button--primary" aria-label={a.startLabel(arriveId)} onClick={() => navigate({ name: 'amend', arriveId })}>
              {a.start}
            </button>
          </div>
          <p className="muted">{a.startHint}</p>
        </>
      ) : (
        <>
          <div>
            <button type="button" className="button" aria-label={a.openWorkbenchLabel(arriveId)} onClick={() => navigate({ name: 'amend', arriveId })}>
              {a.openWorkbench}
            </button>
          </div>
          <p className="muted">{a.notAwaitingShort}</p>
        </>
      )}
    </section>
  );
}

/** Beside a 補正 case's facts: the case it corrects, as a link. */
export function AmendmentOfNotice({ of }: { of: string }) {
  const a = useMessages().amend;
  const navigate = useRouterStore((s) => s.navigate);
  return (
    <Alert tone="info" title={a.isAmendment}>
      <p>{a.isAmendmentBody(of)}</p>
      <p>
        <button type="button" className="link-button" onClick={() => navigate({ name: 'case', arriveId: of })}>
          {a.openOriginal(of)}
        </button>
      </p>
    </Alert>
  );
}

/**
 * The 補正 of a case as the core lists them with its workbench (case.amendmentDraft with `peek`: it
 * asks nothing of e-Gov and makes no draft); nothing shown while there are none. `version` changes whenever the case may have.
 */
export function CaseAmendmentSection({ arriveId, version }: { arriveId: string; version: number }) {
  const [amendments, setAmendments] = useState<readonly CaseAmendmentView[]>([]);
  const [reloads, setReloads] = useState(0);
  useEffect(() => {
    let current = true;
    void requireCoreApi()['case.amendmentDraft']({ arriveId, peek: true }).then((result) => {
      // a case the workbench cannot open (a 取下げ, a draft refused) has no 補正 to list here either
      if (current) setAmendments(result.ok ? result.value.amendments : []);
    });
    return () => {
      current = false;
    };
  }, [arriveId, version, reloads]);
  if (amendments.length === 0) return null;
  return <AmendmentList amendments={amendments} onChanged={() => setReloads((n) => n + 1)} />;
}

/** The 補正 of a case, oldest first. `onChanged` after an action so that the screen reads them again. */
export function AmendmentList({ amendments, onChanged }: { amendments: readonly CaseAmendmentView[]; onChanged: () => void }) {
  const a = useMessages().amend;
  return (
    <section className="panel stack" aria-labelledby="case-amendments">
      <h2 className="panel__title" id="case-amendments">
        {a.listTitle}
      </h2>
      <ol className="withdrawal-list" aria-label={a.listLabel}>
        {amendments.map((x) => (
          <SentEntryItem
            key={x.entryId}
            entry={x}
            words={a}
            refresh={(entryId) => requireCoreApi()['case.amendmentRefresh']({ entryId })}
            settle={(entryId, decision) => requireCoreApi()['case.amendmentSettle']({ entryId, decision })}
            // a 部分補正 gets no 到達番号 of its own
            noArriveId={(entry) => (entry.kind === 'partamend' ? a.noArriveIdPart : a.arriveIdNeverSeen)}
            onChanged={onChanged}
          />
        ))}
      </ol>
    </section>
  );
}
