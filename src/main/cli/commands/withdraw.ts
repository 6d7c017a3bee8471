// Main process (CLI host). `todoke withdraw 到達番号 --reason 理由 [--kind application|request]
// [--remarks 備考]`: the 取下げ use case (src/main/filing/withdraw.ts) on the saved profile, as the app's
// case.withdraw. The 申請者 / 連絡先 are those of the kousei.xml Todoke sent for the case; for a case
// sent elsewhere the person gives them (--applicant-name, --applicant-address, --applicant-phone,
// which also override the prefill). The 取下げ is recorded before it leaves, sent once and its own
// 到達番号 printed. A 取下げ of the case whose answer never came is first reconciled by 状況照会 (never
// resent); one recorded, unsettled or delivered refuses a second.
import { parseArgs } from 'node:util';
import { WithdrawalSender, type WithdrawResult } from '../../filing/withdraw.js';
import { WithdrawalError, type WithdrawalKind, type WithdrawalPerson } from '../../filing/withdrawal-package.js';
import { prefillFromSentRequest } from '../../filing/withdrawal-prefill.js';
import { openSignerFor } from '../../identity/signer-reference.js';
import type { CaseRecord, CaseStore } from '../../store/cases.js';
import { withdrawalKindOf } from '../../app/withdrawal-views.js';
import { profileFlag } from '../identity-context.js';
import { printJson } from '../identity-output.js';
import type { CliIo } from '../io.js';
import { EXIT_OK } from '../io.js';
import { filingOptions, withFiling, type FilingContext } from '../filing-context.js';
import { egovTime } from '../filing-output.js';
import { shown } from '../shown.js';
import { UsageError } from '../usage-error.js';
import { withCases } from './cases.js';
import { arriveIdArg } from './status.js';

const KINDS: readonly WithdrawalKind[] = ['application', 'request'];
const KIND_NAMES: Record<WithdrawalKind, string> = { application: '取下げ申請', request: '取下げ依頼' };

export async function withdrawCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      ...filingOptions,
      reason: { type: 'string' },
      kind: { type: 'string', default: 'application' },
      remarks: { type: 'string' },
      'applicant-name': { type: 'string' },
      'applicant-address': { type: 'string' },
      'applicant-phone': { type: 'string' },
    },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new UsageError('取り下げる案件の到達番号を 1 つ指定してください（todoke withdraw 到達番号 --reason 理由）。', 'todoke withdraw takes one 到達番号');
  const arriveId = arriveIdArg(positionals[0] as string);
  if (values.reason === undefined || values.reason.trim() === '') throw new UsageError('取下げの理由を --reason で指定してください。', '--reason is required');
  const kind = values.kind as WithdrawalKind;
  if (!KINDS.includes(kind)) throw new UsageError(`--kind は application（取下げ申請）か request（取下げ依頼）です（「${shown(String(values.kind), 20)}」）。`, '--kind is application or request');
  const reason = values.reason;

  return withFiling(io, values, (ctx) =>
    withCases(ctx, async (cases) => {
      const sender = new WithdrawalSender({ outbox: ctx.outbox, cases, session: ctx.session, gateway: ctx.gateway, now: () => io.now() });
      if (!cases.get(arriveId)) {
        throw new WithdrawalError('WITHDRAWAL_CASE_NOT_FOUND', {
          ja: `到達番号 ${arriveId} の案件はこの PC にありません。todoke sync${profileFlag(ctx)} で案件を最新にしてからやり直してください。`,
          en: `no case ${arriveId} on this computer; run todoke sync first`,
        });
      }
      // an earlier 取下げ whose answer never came: 状況照会 decides it first, nothing is resent
      if (ctx.outbox.withdrawalsOf(arriveId).some((e) => e.state === 'unknown')) await sender.reconcile();
      let original: CaseRecord;
      try {
        // refused now (a 取下げ itself, one under way) rather than after asking for the 申請者
        original = sender.assertAllowed(arriveId);
      } catch (e) {
        throw withNextStep(ctx, e);
      }
      const prefill = await prefillFromSentRequest(ctx.outbox, ctx.gateway, original);
      const applicant = applicantOf(prefill?.applicant ?? null, values);
      let result: WithdrawResult;
      try {
        result = await sender.withdraw({
          arriveId,
          kind,
          reason,
          ...(values.remarks !== undefined ? { remarks: values.remarks } : {}),
          applicant,
          ...(prefill && !overridden(values) ? { contact: prefill.contact } : {}),
          submitTo: prefill?.submitTo ?? '',
          // as `todoke apply`: the prompt names the CLI's own purpose for signing an application
          openSigner: () => openSignerFor(ctx.profile.signer, ctx.credentials.askFor('sign.kousei'), { purpose: 'login' }),
        });
      } catch (e) {
        throw withNextStep(ctx, e);
      }
      const { entry, receipt } = result;
      if (values.json) {
        printJson(io, {
          arriveId,
          newArriveId: receipt.newArriveId,
          kind: withdrawalKindOf(entry),
          arriveDate: receipt.arriveDate,
          procedureName: receipt.procedureName,
          entryId: entry.id,
          state: entry.state,
          replaced: result.replaced,
          prefilled: prefill !== null,
        });
        return EXIT_OK;
      }
      io.stdout(
        `${KIND_NAMES[kind]}を送信しました。取下げの到達番号 ${receipt.newArriveId}（${egovTime(receipt.arriveDate)}、${shown(receipt.procedureName, 60)}）\n` +
          `取り下げる案件: 到達番号 ${arriveId}（${shown(original.procedureName, 60)}）。申請者: ${shown(applicant.name, 60)}（${prefill && !overridden(values) ? 'この PC から送信した申請から' : '指定された値'}）。\n` +
          `取下げの結果は todoke sync${profileFlag(ctx)} と todoke status${profileFlag(ctx)} ${arriveId} で確かめられます。\n`,
      );
      return EXIT_OK;
    }),
  );
}

interface ApplicantFlags {
  'applicant-name'?: string | undefined;
  'applicant-address'?: string | undefined;
  'applicant-phone'?: string | undefined;
}

function overridden(v: ApplicantFlags): boolean {
  return v['applicant-name'] !== undefined || v['applicant-address'] !== undefined || v['applicant-phone'] !== undefined;
}

/** The prefill with the flags over it; a case sent elsewhere needs all three flags. */
function applicantOf(prefill: WithdrawalPerson | null, v: ApplicantFlags): WithdrawalPerson {
  const name = v['applicant-name'] ?? prefill?.name;
  const address = v['applicant-address'] ?? prefill?.address;
  const phone = v['applicant-phone'] ?? prefill?.phone;
  if (name === undefined || address === undefined || phone === undefined) {
    throw new UsageError(
      'この案件はこの PC から送信したものではないため、申請者を読み取れません。--applicant-name 氏名 --applicant-address 住所 --applicant-phone 電話番号 を指定してください。',
      'the case was not sent from here: give --applicant-name, --applicant-address and --applicant-phone',
    );
  }
  return { ...(prefill ?? {}), name, address, phone };
}

function withNextStep(ctx: FilingContext, e: unknown): unknown {
  if (!(e instanceof WithdrawalError)) return e;
  const p = profileFlag(ctx);
  const next: Partial<Record<WithdrawalError['code'], string>> = {
    WITHDRAWAL_DELIVERY_UNKNOWN: `同じコマンドをもう一度実行すると、状況照会で届いたかどうかを確かめます（送り直しはしません）。`,
    WITHDRAWAL_EXISTS: `取下げの状態は todoke status${p} ${String(e.detail?.arriveId ?? '')} で確かめられます。`,
    WITHDRAWAL_NOT_SENT: '原因を取り除いてから、同じコマンドをもう一度実行してください。',
  };
  const add = next[e.code];
  if (!add) return e;
  return new WithdrawalError(e.code, { ja: `${e.messageJa} ${add}`, en: e.message }, { cause: e.cause, ...(e.detail ? { detail: e.detail } : {}) });
}

/** Lines for `todoke status`: the links between a case and its 取下げ. */
export function withdrawalLinkLines(cases: Pick<CaseStore, 'get'>, outbox: FilingContext['outbox'], arriveId: string): string[] {
  const lines: string[] = [];
  const c = cases.get(arriveId);
  if (c?.withdrawalOf) lines.push(`  取下げ: この案件は到達番号 ${c.withdrawalOf} の取下げです。`);
  for (const e of outbox.withdrawalsOf(arriveId)) {
    const stored = e.newArriveId ? cases.get(e.newArriveId) : null;
    const number = e.newArriveId ? `到達番号 ${e.newArriveId}` : '到達番号不明';
    const state = WITHDRAWAL_STATE_TEXT[e.state] ?? e.state;
    lines.push(`  取下げ: ${KIND_NAMES[withdrawalKindOf(e)]}（${number}、${state}${stored ? `、状況 ${shown(stored.status, 40)}` : ''}）`);
  }
  return lines;
}

const WITHDRAWAL_STATE_TEXT: Record<string, string> = {
  ready: '未送信',
  sending: '送信中',
  done: '到達',
  unknown: '届いたか不明（照合待ち）',
  'ready-for-resend': '届いていない（照合済み）',
  ambiguous: '判断待ち',
  failed: '受付不可・置き換え済み',
};

