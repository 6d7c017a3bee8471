// Renderer. The 補正 workbench of a case (/cases/:arriveId/amend), where a 補正通知 is answered. Its
// screen is still to come; the route exists so a 補正通知 can lead there, and until then it says so
// and leads back to the case.
import { Breadcrumbs } from '../components/Breadcrumbs.js';
import { EmptyState } from '../components/EmptyState.js';
import { useMessages } from '../messages/index.js';
import { useRouterStore } from '../stores/router.js';

export function AmendScreen({ arriveId }: { arriveId: string }) {
  const m = useMessages();
  const navigate = useRouterStore((s) => s.navigate);
  return (
    <div className="stack">
      <Breadcrumbs crumbs={[{ label: m.nav.cases, route: { name: 'cases' } }, { label: m.cases.caseTitle(arriveId), route: { name: 'case', arriveId } }, { label: m.inbox.amendTitle }]} />
      <EmptyState icon="document" title={m.soon.title}>
        <p>{m.inbox.amendSoon}</p>
        <button type="button" className="button" onClick={() => navigate({ name: 'case', arriveId })}>
          {m.cases.caseTitle(arriveId)}
        </button>
      </EmptyState>
    </div>
  );
}
