// Runs in the preload and in the harness page (and is type-checked against the renderer). The one
// API the renderer is written against, `window.todoke`, computed from contract.ts: one function per
// operation, named exactly like the operation (`todoke['certificate.describe'](args)`), plus
// `onEvent` and `stageFiles`. Every host builds it with createBridge over its own transport, so the
// shape cannot drift.
import type { ErrorPayload } from './errors.js';
import { operationNames } from './contract.js';
import type { Envelope, OperationArgs, OperationName, OperationResult, TodokeEvent } from './contract.js';

/** Operations whose argument object is empty may be called without it: `todoke['app.info']()`. */
type ArgsTuple<A> = Record<string, never> extends A ? [args?: A] : [args: A];

export type OperationFunctions = {
  readonly [N in OperationName]: (...args: ArgsTuple<OperationArgs<N>>) => Promise<Envelope<OperationResult<N>>>;
};

export type EventListener = (event: TodokeEvent) => void;

/**
 * Files chosen in the page, as paths the core can read (ARCHITECTURE "Contract and IPC": files
 * enter the core by path, never as bytes inside IPC arguments). One path per thing chosen: the
 * folder for files picked with `<input webkitdirectory>` (from their `webkitRelativePath`), the
 * file itself otherwise.
 */
export interface StagedFiles {
  paths: string[];
}

export interface TodokeApi extends OperationFunctions {
  /** Listens to every core event; returns the function that stops listening. */
  readonly onEvent: (listener: EventListener) => () => void;
  /**
   * The paths of chosen files. Electron: where they are on disk (`webUtils.getPathForFile`). The
   * web harness: uploaded into a fresh staging folder under the core's home first.
   */
  readonly stageFiles: (files: readonly File[]) => Promise<Envelope<StagedFiles>>;
  /** Where the host serves a kept notice's rendered page (a frame's src; src/shared/notice-page.ts). */
  readonly noticePageUrl: (id: number) => string;
}

/** How a host moves one request to the core and events back. Never throws for a failed call: resolves with an error envelope. */
export interface BridgeTransport {
  invoke(name: OperationName, args: unknown): Promise<Envelope<unknown>>;
  subscribe(listener: EventListener): () => void;
  /** Called with a non-empty array of file-like objects; never throws. */
  stageFiles(files: readonly File[]): Promise<Envelope<StagedFiles>>;
  noticePageUrl(id: number): string;
}

/** The names `createBridge` exposes besides the operations. */
export const bridgeExtras = ['onEvent', 'stageFiles', 'noticePageUrl'] as const;

/** Files the page may hand over in one go (a folder of 100 applications with their attachments). */
export const MAX_STAGED_FILES = 5000;

export function createBridge(transport: BridgeTransport): TodokeApi {
  const api: Record<string, unknown> = {};
  for (const name of operationNames) {
    api[name] = (args?: unknown) => transport.invoke(name, args === undefined ? {} : args);
  }
  api.onEvent = (listener: EventListener) => {
    if (typeof listener !== 'function') throw new TypeError('onEvent expects a function');
    return transport.subscribe(listener);
  };
  api.stageFiles = async (files: readonly File[]) => {
    if (!Array.isArray(files) || files.length === 0) return { ok: false, error: filesNotStaged('no files were given') };
    if (files.length > MAX_STAGED_FILES) return { ok: false, error: filesTooLarge(`more than ${MAX_STAGED_FILES} files`) };
    if (!files.every(isFileLike)) return { ok: false, error: filesNotStaged('not a list of files') };
    try {
      return await transport.stageFiles(files);
    } catch (e) {
      return { ok: false, error: filesNotStaged(e instanceof Error ? e.message : String(e)) };
    }
  };
  api.noticePageUrl = (id: number) => {
    if (!Number.isSafeInteger(id) || id < 1) throw new TypeError('noticePageUrl expects a notice id');
    return transport.noticePageUrl(id);
  };
  return Object.freeze(api) as unknown as TodokeApi;
}

/** The error a transport reports when the request never reached the core or its answer was lost. */
export function transportError(detail: string): ErrorPayload {
  return {
    code: 'TRANSPORT_FAILED',
    message: `could not reach the Todoke core: ${detail}`,
    messageJa: 'アプリ内部の通信に失敗しました。もう一度お試しください。解決しない場合は、アプリを再起動してください。',
  };
}

function isFileLike(value: unknown): value is File {
  // Not `instanceof File`: a File that crossed Electron's contextBridge belongs to another world.
  return typeof value === 'object' && value !== null && typeof (value as File).name === 'string' && typeof (value as File).size === 'number';
}

/** The chosen files could not be turned into paths (not on disk, an upload refused or cut short). */
export function filesNotStaged(detail: string): ErrorPayload {
  return {
    code: 'FILES_NOT_STAGED',
    message: `the chosen files could not be handed to the Todoke core: ${detail}`,
    messageJa: '選んだファイルを読み込めませんでした。ファイルがパソコン上にあるか確かめて、もう一度選んでください。',
  };
}

/** The chosen files are more or larger than one batch of 申請データ can be. */
export function filesTooLarge(detail: string): ErrorPayload {
  return {
    code: 'FILES_TOO_LARGE',
    message: `the chosen files are too many or too large: ${detail}`,
    messageJa: '選んだファイルが多すぎるか、大きすぎます。1 回の申請データにまとめられる分だけを選んでください。',
  };
}
