// Renderer. One case (案件), by its 到達番号: what Todoke holds of it (its 送信案件一覧 entry, what
// 状況照会 said, the ApplyHistory and the statuses Todoke saw — both oldest first, as e-Gov orders
// its history), fetched again whenever the core says the case changed; 今すぐ確認 (case.refresh,
// which may ask for the PIN or password); its 取下げ (components/CaseWithdrawals.tsx, the form on
// screens/WithdrawScreen.tsx); its 補正 (components/CaseAmendments.tsx, the workbench on
// screens/AmendScreen.tsx); its 通知・公文書 (components/CaseNotices.tsx); its 電子納付
// (components/CasePayments.tsx). And an official document
// (公文書) of it by its 通知番号, shown by the notice screen (screens/NoticeScreen.tsx).
import { useEffect, useState } from 'react';
import type { CaseDetailView } from '../../shared/case.js';
import type { ErrorPayload } from '../../shared/errors.js';
import { requireCoreApi } from '../api.js';
import { Alert } from '../components/Alert.js';
import { awaitsAmendment } from '../amendment-workbench.js';
import { Breadcrumbs } from '../components/Breadcrumbs.js';
import { CaseNotices } from '../components/CaseNotices.js';
import { CasePayments } from '../components/CasePayments.js';
import { AmendmentAction, AmendmentOfNotice, CaseAmendmentSection } from '../components/CaseAmendments.js';
import { WithdrawalAction, WithdrawalList, WithdrawalOfNotice } from '../components/CaseWithdrawals.js';
import { EmptyState } from '../components/EmptyState.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { Fact } from '../components/Fact.js';
import { Progress } from '../components/Progress.js';
import { formatDateTime, formatEgovDate } from '../format.js';
import { useMessages } from '../messages/index.js';
import { useCaseStore } from '../stores/cases.js';
import { NoticeScreen } from './NoticeScreen.js';
import { useRouterStore } from '../stores/router.js';
import './CasesScreen.css';
import './NoticesScreen.css';

type Load = { status: 'loading' } | { status: 'ready'; detail: CaseDetailView } | { status: 'error'; error: ErrorPayload };

export function CaseScreen({ arriveId }: { arriveId: string }) {
  const m = useMessages();
  const c = m.cases;
  const revision = useCaseStore((s) => s.revisions[arriveId] ?? 0);
  const navigate = useRouterStore((s) => s.navigate);
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  /** bumped after a 取下げ action here (the core sends no event for those): the case is read again */
  const [reloads, setReloads] = useState(0);
  const [refresh, setRefresh] = useState<{ busy: boolean; error: ErrorPayload | null; done: boolean }>({ busy: false, error: null, done: false });

  useEffect(() => {
    let current = true;
    void requireCoreApi()['case.get']({ arriveId }).then((result) => {
      if (current) setLoad(result.ok ? { status: 'ready', detail: result.value } : { status: 'error', error: result.error });
    });
    return () => {
      current = false;
    };
  }, [arriveId, revision, reloads]);

  const runRefresh = async () => {
    setRefresh({ busy: true, error: null, done: false });
    const result = await requireCoreApi()['case.refresh']({ arriveId });
    if (result.ok) setLoad({ status: 'ready', detail: result.value });
    setRefresh({ busy: false, error: result.ok ? null : result.error, done: result.ok });
  };

  const crumbs = [{ label: m.nav.cases, route: { name: 'cases' } as const }, { label: c.caseTitle(arriveId) }];
  if (load.status === 'loading') {
    return (
      <div className="stack">
        <Breadcrumbs crumbs={crumbs} />
        <Progress text={c.detailLoading} />
      </div>
    );
  }
  if (load.status === 'error') {
    const missing = load.error.code === 'CASE_NOT_FOUND';
    return (
      <div className="stack">
        <Breadcrumbs crumbs={crumbs} />
        <ErrorAlert title={missing ? c.notFound : c.detailFailed} error={load.error}>
          {missing && <p>{c.notFoundNext}</p>}
        </ErrorAlert>
        <div>
          <button type="button" className="button" onClick={() => navigate({ name: 'cases' })}>
            {c.backToList}
          </button>
        </div>
      </div>
    );
  }

  const d = load.detail;
  const r = d.reference;
  const egov = (text: string | undefined) => (text ? formatEgovDate(text, m) : c.notYet);
  const messages = r
    ? ([
        ['amend', r.amendMessage],
        ['comment', r.commentMessage],
        ['document', r.documentMessage],
        ['pay', r.payMessage],
      ] as const).filter(([, text]) => text !== '')
    : [];

  return (
    <div className="stack">
      <Breadcrumbs crumbs={crumbs} />
      <section className="panel stack" aria-labelledby="case-facts">
        <header className="case-header">
          <div>
            <h2 className="panel__title case-header__title" id="case-facts">
              {c.caseTitle(d.arriveId)}
            </h2>
            <p className="case-header__procedure">{d.procedureName}</p>
          </div>
          <span className="status-pill status-pill--large">{d.status}</span>
        </header>
        {d.withdrawalOf !== null && <WithdrawalOfNotice of={d.withdrawalOf} />}
        {d.amendmentOf !== null && <AmendmentOfNotice of={d.amendmentOf} />}
        {d.needsReference && (
          <Alert tone="warning" title={c.referenceOwed} />
        )}
        <div className="case-facts">
          <dl className="facts facts--compact">
            <Fact term={c.facts.procedure}>
              {d.procedureName}
              <span className="facts__sub mono">{d.procedureFolderName}</span>
            </Fact>
            <Fact term={c.facts.applicant}>{d.applicantName}</Fact>
            {(d.corporationName || d.departmentName) && <Fact term={c.facts.corporation}>{[d.corporationName, d.departmentName].filter(Boolean).join('　')}</Fact>}
            <Fact term={c.facts.ministry}>{d.ministryName}</Fact>
            {d.sendNumber !== null && (
            <Fact term={c.facts.sendNumber}>
              {d.entryId ? (
                <button type="button" className="link-button mono" aria-label={c.openBatch(d.sendNumber ?? '')} onClick={() => navigate({ name: 'batch', entryId: d.entryId ?? '' })}>
                  {d.sendNumber}
                </button>
              ) : (
                <>
                  <span className="mono">{d.sendNumber}</span>
                  <span className="facts__sub muted">{c.sentElsewhere}</span>
                </>
              )}
            </Fact>
            )}
          </dl>
          <dl className="facts facts--compact">
            <Fact term={c.facts.status}>{d.status}</Fact>
            <Fact term={c.facts.statusDate}>{egov(d.statusDate)}</Fact>
            <Fact term={c.facts.arriveDate}>{egov(r?.arriveDate)}</Fact>
            <Fact term={c.facts.examStartDate}>{egov(r?.examStartDate)}</Fact>
            <Fact term={c.facts.examEndDate}>{egov(r?.examEndDate)}</Fact>
            <Fact term={c.facts.procedureEndDate}>{egov(r?.procedureEndDate)}</Fact>
            <Fact term={c.facts.referencedAt}>{r ? formatDateTime(r.referencedAt, m) : c.neverReferenced}</Fact>
          </dl>
        </div>
        <dl className="case-counters">
          <div className={d.correctStatus !== 'なし' && d.correctStatus !== '' ? 'case-counter case-counter--attention' : 'case-counter'}>
            <dt>{c.facts.correction}</dt>
            <dd>{d.correctStatus || c.notYet}</dd>
          </div>
          <div className={d.commentCountNotRead > 0 ? 'case-counter case-counter--attention' : 'case-counter'}>
            <dt>{c.facts.comments}</dt>
            <dd>{c.commentsOf(d.commentCountNotRead, d.commentCount)}</dd>
          </div>
          <div className={d.docCountNotDownload > 0 ? 'case-counter case-counter--attention' : 'case-counter'}>
            <dt>{c.facts.documents}</dt>
            <dd>{c.documentsOf(d.docCountNotDownload, d.docCount)}</dd>
          </div>
          <div className={d.payWaitCount > 0 ? 'case-counter case-counter--attention' : 'case-counter'}>
            <dt>{c.facts.payment}</dt>
            <dd>{c.paymentOf(d.payStatus, d.payWaitCount)}</dd>
          </div>
        </dl>
      </section>

      <section className="panel stack" aria-labelledby="case-actions">
        <h2 className="panel__title" id="case-actions">
          {c.actionsTitle}
        </h2>
        <div className="case-actions">
          <div className="stack--tight">
            <div>
              <button type="button" className="button button--primary" disabled={refresh.busy} onClick={() => void runRefresh()}>
                {refresh.busy ? c.refreshing : c.refresh}
              </button>
            </div>
            <p className="muted">{c.refreshHint}</p>
            {refresh.done && (
              <p className="case-actions__done" role="status">
                {c.refreshed}
              </p>
            )}
          </div>
          <WithdrawalAction arriveId={d.arriveId} withdrawalOf={d.withdrawalOf} version={revision + reloads} />
          <AmendmentAction arriveId={d.arriveId} awaiting={awaitsAmendment(d, r?.reintroductionFlag ?? null)} withdrawal={d.withdrawalOf !== null} />
        </div>
        {refresh.error && <ErrorAlert title={c.refreshFailed} error={refresh.error} />}
      </section>

      <CaseNotices arriveId={d.arriveId} />

      <CasePayments arriveId={d.arriveId} />

      {d.withdrawals.length > 0 && <WithdrawalList withdrawals={d.withdrawals} onChanged={() => setReloads((n) => n + 1)} />}
      {d.withdrawalOf === null && <CaseAmendmentSection arriveId={d.arriveId} version={revision + reloads} />}

      <section className="panel stack" aria-labelledby="case-messages">
        <h2 className="panel__title" id="case-messages">
          {c.messagesTitle}
        </h2>
        {messages.length === 0 ? (
          <p className="muted">{r ? c.noMessages : c.neverReferenced}</p>
        ) : (
          <dl className="facts">
            {messages.map(([kind, text]) => (
              <Fact key={kind} term={c.messages[kind]}>
                {text}
              </Fact>
            ))}
          </dl>
        )}
      </section>

      <section className="panel stack" aria-labelledby="case-history">
        <h2 className="panel__title" id="case-history">
          {c.historyTitle}
        </h2>
        {d.history.length === 0 ? (
          <p className="muted">{c.historyEmpty}</p>
        ) : (
          <ol className="case-timeline" aria-label={c.historyLabel}>
            {d.history.map((h) => (
              <li key={h.subId} className="case-timeline__item">
                <span className="case-timeline__time">{formatEgovDate(h.date, m)}</span>
                <span className="case-timeline__what">
                  <strong>{h.processType}</strong>
                  {h.operatorType && <span className="muted">{c.historyOperator(h.operatorType)}</span>}
                </span>
                <span className="status-pill">{h.status}</span>
                {h.totalFee && <span className="case-timeline__fee muted">{c.historyFee(h.totalFee, h.payExpiredDate)}</span>}
              </li>
            ))}
          </ol>
        )}
      </section>

      {d.observations.length > 0 && (
        <section className="panel stack" aria-labelledby="case-observed">
          <h2 className="panel__title" id="case-observed">
            {c.observedTitle}
          </h2>
          <ol className="case-timeline" aria-label={c.observedLabel}>
            {d.observations.map((o, i) => (
              <li key={i} className="case-timeline__item">
                <span className="case-timeline__time">{formatDateTime(o.at, m)}</span>
                <span className="case-timeline__what">{o.from === null ? c.observedFirst(o.to) : c.observedChange(o.from, o.to)}</span>
              </li>
            ))}
          </ol>
        </section>
      )}
    </div>
  );
}

/**
 * A 公文書 by its 到達番号 and 通知番号 (/cases/:arriveId/documents/:n, as e-Gov numbers them): the
 * notice Todoke keeps under those, shown by the notice screen; said plainly when Todoke keeps none.
 */
export function DocumentScreen({ arriveId, n }: { arriveId: string; n: number }) {
  const m = useMessages();
  const [found, setFound] = useState<{ status: 'loading' } | { status: 'ready'; id: number | null } | { status: 'error'; error: ErrorPayload }>({ status: 'loading' });

  useEffect(() => {
    let live = true;
    void findDocument(arriveId, n).then((r) => {
      if (live) setFound(r.ok ? { status: 'ready', id: r.id } : { status: 'error', error: r.error });
    });
    return () => {
      live = false;
    };
  }, [arriveId, n]);

  if (found.status === 'ready' && found.id !== null) return <NoticeScreen id={found.id} />;
  return (
    <div className="stack">
      <Breadcrumbs
        crumbs={[{ label: m.nav.cases, route: { name: 'cases' } }, { label: m.cases.caseTitle(arriveId), route: { name: 'case', arriveId } }, { label: m.cases.document(n) }]}
      />
      {found.status === 'loading' && <Progress text={m.inbox.viewerLoading} />}
      {found.status === 'error' && <ErrorAlert title={m.inbox.viewerFailed} error={found.error} />}
      {found.status === 'ready' && (
        <EmptyState icon="document" title={m.cases.documentMissing(n)}>
          <p>{m.cases.documentMissingNext}</p>
        </EmptyState>
      )}
    </div>
  );
}

/** The id of the 公文書 numbered `n` in the case, page by page through the case's notices; null when Todoke keeps none. */
async function findDocument(arriveId: string, n: number): Promise<{ ok: true; id: number | null } | { ok: false; error: ErrorPayload }> {
  const api = requireCoreApi();
  let after: string | undefined;
  // a case has a handful of 公文書: a core that keeps answering `next` is not followed for ever
  for (let page = 0; page < MAX_DOCUMENT_PAGES; page += 1) {
    const r = await api['notice.inbox']({ arriveId, kind: 'document', limit: 500, ...(after ? { after } : {}) });
    if (!r.ok) return r;
    const hit = r.value.items.find((item) => item.noticeSubId === n);
    if (hit) return { ok: true, id: hit.id };
    if (r.value.next === null) return { ok: true, id: null };
    after = r.value.next;
  }
  return { ok: true, id: null };
}

const MAX_DOCUMENT_PAGES = 20;
