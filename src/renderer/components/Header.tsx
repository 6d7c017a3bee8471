// Renderer. The title of the current screen, back / forward through the screens seen, and the
// language switch; the notice centre. The title takes focus when the person moves to a screen, so keyboard and
// screen-reader users land at the start of it.
import { useEffect, useRef } from 'react';
import { useMessages } from '../messages/index.js';
import { canGoBack, canGoForward } from '../router/history.js';
import { useRouterStore } from '../stores/router.js';
import { useUiStore } from '../stores/ui.js';
import { Icon } from './Icon.js';
import { NoticeCentre } from './NoticeCentre.js';
import './Header.css';

export function Header({ title }: { title: string }) {
  const m = useMessages();
  const navigations = useRouterStore((s) => s.navigations);
  const backPossible = useRouterStore((s) => canGoBack(s.history));
  const forwardPossible = useRouterStore((s) => canGoForward(s.history));
  const back = useRouterStore((s) => s.back);
  const forward = useRouterStore((s) => s.forward);
  const setLanguage = useUiStore((s) => s.setLanguage);
  const heading = useRef<HTMLHeadingElement>(null);
  const shown = useRef(navigations);

  useEffect(() => {
    // Only when a person moved, not on the first render (and not twice under StrictMode).
    if (shown.current === navigations) return;
    shown.current = navigations;
    heading.current?.focus();
  }, [navigations]);

  return (
    <header className="header">
      <div className="header__start">
        <div className="header__history">
          <button type="button" className="icon-button" aria-label={m.nav.back} title={`${m.nav.back} (Alt+←)`} aria-keyshortcuts="Alt+ArrowLeft" disabled={!backPossible} onClick={() => back()}>
            <Icon name="back" />
          </button>
          <button type="button" className="icon-button" aria-label={m.nav.forward} title={`${m.nav.forward} (Alt+→)`} aria-keyshortcuts="Alt+ArrowRight" disabled={!forwardPossible} onClick={() => forward()}>
            <Icon name="forward" />
          </button>
        </div>
        <h1 className="header__title" tabIndex={-1} ref={heading}>
          {title}
        </h1>
      </div>
      <NoticeCentre />
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
