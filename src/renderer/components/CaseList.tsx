// Renderer. The case list: the virtualised grid (VirtualGrid.tsx) over the case store's pages, a
// row per case; Enter or a click opens the case's own screen.
import type { CaseSummaryView } from '../../shared/case.js';
import { formatEgovShort } from '../format.js';
import { useMessages, type Messages } from '../messages/index.js';
import { PAGE_SIZE, useCaseStore } from '../stores/cases.js';
import { useRouterStore } from '../stores/router.js';
import { VirtualGrid } from './VirtualGrid.js';

export const ROW_HEIGHT = 52;

export function CaseList() {
  const m = useMessages();
  const c = m.cases;
  const list = useCaseStore((s) => s.list);
  const loadMore = useCaseStore((s) => s.loadMore);
  const navigate = useRouterStore((s) => s.navigate);
  return (
    <VirtualGrid<CaseSummaryView>
      label={c.listLabel}
      list={list}
      loadMore={loadMore}
      columns={[c.colArriveId, c.colProcedure, c.colApplicant, c.colStatus, c.colStatusDate, c.colAttention]}
      rowHeight={ROW_HEIGHT}
      prefetchRows={PAGE_SIZE}
      keyOf={(row) => row.arriveId}
      open={(row) => navigate({ name: 'case', arriveId: row.arriveId })}
      cells={(row) => <CaseCells row={row} m={m} />}
      classes={{ grid: 'case-grid', body: 'case-grid__body', row: () => 'case-row', headRow: 'case-row case-row--head', moreRow: 'case-row case-row--more' }}
      words={{ retry: c.retry, loadingMore: c.loadingMore }}
    />
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
