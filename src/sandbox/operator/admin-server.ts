// Sandbox (Node). The operator's HTTP port: JSON routes that play the ministry (actions on a case)
// and run scenarios. It listens on loopback only, on a port of its own, so the e-Gov API port
// never carries them (a client of the API cannot reach them, whatever path it tries). A browser
// page cannot drive it either: the Host must name the loopback address (no DNS rebinding) and a
// POST must be application/json (no cross-site form post).
//
//   GET  /admin/v1/health                       {"sandbox": "todoke-egov-v1", "apiBaseUrl": …}
//   GET  /admin/v1/cases/{到達番号}              the case and its history
//   POST /admin/v1/cases/{到達番号}/{action}     body {} or {"status": "…", "processType": "…"}
//   POST /admin/v1/cases/{到達番号}/issue-…      body {"title", "text", "deadline" | "pdf", "tamper", …} (notice-actions.ts)
//   POST /admin/v1/cases/{到達番号}/add-payment  body {"amount", "deadline", "nameKana"?}; expire-payment / pay: {"payNumber"} (payment-actions.ts)
//   POST /admin/v1/scenario                     body: a scenario (README "Operator control")
// Errors: {"error": {"code": "…", "message": "…(Japanese)"}}.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SandboxError } from '../errors.js';
import { readBody } from '../http/body.js';
import { Router } from '../http/router.js';
import { OperatorError, parseOperatorRequest, type CaseDetailView, type CaseView, type OperatorRequest } from './actions.js';
import { isNoticeAction, parseNoticeRequest, type NoticeIssued, type NoticeRequest } from './notice-actions.js';
import { isPaymentAction, parsePaymentRequest, type PaymentRequest, type PaymentView } from './payment-actions.js';
import { MAX_SCENARIO_BYTES, parseScenario, ScenarioError, type Scenario, type ScenarioResult } from './scenario.js';

export const ADMIN_HEALTH_PATH = '/admin/v1/health';
export const ADMIN_IDENTITY = 'todoke-egov-v1';
const ADMIN_HOST = '127.0.0.1';
const MAX_ACTION_BODY = 64 * 1024;

export interface AdminDeps {
  apiBaseUrl: string;
  perform(r: OperatorRequest): CaseView;
  /** issue-correction, issue-comment, issue-document */
  issue(r: NoticeRequest): Promise<NoticeIssued>;
  /** add-payment, expire-payment, pay */
  payment(r: PaymentRequest): PaymentView;
  view(arriveId: string): CaseDetailView | null;
  /** runs a scenario to its end (or the sandbox's close) */
  runScenario(s: Scenario): Promise<ScenarioResult>;
  log?: (line: string) => void;
}

interface JsonAnswer {
  status: number;
  json: unknown;
}

type AdminHandler = (req: IncomingMessage, params: Readonly<Record<string, string>>) => Promise<JsonAnswer>;

const STATUS_OF: Record<string, number> = {
  OPERATOR_UNKNOWN_ACTION: 404,
  OPERATOR_CASE_NOT_FOUND: 404,
  OPERATOR_BAD_ARGUMENT: 400,
  OPERATOR_NOT_ALLOWED: 409,
  SCENARIO_INVALID: 400,
};

const error = (status: number, code: string, message: string): JsonAnswer => ({ status, json: { error: { code, message } } });

async function readJson(req: IncomingMessage, limit: number, allowEmpty: boolean): Promise<{ ok: true; text: string } | { ok: false; answer: JsonAnswer }> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const body = await readBody(req, limit);
  if (body.kind === 'tooLarge') return { ok: false, answer: error(413, 'ADMIN_BODY_TOO_LARGE', `送信データが大きすぎます（${limit} バイトまで）。`) };
  if (body.kind === 'aborted') return { ok: false, answer: error(400, 'ADMIN_BODY_ABORTED', '送信データが途中で切れました。') };
  if (body.body.length === 0 && allowEmpty) return { ok: true, text: '{}' };
  if (type !== 'application/json') return { ok: false, answer: error(415, 'ADMIN_CONTENT_TYPE', 'Content-Type: application/json で JSON を送信してください。') };
  const text = new TextDecoder('utf-8', { fatal: false }).decode(body.body);
  if (text.includes('\uFFFD')) return { ok: false, answer: error(400, 'ADMIN_BAD_JSON', '送信データが UTF-8 ではありません。') };
  return { ok: true, text };
}

function actionHandler(deps: AdminDeps): AdminHandler {
  return async (req, params) => {
    const read = await readJson(req, MAX_ACTION_BODY, true);
    if (!read.ok) return read.answer;
    let body: unknown;
    try {
      body = JSON.parse(read.text);
    } catch {
      return error(400, 'ADMIN_BAD_JSON', '送信データを JSON として読めません。');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return error(400, 'ADMIN_BAD_JSON', '送信データは JSON オブジェクトにしてください。');
    const action = params.action!;
    if (isNoticeAction(action)) return { status: 200, json: await deps.issue(parseNoticeRequest(action, params.arriveId!, body as Record<string, unknown>)) };
    if (isPaymentAction(action)) return { status: 200, json: deps.payment(parsePaymentRequest(action, params.arriveId!, body as Record<string, unknown>)) };
    const extra = Object.keys(body).filter((k) => k !== 'status' && k !== 'processType');
    if (extra.length > 0) return error(400, 'OPERATOR_BAD_ARGUMENT', `不明な項目があります: ${extra.slice(0, 3).join(', ').slice(0, 80)}`);
    const b = body as { status?: unknown; processType?: unknown };
    const request = parseOperatorRequest({ action: params.action, arriveId: params.arriveId, status: b.status, processType: b.processType });
    return { status: 200, json: deps.perform(request) };
  };
}

function caseHandler(deps: AdminDeps): AdminHandler {
  return (_req, params) => {
    const id = params.arriveId!;
    if (!/^\d{16,18}$/.test(id)) return Promise.resolve(error(400, 'OPERATOR_BAD_ARGUMENT', '到達番号は 16〜18 桁の数字で指定してください。'));
    const view = deps.view(id);
    return Promise.resolve(view ? { status: 200, json: view } : error(404, 'OPERATOR_CASE_NOT_FOUND', `到達番号 ${id} の案件はサンドボックスにありません。`));
  };
}

function scenarioHandler(deps: AdminDeps): AdminHandler {
  return async (req) => {
    const read = await readJson(req, MAX_SCENARIO_BYTES, false);
    if (!read.ok) return read.answer;
    const scenario = parseScenario(read.text);
    if (scenario.steps.some((s) => s.afterMs > 0)) {
      // a timeline runs on after the answer; its outcome goes to the log
      void deps.runScenario(scenario).then(
        (r) => deps.log?.(`シナリオ終了: ${r.steps} 手順、${r.performed} 件、失敗 ${r.failureCount} 件`),
        (e: unknown) => deps.log?.(`シナリオの内部エラー: ${e instanceof Error ? e.message : String(e)}`),
      );
      return { status: 202, json: { started: true, steps: scenario.steps.length } };
    }
    return { status: 200, json: await deps.runScenario(scenario) };
  };
}

function hostAllowed(req: IncomingMessage, port: number): boolean {
  const host = req.headers.host;
  return host === `${ADMIN_HOST}:${port}` || host === `localhost:${port}`;
}

export interface AdminServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startAdminServer(port: number, deps: AdminDeps): Promise<AdminServer> {
  const router = new Router<AdminHandler>([
    { method: 'GET', pattern: '/admin/v1/health', api: 'health', handler: () => Promise.resolve({ status: 200, json: { sandbox: ADMIN_IDENTITY, apiBaseUrl: deps.apiBaseUrl } }) },
    { method: 'GET', pattern: '/admin/v1/cases/{arriveId}', api: 'case', handler: caseHandler(deps) },
    { method: 'POST', pattern: '/admin/v1/cases/{arriveId}/{action}', api: 'action', handler: actionHandler(deps) },
    { method: 'POST', pattern: '/admin/v1/scenario', api: 'scenario', handler: scenarioHandler(deps) },
  ]);
  let listening = 0;

  async function answer(req: IncomingMessage): Promise<JsonAnswer> {
    if (!hostAllowed(req, listening)) return error(403, 'ADMIN_HOST', `管理ポートには ${ADMIN_HOST}:${listening} として接続してください。`);
    let path: string;
    try {
      path = new URL(req.url ?? '/', 'http://admin.invalid').pathname;
    } catch {
      return error(400, 'ADMIN_BAD_PATH', 'URI が正しくありません。');
    }
    const match = router.match(req.method ?? '', path);
    if (match.kind === 'notFound') return error(404, 'ADMIN_NOT_FOUND', '管理ポートにこの URI はありません。');
    if (match.kind === 'methodNotAllowed') return error(405, 'ADMIN_METHOD', `この URI は ${match.allow.join(', ')} で呼び出してください。`);
    try {
      return await match.route.handler(req, match.params);
    } catch (e) {
      if (e instanceof OperatorError || e instanceof ScenarioError) return error(STATUS_OF[e.code] ?? 400, e.code, e.messageJa);
      throw e;
    }
  }

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    answer(req)
      .catch((e: unknown) => {
        deps.log?.(`管理ポートの内部エラー: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        return error(500, 'ADMIN_INTERNAL', 'サンドボックスの内部エラーです。サンドボックスのログを確認してください。');
      })
      .then((a) => {
        deps.log?.(`admin ${req.method ?? '?'} ${req.url ?? ''} ${a.status}`);
        if (res.headersSent || res.destroyed) return;
        const bytes = Buffer.from(JSON.stringify(a.json), 'utf8');
        res.writeHead(a.status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': bytes.length, 'Cache-Control': 'no-store' });
        res.end(bytes);
      })
      .catch(() => res.destroy());
  });
  server.on('clientError', (_e, socket) => socket.destroy());
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, ADMIN_HOST, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (cause) {
    throw new SandboxError(
      'SANDBOX_LISTEN',
      { ja: `管理ポート ${ADMIN_HOST}:${port} で待ち受けできません。ほかのプログラムが使っていないか確認するか、--admin-port で別の番号を指定してください。`, en: `cannot listen on admin port ${port}` },
      { cause },
    );
  }
  listening = (server.address() as AddressInfo).port;
  return {
    url: `http://${ADMIN_HOST}:${listening}`,
    port: listening,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
