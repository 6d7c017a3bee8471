// Renderer. The inbox: a grid (role=grid, aria-rowcount / aria-rowindex, since only the rows in view
// exist in the page) virtualised as the case list is (CaseList.tsx), unread rows first, bold and
// dotted. The next page is asked for a page before the person reaches the end of what is loaded.
// Keyboard: one row is in the Tab order; ↑ ↓ Page Up/Down Home End move, Enter (or a click) opens.
import { defaultRangeExtractor, useVirtualizer, type Range } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { NoticeSummaryView } from '../../shared/documents.js';
import { formatEgovMinute } from '../format.js';
import { useMessages, type Messages } from '../messages/index.js';
import { PAGE_SIZE, useInboxStore } from '../stores/inbox.js';
import { useRouterStore } from '../stores/router.js';
import { Deadline, KindBadge, StageBadge, VerdictBadge } from './NoticeBadges.js';

export const ROW_HEIGHT = 64;
const PAGE_ROWS = 10;
const COLUMNS = 6;

export function NoticeList() {
  const m = useMessages();
  const t = m.inbox;
  const list = useInboxStore((s) => s.list);
  const loadMore = useInboxStore((s) => s.loadMore);
  const navigate = useRouterStore((s) => s.navigate);
  const scroller = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(0);
  const [now] = useState(() => new Date());
  const moved = useRef(false);
  const rows = list.rows;
  const more = list.next !== null;
  const count = rows.length + (more ? 1 : 0);
  const current = Math.min(active, Math.max(0, rows.length - 1));

  const rangeExtractor = useCallback(
    (range: Range) => {
      const indexes = defaultRangeExtractor(range);
      if (rows.length > 0 && !indexes.includes(current)) indexes.push(current);
      return indexes.sort((a, b) => a - b);
    },
    [current, rows.length],
  );
  // The build runs no React Compiler (vite.config.ts): nothing here is memoised behind the virtualiser's back.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({ count, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 12, rangeExtractor });
  const items = virtualizer.getVirtualItems();
  const lastShown = items.length ? items[items.length - 1]!.index : 0;

  useEffect(() => {
    if (more && lastShown >= rows.length - PAGE_SIZE) void loadMore();
  }, [more, lastShown, rows.length, loadMore, list.loadingMore, list.status]);

  useEffect(() => {
    if (!moved.current) return;
    moved.current = false;
    scroller.current?.querySelector<HTMLElement>(`[data-index="${current}"]`)?.focus({ preventScroll: true });
  }, [current, items]);

  const open = (row: NoticeSummaryView) => navigate({ name: 'notice', id: row.id });

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (rows.length === 0) return;
    const last = rows.length - 1;
    const to: Record<string, number> = { ArrowDown: current + 1, ArrowUp: current - 1, PageDown: current + PAGE_ROWS, PageUp: current - PAGE_ROWS, Home: 0, End: last };
    if (e.key === 'Enter') {
      const row = rows[current];
      if (row) {
        e.preventDefault();
        open(row);
      }
      return;
    }
    const target = to[e.key];
    if (target === undefined) return;
    e.preventDefault();
    const next = Math.max(0, Math.min(last, target));
    moved.current = true;
    setActive(next);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };

  return (
    <div className="case-grid notice-grid" role="grid" aria-label={t.listLabel} aria-rowcount={list.total + 1} aria-colcount={COLUMNS} aria-readonly="true" aria-busy={list.status === 'loading' || list.loadingMore}>
      <div role="rowgroup" className="case-grid__head">
        <div role="row" aria-rowindex={1} className="notice-row notice-row--head">
          <span role="columnheader">{t.colKind}</span>
          <span role="columnheader">{t.colTitle}</span>
          <span role="columnheader">{t.colCase}</span>
          <span role="columnheader">{t.colIssued}</span>
          <span role="columnheader">{t.colDeadline}</span>
          <span role="columnheader">{t.colState}</span>
        </div>
      </div>
      <div role="rowgroup" className="case-grid__body notice-grid__body" ref={scroller} onKeyDown={onKeyDown}>
        <div className="case-grid__space" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((v) => {
            const row = rows[v.index];
            const style = { transform: `translateY(${v.start}px)`, height: v.size };
            if (!row) {
              return (
                <div key="more" role="row" aria-rowindex={v.index + 2} className="notice-row case-row--more" style={style} data-index={v.index}>
                  <span role="gridcell" aria-colspan={COLUMNS}>
                    {list.error ? (
                      <button type="button" className="link-button" onClick={() => void loadMore()}>
                        {t.retry}
                      </button>
                    ) : (
                      t.loadingMore
                    )}
                  </span>
                </div>
              );
            }
            return (
              <div
                key={row.id}
                role="row"
                aria-rowindex={v.index + 2}
                tabIndex={v.index === current ? 0 : -1}
                className={row.readAt === null ? 'notice-row notice-row--unread' : 'notice-row'}
                style={style}
                data-index={v.index}
                onClick={() => {
                  setActive(v.index);
                  open(row);
                }}
                onFocus={() => setActive(v.index)}
              >
                <NoticeCells row={row} m={m} now={now} />
              </div>
            );
          })}
        </div>
      </div>
    </div>
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
