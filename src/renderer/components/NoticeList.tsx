// Renderer. The inbox: the virtualised grid (VirtualGrid.tsx) over the inbox store's pages, unread
// rows first, bold and dotted; Enter or a click opens the notice.
import { useState } from 'react';
import type { NoticeSummaryView } from '../../shared/documents.js';
import { formatEgovMinute } from '../format.js';
import { useMessages, type Messages } from '../messages/index.js';
import { PAGE_SIZE, useInboxStore } from '../stores/inbox.js';
import { useRouterStore } from '../stores/router.js';
import { Deadline, KindBadge, StageBadge, VerdictBadge } from './NoticeBadges.js';
import { VirtualGrid } from './VirtualGrid.js';

export const ROW_HEIGHT = 64;

export function NoticeList() {
  const m = useMessages();
  const t = m.inbox;
  const list = useInboxStore((s) => s.list);
  const loadMore = useInboxStore((s) => s.loadMore);
  const navigate = useRouterStore((s) => s.navigate);
  // deadlines are counted from when the list was opened
  const [now] = useState(() => new Date());
  return (
    <VirtualGrid<NoticeSummaryView>
      label={t.listLabel}
      list={list}
      loadMore={loadMore}
      columns={[t.colKind, t.colTitle, t.colCase, t.colIssued, t.colDeadline, t.colState]}
      rowHeight={ROW_HEIGHT}
      prefetchRows={PAGE_SIZE}
      keyOf={(row) => row.id}
      open={(row) => navigate({ name: 'notice', id: row.id })}
      cells={(row) => <NoticeCells row={row} m={m} now={now} />}
      classes={{
        grid: 'case-grid notice-grid',
        body: 'case-grid__body notice-grid__body',
        row: (row) => (row.readAt === null ? 'notice-row notice-row--unread' : 'notice-row'),
        headRow: 'notice-row notice-row--head',
        moreRow: 'notice-row case-row--more',
      }}
      words={{ retry: t.retry, loadingMore: t.loadingMore }}
    />
  );
}

export function NoticeCells({ row, m, now, withCase = true }: { row: NoticeSummaryView; m: Messages; now: Date; withCase?: boolean }) {
  const t = m.inbox;
  const unread = row.readAt === null;
  const caseText = [row.procedureName, row.applicantName].filter(Boolean).join('　') || t.caseUnknown;
  const known = row.procedureName !== '' || row.applicantName !== '';
  return (
    <>
      <span role="gridcell" className="notice-row__kind">
        <span className={unread ? 'notice-dot' : 'notice-dot notice-dot--read'} aria-hidden="true" />
        {unread && <span className="visually-hidden">{t.unreadMark}</span>}
        <KindBadge kind={row.kind} />
      </span>
      <span role="gridcell" className="notice-row__title" title={row.title}>
        {row.title}
      </span>
      {withCase && (
        <span role="gridcell" className="case-row__text" title={`${t.caseOf(row.arriveId)} ${caseText}`}>
          <span className="mono notice-row__arrive">{row.arriveId}</span>
          {known ? (
            <>
              <span className="case-row__sub">{row.procedureName}</span>
              <span className="case-row__sub">{row.applicantName}</span>
            </>
          ) : (
            <span className="case-row__sub">{t.caseUnknown}</span>
          )}
        </span>
      )}
      <span role="gridcell" className="case-row__date">
        {formatEgovMinute(row.issueDate, m)}
      </span>
      <span role="gridcell" className="notice-row__deadline">
        <Deadline notice={row} now={now} />
      </span>
      <span role="gridcell" className="case-row__badges">
        <StageBadge notice={row} />
        {row.kind === 'document' && <VerdictBadge verdict={row.verdict} />}
      </span>
    </>
  );
}
