// Renderer. The 補正 workbench of one case (issue #10 item 6): the 補正通知 on the left, the filed
// application on the right with its files replaced one by one and each replaced XML compared field by
// field with the filed one; then 「補正申請を送信」 — a confirmation naming what changes, the PIN
// (the global credential dialog), and the result: the 補正's own 到達番号, linked, beside the case it
// corrects. A refusal is said in words that say what to do (AMENDMENT_INELIGIBLE: not 補正待ち), and
// a 補正 whose answer never came is followed from the list below (「e-Gov に確認」, settle).
import { failureText } from '../failure-text.js';
import { useEffect, useRef, useState } from 'react';
import type { AmendmentView } from '../../shared/amendment.js';
import { awaitsAmendment, draftChanges, sendBlock } from '../amendment-workbench.js';
import { Alert } from '../components/Alert.js';
import { AmendmentFiles } from '../components/AmendmentFiles.js';
import { AmendmentNoticePanel } from '../components/AmendmentNoticePanel.js';
import { AmendmentList } from '../components/CaseAmendments.js';
import { Breadcrumbs, type Crumb } from '../components/Breadcrumbs.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { Fact } from '../components/Fact.js';
import { Progress } from '../components/Progress.js';
import { useMessages } from '../messages/index.js';
import { useAmendmentStore } from '../stores/amendment.js';
import { useRouterStore } from '../stores/router.js';
import './AmendScreen.css';

export function AmendScreen({ arriveId }: { arriveId: string }) {
  const m = useMessages();
  const a = m.amend;
  const navigate = useRouterStore((s) => s.navigate);
  const open = useAmendmentStore((s) => s.open);
  const load = useAmendmentStore((s) => (s.arriveId === arriveId ? s.draft : { status: 'loading' as const }));
  const notice = useAmendmentStore((s) => (s.arriveId === arriveId ? s.notice : { status: 'loading' as const }));
  const step = useAmendmentStore((s) => s.step);
  const reintroduction = useAmendmentStore((s) => s.reintroduction);
  const send = useAmendmentStore((s) => s.send);
  const sendAmendment = useAmendmentStore((s) => s.sendAmendment);
  const dismissSend = useAmendmentStore((s) => s.dismissSend);
  const refresh = useAmendmentStore((s) => s.refresh);
  const [confirming, setConfirming] = useState(false);
  // the deadline counts days from when the screen opened (a workbench is not left open for days)
  const [now] = useState(() => new Date());
  const failure = useRef<HTMLDivElement>(null);
  const failed = send.status === 'failed';

  useEffect(() => {
    void open(arriveId);
  }, [arriveId, open]);

  // the failure is shown above the workbench, far from the button pressed: it takes focus (and the view)
  useEffect(() => {
    if (failed) failure.current?.focus();
  }, [failed]);

  const crumbs: Crumb[] = [
    { label: m.nav.cases, route: { name: 'cases' } },
    { label: m.cases.caseTitle(arriveId), route: { name: 'case', arriveId } },
    { label: a.crumb },
  ];
  if (load.status === 'loading') {
    return (
      <div className="stack">
        <Breadcrumbs crumbs={crumbs} />
        <Progress text={a.loading} />
      </div>
    );
  }
  if (load.status === 'error') {
    return (
      <div className="stack">
        <Breadcrumbs crumbs={crumbs} />
        <ErrorAlert title={a.draftFailed} error={load.error} />
        <BackToCase arriveId={arriveId} />
      </div>
    );
  }
  if (send.status === 'done') return <AmendDone crumbs={crumbs} arriveId={arriveId} result={send.result} />;

  const draft = load.draft;
  const block = sendBlock(draft);
  const changes = draftChanges(draft.files);
  const sending = send.status === 'sending';
  const blockText = block === 'no-draft' ? a.sendNoDraft : block === 'unchanged' ? a.sendUnchanged : block === 'blocked' ? (m.lang === 'ja' ? draft.blockedReason : draft.blockedReasonEn) : null;
  const awaiting = awaitsAmendment(draft.case, reintroduction ? '1' : null);

  return (
    <div className="stack">
      <Breadcrumbs crumbs={crumbs} />
      {block === 'blocked' && !failed && (
        <Alert tone="warning" title={a.blocked}>
          <p>{blockText}</p>
        </Alert>
      )}
      {send.status === 'failed' && (
        <div ref={failure} tabIndex={-1} className="amend-failure">
          <ErrorAlert title={a.failedTitle} error={send.error}>
            {send.error.code === 'AMENDMENT_INELIGIBLE' && <p>{a.ineligibleNext}</p>}
            {send.error.code === 'AMENDMENT_DELIVERY_UNKNOWN' && <p>{a.unknownNext}</p>}
          </ErrorAlert>
        </div>
      )}
      {send.status === 'cancelled' && <Alert tone="info" title={a.cancelledTitle} />}

      <section className="panel stack" aria-labelledby="amend-case">
        <h2 className="panel__title" id="amend-case">
          {a.caseTitle}
        </h2>
        <p>{a.lead}</p>
        <dl className="facts facts--compact">
          <Fact term={m.cases.facts.procedure}>{draft.case.procedureName}</Fact>
          <Fact term={m.cases.facts.applicant}>{draft.case.applicantName}</Fact>
          <Fact term={m.cases.facts.status}>{draft.case.status}</Fact>
          <Fact term={a.correctStatus}>
            <span className={awaiting ? 'amend-awaiting' : undefined}>{draft.case.correctStatus || m.cases.notYet}</span>
          </Fact>
        </dl>
        {!awaiting && <p className="amend-not-awaiting">{a.notAwaiting}</p>}
      </section>

      <div className="amend-workbench">
        <AmendmentNoticePanel load={notice} now={now} />
        <AmendmentFiles draft={draft} />
      </div>

      <section className="panel amend-send" aria-labelledby="amend-send" aria-busy={sending}>
        <h2 className="visually-hidden" id="amend-send">
          {a.send}
        </h2>
        {sending ? (
          <Progress text={a.sending} hint={a.sendingHint} />
        ) : (
          <div className="amend-send__row">
            <p className={block === null ? 'muted amend-send__hint' : 'amend-send__hint amend-send__hint--blocked'} id="amend-send-hint">
              {block === null ? a.sendHint : blockText}
            </p>
            <div className="button-row">
              <button type="button" className="button" onClick={() => navigate({ name: 'case', arriveId })}>
                {a.backToCase}
              </button>
              <button
                type="button"
                className="button button--primary"
                disabled={block !== null || step !== null}
                aria-describedby="amend-send-hint"
                onClick={() => {
                  dismissSend();
                  setConfirming(true);
                }}
              >
                {a.send}
              </button>
            </div>
          </div>
        )}
      </section>

      {draft.amendments.length > 0 && <AmendmentList amendments={draft.amendments} onChanged={() => void refresh()} />}

      {confirming && (
        <ConfirmDialog
          title={a.confirmTitle}
          confirmLabel={a.confirm}
          tone="primary"
          onConfirm={() => {
            setConfirming(false);
            void sendAmendment();
          }}
          onCancel={() => setConfirming(false)}
        >
          <p>
            <strong>{a.confirmCase(arriveId, draft.case.procedureName)}</strong>
          </p>
          <ul className="amend-confirm__list">
            {changes.replaced.length > 0 && <li>{a.confirmReplaced(changes.replaced.join('、'))}</li>}
            {changes.added.length > 0 && <li>{a.confirmAdded(changes.added.join('、'))}</li>}
            {changes.fields > 0 && <li>{a.confirmFields(changes.fields)}</li>}
          </ul>
          <p>{a.confirmBody}</p>
          <p className="amend-confirm__warning">{a.confirmNote}</p>
        </ConfirmDialog>
      )}
    </div>
  );
}

function BackToCase({ arriveId }: { arriveId: string }) {
  const m = useMessages();
  const navigate = useRouterStore((s) => s.navigate);
  return (
    <div>
      <button type="button" className="button" onClick={() => navigate({ name: 'case', arriveId })}>
        {m.amend.backToCase}
      </button>
    </div>
  );
}

function AmendDone({ crumbs, arriveId, result }: { crumbs: readonly Crumb[]; arriveId: string; result: AmendmentView }) {
  const m = useMessages();
  const a = m.amend;
  const navigate = useRouterStore((s) => s.navigate);
  const arrived = result.state === 'done' && result.newArriveId !== null;
  return (
    <div className="stack">
      <Breadcrumbs crumbs={crumbs} />
      <section className="panel stack" aria-labelledby="amend-result" aria-live="polite">
        <h2 className="panel__title" id="amend-result">
          {arrived || result.state === 'done' ? a.doneTitle : a.notDoneTitle(a.state[result.state])}
        </h2>
        {result.state === 'done' ? (
          <Alert tone="success" title={result.newArriveId ? a.doneBody(result.newArriveId) : a.state.done}>
            <p>{a.doneNote}</p>
          </Alert>
        ) : (
          <Alert tone="warning" title={a.state[result.state]}>
            {a.stateHint[result.state] && <p>{a.stateHint[result.state]}</p>}
            {result.failure && <p>{failureText(result.failure, m)}</p>}
          </Alert>
        )}
        <dl className="facts facts--compact">
          <Fact term={a.originalCase}>
            <button type="button" className="link-button mono" aria-label={m.cases.caseTitle(arriveId)} onClick={() => navigate({ name: 'case', arriveId })}>
              {arriveId}
            </button>
          </Fact>
          <Fact term={a.kindTerm}>{a.kind[result.kind]}</Fact>
          <Fact term={a.newArriveId}>{result.newArriveId ? <span className="mono amend-done__id">{result.newArriveId}</span> : result.kind === 'partamend' && result.state === 'done' ? a.noArriveIdPart : a.noArriveIdYet}</Fact>
        </dl>
        {result.replaced.length > 0 && <p className="muted">{a.replaced(result.replaced.length)}</p>}
        <div className="button-row">
          {result.newArriveId && (
            <button type="button" className="button button--primary" aria-label={a.openNew(result.newArriveId)} onClick={() => navigate({ name: 'case', arriveId: result.newArriveId ?? '' })}>
              {a.openNewCase}
            </button>
          )}
          <button type="button" className="button" onClick={() => navigate({ name: 'case', arriveId })}>
            {a.backToCase}
          </button>
        </div>
      </section>
    </div>
  );
}
