// Renderer. Which screen is shown and in which language. Only the language outlives a reload.
// `show` is a person choosing a screen (the screen title takes focus); `start` is the app picking
// the first screen for them (focus stays where it is, at the start of the page).
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';

export type Language = 'ja' | 'en';
export type ScreenId = 'home' | 'identity' | 'certificates' | 'settings';

interface UiState {
  screen: ScreenId;
  /** Counts the screens a person chose; the header moves focus to the title when it changes. */
  navigations: number;
  language: Language;
  show(screen: ScreenId): void;
  start(screen: ScreenId): void;
  setLanguage(language: Language): void;
}

export const useUiStore = create<UiState>()(
  persist(
    (set) => ({
      screen: 'home',
      navigations: 0,
      language: 'ja',
      show: (screen) => set((s) => ({ screen, navigations: s.navigations + 1 })),
      start: (screen) => set((s) => (s.navigations === 0 ? { screen } : {})),
      setLanguage: (language) => set({ language }),
    }),
    {
      name: 'todoke.ui',
      version: 1,
      storage: createJSONStorage(() => localStorage),
      partialize: (s) => ({ language: s.language }),
      // A stored value from another version or a hand-edited one must not break the UI.
      merge: (persisted, current) => {
        const language = (persisted as { language?: unknown } | null)?.language;
        return language === 'ja' || language === 'en' ? { ...current, language } : current;
      },
    },
  ),
);
