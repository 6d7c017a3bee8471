// Renderer. The app's own history of screens: a stack of routes and where the person is in it,
// like a browser's, but kept in memory. Back and forward move one entry; going somewhere new drops
// the entries ahead (as a browser does). Pure: every function returns a new state.
import { sameRoute, type Route } from './routes.js';

export interface HistoryState {
  readonly entries: readonly Route[];
  /** the entry shown */
  readonly index: number;
}

/** More entries than this and the oldest are forgotten: a day of work, not a memory leak. */
export const MAX_ENTRIES = 100;

export function createHistory(route: Route): HistoryState {
  return { entries: [route], index: 0 };
}

export function currentRoute(history: HistoryState): Route {
  const route = history.entries[history.index];
  if (!route) throw new Error('history has no current entry');
  return route;
}

/** Goes to `route` as a new entry; the same route as the current one adds nothing. */
export function pushRoute(history: HistoryState, route: Route): HistoryState {
  if (sameRoute(currentRoute(history), route)) return history;
  const entries = [...history.entries.slice(0, history.index + 1), route];
  const dropped = Math.max(0, entries.length - MAX_ENTRIES);
  return { entries: entries.slice(dropped), index: entries.length - 1 - dropped };
}

/** Shows `route` in place of the current entry (the app choosing for the person, not a step). */
export function replaceRoute(history: HistoryState, route: Route): HistoryState {
  const entries = history.entries.map((r, i) => (i === history.index ? route : r));
  return { entries, index: history.index };
}

export function canGoBack(history: HistoryState): boolean {
  return history.index > 0;
}

export function canGoForward(history: HistoryState): boolean {
  return history.index < history.entries.length - 1;
}

/** One step back; the same state when there is nothing behind. */
export function goBack(history: HistoryState): HistoryState {
  return canGoBack(history) ? { entries: history.entries, index: history.index - 1 } : history;
}

/** One step forward; the same state when there is nothing ahead. */
export function goForward(history: HistoryState): HistoryState {
  return canGoForward(history) ? { entries: history.entries, index: history.index + 1 } : history;
}
