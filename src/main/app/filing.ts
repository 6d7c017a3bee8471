// Main process (core). The 一括申請 operations of the 申請 and 送信履歴 screens (batch.*): the
// outbox of the profile (on the profile's database, opened at the first need and shared with the
// cases: ./profile-database.ts; one writer: this core), the tracker that follows
// every sent batch by itself, and the one send under way per jobId with its progress and its
// cancellation. The use cases are src/main/filing; this module only wires them to the contract,
// the credential prompts and the events.
import type { OperationArgs } from '../../shared/contract.js';
import { isTodokeError } from '../../shared/errors.js';
import type { BatchDetailView, BatchProgress, BatchState, BatchView } from '../../shared/filing.js';
import { BatchTracker, type BatchTrackerOptions } from '../filing/batch-tracker.js';
import { assertCheckPassed } from '../filing/build-batch.js';
import { decodeErrorReport } from '../filing/error-report.js';
import { FilingError } from '../filing/errors.js';
import { BatchSender, type SendProgress } from '../filing/send-batch.js';
import type { IdentityService } from '../identity/service.js';
import { openSignerFor, type AskSecret } from '../identity/signer-reference.js';
import { notSetUp } from '../identity/errors.js';
import type { Profile } from '../profiles/profile.js';
import type { ProfileStore } from '../profiles/profile-store.js';
import type { EgovGateway } from '../session/gateway.js';
import type { EgovSession } from '../session/session.js';
import { Outbox, type OutboxEntry } from '../store/outbox.js';
import type { OutboxState } from '../sync/outbox-states.js';
import { readAndCheck, shownName } from './application.js';
import type { Handlers } from './dispatch.js';
import { invalidArgument } from './errors.js';
import type { EventHub } from './events.js';
import { profileDatabase, type ProfileDatabase } from './profile-database.js';

// the outbox's states are the screen's states, one for one
const sameStates: [OutboxState, BatchState] extends [BatchState, OutboxState] ? true : never = true;
void sameStates;

type FilingOperation = 'batch.send' | 'batch.cancel' | 'batch.list' | 'batch.get' | 'batch.errorReport' | 'batch.refresh' | 'batch.resend' | 'batch.settle';

export interface FilingDeps {
  home: string;
  profileName: string;
  profiles: ProfileStore;
  identity: IdentityService;
  /** the profile's database shared with the other use cases (closed by its owner); default one of filing's own */
  database?: ProfileDatabase;
  events: EventHub;
  /** the PIN / password prompt (credential.request) */
  ask: AskSecret;
  now: () => Date;
  /** hears about background failures that are bugs */
  onUnexpected: (what: string, error: unknown) => void;
  /** the tracker's pace (tests) */
  follow?: Pick<BatchTrackerOptions, 'schedule' | 'intervalMs' | 'backoffMaxMs'>;
}

export interface Filing {
  readonly handlers: Pick<Handlers, FilingOperation>;
  /** At start: recovers the outbox and follows every sent batch, when a profile is set up. Never throws. */
  start(): Promise<void>;
  close(): void;
}

interface Job {
  controller: AbortController;
  /** from `send` on, the batch is recorded and goes out: it can no longer be cancelled */
  sending: boolean;
}

interface Opened {
  outbox: Outbox;
  tracker: BatchTracker;
}

export function createFiling(deps: FilingDeps): Filing {
  const jobs = new Map<string, Job>();
  let opened: Opened | null = null;
  let closed = false;
  const ownsDatabase = !deps.database;
  const database = deps.database ?? profileDatabase(deps.home, deps.profileName);

  // The session and the gateway are asked of the identity at every call: a certificate update or a
  // new set-up replaces them, and the tracker must use the current ones.
  const session: Pick<EgovSession, 'withAccessKey' | 'snapshot'> = {
    withAccessKey: async (call) => (await deps.identity.session()).withAccessKey(call),
    snapshot: async () => (await deps.identity.session()).snapshot(),
  };
  const gateway: Pick<EgovGateway, 'listSends' | 'listArrived'> = {
    listSends: async (key, query) => (await deps.identity.gateway()).listSends(key, query),
    listArrived: async (key, sendNumber) => (await deps.identity.gateway()).listArrived(key, sendNumber),
  };

  function open(): Opened {
    if (closed) throw new Error('filing is closed');
    if (opened) return opened;
    const outbox = new Outbox(database.get());
    const tracker = new BatchTracker({
      outbox,
      session,
      gateway,
      onChange: (entry) => changed(outbox, entry),
      onError: (entryId, error) => {
        if (!isTodokeError(error)) deps.onUnexpected(`following batch ${entryId}`, error);
      },
      ...deps.follow,
    });
    opened = { outbox, tracker };
    return opened;
  }

  /** The outbox and the profile it files for, once the profile is set up (filing needs a 利用者ID). */
  async function ready(): Promise<Opened & { profile: Profile }> {
    const profile = await deps.profiles.load(deps.profileName);
    if (!profile) throw notSetUp(deps.profileName);
    return { ...open(), profile };
  }

  function changed(outbox: Outbox, entry: OutboxEntry): void {
    deps.events.emit({ name: 'batch.changed', payload: toView(entry, outbox.arrivedCount(entry.id)) });
  }

  function viewOf(outbox: Outbox, entryId: string): BatchView {
    const entry = batchOf(outbox, entryId);
    return toView(entry, outbox.arrivedCount(entryId));
  }

  async function send(args: OperationArgs<'batch.send'>): Promise<BatchView & { resumed: boolean }> {
    if (jobs.has(args.jobId)) throw invalidArgument('batch.send', { path: 'args.jobId', reason: 'pattern', message: 'is already in use' });
    const job: Job = { controller: new AbortController(), sending: false };
    jobs.set(args.jobId, job);
    const progress = (p: Omit<BatchProgress, 'jobId'>) => deps.events.emit({ name: 'batch.progress', payload: { jobId: args.jobId, ...p } });
    try {
      progress({ step: 'check' });
      // checked again: the folders may have changed since the person looked at the report
      const { data, report } = await readAndCheck('batch.send', args.paths);
      assertCheckPassed(report);
      const { outbox, tracker, profile } = await ready();
      const current = await deps.identity.session();
      const sender = new BatchSender({
        outbox,
        session: current,
        gateway: await deps.identity.gateway(),
        defaultSigner: () => openSignerFor(profile.signer, deps.ask, { purpose: 'sign.kousei' }),
        now: deps.now,
      });
      const onProgress = (p: SendProgress) => {
        if (p.step === 'send') job.sending = true;
        progress(p.step === 'sign' ? { step: 'sign', done: p.done, total: p.total } : { step: p.step });
      };
      const { entry, resumed } = await sender.sendOrResume({
        data,
        report,
        signal: job.controller.signal,
        onProgress,
        ...(args.confirmedEarlierSends?.length ? { confirmedEarlierSends: args.confirmedEarlierSends } : {}),
      });
      if (resumed) progress({ step: 'send' });
      changed(outbox, entry);
      tracker.follow(entry.id);
      return { ...viewOf(outbox, entry.id), resumed };
    } catch (e) {
      // a failure after recording changed the entry (ready again, unknown, failed): the lists show it
      const entryId = e instanceof FilingError ? (e.detail?.entryId as string | undefined) : undefined;
      if (entryId && opened) {
        const entry = opened.outbox.get(entryId);
        if (entry) changed(opened.outbox, entry);
      }
      throw e;
    } finally {
      jobs.delete(args.jobId);
    }
  }

  const handlers: Filing['handlers'] = {
    'batch.send': send,
    'batch.cancel': async ({ jobId }) => {
      const job = jobs.get(jobId);
      if (!job || job.sending) return { cancelled: false };
      job.controller.abort();
      return { cancelled: true };
    },
    'batch.list': async () => {
      if (!(await deps.profiles.load(deps.profileName)) && !opened) return [];
      const { outbox } = open();
      const arrived = outbox.arrivedCounts();
      // 取下げ are the case screens' (case.get's withdrawals); 送信履歴 lists batches
      return outbox
        .list(undefined, 'batch')
        .reverse()
        .map((e) => toView(e, arrived.get(e.id) ?? 0));
    },
    'batch.get': async ({ entryId }) => {
      const { outbox } = open();
      const view = viewOf(outbox, entryId);
      const detail: BatchDetailView = {
        ...view,
        applications: outbox.applications(entryId),
        history: outbox.history(entryId).map((h) => ({ at: new Date(h.at).toISOString(), event: h.event, from: h.from, to: h.to })),
      };
      return detail;
    },
    'batch.errorReport': async ({ entryId }) => {
      const { outbox } = open();
      batchOf(outbox, entryId);
      const bytes = outbox.errorFile(entryId);
      if (!bytes) throw new FilingError('FILING_NO_ERROR_REPORT', { ja: 'この送信にはエラー報告がありません。', en: 'this batch has no ErrorFile' });
      return decodeErrorReport(bytes);
    },
    'batch.refresh': async ({ entryId }) => {
      const { outbox, tracker } = await ready();
      const entry = batchOf(outbox, entryId);
      if (entry.state === 'unknown') await tracker.reconcile();
      else if (entry.state === 'sent' || entry.state === 'following') await tracker.refresh(entryId);
      return viewOf(outbox, entryId);
    },
    'batch.resend': async ({ entryId }) => {
      const { outbox, tracker } = await ready();
      // a 取下げ is never sent through the batch path (case.withdraw replaces one that never left)
      batchOf(outbox, entryId);
      const sender = new BatchSender({ outbox, session: await deps.identity.session(), gateway: await deps.identity.gateway(), now: deps.now });
      try {
        const { entry } = await sender.sendRecorded(entryId);
        changed(outbox, entry);
        tracker.follow(entry.id);
        return viewOf(outbox, entry.id);
      } catch (e) {
        const entry = outbox.get(entryId);
        if (entry) changed(outbox, entry);
        throw e;
      }
    },
    'batch.settle': async ({ entryId, decision }) => {
      const { outbox, tracker } = await ready();
      batchOf(outbox, entryId);
      const entry = decision.kind === 'mine' ? outbox.chooseCandidate(entryId, decision.sendNumber) : outbox.confirmResend(entryId);
      changed(outbox, entry);
      if (entry.state === 'sent') tracker.follow(entry.id);
      return viewOf(outbox, entry.id);
    },
  };

  return {
    handlers,
    async start() {
      try {
        if (!(await deps.profiles.load(deps.profileName))) return;
        await open().tracker.resume();
      } catch (e) {
        // offline, a corrupt profile …: the tracker tries again as batches are sent or refreshed
        if (!isTodokeError(e)) deps.onUnexpected('resuming the outbox', e);
      }
    },
    close() {
      closed = true;
      for (const job of jobs.values()) job.controller.abort();
      opened?.tracker.close();
      if (ownsDatabase) database.close();
      opened = null;
    },
  };
}

/** The batch entry, or FILING_NOT_FOUND (a 取下げ is not a batch for these operations). */
function batchOf(outbox: Outbox, entryId: string): OutboxEntry {
  const entry = outbox.get(entryId);
  if (!entry || entry.kind !== 'batch') throw batchNotFound();
  return entry;
}

function batchNotFound(): FilingError {
  return new FilingError('FILING_NOT_FOUND', {
    ja: 'その送信は送信箱にありません。送信履歴を開き直してください。',
    en: 'no such outbox entry',
  });
}

export function toView(e: OutboxEntry, arrivedCount: number): BatchView {
  return {
    id: e.id,
    state: e.state,
    createdAt: new Date(e.createdAt).toISOString(),
    updatedAt: new Date(e.updatedAt).toISOString(),
    attemptCount: e.attemptCount,
    sendNumber: e.sendNumber,
    sendDate: e.sendDate,
    applicationCount: e.applicationCount,
    folderNames: e.folderNames,
    applicantNames: e.applicantNames,
    sourceNames: e.sourcePaths.map(shownName),
    workStatus: e.workStatus,
    arrivedCount,
    formatCheck: e.formatCheck ? { normalCount: e.formatCheck.normalCount, errorCount: e.formatCheck.errorCount, hasErrorReport: e.formatCheck.hasErrorFile } : null,
    failure: e.failure,
    candidates: e.candidates,
  };
}
