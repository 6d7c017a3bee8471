// Renderer. A modal dialog on the native <dialog> (showModal): the page behind it is inert, Esc
// cancels, Tab and Shift+Tab stay inside, and focus goes back where it was when it closes. It is
// open for as long as it is rendered: to close it, stop rendering it.
import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode, type RefObject } from 'react';
import { Icon, type IconName } from './Icon.js';
import './Dialog.css';

const FOCUSABLE = 'button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), a[href], [tabindex]:not([tabindex="-1"])';

export function Dialog({
  title,
  icon,
  tone = 'default',
  wide = false,
  onCancel,
  initialFocus,
  describedBy,
  children,
}: {
  title: string;
  icon?: IconName;
  tone?: 'default' | 'danger';
  /** a dialog with a list to choose from (the bank picker): wider, its body scrolls */
  wide?: boolean;
  onCancel: () => void;
  /** what takes focus on opening; by default the first control */
  initialFocus?: RefObject<HTMLElement | null>;
  /** id of the text that says what the dialog is about */
  describedBy?: string;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    const first = initialFocus?.current ?? dialog.querySelector<HTMLElement>(FOCUSABLE);
    first?.focus();
    return () => {
      if (dialog.open) dialog.close();
      if (previous?.isConnected) previous.focus();
    };
  }, [initialFocus]);

  // Chromium lets Tab leave a modal dialog for the browser's own UI; keep it going round inside.
  const onKeyDown = (e: KeyboardEvent<HTMLDialogElement>) => {
    if (e.key !== 'Tab') return;
    const items = [...e.currentTarget.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.offsetParent !== null);
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) return;
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };

  return (
    <dialog
      ref={ref}
      className={`dialog dialog--${tone}${wide ? ' dialog--wide' : ''}`}
      aria-labelledby={titleId}
      aria-describedby={describedBy}
      onKeyDown={onKeyDown}
      onCancel={(e) => {
        // Esc: the owner decides (and closes the dialog by no longer rendering it).
        e.preventDefault();
        onCancel();
      }}
    >
      <h2 id={titleId} className="dialog__title">
        {icon && <Icon name={icon} />}
        {title}
      </h2>
      {children}
    </dialog>
  );
}
