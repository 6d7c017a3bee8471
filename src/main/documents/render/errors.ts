// Core host (Node). Why a notice could not be shown, as typed codes with Japanese messages that say
// what to do. The document itself is never at fault for the filer: each message says that the file
// as received is kept and can still be exported.
import { TodokeError } from '../../../shared/errors.js';

export type RenderErrorCode =
  /** the document XML is not well-formed, not UTF-8, carries a DOCTYPE/entities, or is over the size limit */
  | 'RENDER_BAD_XML'
  /** the stylesheet is not well-formed XML, carries a DOCTYPE/entities, or the XSLT processor refused it */
  | 'RENDER_BAD_XSL'
  /** the stylesheet asked to load something (xsl:include / xsl:import); nothing was loaded */
  | 'RENDER_EXTERNAL_LOAD'
  /** the transformation ran longer than the time limit and was stopped */
  | 'RENDER_TIMEOUT'
  /** the transformation produced more output, or used more memory, than allowed and was stopped */
  | 'RENDER_TOO_LARGE'
  /** the input names a file the ZIP does not hold */
  | 'RENDER_MISSING_FILE'
  /** the XSLT worker ended for another reason (a bug of ours or of the processor) */
  | 'RENDER_WORKER_FAILED';

export class RenderError extends TodokeError<RenderErrorCode> {
  constructor(code: RenderErrorCode, messages: { ja: string; en: string }, options: { cause?: unknown; detail?: Record<string, unknown> } = {}) {
    super(code, messages, options);
    this.name = 'RenderError';
  }
}

export function isRenderError(e: unknown, code?: RenderErrorCode): e is RenderError {
  return e instanceof RenderError && (code === undefined || e.code === code);
}

const KEPT = '受け取ったファイルはそのまま保存されています。ZIP を書き出して別の方法で開くこともできます。';

export function badXml(name: string, reason: string, cause?: unknown): RenderError {
  return new RenderError(
    'RENDER_BAD_XML',
    { ja: `文書「${name}」を読み込めないため表示できません（${reason}）。${KEPT}`, en: `cannot read document ${name}: ${reason}` },
    { cause, detail: { file: name, reason } },
  );
}

export function badXsl(name: string, reason: string, cause?: unknown): RenderError {
  return new RenderError(
    'RENDER_BAD_XSL',
    {
      ja: `スタイルシート「${name}」を使えないため表示できません（${reason}）。${KEPT}`,
      en: `cannot use stylesheet ${name}: ${reason}`,
    },
    { cause, detail: { file: name, reason } },
  );
}

export function externalLoad(name: string, target: string): RenderError {
  return new RenderError(
    'RENDER_EXTERNAL_LOAD',
    {
      ja: `スタイルシート「${name}」が外部のファイル（${target}）を読み込もうとしたため、安全のため表示を中止しました。何も読み込んでいません。${KEPT}`,
      en: `stylesheet ${name} tried to load ${target}; nothing was loaded`,
    },
    { detail: { file: name, target } },
  );
}

export function renderTimeout(name: string, ms: number): RenderError {
  const seconds = Math.max(1, Math.round(ms / 1000));
  return new RenderError(
    'RENDER_TIMEOUT',
    {
      ja: `スタイルシート「${name}」による表示の作成が ${seconds} 秒以内に終わらなかったため中止しました。スタイルシートが壊れているか、終わらない処理を含んでいます。${KEPT}`,
      en: `rendering with ${name} did not finish within ${ms} ms and was stopped`,
    },
    { detail: { file: name, timeoutMs: ms } },
  );
}

/** `limit`: bytes for 'output', MB for 'memory', unused for 'depth' (the worker's stack) */
export function renderTooLarge(name: string, what: 'output' | 'memory' | 'depth', limit: number): RenderError {
  const ja =
    what === 'output'
      ? `スタイルシート「${name}」による表示が大きくなりすぎたため（上限 ${Math.max(1, Math.round(limit / 1024 / 1024))} MB）中止しました。`
      : what === 'memory'
        ? `スタイルシート「${name}」による表示の作成がメモリーの上限（${limit} MB）を超えたため中止しました。`
        : `スタイルシート「${name}」の処理の入れ子（再帰）が深くなりすぎたため中止しました。`;
  return new RenderError(
    'RENDER_TOO_LARGE',
    {
      ja: `${ja}スタイルシートが壊れているか、異常に大きな出力を作ろうとしています。${KEPT}`,
      en: what === 'depth' ? `rendering with ${name} nested too deeply (stack exhausted)` : `rendering with ${name} exceeded the ${what} limit (${limit})`,
    },
    { detail: { file: name, what, limit } },
  );
}

export function missingFile(name: string): RenderError {
  return new RenderError(
    'RENDER_MISSING_FILE',
    {
      ja: `表示する文書「${name}」が受け取ったファイルの中にありません。もう一度取得し直してください。`,
      en: `the notice holds no file named ${name}`,
    },
    { detail: { file: name } },
  );
}

export function workerFailed(name: string, reason: string): RenderError {
  return new RenderError(
    'RENDER_WORKER_FAILED',
    {
      ja: `スタイルシート「${name}」で表示を作成する処理が異常終了しました。もう一度開いてみてください。繰り返す場合は不具合としてお知らせください。${KEPT}`,
      en: `the XSLT worker failed while rendering with ${name}: ${reason}`,
    },
    { detail: { file: name, reason } },
  );
}
