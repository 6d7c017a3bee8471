// Renderer. The pages of the 申請 section (申請データ取込, 送信履歴) as tabs at the top of each:
// a navigation landmark whose current page is marked, reachable with Tab like any link list.
import { useMessages } from '../messages/index.js';
import type { Route } from '../router/routes.js';
import { useRouterStore } from '../stores/router.js';
import './SectionTabs.css';

export function ApplicationTabs({ current }: { current: 'applications' | 'sends' }) {
  const m = useMessages();
  const navigate = useRouterStore((s) => s.navigate);
  const tabs: { route: Route & { name: 'applications' | 'sends' }; label: string }[] = [
    { route: { name: 'applications' }, label: m.applications.tabImport },
    { route: { name: 'sends' }, label: m.applications.tabSends },
  ];
  return (
    <nav className="section-tabs" aria-label={m.applications.tabsLabel}>
      <ul>
        {tabs.map((tab) => (
          <li key={tab.route.name}>
            <button type="button" className="section-tabs__tab" aria-current={tab.route.name === current ? 'page' : undefined} onClick={() => navigate(tab.route)}>
              {tab.label}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
