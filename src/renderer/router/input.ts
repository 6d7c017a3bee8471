// Renderer. Which key presses and mouse buttons move through the history: Alt+← / Alt+→ (and
// ⌘[ / ⌘] on a Mac), the keyboard's own Back / Forward keys, and the mouse's back and forward
// buttons (buttons 3 and 4). Pure: the DOM listener (router/HistoryInput.tsx) asks these.

export type HistoryMove = 'back' | 'forward';

export interface KeyLike {
  key: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
}

export interface InputContext {
  /** macOS, where ⌥← moves by word in a text field and ⌘[ / ⌘] go back and forward */
  mac: boolean;
  /** the key goes to a text field (or other editable element) */
  editing: boolean;
}

export function keyMove(e: KeyLike, context: InputContext): HistoryMove | null {
  if (e.key === 'BrowserBack') return 'back';
  if (e.key === 'BrowserForward') return 'forward';
  if (e.ctrlKey || e.shiftKey) return null;
  if (e.altKey && !e.metaKey && !(context.mac && context.editing)) {
    if (e.key === 'ArrowLeft') return 'back';
    if (e.key === 'ArrowRight') return 'forward';
  }
  if (context.mac && e.metaKey && !e.altKey) {
    if (e.key === '[') return 'back';
    if (e.key === ']') return 'forward';
  }
  return null;
}

/** MouseEvent.button: 3 is the back button, 4 the forward button. */
export function mouseMove(button: number): HistoryMove | null {
  return button === 3 ? 'back' : button === 4 ? 'forward' : null;
}
