// Renderer. One case (案件), by its 到達番号, and an official document (公文書) of it, by number:
// where they sit under 案件, and — until these screens exist — that showing them is coming.
import { Breadcrumbs } from '../components/Breadcrumbs.js';
import { EmptyState } from '../components/EmptyState.js';
import { useMessages } from '../messages/index.js';

export function CaseScreen({ arriveId }: { arriveId: string }) {
  const m = useMessages();
  return (
    <div className="stack">
      <Breadcrumbs crumbs={[{ label: m.nav.cases, route: { name: 'cases' } }, { label: m.cases.caseTitle(arriveId) }]} />
      <EmptyState icon="folder" title={m.soon.title}>
        <p>{m.cases.caseSoon}</p>
      </EmptyState>
    </div>
  );
}

export function DocumentScreen({ arriveId, n }: { arriveId: string; n: number }) {
  const m = useMessages();
  return (
    <div className="stack">
      <Breadcrumbs
        crumbs={[{ label: m.nav.cases, route: { name: 'cases' } }, { label: m.cases.caseTitle(arriveId), route: { name: 'case', arriveId } }, { label: m.cases.document(n) }]}
      />
      <EmptyState icon="document" title={m.soon.title}>
        <p>{m.cases.documentSoon}</p>
      </EmptyState>
    </div>
  );
}
