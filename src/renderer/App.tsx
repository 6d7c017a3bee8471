// Renderer. The window: navigation on the left, the current screen (the router's current route)
// on the right.
import { useEffect, type MouseEvent, type ReactNode } from 'react';
import './App.css';
import { CoreStatusBanner } from './components/CoreStatusBanner.js';
import { CredentialDialog } from './components/CredentialDialog.js';
import { Header } from './components/Header.js';
import { HandOffBanner } from './components/HandOffPanel.js';
import { Notices } from './components/Notices.js';
import { Sidebar } from './components/Sidebar.js';
import { useMessages, type Messages } from './messages/index.js';
import type { Route } from './router/routes.js';
import { useHistoryInput } from './router/useHistoryInput.js';
import { AmendScreen } from './screens/AmendScreen.js';
import { ApplicationsScreen } from './screens/ApplicationsScreen.js';
import { CaseScreen, DocumentScreen } from './screens/CaseScreen.js';
import { CasesScreen } from './screens/CasesScreen.js';
import { CertificateScreen } from './screens/CertificateScreen.js';
import { HomeScreen } from './screens/HomeScreen.js';
import { IdentityScreen } from './screens/IdentityScreen.js';
import { NoticeScreen } from './screens/NoticeScreen.js';
import { NoticesScreen } from './screens/NoticesScreen.js';
import { SendsScreen, BatchScreen } from './screens/SendsScreen.js';
import { SettingsScreen } from './screens/SettingsScreen.js';
import { WithdrawScreen } from './screens/WithdrawScreen.js';
import { useAppInfoStore } from './stores/app-info.js';
import { useIdentityStore } from './stores/identity.js';
import { useRouterStore } from './stores/router.js';

/**
 * The title and the content of a route's screen. `firstRun`: no 利用者ID yet, so the 利用者
 * screen shows the first-run flow. The 利用者 screen itself is rendered apart (see App).
 */
function screenOf(route: Route, m: Messages, firstRun: boolean): { title: string; content: ReactNode } {
  switch (route.name) {
    case 'home':
      return { title: m.home.title, content: <HomeScreen /> };
    case 'identity':
      return { title: firstRun ? m.identity.setupTitle : m.identity.title, content: null };
    case 'applications':
      return { title: m.nav.apply, content: <ApplicationsScreen /> };
    case 'sends':
      return { title: m.applications.tabSends, content: <SendsScreen /> };
    case 'batch':
      return { title: m.sends.detailTitle, content: <BatchScreen key={route.entryId} entryId={route.entryId} /> };
    case 'cases':
      return { title: m.nav.cases, content: <CasesScreen /> };
    case 'case':
      return { title: m.cases.caseTitle(route.arriveId), content: <CaseScreen key={route.arriveId} arriveId={route.arriveId} /> };
    case 'withdraw':
      return { title: m.withdraw.title(route.arriveId), content: <WithdrawScreen key={route.arriveId} arriveId={route.arriveId} /> };
    case 'amend':
      return { title: m.amend.title(route.arriveId), content: <AmendScreen key={route.arriveId} arriveId={route.arriveId} /> };
    case 'document':
      return { title: m.cases.documentTitle(route.arriveId, route.n), content: <DocumentScreen key={`${route.arriveId}/${route.n}`} arriveId={route.arriveId} n={route.n} /> };
    case 'documents':
      return { title: m.nav.documents, content: <NoticesScreen /> };
    case 'notice':
      return { title: m.nav.documents, content: <NoticeScreen key={route.id} id={route.id} /> };
    case 'certificates':
      return { title: m.certificate.title, content: <CertificateScreen /> };
    case 'settings':
      return { title: m.settings.title, content: <SettingsScreen /> };
  }
}

export function App() {
  const m = useMessages();
  const route = useRouterStore((s) => s.route);
  const start = useRouterStore((s) => s.start);
  const loadInfo = useAppInfoStore((s) => s.load);
  const refreshIdentity = useIdentityStore((s) => s.refresh);
  const firstRun = useIdentityStore((s) => s.load.status === 'ready' && s.load.identity === null);
  const { title, content } = screenOf(route, m, firstRun);
  useHistoryInput();

  useEffect(() => {
    void loadInfo();
  }, [loadInfo]);

  useEffect(() => {
    void refreshIdentity();
  }, [refreshIdentity]);

  useEffect(() => {
    // Before the first run the app opens on the first-run flow, however late the core answers
    // (e.g. after it was restarted), unless the person went elsewhere already.
    if (firstRun) start({ name: 'identity' });
  }, [firstRun, start]);

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
          <CoreStatusBanner />
          <HandOffBanner />
          {/* The 利用者 screen stays mounted while hidden, so a half-done first-run flow or
              certificate task survives a look at another screen. */}
          <div hidden={route.name !== 'identity'}>
            <IdentityScreen />
          </div>
          {content}
        </main>
      </div>
      <Notices />
      <CredentialDialog />
    </div>
  );
}
