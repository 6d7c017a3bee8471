// Main process (CLI host). `todoke apply DIR|ZIP... [--wait] [--resend-of 送信番号]...`: the 一括申請
// use case (src/main/filing) on the saved profile. The data is read and checked as `todoke check`
// does (errors: the check's report, exit 1, nothing signed); every kousei.xml is signed in memory
// with the profile's signer; the request is recorded in the outbox before it leaves, sent once, and
// its 送信番号 printed at once. With --wait, 送信案件一覧 is asked until WorkStatus is empty and the
// arrived applications are printed. Nothing is ever resent here: data sent before needs its
// 送信番号 named (--resend-of), and a delivery that is not known is left to `todoke outbox`.
import { lstat, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { checkApplicationDataInSteps } from '../../application/check.js';
import { isApplicationError } from '../../application/errors.js';
import type { ApplicationData } from '../../application/model.js';
import type { CheckReport } from '../../application/problems.js';
import { readApplicationFolders } from '../../application/read-folders.js';
import { readApplicationZip } from '../../application/read-zip.js';
import { FilingError } from '../../filing/errors.js';
import { BatchFollower } from '../../filing/follow-batch.js';
import { BatchSender, type SendBatchInput, type SendBatchResult } from '../../filing/send-batch.js';
import { openSignerFor } from '../../identity/signer-reference.js';
import type { OutboxEntry } from '../../store/outbox.js';
import { profileFlag } from '../identity-context.js';
import { printJson } from '../identity-output.js';
import type { CliIo } from '../io.js';
import { EXIT_INVALID, EXIT_OK } from '../io.js';
import { filingOptions, sendNumberArg, withFiling, type FilingContext } from '../filing-context.js';
import { applicationJson, applicationLines, egovTime, entryJson } from '../filing-output.js';
import { shown } from '../shown.js';
import { UsageError } from '../usage-error.js';
import { checkCommand } from './check.js';

/**
 * --wait: 送信案件一覧 is asked after 1, 2, 5 and 10 seconds, then every 15 seconds (e-Gov's 形式チェック
 * takes seconds to minutes: early answers come quickly, later ones without load), for at most 10 minutes.
 */
export const WAIT_SCHEDULE_MS = [1_000, 2_000, 5_000, 10_000] as const;
export const WAIT_INTERVAL_MS = 15_000;
export const WAIT_MAX_MS = 10 * 60_000;

export async function applyCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { ...filingOptions, wait: { type: 'boolean', default: false }, 'resend-of': { type: 'string', multiple: true } },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length === 0) {
    throw new UsageError('送信する申請データのフォルダーか ZIP ファイルを指定してください。', 'give the application folders or the ZIP to send');
  }
  const resendOf = (values['resend-of'] ?? []).map((n) => sendNumberArg(n, '--resend-of'));
  const paths = positionals.map((p) => resolve(io.cwd, p));
  const kinds = await Promise.all(paths.map((p, i) => kindOf(p, positionals[i] as string)));
  const zips = kinds.filter((k) => k === 'zip').length;
  if (zips > 0 && paths.length > 1) {
    throw new UsageError(
      'ZIP ファイルは 1 つだけで指定してください（フォルダーと一緒にも、2 つ以上も指定できません）。1 回の申請データは ZIP 1 つか、フォルダー（いくつでも）のどちらかです。',
      'one batch is one ZIP alone or folders',
    );
  }

  // Read and check as `todoke check` does; with errors, its report is what the person needs.
  let data: ApplicationData;
  let report: CheckReport;
  try {
    data = zips === 1 ? await readApplicationZip(paths[0] as string) : await readApplicationFolders(paths);
    report = await checkApplicationDataInSteps(data);
  } catch (e) {
    if (!isApplicationError(e)) throw e;
    return refuseWithReport(positionals, values.json, io);
  }
  if (!report.ok || report.errors > 0) return refuseWithReport(positionals, values.json, io);
  if (report.warnings > 0) {
    io.stderr(`警告 ${report.warnings} 件（送信は止めません。内容は todoke check で確かめられます）:\n`);
    for (const p of report.problems) if (p.severity === 'warning') io.stderr(`  警告  ${p.file !== undefined ? `${shown(p.file)}  ` : ''}${shown(p.messageJa, 300)}\n`);
  }

  return withFiling(io, values, async (ctx) => {
    const { profile, credentials } = ctx;
    const sender = new BatchSender({
      outbox: ctx.outbox,
      session: ctx.session,
      gateway: ctx.gateway,
      // signing an application is not one of the core's identity purposes; the prompt names the CLI's own
      defaultSigner: () => openSignerFor(profile.signer, credentials.askFor('sign.kousei'), { purpose: 'login' }),
      now: () => io.now(),
    });
    const { result, resumed } = await send(ctx, sender, { data, report, ...(resendOf.length ? { confirmedEarlierSends: resendOf } : {}) });
    const { entry, receipt } = result;
    const headline = `${resumed ? '送信箱に残っていた未送信の同じ申請データを送信しました' : '送信しました'}。送信番号 ${receipt.sendNumber}（${egovTime(receipt.sendDate)}、申請 ${receipt.sendApplyCount} 件）`;
    if (values.json) io.stderr(`${headline}\n`);
    else io.stdout(`${headline}\n`);
    if (!values.wait) {
      if (values.json) printJson(io, { ...sentJson(entry, receipt.errorCount, resumed), waited: false });
      else io.stdout(`形式チェックの結果は todoke sends${profileFlag(ctx)} --id ${receipt.sendNumber} で確かめられます（到達番号は形式チェックの後に付きます）。\n`);
      return EXIT_OK;
    }
    if (!values.json) io.stdout(`形式チェックの結果を待っています（最長 ${WAIT_MAX_MS / 60_000} 分）…\n`);
    const followed = await follow(ctx, entry.id);
    const apps = ctx.outbox.applications(entry.id);
    const done = followed.state === 'done';
    const allArrived = done && apps.length === entry.applicationCount;
    if (values.json) {
      printJson(io, { ...sentJson(followed, receipt.errorCount, resumed), waited: true, done, applications: apps.map(applicationJson) });
    } else if (!done) {
      io.stdout(
        `${WAIT_MAX_MS / 60_000} 分待ちましたが、形式チェックはまだ終わっていません（${shown(followed.workStatus ?? '', 40)}）。` +
          `送信は済んでいます。あとで todoke sends${profileFlag(ctx)} --id ${receipt.sendNumber} で確かめてください。\n`,
      );
    } else {
      io.stdout(`形式チェックが終わりました。到達した申請 ${apps.length} 件（送信 ${entry.applicationCount} 件）:\n${applicationLines(apps, '  ').join('\n')}\n`);
      if (!allArrived) {
        io.stdout(`${entry.applicationCount - apps.length} 件は形式チェックでエラーになり、到達していません。内容は todoke sends${profileFlag(ctx)} --id ${receipt.sendNumber} で確かめてください。\n`);
      }
    }
    return allArrived ? EXIT_OK : EXIT_INVALID;
  });
}

/** The check's own report (text or JSON) and exit 1; a message on stderr says nothing was sent. */
async function refuseWithReport(positionals: string[], json: boolean | undefined, io: CliIo): Promise<number> {
  await checkCommand([...positionals, ...(json ? ['--json'] : [])], io);
  io.stderr('エラー [FILING_CHECK_FAILED]: 申請データに誤りがあるため送信しません。署名も記録もしていません。\n');
  return EXIT_INVALID;
}

/** Records and sends (or resumes the same data left unsent), adding the CLI's next step to a failure. */
async function send(ctx: FilingContext, sender: BatchSender, input: SendBatchInput): Promise<{ result: SendBatchResult; resumed: boolean }> {
  try {
    const { resumed, ...result } = await sender.sendOrResume(input);
    return { result, resumed };
  } catch (e) {
    throw withNextStep(ctx, e);
  }
}

/** A FilingError's message, with the command that moves things on. */
function withNextStep(ctx: FilingContext, e: unknown): unknown {
  if (!(e instanceof FilingError)) return e;
  const p = profileFlag(ctx);
  const next: Partial<Record<FilingError['code'], string>> = {
    FILING_DELIVERY_UNKNOWN: `todoke outbox${p} を実行すると、送信案件一覧と照合して結果を記録します（再送信はしません）。`,
    FILING_SAME_DATA_IN_FLIGHT: `todoke outbox${p} で、その送信の状態を確かめてください。`,
    FILING_SAME_DATA_SENT: `このコマンドでは ${((e.detail?.earlierSendNumbers as string[] | undefined) ?? ['送信番号']).map((n) => `--resend-of ${n}`).join(' ')} を付けて実行すると再送信します。`,
    FILING_NOT_SENT: `原因を取り除いてから、同じコマンドをもう一度実行してください（記録したデータを送信します）。`,
  };
  const add = next[e.code];
  if (!add) return e;
  return new FilingError(e.code, { ja: `${e.messageJa} ${add}`, en: e.message }, { cause: e.cause, ...(e.detail ? { detail: e.detail } : {}) });
}

/** followOnce on the wait schedule until `done` or WAIT_MAX_MS (real time) has passed. */
async function follow(ctx: FilingContext, entryId: string): Promise<OutboxEntry> {
  const follower = new BatchFollower({ outbox: ctx.outbox, session: ctx.session, gateway: ctx.gateway });
  const deadline = Date.now() + WAIT_MAX_MS;
  for (let i = 0; ; i++) {
    const pause = WAIT_SCHEDULE_MS[i] ?? WAIT_INTERVAL_MS;
    const left = deadline - Date.now();
    if (left <= 0) return ctx.outbox.get(entryId) as OutboxEntry;
    await delay(Math.min(pause, left));
    const entry = await follower.followOnce(entryId);
    if (entry.state === 'done') return entry;
  }
}

function sentJson(entry: OutboxEntry, simpleCheckErrors: number, resumed: boolean) {
  const { applications: _none, ...outboxEntry } = entryJson(entry, []);
  return { sendNumber: entry.sendNumber, sendDate: entry.sendDate, sendApplyCount: entry.sendApplyCount, errorCount: simpleCheckErrors, resumed, entry: outboxEntry };
}

/** A folder is read as application folders; anything else (a .zip, any file) as a batch ZIP. */
async function kindOf(path: string, given: string): Promise<'zip' | 'folder'> {
  const info = await stat(path).catch(() => null);
  if (info === null) {
    if ((await lstat(path).catch(() => null))?.isSymbolicLink()) return 'folder';
    throw new UsageError(`「${shown(given)}」が見つかりません。`, `${given} does not exist`);
  }
  if (info.isDirectory()) return 'folder';
  if (info.isFile()) return 'zip';
  throw new UsageError(`「${shown(given)}」はフォルダーでも ZIP ファイルでもありません。`, `${given} is neither a folder nor a file`);
}
