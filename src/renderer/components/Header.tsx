// Renderer. The title of the current screen and the language switch. The title takes focus when
// the person chooses a screen, so keyboard and screen-reader users land at the start of it.
import { useEffect, useRef } from 'react';
import { useMessages } from '../messages/index.js';
import { useUiStore } from '../stores/ui.js';

export function Header({ title }: { title: string }) {
  const m = useMessages();
  const navigations = useUiStore((s) => s.navigations);
  const setLanguage = useUiStore((s) => s.setLanguage);
  const heading = useRef<HTMLHeadingElement>(null);
  const shown = useRef(navigations);

  useEffect(() => {
    // Only when a person chose a screen, not on the first render (and not twice under StrictMode).
    if (shown.current === navigations) return;
    shown.current = navigations;
    heading.current?.focus();
  }, [navigations]);

  return (
    <header className="header">
      <h1 className="header__title" tabIndex={-1} ref={heading}>
        {title}
      </h1>
      <button
        type="button"
        className="button button--quiet"
        lang={m.language.switchToLang}
        aria-label={`${m.language.label}: ${m.language.switchTo}`}
        onClick={() => setLanguage(m.language.switchToLang === 'en' ? 'en' : 'ja')}
      >
        <span aria-hidden="true" className="header__globe">
          文A
        </span>
        {m.language.switchTo}
      </button>
    </header>
  );
}
