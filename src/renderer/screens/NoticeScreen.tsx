// Renderer. One notice Todoke keeps (/notices/:id): a 公文書, a コメント or a 補正通知. Its facts, the
// document as the core rendered it (components/NoticeDocument.tsx) and any PDF it carries shown as
// a PDF, its files, and saving it; for a 公文書 the verification panel beside it; for a 補正通知 the
// way to the 補正 workbench. Opening it marks it read (the core does, in notice.get). It is asked
// for again when the core says its stage or verdict changed — not for the read mark its own opening
// caused (stores/inbox.ts, eventChangesShown).
import { useEffect, useState } from 'react';
import type { NoticeDetailView } from '../../shared/documents.js';
import type { ErrorPayload } from '../../shared/errors.js';
import { requireCoreApi } from '../api.js';
import { Alert } from '../components/Alert.js';
import { Breadcrumbs } from '../components/Breadcrumbs.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { Fact } from '../components/Fact.js';
import { Deadline, KindBadge, StageBadge, VerdictBadge } from '../components/NoticeBadges.js';
import { NoticeDocument } from '../components/NoticeDocument.js';
import { NoticeExports } from '../components/NoticeExports.js';
import { NoticePdf } from '../components/NoticePdf.js';
import { Progress } from '../components/Progress.js';
import { VerificationPanel } from '../components/VerificationPanel.js';
import { formatDateTime, formatEgovDate } from '../format.js';
import { useMessages } from '../messages/index.js';
import { formatBytes, pdfFiles } from '../notice-view.js';
import { eventChangesShown, useInboxStore } from '../stores/inbox.js';
import { useRouterStore } from '../stores/router.js';
import './CasesScreen.css';
import './NoticesScreen.css';

type Load = { status: 'loading' } | { status: 'ready'; detail: NoticeDetailView } | { status: 'error'; error: ErrorPayload };
type Verify = { busy: boolean; error: ErrorPayload | null; done: boolean };

export function NoticeScreen({ id }: { id: number }) {
  const m = useMessages();
  const t = m.inbox;
  const navigate = useRouterStore((s) => s.navigate);
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [verify, setVerify] = useState<Verify>({ busy: false, error: null, done: false });
  const [now] = useState(() => new Date());
  const shown = load.status === 'ready' ? load.detail : null;

  useEffect(() => {
    let live = true;
    let current: NoticeDetailView | null = null;
    let lastSeq = useInboxStore.getState().seen[id]?.seq ?? 0;
    const ask = () =>
      requireCoreApi()['notice.get']({ id }).then((r) => {
        if (!live) return;
        if (r.ok) current = r.value;
        setLoad(r.ok ? { status: 'ready', detail: r.value } : { status: 'error', error: r.error });
      });
    void ask();
    // an event about this notice that moved it on (kept, verified …) asks for it again
    const unsubscribe = useInboxStore.subscribe((s) => {
      const seen = s.seen[id];
      if (!seen || seen.seq === lastSeq) return;
      lastSeq = seen.seq;
      if (current && eventChangesShown(current, seen.event)) void ask();
    });
    return () => {
      live = false;
      unsubscribe();
    };
  }, [id]);

  const runVerify = async () => {
    setVerify({ busy: true, error: null, done: false });
    const r = await requireCoreApi()['notice.verify']({ id });
    if (r.ok) setLoad({ status: 'ready', detail: r.value });
    setVerify({ busy: false, error: r.ok ? null : r.error, done: r.ok });
  };

  const title = shown?.title || t.kind[shown?.kind ?? 'document'];
  const crumbs = [{ label: m.nav.documents, route: { name: 'documents' } as const }, { label: load.status === 'ready' ? title : t.viewerLoading }];
  if (load.status === 'loading') {
    return (
      <div className="stack">
        <Breadcrumbs crumbs={crumbs} />
        <Progress text={t.viewerLoading} />
      </div>
    );
  }
  if (load.status === 'error') {
    const missing = load.error.code === 'NOTICE_NOT_FOUND';
    return (
      <div className="stack">
        <Breadcrumbs crumbs={crumbs} />
        <ErrorAlert title={missing ? t.notFound : t.viewerFailed} error={load.error} />
        <div>
          <button type="button" className="button" onClick={() => navigate({ name: 'documents' })}>
            {t.backToInbox}
          </button>
        </div>
      </div>
    );
  }

  const d = load.detail;
  const pdfs = pdfFiles(d.files);
  const isDocument = d.kind === 'document';
  return (
    <div className="stack notice-screen">
      <Breadcrumbs crumbs={crumbs} />
      <section className="panel stack" aria-labelledby="notice-facts">
        <header className="notice-header">
          <div>
            <div className="notice-header__badges">
              <KindBadge kind={d.kind} />
              <StageBadge notice={d} />
              {isDocument && <VerdictBadge verdict={d.verdict} />}
            </div>
            <h2 className="notice-header__title" id="notice-facts">
              {title}
            </h2>
          </div>
        </header>
        <dl className="facts facts--compact">
          <Fact term={t.facts.case}>
            <button type="button" className="link-button mono" onClick={() => navigate({ name: 'case', arriveId: d.arriveId })}>
              {t.caseOf(d.arriveId)}
            </button>
            {(d.procedureName || d.applicantName) && <span className="facts__sub">{[d.procedureName, d.applicantName].filter(Boolean).join('　')}</span>}
          </Fact>
          <Fact term={t.facts.issued}>{formatEgovDate(d.issueDate, m)}</Fact>
          {d.kind === 'amend' && (
            <Fact term={t.facts.deadline}>
              <Deadline notice={d} now={now} />
            </Fact>
          )}
          {d.kind === 'amend' && d.completedDate && <Fact term={t.facts.completed}>{formatEgovDate(d.completedDate, m)}</Fact>}
          <Fact term={t.facts.noticeSubId}>{d.noticeSubId}</Fact>
          {d.egovState && <Fact term={t.facts.egovState}>{d.egovState}</Fact>}
          {d.readAt && <Fact term={t.facts.readAt}>{formatDateTime(d.readAt, m)}</Fact>}
        </dl>
        {isDocument && (d.verdict === 'invalid' || d.verdict === 'untrusted' || d.verdict === 'unverifiable') && (
          <Alert tone={d.verdict === 'invalid' ? 'danger' : 'warning'} title={t.verdict[d.verdict]}>
            <p>{t.verdictAlert[d.verdict]}</p>
          </Alert>
        )}
        {d.lastError && d.lastError.code !== d.verification?.remoteError?.code && (
          <Alert tone="danger" title={t.lastError}>
            <p>{d.lastError.message}</p>
          </Alert>
        )}
      </section>

      {d.stage === 'refused' && (
        <Alert tone="danger" title={t.refusedTitle}>
          {d.refusal && <p>{d.refusal.message}</p>}
          <p>{t.refusedBody}</p>
        </Alert>
      )}

      {d.kind === 'amend' && (
        <section className="panel stack--tight" aria-labelledby="notice-amend">
          <h2 className="panel__title" id="notice-amend">
            {t.amendTitle}
          </h2>
          <p>{t.amendLead}</p>
          <div>
            <button type="button" className="button button--primary" onClick={() => navigate({ name: 'amend', arriveId: d.arriveId })}>
              {t.amendOpen}
            </button>
          </div>
        </section>
      )}

      <div className={isDocument ? 'notice-layout' : 'notice-layout notice-layout--single'}>
        <div className="stack">
          <section className="panel stack--tight" aria-labelledby="notice-document">
            <h2 className="panel__title" id="notice-document">
              {t.documentTitle}
            </h2>
            {d.rendered ? (
              <NoticeDocument id={d.id} rendered={d.rendered} />
            ) : d.renderError ? (
              <Alert tone="warning" title={t.renderFailed}>
                <p>{d.renderError.message}</p>
              </Alert>
            ) : (
              d.stage === 'listed' && <p className="muted">{t.notKept}</p>
            )}
            {!d.rendered && d.text && (
              <>
                <h3 className="verify-sub">{t.textTitle}</h3>
                <pre className="notice-text">{d.text}</pre>
              </>
            )}
          </section>
          {pdfs.map((f) => (
            <section key={f.name} className="panel stack--tight" aria-label={t.pdfTitle(f.name)}>
              <h2 className="panel__title">{t.pdfTitle(f.name)}</h2>
              <NoticePdf id={d.id} name={f.name} />
            </section>
          ))}
          <section className="panel stack--tight" aria-labelledby="notice-files">
            <h2 className="panel__title" id="notice-files">
              {t.filesTitle}
            </h2>
            {d.files.length === 0 ? (
              <p className="muted">{t.filesEmpty}</p>
            ) : (
              <table className="notice-files" aria-labelledby="notice-files">
                <thead>
                  <tr>
                    <th scope="col">{t.filesTitle}</th>
                    <th scope="col">{t.filterKind}</th>
                    <th scope="col" className="notice-files__size">
                      {m.inbox.fileSize}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {d.files.map((f) => (
                    <tr key={f.name}>
                      <td className="notice-files__name">{f.name}</td>
                      <td>{t.fileMedia[f.media]}</td>
                      <td className="notice-files__size">{formatBytes(f.size, m.dates.locale)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          {!isDocument && d.stage !== 'listed' && <NoticeExports id={d.id} rendered={d.rendered !== null} refused={d.stage === 'refused'} />}
        </div>
        {isDocument && (
          <div className="stack">
            <VerificationPanel verification={d.verification} busy={verify.busy} error={verify.error} done={verify.done} onVerify={() => void runVerify()} />
            {d.stage !== 'listed' && <NoticeExports id={d.id} rendered={d.rendered !== null} refused={d.stage === 'refused'} />}
          </div>
        )}
      </div>
    </div>
  );
}
