// Renderer. The left navigation: one item per section of the app, the current one marked
// (aria-current="page" on its own screen, "true" on a screen inside it, e.g. a case under 案件).
import type { Route, Section } from '../router/routes.js';
import { sectionOf } from '../router/routes.js';
import { useMessages } from '../messages/index.js';
import { useAppInfoStore } from '../stores/app-info.js';
import { useRouterStore } from '../stores/router.js';
import { Icon, type IconName } from './Icon.js';
import './Sidebar.css';

interface NavItem {
  route: Route & { name: Section };
  icon: IconName;
  label: string;
}

export function Sidebar() {
  const m = useMessages();
  const route = useRouterStore((s) => s.route);
  const navigate = useRouterStore((s) => s.navigate);
  const info = useAppInfoStore((s) => s.info);
  const section = sectionOf(route);
  const items: NavItem[] = [
    { route: { name: 'home' }, icon: 'home', label: m.nav.home },
    { route: { name: 'identity' }, icon: 'user', label: m.nav.identity },
    { route: { name: 'applications' }, icon: 'send', label: m.nav.apply },
    { route: { name: 'cases' }, icon: 'folder', label: m.nav.cases },
    { route: { name: 'documents' }, icon: 'document', label: m.nav.documents },
    { route: { name: 'certificates' }, icon: 'certificate', label: m.nav.certificates },
    { route: { name: 'settings' }, icon: 'settings', label: m.nav.settings },
  ];
  return (
    <aside className="sidebar">
      <div className="brand">
        <span className="brand__mark" aria-hidden="true">
          届
        </span>
        <span className="brand__text">
          <span className="brand__name">{m.app.name}</span>
          <span className="brand__tagline">{m.app.tagline}</span>
        </span>
      </div>
      <nav aria-label={m.nav.label} className="nav">
        <ul>
          {items.map((item) => (
            <li key={item.route.name}>
              <button
                type="button"
                className="nav__item"
                aria-current={route.name === item.route.name ? 'page' : section === item.route.name ? 'true' : undefined}
                onClick={() => navigate(item.route)}
              >
                <Icon name={item.icon} />
                <span className="nav__label">{item.label}</span>
              </button>
            </li>
          ))}
        </ul>
      </nav>
      {info && (
        <p className="sidebar__footer">
          {m.app.version(info.version)}
          <br />
          {info.host === 'electron' ? m.app.hostElectron : m.app.hostHarness}
        </p>
      )}
    </aside>
  );
}
