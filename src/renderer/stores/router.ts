// Renderer. Where the person is: the current route and the history behind and ahead of it, kept in
// memory (see router/history.ts). The URL is never touched: Electron loads app://todoke/ and the
// web harness keeps its token in the URL fragment, and both stay as the host loaded them. So a
// reload starts afresh on ホーム (or the first-run flow), as it does for every other screen state;
// only the language outlives it (stores/ui.ts).
import { create } from 'zustand';
import { canGoBack, canGoForward, createHistory, currentRoute, goBack, goForward, pushRoute, replaceRoute, type HistoryState } from '../router/history.js';
import type { Route } from '../router/routes.js';

interface RouterState {
  history: HistoryState;
  /** the route shown (the history's current entry) */
  route: Route;
  /** Counts the moves a person made; the header moves focus to the screen title when it changes. */
  navigations: number;
  /** a person going somewhere (a menu item, a button): a new history entry */
  navigate(route: Route): void;
  /** the app picking the first screen: replaces the current entry, unless the person already moved */
  start(route: Route): void;
  /** one step back or forward; false when there is nowhere to go */
  back(): boolean;
  forward(): boolean;
}

export const HOME: Route = { name: 'home' };

export const useRouterStore = create<RouterState>()((set, get) => {
  const move = (history: HistoryState) => {
    set((s) => ({ history, route: currentRoute(history), navigations: s.navigations + 1 }));
  };
  return {
    history: createHistory(HOME),
    route: HOME,
    navigations: 0,
    navigate(route) {
      const history = pushRoute(get().history, route);
      // Choosing the screen already shown still counts: its title takes focus again.
      move(history);
    },
    start(route) {
      if (get().navigations > 0) return;
      const history = replaceRoute(get().history, route);
      set({ history, route: currentRoute(history) });
    },
    back() {
      if (!canGoBack(get().history)) return false;
      move(goBack(get().history));
      return true;
    },
    forward() {
      if (!canGoForward(get().history)) return false;
      move(goForward(get().history));
      return true;
    },
  };
});
