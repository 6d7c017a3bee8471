// Main process (CLI host). `todoke amend 到達番号 DIR [--reamend | --partamend [--basic-form] [--attached]]`:
// the 補正 use case (src/main/filing/amend.ts) on the saved profile, as the app's case.amend. DIR is the
// corrected application folder (kousei.xml, 申請書, 添付書類). What changed against the application this
// PC filed (the outbox's copy) is printed field by field before the PIN is asked; a 補正 that changes
// nothing is not sent. The 補正 is recorded before it leaves, sent once (補正申請 unless an abolished
// API is named) and its own 到達番号 printed. A 補正 of the case whose answer never came is first
// reconciled by 状況照会 (never resent); one still open refuses a second.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { AmendmentKind } from '../../../shared/documents.js';
import { AmendmentSender, type AmendResult } from '../../filing/amend.js';
import { amendmentChanges } from '../../filing/amendment-changes.js';
import { AmendmentError } from '../../filing/amendment-errors.js';
import { filedFromFolder, filedFromOutbox } from '../../filing/amendment-filed.js';
import type { FileComparison } from '../../filing/xml-diff.js';
import { openSignerFor } from '../../identity/signer-reference.js';
import { profileFlag } from '../identity-context.js';
import { printJson } from '../identity-output.js';
import type { CliIo } from '../io.js';
import { EXIT_OK } from '../io.js';
import { filingOptions, withFiling, type FilingContext } from '../filing-context.js';
import { egovTime } from '../filing-output.js';
import type { CaseStore } from '../../store/cases.js';
import { shown } from '../shown.js';
import { UsageError } from '../usage-error.js';
import { withCases } from './cases.js';
import { arriveIdArg } from './status.js';

const API_NAMES: Record<AmendmentKind, string> = { amendapply: '補正申請', reamend: '再提出', partamend: '部分補正' };
const CHANGE_JA = { same: '変更なし', changed: '変更', added: '追加', removed: '削除' } as const;
/** field changes printed per file; the rest are counted */
const SHOWN_FIELDS = 20;

export async function amendCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      ...filingOptions,
      reamend: { type: 'boolean', default: false },
      partamend: { type: 'boolean', default: false },
      'basic-form': { type: 'boolean', default: false },
      attached: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length !== 2) throw new UsageError('補正する案件の到達番号と、直した申請のフォルダーを指定してください（todoke amend 到達番号 DIR）。', 'todoke amend takes a 到達番号 and a folder');
  const arriveId = arriveIdArg(positionals[0] as string);
  const dir = resolve(io.cwd, positionals[1] as string);
  if (values.reamend && values.partamend) throw new UsageError('--reamend と --partamend は同時に指定できません。', '--reamend and --partamend exclude each other');
  const kind: AmendmentKind = values.reamend ? 'reamend' : values.partamend ? 'partamend' : 'amendapply';
  if (kind !== 'partamend' && (values['basic-form'] || values.attached)) throw new UsageError('--basic-form と --attached は --partamend（部分補正）のときだけ指定できます。', '--basic-form and --attached go with --partamend');
  if (kind === 'partamend' && !values['basic-form'] && !values.attached) {
    throw new UsageError('部分補正では、直したものを --basic-form（申請書）と --attached（添付書類）のどちらか、または両方で指定してください。', '--partamend needs --basic-form and/or --attached');
  }

  return withFiling(io, values, (ctx) =>
    withCases(ctx, async (cases) => {
      const original = cases.get(arriveId);
      if (!original) {
        throw new AmendmentError('AMENDMENT_CASE_NOT_FOUND', {
          ja: `到達番号 ${arriveId} の案件はこの PC にありません。todoke sync${profileFlag(ctx)} で案件を最新にしてからやり直してください。`,
          en: `no case ${arriveId} on this computer; run todoke sync first`,
        });
      }
      const sender = new AmendmentSender({ outbox: ctx.outbox, cases, session: ctx.session, gateway: ctx.gateway, now: () => io.now() });
      // an earlier 補正 whose answer never came: 状況照会 decides it first, nothing is resent
      if (ctx.outbox.amendmentsOf(arriveId).some((e) => e.state === 'unknown')) await sender.reconcile();
      try {
        sender.assertAllowed(arriveId);
      } catch (e) {
        throw withNextStep(ctx, e);
      }
      const corrected = await filedFromFolder(dir);
      const filed = await filedFromOutbox(ctx.outbox, ctx.gateway, original);
      if (filed && !values.json) {
        io.stdout(changesText(amendmentChanges(filed, corrected, { arriveId, kind })));
      } else if (!filed && !values.json) {
        io.stdout('この案件はこの PC から送信したものではないため、提出済みの申請と比べられません。フォルダーの内容をそのまま補正として送信します。\n');
      }
      let result: AmendResult;
      try {
        result = await sender.amend({
          arriveId,
          kind,
          folder: corrected,
          filed,
          ...(kind === 'partamend' ? { target: { basicForm: values['basic-form'], attached: values.attached } } : {}),
          // as `todoke withdraw`: the prompt names the CLI's own purpose for signing an application
          openSigner: () => openSignerFor(ctx.profile.signer, ctx.credentials.askFor('sign.kousei'), { purpose: 'login' }),
        });
      } catch (e) {
        throw withNextStep(ctx, e);
      }
      const { entry, receipt } = result;
      if (values.json) {
        printJson(io, {
          arriveId,
          kind,
          newArriveId: entry.newArriveId,
          arriveDate: receipt?.arriveDate ?? null,
          entryId: entry.id,
          state: entry.state,
          replaced: result.replaced,
          compared: filed !== null,
          changes: result.changes.filter((c) => c.change !== 'same').map((c) => ({ name: c.name, change: c.change, fields: c.fields, fieldsError: c.fieldsError?.messageJa ?? null })),
        });
        return EXIT_OK;
      }
      const number = entry.newArriveId ? `補正の到達番号 ${entry.newArriveId}` : kind === 'partamend' ? '部分補正のため到達番号は元の案件のまま' : '補正の到達番号は状況照会では分かりません';
      io.stdout(
        `${API_NAMES[kind]}を送信しました。${number}${receipt ? `（${egovTime(receipt.arriveDate)}）` : ''}\n` +
          `補正した案件: 到達番号 ${arriveId}（${shown(original.procedureName, 60)}）。\n` +
          `補正の結果は todoke sync${profileFlag(ctx)} と todoke status${profileFlag(ctx)} ${entry.newArriveId ?? arriveId} で確かめられます。\n`,
      );
      return EXIT_OK;
    }),
  );
}

/** The diff summary: each file that differs, and its changed fields (the first SHOWN_FIELDS). */
export function changesText(changes: readonly FileComparison[]): string {
  const differing = changes.filter((c) => c.change !== 'same');
  if (!differing.length) return '提出済みの申請と比べて、変更されたファイルはありません。\n';
  const lines = ['提出済みの申請との違い:'];
  for (const c of differing) {
    lines.push(`  ${shown(c.name, 80)}: ${CHANGE_JA[c.change]}`);
    if (c.fieldsError) lines.push(`    （${c.fieldsError.messageJa}）`);
    for (const f of c.fields?.changes.slice(0, SHOWN_FIELDS) ?? []) {
      const what = f.change === 'changed' ? `「${shown(f.before, 60)}」→「${shown(f.after, 60)}」` : f.change === 'added' ? `追加「${shown(f.after, 60)}」` : `削除「${shown(f.before, 60)}」`;
      lines.push(`    ${shown(f.path, 120)}: ${what}`);
    }
    const more = (c.fields?.total ?? 0) - Math.min(SHOWN_FIELDS, c.fields?.changes.length ?? 0);
    if (more > 0) lines.push(`    ほか ${more} 項目`);
  }
  return `${lines.join('\n')}\n`;
}

function withNextStep(ctx: FilingContext, e: unknown): unknown {
  if (!(e instanceof AmendmentError)) return e;
  const p = profileFlag(ctx);
  const next: Partial<Record<AmendmentError['code'], string>> = {
    AMENDMENT_DELIVERY_UNKNOWN: '同じコマンドをもう一度実行すると、状況照会で届いたかどうかを確かめます（送り直しはしません）。',
    AMENDMENT_EXISTS: `補正の状態は todoke outbox${p} で確かめられます。判断待ちのものは todoke outbox decide${p} 送信ID --arrived | --not-arrived で記録できます。`,
    AMENDMENT_NOT_SENT: '原因を取り除いてから、同じコマンドをもう一度実行してください。',
  };
  const add = next[e.code];
  if (!add) return e;
  return new AmendmentError(e.code, { ja: `${e.messageJa} ${add}`, en: e.message }, { cause: e.cause, ...(e.detail ? { detail: e.detail } : {}) });
}

const AMENDMENT_STATE_TEXT: Record<string, string> = {
  ready: '未送信',
  sending: '送信中',
  done: '到達',
  unknown: '届いたか不明（照合待ち）',
  'ready-for-resend': '届いていない（照合済み）',
  ambiguous: '判断待ち',
  failed: '受付不可・置き換え済み',
};

/** Lines for `todoke status`: the links between a case and its 補正. */
export function amendmentLinkLines(cases: Pick<CaseStore, 'get'>, outbox: FilingContext['outbox'], arriveId: string): string[] {
  const lines: string[] = [];
  const c = cases.get(arriveId);
  if (c?.amendmentOf) lines.push(`  補正: この案件は到達番号 ${c.amendmentOf} の補正です。`);
  for (const e of outbox.amendmentsOf(arriveId)) {
    const stored = e.newArriveId ? cases.get(e.newArriveId) : null;
    const number = e.newArriveId ? `到達番号 ${e.newArriveId}` : e.amendmentKind === 'partamend' ? '到達番号は元の案件のまま' : '到達番号不明';
    const state = AMENDMENT_STATE_TEXT[e.state] ?? e.state;
    lines.push(`  補正: ${API_NAMES[e.amendmentKind ?? 'amendapply']}（${number}、${state}${stored ? `、状況 ${shown(stored.status, 40)}` : ''}）`);
  }
  return lines;
}
