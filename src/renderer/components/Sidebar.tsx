// Renderer. The left navigation. Features that do not exist yet are listed, marked 準備中, and
// cannot be focused or chosen, so nobody mistakes them for working screens.
import { useMessages } from '../messages/index.js';
import { useAppInfoStore } from '../stores/app-info.js';
import { useUiStore, type ScreenId } from '../stores/ui.js';
import { Icon, type IconName } from './Icon.js';

type NavItem = { id: ScreenId; icon: IconName; label: string } | { id: null; icon: IconName; label: string };

export function Sidebar() {
  const m = useMessages();
  const screen = useUiStore((s) => s.screen);
  const show = useUiStore((s) => s.show);
  const info = useAppInfoStore((s) => s.info);
  const items: NavItem[] = [
    { id: 'home', icon: 'home', label: m.nav.home },
    { id: 'identity', icon: 'user', label: m.nav.identity },
    { id: null, icon: 'send', label: m.nav.apply },
    { id: null, icon: 'folder', label: m.nav.cases },
    { id: null, icon: 'document', label: m.nav.documents },
    { id: 'certificates', icon: 'certificate', label: m.nav.certificates },
    { id: 'settings', icon: 'settings', label: m.nav.settings },
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
          {items.map((item) =>
            item.id === null ? (
              <li key={item.label}>
                <span className="nav__item nav__item--disabled" aria-disabled="true">
                  <Icon name={item.icon} />
                  <span className="nav__label">{item.label}</span>
                  <span className="chip">{m.nav.comingSoon}</span>
                </span>
              </li>
            ) : (
              <li key={item.id}>
                <button
                  type="button"
                  className="nav__item"
                  aria-current={screen === item.id ? 'page' : undefined}
                  onClick={() => show(item.id as ScreenId)}
                >
                  <Icon name={item.icon} />
                  <span className="nav__label">{item.label}</span>
                </button>
              </li>
            ),
          )}
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
