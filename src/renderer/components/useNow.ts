// Renderer. The time now, ticking every `intervalMs` while `running` (a countdown on screen); still
// otherwise, so nothing re-renders for a window that is closed.
import { useEffect, useState } from 'react';

export function useNow(intervalMs: number, running: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return;
    // at once too: the time kept from before may be long past
    const first = setTimeout(() => setNow(Date.now()), 0);
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => {
      clearTimeout(first);
      clearInterval(timer);
    };
  }, [intervalMs, running]);
  return now;
}
