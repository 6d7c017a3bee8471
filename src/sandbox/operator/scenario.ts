// Sandbox (Node). A scenario: the operator's actions over many cases along a timeline, for demos
// (cases that move while the app is open) and load (thousands of cases changing at once). The
// format is documented in src/sandbox/README.md ("Operator control"). Everything is checked before
// the first step runs; a step that does not fit its case at run time (the case finished meanwhile)
// is reported and the scenario goes on.
import { readFileSync, statSync } from 'node:fs';
import { OperatorError, parseOperatorRequest, type CaseView, type OperatorRequest } from './actions.js';
import { isNoticeAction, parseNoticeRequest, type NoticeAction, type NoticeRequest } from './notice-actions.js';
import { isPaymentAction, parsePaymentRequest, type PaymentAction, type PaymentRequest } from './payment-actions.js';

export const MAX_SCENARIO_BYTES = 1024 * 1024;
export const MAX_SCENARIO_STEPS = 10_000;
export const MAX_IDS_PER_STEP = 10_000;
export const MAX_SELECT_LIMIT = 100_000;
export const MAX_STEP_DELAY_MS = 60 * 60 * 1000;
const MAX_REPORTED_FAILURES = 100;

export type ScenarioAction = OperatorRequest['action'] | NoticeAction | PaymentAction;

export interface ScenarioStep {
  /** real-time wait before this step, after the previous one */
  afterMs: number;
  /** the time the events are stamped with; default the sandbox clock */
  at: Date | null;
  action: ScenarioAction;
  status?: string;
  processType?: string;
  /**
   * a notice or payment action's fields (the admin route's JSON body), checked when the file is read.
   * `pay` / `expire-payment` without a payNumber act on every 未納 of the case: a scenario cannot know
   * the numbers `add-payment` will draw.
   */
  with?: Record<string, unknown>;
  /** the cases: listed, or chosen by status when the step runs */
  target: { ids: string[] } | { select: { status: string | null; limit: number } };
}

export interface Scenario {
  steps: ScenarioStep[];
}

export interface ScenarioResult {
  steps: number;
  performed: number;
  /** every refused action; only the first MAX_REPORTED_FAILURES are listed */
  failureCount: number;
  failures: Array<{ step: number; arriveId: string; code: string; message: string }>;
}

export class ScenarioError extends Error {
  readonly code = 'SCENARIO_INVALID';
  constructor(readonly messageJa: string) {
    super(messageJa);
    this.name = 'ScenarioError';
  }
}

const STEP_KEYS = new Set(['afterMs', 'at', 'action', 'status', 'processType', 'arriveId', 'arriveIds', 'select', 'with']);
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown, max: number, min = 0): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

function checkKeys(o: Record<string, unknown>, allowed: ReadonlySet<string>, where: string): void {
  for (const key of Object.keys(o)) {
    if (!allowed.has(key)) throw new ScenarioError(`${where}に不明な項目「${key.slice(0, 40)}」があります（使える項目: ${[...allowed].join(', ')}）。`);
  }
}

function parseStep(raw: unknown, n: number): ScenarioStep {
  const where = `steps[${n}] `;
  if (!isObject(raw)) throw new ScenarioError(`${where}はオブジェクトで書いてください。`);
  checkKeys(raw, STEP_KEYS, where);
  if (raw.afterMs !== undefined && !isCount(raw.afterMs, MAX_STEP_DELAY_MS)) throw new ScenarioError(`${where}の afterMs は 0〜${MAX_STEP_DELAY_MS} の整数（ミリ秒）にしてください。`);
  let at: Date | null = null;
  if (raw.at !== undefined) {
    at = typeof raw.at === 'string' && ISO_WITH_ZONE.test(raw.at) ? new Date(raw.at) : null;
    if (!at || Number.isNaN(at.getTime())) throw new ScenarioError(`${where}の at は時差付きの ISO-8601 で書いてください（例: 2026-01-15T10:00:00+09:00）。`);
  }
  const targets = ['arriveId', 'arriveIds', 'select'].filter((k) => raw[k] !== undefined);
  if (targets.length !== 1) throw new ScenarioError(`${where}には arriveId、arriveIds、select のどれか 1 つで対象の案件を指定してください。`);
  let target: ScenarioStep['target'];
  let firstId: unknown = '0000000000000000';
  if (raw.arriveId !== undefined) {
    target = { ids: [raw.arriveId as string] };
    firstId = raw.arriveId;
  } else if (raw.arriveIds !== undefined) {
    if (!Array.isArray(raw.arriveIds) || raw.arriveIds.length === 0 || raw.arriveIds.length > MAX_IDS_PER_STEP) {
      throw new ScenarioError(`${where}の arriveIds は 1〜${MAX_IDS_PER_STEP} 個の到達番号の配列にしてください。`);
    }
    target = { ids: raw.arriveIds as string[] };
  } else {
    const select = raw.select;
    if (!isObject(select)) throw new ScenarioError(`${where}の select はオブジェクト（{"status": "到達", "limit": 100}）で書いてください。`);
    checkKeys(select, new Set(['status', 'limit']), `${where}の select `);
    if (select.status !== undefined && (typeof select.status !== 'string' || select.status.length === 0 || select.status.length > 200)) {
      throw new ScenarioError(`${where}の select.status は 1〜200 文字の文字列にしてください。`);
    }
    if (!isCount(select.limit, MAX_SELECT_LIMIT, 1)) throw new ScenarioError(`${where}の select.limit は 1〜${MAX_SELECT_LIMIT} の整数にしてください。`);
    target = { select: { status: (select.status as string | undefined) ?? null, limit: select.limit } };
  }
  const common = { afterMs: (raw.afterMs as number | undefined) ?? 0, at, target };
  try {
    if (typeof raw.action === 'string' && (isNoticeAction(raw.action) || isPaymentAction(raw.action))) {
      const action = raw.action;
      if (raw.status !== undefined || raw.processType !== undefined) throw new ScenarioError(`${where}: ${action} には status / processType ではなく with で項目を指定してください。`);
      if (raw.with !== undefined && !isObject(raw.with)) throw new ScenarioError(`${where}の with はオブジェクトで書いてください。`);
      const body = (raw.with as Record<string, unknown> | undefined) ?? {};
      for (const id of 'ids' in target ? target.ids : [firstId]) checkedRequest(action, id as string, body);
      return { ...common, action, with: body };
    }
    if (raw.with !== undefined) throw new ScenarioError(`${where}: with は通知・納付の操作（issue-…, add-payment, pay, expire-payment）にだけ指定できます。`);
    let checked: OperatorRequest;
    for (const id of 'ids' in target ? target.ids : [firstId]) {
      checked = parseOperatorRequest({ action: raw.action, arriveId: id, status: raw.status, processType: raw.processType });
    }
    return {
      ...common,
      action: checked!.action,
      ...(checked!.status !== undefined ? { status: checked!.status } : {}),
      ...(checked!.processType !== undefined ? { processType: checked!.processType } : {}),
    };
  } catch (e) {
    if (e instanceof OperatorError) throw new ScenarioError(`${where}: ${e.messageJa}`);
    throw e;
  }
}

type ScenarioCommand = { kind: 'notice'; request: NoticeRequest } | { kind: 'payment'; request: PaymentRequest } | { kind: 'each-unpaid'; action: 'pay' | 'expire-payment' };

/** A notice or payment step's request for one case, checked as the admin route checks it. */
function checkedRequest(action: NoticeAction | PaymentAction, arriveId: string, body: Record<string, unknown>): ScenarioCommand {
  if (isNoticeAction(action)) return { kind: 'notice', request: parseNoticeRequest(action, arriveId, body) };
  if (action !== 'add-payment' && body.payNumber === undefined) {
    // the same checks with a placeholder number: only the case and unknown keys are judged here
    parsePaymentRequest(action, arriveId, { ...body, payNumber: '0'.repeat(16) });
    return { kind: 'each-unpaid', action };
  }
  return { kind: 'payment', request: parsePaymentRequest(action, arriveId, body) };
}

/** A scenario from its JSON text; ScenarioError says what is wrong, in Japanese. */
export function parseScenario(text: string): Scenario {
  if (Buffer.byteLength(text, 'utf8') > MAX_SCENARIO_BYTES) throw new ScenarioError(`シナリオが大きすぎます（${MAX_SCENARIO_BYTES} バイトまで）。`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ScenarioError(`シナリオを JSON として読めません（${(e as Error).message.slice(0, 120)}）。`);
  }
  if (!isObject(json)) throw new ScenarioError('シナリオは JSON オブジェクト {"version": 1, "steps": [...]} で書いてください。');
  checkKeys(json, new Set(['version', 'steps', 'description']), 'シナリオ');
  if (json.version !== 1) throw new ScenarioError('シナリオの version は 1 にしてください。');
  if (json.description !== undefined && typeof json.description !== 'string') throw new ScenarioError('シナリオの description は文字列にしてください。');
  if (!Array.isArray(json.steps) || json.steps.length === 0 || json.steps.length > MAX_SCENARIO_STEPS) {
    throw new ScenarioError(`シナリオの steps は 1〜${MAX_SCENARIO_STEPS} 個の手順の配列にしてください。`);
  }
  return { steps: json.steps.map((s, i) => parseStep(s, i)) };
}

/** Reads and checks a scenario file (the size first: a huge file is never read into memory). */
export function readScenarioFile(path: string): Scenario {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new ScenarioError(`シナリオファイル ${path} はファイルではありません。`);
    size = st.size;
  } catch (e) {
    if (e instanceof ScenarioError) throw e;
    throw new ScenarioError(`シナリオファイル ${path} を読めません（${(e as NodeJS.ErrnoException).code ?? 'エラー'}）。パスを確認してください。`);
  }
  if (size > MAX_SCENARIO_BYTES) throw new ScenarioError(`シナリオファイル ${path} が大きすぎます（${MAX_SCENARIO_BYTES} バイトまで）。`);
  const bytes = readFileSync(path);
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  if (text.includes('\uFFFD')) throw new ScenarioError(`シナリオファイル ${path} は UTF-8 のテキストではありません。`);
  return parseScenario(text.replace(/^\uFEFF/, ''));
}

export interface ScenarioRunner {
  perform(r: OperatorRequest, at: Date): CaseView;
  issue(r: NoticeRequest, at: Date): Promise<unknown>;
  payment(r: PaymentRequest, at: Date): unknown;
  /** the 納付番号 of the case's 未納 納付 */
  unpaid(arriveId: string): string[];
  select(status: string | null, limit: number): string[];
  now(): Date;
  /** waits real time; resolves false when the run was stopped */
  sleep(ms: number): Promise<boolean>;
}

export async function runScenario(s: Scenario, runner: ScenarioRunner): Promise<ScenarioResult> {
  const result: ScenarioResult = { steps: 0, performed: 0, failureCount: 0, failures: [] };
  for (const [n, step] of s.steps.entries()) {
    if (step.afterMs > 0 && !(await runner.sleep(step.afterMs))) break;
    const ids = 'ids' in step.target ? step.target.ids : runner.select(step.target.select.status, step.target.select.limit);
    const at = step.at ?? runner.now();
    for (const arriveId of ids) {
      try {
        result.performed += await performStep(step, arriveId, at, runner);
      } catch (e) {
        if (!(e instanceof OperatorError)) throw e;
        result.failureCount += 1;
        if (result.failures.length < MAX_REPORTED_FAILURES) result.failures.push({ step: n, arriveId, code: e.code, message: e.messageJa });
      }
    }
    result.steps += 1;
  }
  return result;
}

/** One step on one case; answers how many actions it performed. */
async function performStep(step: ScenarioStep, arriveId: string, at: Date, runner: ScenarioRunner): Promise<number> {
  const action = step.action;
  if (!isNoticeAction(action) && !isPaymentAction(action)) {
    runner.perform({ action, arriveId, ...(step.status !== undefined ? { status: step.status } : {}), ...(step.processType !== undefined ? { processType: step.processType } : {}) }, at);
    return 1;
  }
  const command = checkedRequest(action, arriveId, step.with ?? {});
  if (command.kind === 'notice') {
    await runner.issue(command.request, at);
    return 1;
  }
  if (command.kind === 'payment') {
    runner.payment(command.request, at);
    return 1;
  }
  const numbers = runner.unpaid(arriveId);
  if (numbers.length === 0) throw new OperatorError('OPERATOR_NOT_ALLOWED', `到達番号 ${arriveId} に未納の納付はありません。`);
  for (const payNumber of numbers) runner.payment({ action: command.action, arriveId, payNumber }, at);
  return numbers.length;
}
