// Renderer. The top of 案件: how many cases are in each status (the status text exactly as e-Gov
// sent it, an unknown one too) and how many need action (補正, unread コメント, undownloaded 公文書,
// 電子納付 waiting) with the newest date among them. Each count is a button that filters the list;
// the one the list is filtered by is marked pressed. Unread コメント and undownloaded 公文書 also lead
// to the 公文書 inbox, filtered to them.
import type { CaseAttention, CaseCountsView } from '../../shared/case.js';
import { CASE_ATTENTIONS } from '../../shared/case.js';
import { formatEgovShort } from '../format.js';
import { useMessages } from '../messages/index.js';
import { useCaseStore, type CaseFilter } from '../stores/cases.js';
import { useInboxStore } from '../stores/inbox.js';
import { useRouterStore } from '../stores/router.js';
import { ErrorAlert } from './ErrorAlert.js';
import { Progress } from './Progress.js';
import './Tiles.css';

const COUNT_OF: Record<CaseAttention, keyof Omit<CaseCountsView, 'total' | 'byStatus'>> = {
  correction: 'correction',
  'unread-comments': 'unreadComments',
  'undownloaded-documents': 'undownloadedDocuments',
  'payments-waiting': 'paymentsWaiting',
};

/** The 要対応 counts the inbox can show, and the filter it opens with (a new 公文書 is unread until opened). */
const INBOX_OF: Partial<Record<CaseAttention, { kind: 'comment' | 'document'; link: 'unread-comments' | 'undownloaded-documents' }>> = {
  'unread-comments': { kind: 'comment', link: 'unread-comments' },
  'undownloaded-documents': { kind: 'document', link: 'undownloaded-documents' },
};

export function CaseDashboard({ onFilter }: { onFilter: (filter: CaseFilter) => void }) {
  const m = useMessages();
  const c = m.cases;
  const counts = useCaseStore((s) => s.counts);
  const filter = useCaseStore((s) => s.filter);
  const presetInbox = useInboxStore((s) => s.presetFilter);
  const navigate = useRouterStore((s) => s.navigate);

  if (counts.status === 'error') return <ErrorAlert title={c.countsFailed} error={counts.error} />;
  if (counts.status !== 'ready') return <Progress text={c.loading} />;
  const view = counts.value;
  const onlyStatus = filter.status !== undefined && Object.keys(filter).length === 1;
  const onlyAttention = filter.attention !== undefined && Object.keys(filter).length === 1;

  return (
    <div className="dashboard">
      <section className="dashboard__group" aria-labelledby="cases-by-status">
        <h3 className="dashboard__title" id="cases-by-status">
          {c.byStatusTitle}
          <span className="dashboard__total">{c.total(view.total)}</span>
        </h3>
        {view.byStatus.length === 0 ? (
          <p className="muted">{c.noCasesYet}</p>
        ) : (
          <ul className="tiles" aria-label={c.byStatusLabel}>
            {view.byStatus.map((s) => (
              <li key={s.status}>
                <button
                  type="button"
                  className="tile"
                  aria-pressed={onlyStatus && filter.status === s.status}
                  aria-label={c.filterBy(s.status, s.count)}
                  onClick={() => onFilter({ status: s.status })}
                >
                  <span className="tile__count">{s.count.toLocaleString(m.dates.locale)}</span>
                  <span className="tile__label">{s.status}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="dashboard__group" aria-labelledby="cases-attention">
        <h3 className="dashboard__title" id="cases-attention">
          {c.attentionTitle}
        </h3>
        <ul className="tiles tiles--attention" aria-label={c.attentionLabel}>
          {CASE_ATTENTIONS.map((a) => {
            const n = view[COUNT_OF[a]];
            return (
              <li key={a}>
                <button
                  type="button"
                  className={`tile${n.cases > 0 ? ' tile--attention' : ''}`}
                  aria-pressed={onlyAttention && filter.attention === a}
                  aria-label={c.filterBy(c.attention[a], n.cases)}
                  onClick={() => onFilter({ attention: a })}
                >
                  <span className="tile__count">{n.cases.toLocaleString(m.dates.locale)}</span>
                  <span className="tile__label">{c.attention[a]}</span>
                  <span className="tile__sub">{n.newestStatusDate ? c.attentionNewest(formatEgovShort(n.newestStatusDate, m)) : c.attentionNone}</span>
                </button>
              </li>
            );
          })}
        </ul>
        <p className="dashboard__links">
          {CASE_ATTENTIONS.flatMap((a) => {
            const inbox = INBOX_OF[a];
            return inbox
              ? [
                  <button
                    key={a}
                    type="button"
                    className="link-button"
                    onClick={() => {
                      presetInbox({ kind: inbox.kind, unreadOnly: true });
                      navigate({ name: 'documents' });
                    }}
                  >
                    {m.inbox.attentionLink[inbox.link]}
                  </button>,
                ]
              : [];
          })}
        </p>
      </section>
    </div>
  );
}
