// Renderer. The messages of the chosen language.
import { useUiStore, type Language } from '../stores/ui.js';
import { en } from './en.js';
import { ja, type Messages } from './ja.js';

export type { Messages };

const byLanguage: Record<Language, Messages> = { ja, en };

export function messagesFor(language: Language): Messages {
  return byLanguage[language];
}

export function useMessages(): Messages {
  return messagesFor(useUiStore((s) => s.language));
}
