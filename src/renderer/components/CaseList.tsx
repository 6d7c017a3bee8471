// Renderer. The case list: a grid (role=grid, aria-rowcount / aria-rowindex, since only the rows in
// view exist in the page) virtualised with @tanstack/react-virtual, so 10,000 cases scroll as
// smoothly as 100. The next page is asked for (`after`) a page before the person reaches the end of
// what is loaded. Keyboard: one row is in the Tab order; ↑ ↓ Page Up/Down Home End move between rows,
// Enter (or a click) opens the case. The focused row is always rendered, even scrolled away, so
// Tab comes back to it.
import { defaultRangeExtractor, useVirtualizer, type Range } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { CaseSummaryView } from '../../shared/case.js';
import { formatEgovShort } from '../format.js';
import { useMessages, type Messages } from '../messages/index.js';
import { PAGE_SIZE, useCaseStore } from '../stores/cases.js';
import { useRouterStore } from '../stores/router.js';

export const ROW_HEIGHT = 52;
/** a page ahead: the next is asked for as soon as the person is within a page of the end of what is loaded */
const PREFETCH_ROWS = PAGE_SIZE;
const PAGE_ROWS = 10;
const COLUMNS = 6;

export function CaseList() {
  const m = useMessages();
  const c = m.cases;
  const list = useCaseStore((s) => s.list);
  const loadMore = useCaseStore((s) => s.loadMore);
  const navigate = useRouterStore((s) => s.navigate);
  const scroller = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(0);
  /** focus follows `active` only after a key press inside the grid, never on a mere re-render */
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

  // again whenever a load ends (status, loadingMore): a first page answered with as many rows as were kept changes nothing else
  useEffect(() => {
    if (more && lastShown >= rows.length - PREFETCH_ROWS) void loadMore();
  }, [more, lastShown, rows.length, loadMore, list.loadingMore, list.status]);

  useEffect(() => {
    if (!moved.current) return;
    moved.current = false;
    scroller.current?.querySelector<HTMLElement>(`[data-index="${current}"]`)?.focus({ preventScroll: true });
  }, [current, items]);

  const open = (row: CaseSummaryView) => navigate({ name: 'case', arriveId: row.arriveId });

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (rows.length === 0) return;
    const last = rows.length - 1;
    const to: Record<string, number> = {
      ArrowDown: current + 1,
      ArrowUp: current - 1,
      PageDown: current + PAGE_ROWS,
      PageUp: current - PAGE_ROWS,
      Home: 0,
      End: last,
    };
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
    <div
      className="case-grid"
      role="grid"
      aria-label={c.listLabel}
      aria-rowcount={list.total + 1}
      aria-colcount={COLUMNS}
      aria-readonly="true"
      aria-busy={list.status === 'loading' || list.loadingMore}
    >
      <div role="rowgroup" className="case-grid__head">
        <div role="row" aria-rowindex={1} className="case-row case-row--head">
          <span role="columnheader">{c.colArriveId}</span>
          <span role="columnheader">{c.colProcedure}</span>
          <span role="columnheader">{c.colApplicant}</span>
          <span role="columnheader">{c.colStatus}</span>
          <span role="columnheader">{c.colStatusDate}</span>
          <span role="columnheader">{c.colAttention}</span>
        </div>
      </div>
      <div role="rowgroup" className="case-grid__body" ref={scroller} onKeyDown={onKeyDown}>
        <div className="case-grid__space" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((v) => {
            const row = rows[v.index];
            const style = { transform: `translateY(${v.start}px)`, height: v.size };
            if (!row) {
              return (
                <div key="more" role="row" aria-rowindex={v.index + 2} className="case-row case-row--more" style={style} data-index={v.index}>
                  <span role="gridcell" aria-colspan={COLUMNS}>
                    {list.error ? (
                      <button type="button" className="link-button" onClick={() => void loadMore()}>
                        {c.retry}
                      </button>
                    ) : (
                      c.loadingMore
                    )}
                  </span>
                </div>
              );
            }
            return (
              <div
                key={row.arriveId}
                role="row"
                aria-rowindex={v.index + 2}
                tabIndex={v.index === current ? 0 : -1}
                className="case-row"
                style={style}
                data-index={v.index}
                onClick={() => {
                  setActive(v.index);
                  open(row);
                }}
                onFocus={() => setActive(v.index)}
              >
                <CaseCells row={row} m={m} />
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

function CaseCells({ row, m }: { row: CaseSummaryView; m: Messages }) {
  const c = m.cases;
  return (
    <>
      <span role="gridcell" className="mono case-row__id">
        {row.arriveId}
      </span>
      {row.withdrawalOf !== null ? (
        // a 取下げ: its 手続名称 on one line after the tag, what it withdraws below (never clamped away)
        <span role="gridcell" className="case-row__text" title={`${row.procedureName}（${c.withdrawalOfShort(row.withdrawalOf)}）`}>
          <span className="case-row__line">
            <span className="mini-badge case-row__tag">{c.badgeWithdrawal}</span> {row.procedureName}
          </span>
          <span className="case-row__sub mono">{c.withdrawalOfShort(row.withdrawalOf)}</span>
        </span>
      ) : row.amendmentOf !== null ? (
        // a 補正: the same, with what it corrects below
        <span role="gridcell" className="case-row__text" title={`${row.procedureName}（${m.amend.amendmentOfShort(row.amendmentOf)}）`}>
          <span className="case-row__line">
            <span className="mini-badge case-row__tag case-row__tag--amendment">{m.amend.badge}</span> {row.procedureName}
          </span>
          <span className="case-row__sub mono">{m.amend.amendmentOfShort(row.amendmentOf)}</span>
        </span>
      ) : (
        <span role="gridcell" className="case-row__text case-row__text--wrap" title={row.procedureName}>
          {row.procedureName}
        </span>
      )}
      <span role="gridcell" className="case-row__text" title={row.corporationName ? `${row.applicantName}（${row.corporationName}）` : row.applicantName}>
        {row.applicantName}
        {row.corporationName && <span className="case-row__sub">{row.corporationName}</span>}
      </span>
      <span role="gridcell">
        <span className="status-pill" title={row.status}>
          {row.status}
        </span>
      </span>
      <span role="gridcell" className="case-row__date">
        {formatEgovShort(row.statusDate, m)}
      </span>
      <span role="gridcell" className="case-row__badges">
        {row.correctStatus !== 'なし' && row.correctStatus !== '' && <span className="mini-badge mini-badge--warning">{c.badgeCorrection}</span>}
        {row.payWaitCount > 0 && <span className="mini-badge mini-badge--warning">{c.badgePayment}</span>}
        {row.commentCountNotRead > 0 && <span className="mini-badge">{c.badgeComments(row.commentCountNotRead)}</span>}
        {row.docCountNotDownload > 0 && <span className="mini-badge">{c.badgeDocuments(row.docCountNotDownload)}</span>}
      </span>
    </>
  );
}
