// Renderer. The window: navigation on the left, the current screen on the right.
import { useEffect, type MouseEvent } from 'react';
import { requireCoreApi } from './api.js';
import { CredentialDialog } from './components/CredentialDialog.js';
import { Header } from './components/Header.js';
import { Notices } from './components/Notices.js';
import { Sidebar } from './components/Sidebar.js';
import { useMessages, type Messages } from './messages/index.js';
import { CertificateScreen } from './screens/CertificateScreen.js';
import { HomeScreen } from './screens/HomeScreen.js';
import { IdentityScreen } from './screens/IdentityScreen.js';
import { SettingsScreen } from './screens/SettingsScreen.js';
import { useAppInfoStore } from './stores/app-info.js';
import { useIdentityStore } from './stores/identity.js';
import { useUiStore, type ScreenId } from './stores/ui.js';

/** `firstRun`: no 利用者ID yet, so the 利用者 screen shows the first-run flow. */
const SCREENS: Record<ScreenId, { title: (m: Messages, firstRun: boolean) => string; Component: () => React.JSX.Element }> = {
  home: { title: (m) => m.home.title, Component: HomeScreen },
  identity: { title: (m, firstRun) => (firstRun ? m.identity.setupTitle : m.identity.title), Component: IdentityScreen },
  certificates: { title: (m) => m.certificate.title, Component: CertificateScreen },
  settings: { title: (m) => m.settings.title, Component: SettingsScreen },
};

export function App() {
  const m = useMessages();
  const screen = useUiStore((s) => s.screen);
  const loadInfo = useAppInfoStore((s) => s.load);
  const refreshIdentity = useIdentityStore((s) => s.refresh);
  const applyIdentity = useIdentityStore((s) => s.apply);
  const firstRun = useIdentityStore((s) => s.load.status === 'ready' && s.load.identity === null);
  const start = useUiStore((s) => s.start);
  const { Component } = SCREENS[screen];
  const title = SCREENS[screen].title(m, firstRun);

  useEffect(() => {
    void loadInfo();
  }, [loadInfo]);

  useEffect(() => {
    // Before the first run the app opens on the first-run flow (unless the person went elsewhere already).
    void refreshIdentity().then(() => {
      const load = useIdentityStore.getState().load;
      if (load.status === 'ready' && load.identity === null) start('identity');
    });
  }, [refreshIdentity, start]);

  useEffect(
    () =>
      requireCoreApi().onEvent((event) => {
        if (event.name === 'identity.changed') applyIdentity(event.payload);
      }),
    [applyIdentity],
  );

  useEffect(() => {
    document.documentElement.lang = m.lang;
    document.title = `${title} — ${m.app.name}`;
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
        <Header title={title} />
        <main id="main" className="content" tabIndex={-1}>
          {/* The 利用者 screen stays mounted while hidden, so a half-done first-run flow or
              certificate task survives a look at another screen. */}
          <div hidden={screen !== 'identity'}>
            <IdentityScreen />
          </div>
          {screen !== 'identity' && <Component />}
        </main>
      </div>
      <Notices />
      <CredentialDialog />
    </div>
  );
}
