// Renderer. The window: navigation on the left, the current screen on the right.
import { useEffect, type MouseEvent } from 'react';
import { Header } from './components/Header.js';
import { Notices } from './components/Notices.js';
import { Sidebar } from './components/Sidebar.js';
import { useMessages, type Messages } from './messages/index.js';
import { CertificateScreen } from './screens/CertificateScreen.js';
import { HomeScreen } from './screens/HomeScreen.js';
import { SettingsScreen } from './screens/SettingsScreen.js';
import { useAppInfoStore } from './stores/app-info.js';
import { useUiStore, type ScreenId } from './stores/ui.js';

const SCREENS: Record<ScreenId, { title: (m: Messages) => string; Component: () => React.JSX.Element }> = {
  home: { title: (m) => m.home.title, Component: HomeScreen },
  certificates: { title: (m) => m.certificate.title, Component: CertificateScreen },
  settings: { title: (m) => m.settings.title, Component: SettingsScreen },
};

export function App() {
  const m = useMessages();
  const screen = useUiStore((s) => s.screen);
  const loadInfo = useAppInfoStore((s) => s.load);
  const { title, Component } = SCREENS[screen];

  useEffect(() => {
    void loadInfo();
  }, [loadInfo]);

  useEffect(() => {
    document.documentElement.lang = m.lang;
    document.title = `${title(m)} — ${m.app.name}`;
  }, [m, title]);

  // The skip link moves focus without touching the URL: the harness keeps its token in the fragment.
  const skipToMain = (e: MouseEvent<HTMLAnchorElement>) => {
    e.preventDefault();
    document.getElementById('main')?.focus();
  };

  return (
    <div className="shell">
      <a className="skip-link" href="#main" onClick={skipToMain}>
        {m.app.skipToContent}
      </a>
      <Sidebar />
      <div className="workspace">
        <Header title={title(m)} />
        <main id="main" className="content" tabIndex={-1}>
          <Component />
        </main>
      </div>
      <Notices />
    </div>
  );
}
