// Main process (core). The 補正 operations of the 案件 screens (case.amendmentDraft, case.amendmentReplace,
// case.amendmentRestore, case.amend, case.amendmentRefresh, case.amendmentSettle): the working copy in
// the profile's folder, the profile's certificate for kousei.xml (asked through credential.request with
// purpose sign.kousei, as a batch and a 取下げ), and at start the reconciliation of 補正 whose answer
// never came. The use case is src/main/filing/amend.ts; this module only wires it to the contract.
import type { AmendmentDraftView, AmendmentView, CaseAmendmentView } from '../../shared/amendment.js';
import type { AmendmentKind } from '../../shared/documents.js';
import type { OperationArgs } from '../../shared/contract.js';
import { isTodokeError } from '../../shared/errors.js';
import { AmendmentSender, assertAmendmentAllowed } from '../filing/amend.js';
import { AmendmentDrafts, isSpent, type AmendmentDraft } from '../filing/amendment-draft.js';
import { AmendmentError } from '../filing/amendment-errors.js';
import { filedFromFolder, filedFromOutbox } from '../filing/amendment-filed.js';
import { notSetUp } from '../identity/errors.js';
import type { IdentityService } from '../identity/service.js';
import { openSignerFor, type AskSecret } from '../identity/signer-reference.js';
import type { ProfileStore } from '../profiles/profile-store.js';
import type { EgovGateway } from '../session/gateway.js';
import { CaseStore, CaseStoreError } from '../store/cases.js';
import { Outbox } from '../store/outbox.js';
import { amendmentView, draftFileViews } from './amendment-views.js';
import { summaryView } from './cases.js';
import type { Handlers } from './dispatch.js';
import { invalidArgument } from './errors.js';
import type { EventHub } from './events.js';
import type { ProfileDatabase } from './profile-database.js';

type AmendmentOperation = 'case.amendmentDraft' | 'case.amendmentReplace' | 'case.amendmentRestore' | 'case.amend' | 'case.amendmentRefresh' | 'case.amendmentSettle';

type AmendmentGateway = Pick<EgovGateway, 'prepareAmendment' | 'sendAmendment' | 'isCredentialRefusal' | 'caseStatus' | 'readBatchRequest'>;

export interface AmendmentsDeps {
  profileName: string;
  profiles: ProfileStore;
  identity: IdentityService;
  database: ProfileDatabase;
  events: EventHub;
  ask: AskSecret;
  now: () => Date;
  onUnexpected: (what: string, error: unknown) => void;
  /** the gateway with the 補正 calls; default the identity's */
  gateway?: () => Promise<AmendmentGateway>;
}

export interface Amendments {
  readonly handlers: Pick<Handlers, AmendmentOperation>;
  /** At start, after the outbox's crash recovery: unknown 補正 reconciled when a key is at hand. Never throws. */
  start(): Promise<void>;
}

export function createAmendments(deps: AmendmentsDeps): Amendments {
  const jobs = new Set<string>();
  const gateway = deps.gateway ?? (async (): Promise<AmendmentGateway> => deps.identity.gateway());

  function stores(): { cases: CaseStore; outbox: Outbox; drafts: AmendmentDrafts } {
    const store = deps.database.get();
    return { cases: new CaseStore(store), outbox: new Outbox(store), drafts: new AmendmentDrafts(store.dir) };
  }

  async function sender(cases: CaseStore, outbox: Outbox): Promise<AmendmentSender> {
    return new AmendmentSender({ outbox, cases, session: await deps.identity.session(), gateway: await gateway(), now: deps.now });
  }

  function caseOf(cases: CaseStore, arriveId: string) {
    const c = cases.get(arriveId);
    if (!c) throw new CaseStoreError('CASE_NOT_FOUND', { ja: `到達番号 ${arriveId} の案件は Todoke にありません。案件一覧を開き直してください。`, en: 'no such case' }, { detail: { arriveId } });
    return c;
  }

  /** case.changed for the cases a 補正 touched, so that lists and the case screen refresh. */
  function touched(cases: CaseStore, arriveIds: (string | null)[], isNew: string | null): void {
    for (const arriveId of arriveIds) {
      const c = arriveId ? cases.get(arriveId) : null;
      if (!c) continue;
      deps.events.emit({ name: 'case.changed', payload: { type: 'case.changed', arriveId: c.arriveId, isNew: c.arriveId === isNew, changes: [], status: c.status, newHistory: [], referenced: false } });
    }
  }

  function view(o: ReturnType<typeof stores>, arriveId: string, draft: AmendmentDraft | null, kind: AmendmentKind = 'amendapply'): AmendmentDraftView {
    const c = caseOf(o.cases, arriveId);
    let blocked: { ja: string; en: string } | null = null;
    try {
      assertAmendmentAllowed(o, arriveId);
    } catch (e) {
      if (!(e instanceof AmendmentError)) throw e;
      blocked = { ja: e.messageJa, en: e.message };
    }
    const changes = draft ? o.drafts.changes(draft, kind) : [];
    return {
      case: summaryView(c),
      draftId: draft?.manifest.draftId ?? null,
      source: draft?.manifest.source ?? null,
      files: draft ? draftFileViews(draft, changes) : [],
      changed: changes.some((f) => f.change !== 'same'),
      allowed: blocked === null && draft !== null,
      blockedReason: blocked?.ja ?? (draft ? null : '提出済みの申請データが Todoke にありません。補正する申請のフォルダーを指定してください。'),
      blockedReasonEn: blocked?.en ?? (draft ? null : 'no filed application: give the application folder'),
      amendments: o.outbox.amendmentsOf(arriveId).map((e) => amendmentView(e, o.cases)),
    };
  }

  async function draft({ arriveId, folder, fresh, peek }: OperationArgs<'case.amendmentDraft'>): Promise<AmendmentDraftView> {
    if (!(await deps.profiles.load(deps.profileName))) throw notSetUp(deps.profileName);
    const o = stores();
    const c = caseOf(o.cases, arriveId);
    // looking at a case must not leave a working copy of its application behind
    if (peek) return view(o, arriveId, await o.drafts.latest(arriveId));
    let d = folder || fresh ? null : await o.drafts.latest(arriveId);
    // A draft whose 補正 arrived is spent: the next 補正 (e-Gov asked again) starts from what that one
    // sent, never from the original filing with the old replacements still showing as changes.
    if (d && isSpent(d.manifest, o.outbox.amendmentsOf(arriveId))) d = await o.drafts.create(arriveId, d.corrected, 'amendment');
    if (!d && folder) d = await o.drafts.create(arriveId, await filedFromFolder(folder), 'folder');
    if (!d) {
      const filed = await filedFromOutbox(o.outbox, await deps.identity.gateway(), c);
      if (filed) d = await o.drafts.create(arriveId, filed, 'outbox');
    }
    return view(o, arriveId, d);
  }

  async function amend(args: OperationArgs<'case.amend'>): Promise<AmendmentView> {
    if (args.jobId !== undefined) {
      if (jobs.has(args.jobId)) throw invalidArgument('case.amend', { path: 'args.jobId', reason: 'pattern', message: 'is already in use' });
      jobs.add(args.jobId);
    }
    try {
      const profile = await deps.profiles.load(deps.profileName);
      if (!profile) throw notSetUp(deps.profileName);
      const o = stores();
      const d = await o.drafts.open(args.arriveId, args.draftId);
      const s = await sender(o.cases, o.outbox);
      try {
        const { entry, replaced } = await s.amend({
          arriveId: args.arriveId,
          kind: args.kind ?? 'amendapply',
          folder: d.corrected,
          filed: d.filed,
          ...(args.target ? { target: args.target } : {}),
          openSigner: () => openSignerFor(profile.signer, deps.ask, { purpose: 'sign.kousei' }),
        });
        touched(o.cases, [args.arriveId, entry.newArriveId], entry.newArriveId);
        return { ...amendmentView(entry, o.cases), arriveId: args.arriveId, replaced };
      } catch (e) {
        if (isTodokeError(e) && typeof e.detail?.entryId === 'string') touched(o.cases, [args.arriveId], null);
        throw e;
      }
    } finally {
      if (args.jobId !== undefined) jobs.delete(args.jobId);
    }
  }

  function entryView(o: ReturnType<typeof stores>, entryId: string): CaseAmendmentView {
    const entry = o.outbox.get(entryId);
    if (!entry || entry.kind !== 'amendment') {
      throw new AmendmentError('AMENDMENT_WRONG_STATE', { ja: 'その補正は送信箱にありません。画面を開き直してください。', en: 'no such amendment' }, { detail: { entryId } });
    }
    return amendmentView(entry, o.cases);
  }

  const handlers: Amendments['handlers'] = {
    'case.amendmentDraft': draft,
    'case.amendmentReplace': async ({ arriveId, draftId, fileName, path }) => {
      const o = stores();
      caseOf(o.cases, arriveId);
      return view(o, arriveId, await o.drafts.replace(arriveId, draftId, fileName, path));
    },
    'case.amendmentRestore': async ({ arriveId, draftId, fileName }) => {
      const o = stores();
      caseOf(o.cases, arriveId);
      return view(o, arriveId, await o.drafts.restore(arriveId, draftId, fileName));
    },
    'case.amend': amend,
    'case.amendmentRefresh': async ({ entryId }) => {
      const o = stores();
      const before = entryView(o, entryId);
      if (before.state === 'unknown') {
        for (const outcome of await (await sender(o.cases, o.outbox)).reconcile()) touched(o.cases, [outcome.entry.targetArriveId], null);
      }
      return entryView(o, entryId);
    },
    'case.amendmentSettle': async ({ entryId, decision }) => {
      const o = stores();
      entryView(o, entryId);
      const entry = (await sender(o.cases, o.outbox)).settle(entryId, decision);
      touched(o.cases, [entry.targetArriveId], null);
      return entryView(o, entryId);
    },
  };

  return {
    handlers,
    async start() {
      try {
        if (!(await deps.profiles.load(deps.profileName))) return;
        const o = stores();
        if (!o.outbox.list(['unknown'], 'amendment').length) return;
        if (!(await (await deps.identity.session()).snapshot()).hasKey) return;
        for (const outcome of await (await sender(o.cases, o.outbox)).reconcile()) touched(o.cases, [outcome.entry.targetArriveId], null);
      } catch (e) {
        // offline, an adapter without the 補正 calls …: case.amendmentRefresh (or the next start) asks again
        if (!isTodokeError(e)) deps.onUnexpected('reconciling amendments', e);
      }
    },
  };
}
