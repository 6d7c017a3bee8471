// Main process (core). The 取下げ operations of the 案件 screens (case.withdrawalDraft, case.withdraw,
// case.withdrawalRefresh, case.withdrawalSettle): on the profile's database shared with filing and
// the cases, the profile's certificate for the 取下げ申請書 (asked through credential.request with
// purpose sign.kousei, as a batch), and at start the reconciliation of 取下げ whose answer never came.
// The use case is src/main/filing/withdraw.ts; this module only wires it to the contract and events.
import type { CaseWithdrawalView, WithdrawalDraftView, WithdrawalKindName, WithdrawalView } from '../../shared/case.js';
import type { OperationArgs } from '../../shared/contract.js';
import { isTodokeError } from '../../shared/errors.js';
import { prefillFromSentRequest, type WithdrawalPrefill } from '../filing/withdrawal-prefill.js';
import { procedureIdOfFolder, WithdrawalError } from '../filing/withdrawal-package.js';
import { WithdrawalSender } from '../filing/withdraw.js';
import { notSetUp } from '../identity/errors.js';
import type { IdentityService } from '../identity/service.js';
import { openSignerFor, type AskSecret } from '../identity/signer-reference.js';
import type { Profile } from '../profiles/profile.js';
import type { ProfileStore } from '../profiles/profile-store.js';
import { CaseStore, CaseStoreError } from '../store/cases.js';
import { Outbox } from '../store/outbox.js';
import { summaryView } from './cases.js';
import type { Handlers } from './dispatch.js';
import { invalidArgument } from './errors.js';
import type { EventHub } from './events.js';
import type { ProfileDatabase } from './profile-database.js';
import { withdrawalView } from './withdrawal-views.js';

type WithdrawalOperation = 'case.withdrawalDraft' | 'case.withdraw' | 'case.withdrawalRefresh' | 'case.withdrawalSettle';

export interface WithdrawalsDeps {
  profileName: string;
  profiles: ProfileStore;
  identity: IdentityService;
  database: ProfileDatabase;
  events: EventHub;
  ask: AskSecret;
  now: () => Date;
  onUnexpected: (what: string, error: unknown) => void;
}

export interface Withdrawals {
  readonly handlers: Pick<Handlers, WithdrawalOperation>;
  /**
   * At start, after the outbox's crash recovery (filing's start): every 取下げ whose answer never
   * came is reconciled by 状況照会 when a key is at hand (the start never asks for a PIN). Never throws.
   */
  start(): Promise<void>;
}

const KINDS: WithdrawalKindName[] = ['application', 'request'];

export function createWithdrawals(deps: WithdrawalsDeps): Withdrawals {
  const jobs = new Set<string>();

  function stores(): { cases: CaseStore; outbox: Outbox } {
    const store = deps.database.get();
    return { cases: new CaseStore(store), outbox: new Outbox(store) };
  }

  async function ready(): Promise<{ profile: Profile; cases: CaseStore; outbox: Outbox; sender: WithdrawalSender }> {
    const profile = await deps.profiles.load(deps.profileName);
    if (!profile) throw notSetUp(deps.profileName);
    const { cases, outbox } = stores();
    const sender = new WithdrawalSender({ outbox, cases, session: await deps.identity.session(), gateway: await deps.identity.gateway(), now: deps.now });
    return { profile, cases, outbox, sender };
  }

  function entryView(outbox: Outbox, cases: CaseStore, entryId: string): CaseWithdrawalView {
    const entry = outbox.get(entryId);
    if (!entry || entry.kind !== 'withdrawal') {
      throw new WithdrawalError('WITHDRAWAL_WRONG_STATE', { ja: 'その取下げは送信箱にありません。画面を開き直してください。', en: 'no such withdrawal' }, { detail: { entryId } });
    }
    return withdrawalView(entry, cases);
  }

  /** case.changed for the cases a 取下げ touched, so that lists and the case screen refresh. */
  function touched(cases: CaseStore, arriveIds: (string | null)[], isNew: string | null): void {
    for (const arriveId of arriveIds) {
      const c = arriveId ? cases.get(arriveId) : null;
      if (!c) continue;
      deps.events.emit({ name: 'case.changed', payload: { type: 'case.changed', arriveId: c.arriveId, isNew: c.arriveId === isNew, changes: [], status: c.status, newHistory: [], referenced: false } });
    }
  }

  async function draft({ arriveId }: OperationArgs<'case.withdrawalDraft'>): Promise<WithdrawalDraftView> {
    const { cases, outbox, sender } = await ready();
    const c = cases.get(arriveId);
    if (!c) {
      throw new CaseStoreError('CASE_NOT_FOUND', { ja: `到達番号 ${arriveId} の案件は Todoke にありません。案件一覧を開き直してください。`, en: 'no such case' }, { detail: { arriveId } });
    }
    let procedureId = '';
    let blockedReason = sender.blockedReason(arriveId);
    try {
      procedureId = procedureIdOfFolder(c.procedureFolderName);
    } catch (e) {
      if (!(e instanceof WithdrawalError)) throw e;
      blockedReason ??= {
        ja: `この案件のフォルダー名「${c.procedureFolderName.slice(0, 40)}」から手続IDが分からないため、取下げ申請書を作れません。`,
        en: `the case's folder name "${c.procedureFolderName.slice(0, 40)}" names no procedure ID, so no 取下げ form can be made`,
      };
    }
    const prefill: WithdrawalPrefill | null = c.withdrawalOf === null ? await prefillFromSentRequest(outbox, await deps.identity.gateway(), c) : null;
    return {
      case: summaryView(c),
      procedureId,
      kinds: KINDS,
      suggestedKind: 'application',
      prefillSource: prefill ? 'sent-request' : 'none',
      applicant: prefill?.applicant ?? null,
      contact: prefill?.contact ?? null,
      submitTo: prefill?.submitTo ?? '',
      allowed: blockedReason === null,
      blockedReason: blockedReason?.ja ?? null,
      blockedReasonEn: blockedReason?.en ?? null,
      withdrawals: outbox.withdrawalsOf(arriveId).map((e) => withdrawalView(e, cases)),
    };
  }

  async function withdraw(args: OperationArgs<'case.withdraw'>): Promise<WithdrawalView> {
    if (args.jobId !== undefined) {
      if (jobs.has(args.jobId)) throw invalidArgument('case.withdraw', { path: 'args.jobId', reason: 'pattern', message: 'is already in use' });
      jobs.add(args.jobId);
    }
    try {
      const { profile, cases, outbox, sender } = await ready();
      const original = cases.get(args.arriveId);
      // the 提出先 of the form is the original's, when Todoke sent it (the person does not type it)
      const prefill = original && original.withdrawalOf === null ? await prefillFromSentRequest(outbox, await deps.identity.gateway(), original) : null;
      try {
        const { entry, replaced } = await sender.withdraw({
          arriveId: args.arriveId,
          kind: args.kind,
          reason: args.reason,
          ...(args.remarks !== undefined ? { remarks: args.remarks } : {}),
          applicant: args.applicant,
          ...(args.contact ? { contact: args.contact } : {}),
          submitTo: prefill?.submitTo ?? '',
          openSigner: () => openSignerFor(profile.signer, deps.ask, { purpose: 'sign.kousei' }),
        });
        touched(cases, [args.arriveId, entry.newArriveId], entry.newArriveId);
        return { ...withdrawalView(entry, cases), arriveId: args.arriveId, replaced };
      } catch (e) {
        if (isTodokeError(e) && typeof e.detail?.entryId === 'string') touched(cases, [args.arriveId], null);
        throw e;
      }
    } finally {
      if (args.jobId !== undefined) jobs.delete(args.jobId);
    }
  }

  const handlers: Withdrawals['handlers'] = {
    'case.withdrawalDraft': draft,
    'case.withdraw': withdraw,
    'case.withdrawalRefresh': async ({ entryId }) => {
      const { cases, outbox, sender } = await ready();
      const before = entryView(outbox, cases, entryId);
      if (before.state === 'unknown') await sender.reconcile();
      return entryView(outbox, cases, entryId);
    },
    'case.withdrawalSettle': async ({ entryId, decision }) => {
      const { cases, outbox, sender } = await ready();
      entryView(outbox, cases, entryId);
      sender.settle(entryId, decision);
      return entryView(outbox, cases, entryId);
    },
  };

  return {
    handlers,
    async start() {
      try {
        if (!(await deps.profiles.load(deps.profileName))) return;
        const { outbox } = stores();
        if (!outbox.list(['unknown'], 'withdrawal').length) return;
        if (!(await (await deps.identity.session()).snapshot()).hasKey) return;
        const { sender, cases } = await ready();
        for (const outcome of await sender.reconcile()) touched(cases, [outcome.entry.targetArriveId], null);
      } catch (e) {
        // offline, a corrupt profile …: case.withdrawalRefresh (or the next start) asks again
        if (!isTodokeError(e)) deps.onUnexpected('reconciling withdrawals', e);
      }
    },
  };
}
