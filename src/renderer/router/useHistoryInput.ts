// Renderer. Alt+← / Alt+→ (⌘[ / ⌘] on a Mac), the Back / Forward keys and the mouse's back and
// forward buttons move one step through the app's history (stores/router.ts). Each press is
// handled here and its default prevented: in the web harness the browser would otherwise also
// leave the page (its own history holds the harness URL, not the app's screens), and a press
// must move exactly one step. While a modal dialog is open nothing moves: the dialog is the
// person's task until it is answered.
import { useEffect } from 'react';
import { useRouterStore } from '../stores/router.js';
import { keyMove, mouseMove, type HistoryMove } from './input.js';

const mac = /Macintosh|Mac OS X/.test(navigator.userAgent);

function editing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !['button', 'checkbox', 'radio', 'submit', 'reset', 'file', 'range', 'color'].includes(target.type);
}

function modalOpen(): boolean {
  return document.querySelector('dialog:modal') !== null;
}

function run(move: HistoryMove): void {
  if (modalOpen()) return;
  const router = useRouterStore.getState();
  if (move === 'back') router.back();
  else router.forward();
}

export function useHistoryInput(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing) return;
      const move = keyMove(e, { mac, editing: editing(e.target) });
      if (!move) return;
      e.preventDefault();
      if (!e.repeat) run(move);
    };
    // The mouse's own navigation happens on the button's release (mouseup); the press is kept
    // from starting anything too. `auxclick` follows mouseup and needs nothing more.
    const onMouseDown = (e: MouseEvent) => {
      if (mouseMove(e.button)) e.preventDefault();
    };
    const onMouseUp = (e: MouseEvent) => {
      const move = mouseMove(e.button);
      if (!move) return;
      e.preventDefault();
      run(move);
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('mousedown', onMouseDown);
    window.addEventListener('mouseup', onMouseUp);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('mousedown', onMouseDown);
      window.removeEventListener('mouseup', onMouseUp);
    };
  }, []);
}
