// Main process (core). The 電子納付 operations (payment.*) and the background read that turns a 納付
// into 納付済 on the next sync after the filer paid at the bank: after every case sync cycle, the
// cases whose PayStatus / PayWaitCount moved since their 納付 were last read (PaymentStore.casesToRead)
// are read again, one at a time. Like the case sync and the notices, the background never logs in;
// the operations the person starts may (they ask for the PIN as notice.fetch does).
//
// The use cases are src/main/payments/ and src/main/store/payments.ts; this module wires them to the
// contract, the events and the host's hand-off windows.
import type { PaymentWindows } from '../../shared/payment.js';
import { isTodokeError } from '../../shared/errors.js';
import { notSetUp } from '../identity/errors.js';
import type { IdentityService } from '../identity/service.js';
import { bankListOfTheDay } from '../payments/bank-list.js';
import { dueView } from '../payments/days-left.js';
import { PaymentError } from '../payments/errors.js';
import { startHandOff } from '../payments/hand-off.js';
import { readMovedCases } from '../payments/catch-up.js';
import { readCasePayments, type PaymentsRead } from '../payments/read-payments.js';
import type { ProfileStore } from '../profiles/profile-store.js';
import type { EgovPaymentsGateway } from '../session/gateway.js';
import type { EgovSession } from '../session/session.js';
import { PaymentStore } from '../store/payments.js';
import { oneAtATime } from '../sync/one-at-a-time.js';
import type { Handlers } from './dispatch.js';
import type { EventHub } from './events.js';
import type { ProfileDatabase } from './profile-database.js';

type PaymentOperation = 'payment.banks' | 'payment.list' | 'payment.upcoming' | 'payment.handOff' | 'payment.closeWindow';

export interface PaymentsDeps {
  profileName: string;
  profiles: ProfileStore;
  identity: IdentityService;
  database: ProfileDatabase;
  events: EventHub;
  /** the host's hand-off windows; absent in the CLI */
  paymentWindows?: PaymentWindows;
  now: () => Date;
  onUnexpected: (what: string, error: unknown) => void;
}

export interface Payments {
  readonly handlers: Pick<Handlers, PaymentOperation>;
  /** a first look at the cases whose pay counters moved while Todoke was not running. Never throws. */
  start(): Promise<void>;
  close(): void;
}

type Session = Pick<EgovSession, 'withAccessKey'>;

export function createPayments(deps: PaymentsDeps): Payments {
  let store: PaymentStore | null = null;
  let closed = false;

  const session: Session = {
    withAccessKey: async (call) => (await deps.identity.session()).withAccessKey(call),
  };
  const quietSession: Session = {
    withAccessKey: async (call) => {
      const s = await deps.identity.session();
      if (!(await s.snapshot()).hasKey) {
        throw new PaymentError('PAYMENT_NEEDS_LOGIN', { ja: 'ログインしていないため、電子納付情報の確認を中断しました。', en: 'no access key: the background does not log in' });
      }
      return s.withAccessKey(call);
    },
  };
  const gate = async (): Promise<EgovPaymentsGateway> => deps.identity.gateway();
  // one request in flight per endpoint, as the case sync (the person's and the background's share it)
  const gateway: EgovPaymentsGateway = {
    banks: oneAtATime(async (k) => (await gate()).banks(k)),
    payments: oneAtATime(async (k, a) => (await gate()).payments(k, a)),
    bankSite: oneAtATime(async (k, r, l) => (await gate()).bankSite(k, r, l)),
  };

  function open(): PaymentStore {
    if (closed) throw new Error('payments are closed');
    store ??= new PaymentStore(deps.database.get(), { now: () => deps.now().getTime() });
    return store;
  }

  async function readable(): Promise<PaymentStore | null> {
    if (store) return store;
    return (await deps.profiles.load(deps.profileName)) ? open() : null;
  }

  async function ready(): Promise<PaymentStore> {
    if (!(await deps.profiles.load(deps.profileName))) throw notSetUp(deps.profileName);
    return open();
  }

  /** Tells the app what a read changed; a read that changed nothing says nothing. */
  function announce(read: PaymentsRead): void {
    if (closed || (!read.changes.length && !read.unlisted.length)) return;
    deps.events.emit({ name: 'payment.changed', payload: { arriveId: read.view.arriveId, payments: read.view, changes: read.changes, unlisted: read.unlisted } });
  }

  const banks = (s: PaymentStore, refresh: boolean) =>
    bankListOfTheDay({ store: s, fetch: () => session.withAccessKey((key) => gateway.banks(key)), now: deps.now }, { refresh });

  /** The background's turn: every case whose pay counters moved since its last read, one at a time. */
  const catchUp = oneAtATime(async (): Promise<void> => {
    const s = await readable();
    if (!s || closed) return;
    try {
      await readMovedCases({ session: quietSession, gateway, store: s, onRead: announce, stopped: () => closed });
    } catch (e) {
      // not logged in, e-Gov unreachable: the next cycle tries again; anything else is a bug to hear about
      if (!isTodokeError(e)) deps.onUnexpected('reading payments', e);
    }
  });

  // after each case sync cycle (background or 今すぐ確認): the counters it stored say what to read
  const unsubscribe = deps.events.subscribe((event) => {
    if (closed || event.name !== 'sync.status' || !event.payload.lastCycle) return;
    void catchUp();
  });

  const handlers: Payments['handlers'] = {
    'payment.banks': async ({ refresh }) => banks(await ready(), refresh === true),
    'payment.list': async ({ arriveId, refresh }) => {
      const s = await ready();
      if (!refresh) return s.forCase(arriveId);
      const read = await readCasePayments({ session, gateway, store: s }, arriveId);
      announce(read);
      return read.view;
    },
    'payment.upcoming': async () => {
      const s = await readable();
      return s ? dueView(s.unpaid(), deps.now()) : { payments: [], urgent: 0 };
    },
    'payment.handOff': async (request) => {
      const s = await ready();
      return startHandOff(
        {
          store: s,
          session,
          gateway,
          banks: () => banks(s, false),
          windows: deps.paymentWindows,
          now: deps.now,
          onRead: announce,
        },
        request,
      );
    },
    'payment.closeWindow': async ({ handOffId }) => {
      if (!deps.paymentWindows) return { closed: false };
      return { closed: await deps.paymentWindows.close(handOffId) };
    },
  };

  return {
    handlers,
    start: () => catchUp().catch(() => undefined),
    close: () => {
      closed = true;
      unsubscribe();
    },
  };
}
