// Renderer. The case screen's 「通知・公文書」: the notices Todoke keeps of one case (notice.inbox with
// its 到達番号), unread first, each opening its screen; 「e-Gov から取得」 asks e-Gov now
// (notice.fetch, which may ask for the PIN or password), and 「この案件の通知をすべて保存」 writes them
// to a folder of the case's own. Asked for again when one of the case's notices changes.
import { useEffect, useState } from 'react';
import type { NoticePageView } from '../../shared/documents.js';
import type { ErrorPayload } from '../../shared/errors.js';
import { requireCoreApi } from '../api.js';
import { formatEgovMinute } from '../format.js';
import { useMessages } from '../messages/index.js';
import { useInboxStore } from '../stores/inbox.js';
import { useRouterStore } from '../stores/router.js';
import { ErrorAlert } from './ErrorAlert.js';
import { Deadline, KindBadge, StageBadge, VerdictBadge } from './NoticeBadges.js';
import { Progress } from './Progress.js';

/** one page: a case has a handful of notices; the inbox lists any beyond these */
const CASE_LIMIT = 100;

type Load = { status: 'loading' } | { status: 'ready'; page: NoticePageView } | { status: 'error'; error: ErrorPayload };
type Action = { busy: 'fetch' | 'export' | null; error: { title: string; error: ErrorPayload } | null; done: string | null };

export function CaseNotices({ arriveId }: { arriveId: string }) {
  const m = useMessages();
  const t = m.inbox;
  const navigate = useRouterStore((s) => s.navigate);
  const revision = useInboxStore((s) => s.caseRevisions[arriveId] ?? 0);
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [asked, setAsked] = useState(0);
  const [action, setAction] = useState<Action>({ busy: null, error: null, done: null });
  const [now] = useState(() => new Date());

  useEffect(() => {
    let live = true;
    void requireCoreApi()['notice.inbox']({ arriveId, limit: CASE_LIMIT }).then((r) => {
      if (live) setLoad(r.ok ? { status: 'ready', page: r.value } : { status: 'error', error: r.error });
    });
    return () => {
      live = false;
    };
  }, [arriveId, revision, asked]);

  const fetchNow = async () => {
    setAction({ busy: 'fetch', error: null, done: null });
    const r = await requireCoreApi()['notice.fetch']({ arriveId });
    setAction({ busy: null, error: r.ok ? null : { title: t.caseFetchFailed, error: r.error }, done: r.ok ? t.caseFetched(r.value.length) : null });
    setAsked((n) => n + 1);
  };

  const exportAll = async () => {
    setAction({ busy: 'export', error: null, done: null });
    const r = await requireCoreApi()['notice.exportCase']({ arriveId });
    setAction({ busy: null, error: r.ok ? null : { title: t.exportFailed, error: r.error }, done: r.ok ? t.exportedCase(r.value.count, r.value.path) : null });
  };

  const items = load.status === 'ready' ? load.page.items : [];
  return (
    <section className="panel stack" aria-labelledby="case-notices">
      <div className="verify-block__head">
        <h2 className="panel__title" id="case-notices">
          {t.caseTitle}
        </h2>
        <div className="notice-actions">
          {items.some((n) => n.stage !== 'listed') && (
            <button type="button" className="button button--small" disabled={action.busy !== null} onClick={() => void exportAll()}>
              {action.busy === 'export' ? t.exporting : t.exportCase}
            </button>
          )}
          <button type="button" className="button button--small button--primary" disabled={action.busy !== null} onClick={() => void fetchNow()}>
            {action.busy === 'fetch' ? t.caseFetching : t.caseFetch}
          </button>
        </div>
      </div>
      <p className="muted verify-block__what">{t.caseFetchHint}</p>
      {action.done && (
        <p className="notice-done" role="status">
          {action.done}
        </p>
      )}
      {action.error && <ErrorAlert title={action.error.title} error={action.error.error} />}
      {load.status === 'loading' && <Progress text={t.loading} />}
      {load.status === 'error' && <ErrorAlert title={t.listFailed} error={load.error} />}
      {load.status === 'ready' &&
        (items.length === 0 ? (
          <p className="muted">{t.caseEmpty}</p>
        ) : (
          <ul className="case-notices" aria-label={t.caseLabel}>
            {items.map((n) => (
              <li key={n.id}>
                <button
                  type="button"
                  className={n.readAt === null ? 'case-notice case-notice--unread' : 'case-notice'}
                  aria-label={`${n.readAt === null ? `${t.unreadMark} ` : ''}${t.kind[n.kind]} ${t.openNotice(n.title)}`}
                  onClick={() => navigate({ name: 'notice', id: n.id })}
                >
                  <span className="notice-row__kind">
                    <span className={n.readAt === null ? 'notice-dot' : 'notice-dot notice-dot--read'} aria-hidden="true" />
                    <KindBadge kind={n.kind} />
                  </span>
                  <span className="notice-row__title">{n.title}</span>
                  <span className="case-row__date">{formatEgovMinute(n.issueDate, m)}</span>
                  <span className="notice-row__deadline">{n.kind === 'amend' ? <Deadline notice={n} now={now} /> : null}</span>
                  <span className="case-row__badges">
                    <StageBadge notice={n} />
                    {n.kind === 'document' && <VerdictBadge verdict={n.verdict} />}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        ))}
    </section>
  );
}
