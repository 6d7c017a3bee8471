// Renderer. The language the UI speaks, which outlives a reload (localStorage). Which screen is
// shown is the router's (stores/router.ts).
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';

export type Language = 'ja' | 'en';

interface UiState {
  language: Language;
  setLanguage(language: Language): void;
}

export const useUiStore = create<UiState>()(
  persist(
    (set) => ({
      language: 'ja',
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
