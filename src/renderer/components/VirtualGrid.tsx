// Renderer. A long list as a grid (role=grid, aria-rowcount / aria-rowindex, since only the rows in
// view exist in the page) virtualised with @tanstack/react-virtual, so 10,000 rows scroll as smoothly
// as 100: the case list (CaseList.tsx) and the 公文書 inbox (NoticeList.tsx). The next page is asked
// for a page before the person reaches the end of what is loaded. Keyboard: one row is in the Tab
// order; ↑ ↓ Page Up/Down Home End move between rows, Enter (or a click) opens the row. The focused
// row is always rendered, even scrolled away, so Tab comes back to it.
import { defaultRangeExtractor, useVirtualizer, type Range } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { ErrorPayload } from '../../shared/errors.js';

const PAGE_ROWS = 10;

/** What a paged list store holds (stores/cases.ts, stores/inbox.ts). */
export interface PagedRows<T> {
  status: 'idle' | 'loading' | 'ready' | 'error';
  rows: T[];
  /** rows matching, all pages */
  total: number;
  next: string | null;
  loadingMore: boolean;
  error: ErrorPayload | null;
}

export interface VirtualGridProps<T> {
  label: string;
  list: PagedRows<T>;
  loadMore: () => Promise<void>;
  /** the column headers, in order; every row has as many cells */
  columns: readonly string[];
  rowHeight: number;
  /** the next page is asked for once the person is within this many rows of the end of what is loaded */
  prefetchRows: number;
  keyOf: (row: T) => string | number;
  open: (row: T) => void;
  cells: (row: T) => ReactNode;
  classes: { grid: string; body: string; row: (row: T) => string; headRow: string; moreRow: string };
  words: { retry: string; loadingMore: string };
}

export function VirtualGrid<T>({ label, list, loadMore, columns, rowHeight, prefetchRows, keyOf, open, cells, classes, words }: VirtualGridProps<T>) {
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
  const virtualizer = useVirtualizer({ count, getScrollElement: () => scroller.current, estimateSize: () => rowHeight, overscan: 12, rangeExtractor });
  const items = virtualizer.getVirtualItems();
  const lastShown = items.length ? items[items.length - 1]!.index : 0;

  // again whenever a load ends (status, loadingMore): a first page answered with as many rows as were kept changes nothing else
  useEffect(() => {
    if (more && lastShown >= rows.length - prefetchRows) void loadMore();
  }, [more, lastShown, rows.length, prefetchRows, loadMore, list.loadingMore, list.status]);

  useEffect(() => {
    if (!moved.current) return;
    moved.current = false;
    scroller.current?.querySelector<HTMLElement>(`[data-index="${current}"]`)?.focus({ preventScroll: true });
  }, [current, items]);

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
    <div
      className={classes.grid}
      role="grid"
      aria-label={label}
      aria-rowcount={list.total + 1}
      aria-colcount={columns.length}
      aria-readonly="true"
      aria-busy={list.status === 'loading' || list.loadingMore}
    >
      <div role="rowgroup" className="case-grid__head">
        <div role="row" aria-rowindex={1} className={classes.headRow}>
          {columns.map((c) => (
            <span key={c} role="columnheader">
              {c}
            </span>
          ))}
        </div>
      </div>
      <div role="rowgroup" className={classes.body} ref={scroller} onKeyDown={onKeyDown}>
        <div className="case-grid__space" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((v) => {
            const row = rows[v.index];
            const style = { transform: `translateY(${v.start}px)`, height: v.size };
            if (!row) {
              return (
                <div key="more" role="row" aria-rowindex={v.index + 2} className={classes.moreRow} style={style} data-index={v.index}>
                  <span role="gridcell" aria-colspan={columns.length}>
                    {list.error ? (
                      <button type="button" className="link-button" onClick={() => void loadMore()}>
                        {words.retry}
                      </button>
                    ) : (
                      words.loadingMore
                    )}
                  </span>
                </div>
              );
            }
            return (
              <div
                key={keyOf(row)}
                role="row"
                aria-rowindex={v.index + 2}
                tabIndex={v.index === current ? 0 : -1}
                className={classes.row(row)}
                style={style}
                data-index={v.index}
                onClick={() => {
                  setActive(v.index);
                  open(row);
                }}
                onFocus={() => setActive(v.index)}
              >
                {cells(row)}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
