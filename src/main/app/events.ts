// Main process (core). Events from the core to whichever host shows them (Electron window,
// harness page). A listener that throws must not stop the others or the emitter.
import type { TodokeEvent } from '../../shared/contract.js';

export type CoreEventListener = (event: TodokeEvent) => void;

export interface EventHub {
  emit(event: TodokeEvent): void;
  /** Returns the function that unsubscribes. */
  subscribe(listener: CoreEventListener): () => void;
}

export function createEventHub(onListenerError: (error: unknown) => void = (e) => console.error('event listener failed', e)): EventHub {
  const listeners = new Set<CoreEventListener>();
  return {
    emit(event) {
      for (const listener of [...listeners]) {
        try {
          listener(event);
        } catch (e) {
          onListenerError(e);
        }
      }
    },
    subscribe(listener) {
      // A wrapper per subscription, so subscribing the same function twice gives two independent subscriptions.
      const entry: CoreEventListener = (e) => listener(e);
      listeners.add(entry);
      return () => {
        listeners.delete(entry);
      };
    },
  };
}
