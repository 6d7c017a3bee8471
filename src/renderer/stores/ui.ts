// Renderer. Which screen is shown and in which language. Only the language outlives a reload.
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';

export type Language = 'ja' | 'en';
export type ScreenId = 'home' | 'certificates' | 'settings';

interface UiState {
  screen: ScreenId;
  language: Language;
  show(screen: ScreenId): void;
  setLanguage(language: Language): void;
}

export const useUiStore = create<UiState>()(
  persist(
    (set) => ({
      screen: 'home',
      language: 'ja',
      show: (screen) => set({ screen }),
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
