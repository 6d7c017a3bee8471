// Renderer. The core's events, heard once for the whole page and handed to the store that owns
// each: the one `onEvent` subscription in the renderer (started by main.tsx, before the first
// render). Components read the stores; none of them listens to the core itself.
import type { TodokeApi } from '../shared/bridge.js';
import { caseNoticeOf, paymentNoticesOf } from '../shared/case-notices.js';
import type { TodokeEvent } from '../shared/contract.js';
import { useBatchStore } from './stores/batches.js';
import { useCaseStore } from './stores/cases.js';
import { useCoreStatusStore } from './stores/core-status.js';
import { useCredentialStore } from './stores/credential.js';
import { useIdentityStore } from './stores/identity.js';
import { useInboxStore } from './stores/inbox.js';
import { useNoticeStore } from './stores/notices.js';
import { usePaymentStore } from './stores/payments.js';
import { useRouterStore } from './stores/router.js';

/** Hands one event to its store. Every event the contract names has a case (a type error otherwise). */
export function routeEvent(event: TodokeEvent): void {
  switch (event.name) {
    case 'app.notice':
      useNoticeStore.getState().add(event.payload);
      return;
    case 'core.status':
      useCoreStatusStore.getState().apply(event.payload);
      return;
    case 'credential.request':
      useCredentialStore.getState().add(event.payload);
      return;
    case 'credential.withdrawn':
      useCredentialStore.getState().remove(event.payload.requestId);
      return;
    case 'batch.progress':
      useBatchStore.getState().applyProgress(event.payload);
      return;
    case 'batch.changed':
      useBatchStore.getState().applyChange(event.payload);
      // a batch done has its applications stored: they are cases the list has not shown yet
      if (event.payload.state === 'done') useCaseStore.getState().invalidate();
      return;
    case 'case.changed': {
      useCaseStore.getState().applyCaseEvent(event.payload);
      useInboxStore.getState().applyCaseEvent(event.payload);
      usePaymentStore.getState().applyCaseEvent(event.payload);
      const notice = caseNoticeOf(event.payload);
      if (notice) useNoticeStore.getState().addCase(notice);
      return;
    }
    case 'notice.changed':
      useInboxStore.getState().applyNoticeEvent(event.payload);
      return;
    case 'sync.status':
      useCaseStore.getState().applySync(event.payload);
      usePaymentStore.getState().applySync();
      return;
    case 'case.open': {
      const { arriveId } = event.payload;
      useRouterStore.getState().navigate(arriveId === null ? { name: 'cases' } : { name: 'case', arriveId });
      return;
    }
    case 'identity.changed':
      useIdentityStore.getState().apply(event.payload);
      return;
    case 'payment.window':
      usePaymentStore.getState().applyWindowEvent(event.payload);
      return;
    case 'payment.changed':
      usePaymentStore.getState().applyChanged(event.payload);
      for (const notice of paymentNoticesOf(event.payload)) useNoticeStore.getState().addCase(notice);
      return;
    default:
      unhandled(event);
  }
}

function unhandled(event: never): void {
  // A newer core may send an event this renderer does not know yet: nothing to do with it.
  void event;
}

let stop: (() => void) | null = null;

/** Starts listening (once: a second call keeps the first subscription); returns the way to stop. */
export function listenToCore(api: TodokeApi): () => void {
  stop ??= api.onEvent(routeEvent);
  return () => {
    stop?.();
    stop = null;
  };
}
