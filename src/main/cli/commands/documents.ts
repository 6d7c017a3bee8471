// Main process (CLI host). `todoke doc get|done|verify|show 到達番号 N` and `todoke comment get|done
// 到達番号 N`: a 公文書 or コメント of a case, one step at a time, as e-Gov's API separates them —
//   get     公文書取得 / コメント通知取得 → vault → recorded kept → (公文書) Todoke's own verification;
//           --out DIR writes the files there too. Never 取得完了: the person says when (done).
//   done    公文書取得完了 / コメント通知取得完了, only for what the vault on this PC holds: the rule that
//           nothing is declared received that is not kept (ARCHITECTURE "Data that must never be lost").
//   verify  Todoke's check and e-Gov's 公文書署名検証 side by side; exit 0 only when both say so.
//   show    the text of the document, its files and verdicts; --html FILE writes the rendered page.
// The steps are NoticeFetcher's (src/main/documents/notice-fetch.ts), as the app uses them.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import type { RemoteVerification } from '../../../shared/documents.js';
import { isTodokeError } from '../../../shared/errors.js';
import { keptFilesOf } from '../../documents/kept-files.js';
import { NoticeError } from '../../documents/notice-errors.js';
import { mainXmlOf } from '../../documents/notice-fetch.js';
import { noticeText } from '../../documents/notice-text.js';
import { renderNotice, stopRenderWorkers } from '../../documents/render/render-notice.js';
import { remoteVerdict } from '../../documents/verify-document.js';
import type { NoticeRecord } from '../../store/notices.js';
import { filingOptions } from '../filing-context.js';
import { egovTime } from '../filing-output.js';
import { profileFlag } from '../identity-context.js';
import { jstDisplay, printJson } from '../identity-output.js';
import type { CliIo } from '../io.js';
import { EXIT_INVALID, EXIT_OK } from '../io.js';
import { noticeTarget } from '../notice-args.js';
import { keptNotice, listedNotice, withNotices } from '../notice-context.js';
import { fileLines, KIND_JA, localLines, noticeJson, noticeLines, remoteLines, VERDICT_JA } from '../notice-output.js';
import { shown } from '../shown.js';
import { UsageError } from '../usage-error.js';
import { writeFileOut, writeFilesInto, type OutFile } from '../write-out.js';

type Fetched = 'document' | 'comment';
const COMMAND: Record<Fetched, string> = { document: 'doc', comment: 'comment' };

export async function docCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'get') return getCommand('document', rest, io);
  if (sub === 'done') return doneCommand('document', rest, io);
  if (sub === 'verify') return verifyCommand(rest, io);
  if (sub === 'show') return showCommand(rest, io);
  throw new UsageError(`todoke doc の後には get / done / verify / show のどれかを指定してください（「${shown(sub ?? '', 20)}」）。`, 'todoke doc get|done|verify|show');
}

export async function commentCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'get') return getCommand('comment', rest, io);
  if (sub === 'done') return doneCommand('comment', rest, io);
  throw new UsageError(`todoke comment の後には get か done を指定してください（「${shown(sub ?? '', 20)}」）。`, 'todoke comment get|done');
}

async function getCommand(kind: Fetched, args: string[], io: CliIo): Promise<number> {
  const usage = `todoke ${COMMAND[kind]} get 到達番号 通知番号 [--out フォルダー [--force]]`;
  const { values, positionals } = parseArgs({ args, options: { ...filingOptions, out: { type: 'string' }, force: { type: 'boolean', default: false } }, strict: true, allowPositionals: true });
  const { arriveId, noticeSubId } = noticeTarget(positionals, usage);
  if (values.out === '') throw new UsageError('--out には書き出すフォルダーを指定してください。', '--out takes a folder');
  if (values.force && values.out === undefined) throw new UsageError('--force は --out と一緒に使います。', '--force goes with --out');
  return withNotices(io, values, async (nc) => {
    const listed = await listedNotice(nc, arriveId, kind, noticeSubId);
    const downloaded = await nc.fetcher.keepOne(listed.id);
    const record = nc.notices.get(listed.id)!;
    const files = await keptFilesOf(nc.vault, record.files);
    const out = values.out !== undefined && !record.refusal ? await writeFilesInto(values.out, [...files].map(([name, bytes]) => ({ name, bytes })), values.force) : null;
    const text = kind === 'comment' ? textOf(record, files) : null;
    const p = profileFlag(nc.ctx);
    if (values.json) {
      printJson(io, { notice: noticeJson(record), downloaded, files: record.files, verification: kind === 'document' ? record.localVerification : null, text, out: out && outJson(values.out!, out), completed: record.doneAt !== null });
      return EXIT_OK;
    }
    const lines = [
      `${KIND_JA[kind]} ${noticeSubId}「${shown(record.title, 80)}」（到達番号 ${arriveId}）を${downloaded ? '取得して保管しました' : 'この PC の保管庫にすでに保管しています（取得し直していません）'}。`,
      ...noticeLines(record),
    ];
    if (record.refusal) lines.push(`受け取った ZIP は原本のまま保管しましたが、中身を開けません: ${shown(record.refusal.message, 300)}${values.out !== undefined ? ' そのため --out には何も書き出していません。' : ''}`);
    else lines.push('ファイル:', ...fileLines(record.files));
    if (kind === 'document' && !record.refusal) lines.push('Todoke による署名の検証:', ...localLines(record.localVerification as Parameters<typeof localLines>[0]));
    if (text) lines.push('本文:', ...text.split('\n').map((l) => `  ${shown(l, 300)}`));
    if (out) lines.push(...outLines(values.out!, out));
    lines.push(
      record.doneAt !== null
        ? `取得完了は送信済みです（${jstDisplay(new Date(record.doneAt))}）。`
        : `取得完了はまだ送っていません。内容を確かめたら todoke ${COMMAND[kind]} done${p} ${arriveId} ${noticeSubId} で送ってください。`,
    );
    io.stdout(`${lines.join('\n')}\n`);
    return EXIT_OK;
  });
}

async function doneCommand(kind: Fetched, args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: filingOptions, strict: true, allowPositionals: true });
  const { arriveId, noticeSubId } = noticeTarget(positionals, `todoke ${COMMAND[kind]} done 到達番号 通知番号`);
  return withNotices(io, values, async (nc) => {
    const record = keptNotice(nc, arriveId, kind, noticeSubId, '取得完了を送りません');
    const { sent, receipt } = await nc.fetcher.completeOne(record.id);
    const after = nc.notices.get(record.id)!;
    if (values.json) {
      printJson(io, { notice: noticeJson(after), sent, receipt });
      return EXIT_OK;
    }
    const when = receipt?.downloadDate ? `（e-Gov の記録 ${egovTime(receipt.downloadDate)}）` : '';
    io.stdout(
      sent
        ? `${KIND_JA[kind]} ${noticeSubId}「${shown(after.title, 80)}」（到達番号 ${arriveId}）の取得完了を送りました${when}。\n`
        : `${KIND_JA[kind]} ${noticeSubId}「${shown(after.title, 80)}」（到達番号 ${arriveId}）の取得完了は送信済みです${when}。もう一度は送りません。\n`,
    );
    return EXIT_OK;
  });
}

async function verifyCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: filingOptions, strict: true, allowPositionals: true });
  const { arriveId, noticeSubId } = noticeTarget(positionals, 'todoke doc verify 到達番号 通知番号');
  return withNotices(io, values, async (nc) => {
    const record = keptNotice(nc, arriveId, 'document', noticeSubId, '検証できません');
    const local = await nc.fetcher.verifyLocally(record.id);
    let remote: RemoteVerification | null = null;
    let remoteError: { code: string; message: string } | null = null;
    if (!record.refusal) {
      try {
        remote = await nc.fetcher.verifyRemotely(record.id);
      } catch (e) {
        if (!isTodokeError(e)) throw e;
        remoteError = { code: e.code, message: e.messageJa };
        nc.notices.recordError(record.id, remoteError);
      }
    }
    const remoteOk = remote !== null && remoteVerdict(remote);
    const ok = local?.verdict === 'valid' && remoteOk;
    const after = nc.notices.get(record.id)!;
    if (values.json) {
      printJson(io, { notice: noticeJson(after), ok, local, remote: remote && { ok: remoteOk, result: remote }, remoteError });
      return ok ? EXIT_OK : EXIT_INVALID;
    }
    const lines = [`公文書 ${noticeSubId}「${shown(after.title, 80)}」（到達番号 ${arriveId}）の署名の検証`];
    if (record.refusal) lines.push(`  受け取った ZIP の中身を開けないため、検証できません: ${shown(record.refusal.message, 300)}`);
    lines.push('Todoke による検証:', ...localLines(local), 'e-Gov の公文書署名検証:', ...remoteLines(remote, remoteError));
    lines.push(
      '',
      ok
        ? '結果: 有効（Todoke の検証も e-Gov の検証も問題ありません）。'
        : `結果: 有効と確認できませんでした（Todoke: ${local ? VERDICT_JA[local.verdict] : '検証できません'}、e-Gov: ${remote ? (remoteOk ? '正常' : '正常ではありません') : '確かめられませんでした'}）。`,
    );
    io.stdout(`${lines.join('\n')}\n`);
    return ok ? EXIT_OK : EXIT_INVALID;
  });
}

async function showCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { ...filingOptions, html: { type: 'string' }, force: { type: 'boolean', default: false } }, strict: true, allowPositionals: true });
  const { arriveId, noticeSubId } = noticeTarget(positionals, 'todoke doc show 到達番号 通知番号 [--html ファイル [--force]]');
  if (values.html === '') throw new UsageError('--html には書き出すファイルを指定してください。', '--html takes a file');
  if (values.force && values.html === undefined) throw new UsageError('--force は --html と一緒に使います。', '--force goes with --html');
  return withNotices(io, values, async (nc) => {
    const record = keptNotice(nc, arriveId, 'document', noticeSubId, '表示できません');
    nc.notices.markRead(record.id);
    const files = await keptFilesOf(nc.vault, record.files);
    const text = textOf(record, files);
    const html = values.html !== undefined ? await renderedOut(record, files, values.html, values.force) : null;
    const after = nc.notices.get(record.id)!;
    const remote = after.remoteVerification;
    if (values.json) {
      printJson(io, { notice: noticeJson(after), text, files: after.files, verification: { local: after.localVerification, remote: remote && { ok: remoteVerdict(remote), result: remote } }, html });
      return EXIT_OK;
    }
    const lines = [`公文書 ${noticeSubId}「${shown(after.title, 80)}」（到達番号 ${arriveId}）`, ...noticeLines(after)];
    if (after.refusal) lines.push(`  中身を開けません: ${shown(after.refusal.message, 300)}`);
    lines.push('本文:', ...(text ? text.split('\n').map((l) => `  ${shown(l, 300)}`) : ['  （本文を読み取れませんでした）']));
    lines.push('ファイル:', ...fileLines(after.files));
    lines.push('Todoke による署名の検証:', ...localLines(after.localVerification as Parameters<typeof localLines>[0]), 'e-Gov の公文書署名検証:', ...remoteLines(remote, null));
    if (html) {
      lines.push(`表示用の HTML を書き出しました: ${shown(html.path, 300)}（${html.state === 'unchanged' ? '同じ内容のため書き換えていません' : html.state === 'replaced' ? '置き換えました' : '新しく作りました'}、様式: ${html.stylesheet}）`);
      for (const w of html.warnings) lines.push(`  注意: ${shown(w, 300)}`);
    }
    io.stdout(`${lines.join('\n')}\n`);
    return EXIT_OK;
  });
}

/** The main XML's words, '' when there is none or it cannot be read (the files are still listed). */
function textOf(record: NoticeRecord, files: ReadonlyMap<string, Uint8Array>): string {
  const main = record.refusal ? null : mainXmlOf(record.files, record.listedFileNames);
  const xml = main ? files.get(main.name) : undefined;
  if (!xml) return '';
  try {
    return noticeText(xml);
  } catch {
    return '';
  }
}

/** The page the app shows (sanitised, no script, nothing loaded from outside), written to `path`. */
async function renderedOut(record: NoticeRecord, files: ReadonlyMap<string, Uint8Array>, path: string, force: boolean) {
  const main = record.refusal ? null : mainXmlOf(record.files, record.listedFileNames);
  if (!main) {
    throw new NoticeError('NOTICE_NOT_A_DOCUMENT', { ja: 'この公文書には表示できる XML がないため、--html で書き出せません。ファイルは todoke doc get --out で書き出せます。', en: 'no XML to render' });
  }
  try {
    const r = await renderNotice({ xmlName: main.name, files }, {}, { fallbackToBuiltin: true });
    const written = await writeFileOut(path, main.name, Buffer.from(r.html, 'utf8'), force, '--html');
    const stylesheet = r.stylesheet.source === 'builtin' ? 'Todoke の標準レイアウト' : `${r.stylesheet.source === 'named' ? '文書が指定するもの' : 'ZIP 内のもの'}${r.stylesheet.name ? `（${shown(r.stylesheet.name, 80)}）` : ''}`;
    return { path: written.path, state: written.state, stylesheet, stylesheetSource: r.stylesheet.source, warnings: r.warnings };
  } finally {
    await stopRenderWorkers();
  }
}

function outJson(dir: string, out: readonly OutFile[]) {
  return { dir: resolve(dir), files: out };
}

function outLines(dir: string, out: readonly OutFile[]): string[] {
  const label = { written: '書き出しました', replaced: '置き換えました', unchanged: '同じ内容のためそのまま' } as const;
  return [`${shown(resolve(dir), 200)} に書き出しました:`, ...out.map((f) => `  ${shown(f.path, 300)}（${label[f.state]}）`)];
}
