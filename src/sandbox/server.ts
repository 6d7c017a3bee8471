// Sandbox (Node). The e-Gov v1 sandbox server: the route tables of each family (routes/), header
// and access-key checks, body limits and answers;
// state in <data>/sandbox.sqlite. One request never takes the server down: every failure becomes
// an answer in the family of the URI, and the server keeps serving.
import type { X509Certificate } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import {
  AUTHENTICATION_BODY_LIMIT,
  DEFAULT_FORMAT_CHECK_DELAY_MS,
  DEFAULT_MAX_APPLICATIONS,
  DEFAULT_MAX_INFLATED_BYTES,
  DEFAULT_MAX_LIST_RECORDS,
  DEFAULT_MAX_ZIP_BYTES,
  DEFAULT_MAX_ZIP_ENTRIES,
  DEFAULT_HOST,
  DEFAULT_KEY_TTL_SECONDS,
  DEFAULT_SOFTWARE_ID,
  type SandboxOptions,
} from './config.js';
import { FormatChecker } from './apply/format-checker.js';
import { SandboxError } from './errors.js';
import { readBody } from './http/body.js';
import { send, type SandboxResponse } from './http/respond.js';
import { Router } from './http/router.js';
import { IdentityRules } from './identity/rules.js';
import { failure } from './messages.js';
import { accessError, accessKeyUser, type AccessHandler } from './routes/access.js';
import { applyRoutes } from './routes/apply.js';
import { caseRoutes } from './routes/cases.js';
import { noticeRoutes } from './routes/notices.js';
import { paymentRoutes } from './routes/payments.js';
import { bankSiteRoutes } from './routes/bank-site.js';
import { startStandInBank, type StandInBank } from './payments/stand-in-bank.js';
import { NoticeStore } from './state/notice-store.js';
import { PAY_STATUS, PaymentStore } from './state/payment-store.js';
import { sandboxBankList } from './payments/bank-list.js';
import { performPayment, type PaymentRequest, type PaymentView } from './operator/payment-actions.js';
import { officialCaCertificate } from './notices/official-signers.js';
import { issueNotice, type NoticeIssued, type NoticeRequest } from './operator/notice-actions.js';
import { caseView, OperatorError, performAction, type CaseDetailView, type CaseView, type OperatorRequest } from './operator/actions.js';
import { startAdminServer, type AdminServer } from './operator/admin-server.js';
import { runScenario, type Scenario, type ScenarioResult } from './operator/scenario.js';
import { AUTHENTICATION_PREFIX, AUTHENTICATION_ROUTES, authenticationError, handleAuthentication } from './routes/authentication.js';
import { ApplyStore } from './state/apply-store.js';
import { CaseStore } from './state/case-store.js';
import { openSandboxDatabase } from './state/db.js';
import { IdentityStore } from './state/identity-store.js';
import { ensureTlsMaterial } from './tls.js';
import { loadTrustAnchors } from './trust-anchors.js';

export const SOFTWARE_ID_HEADER = 'x-egovapi-softwareid';
const ACCESS_PREFIX = '/shinsei/1/access';

export interface SandboxHandle {
  /** origin, e.g. http://127.0.0.1:8090 */
  url: string;
  /** `${url}/shinsei/1/` — the base URL a client is configured with */
  apiBaseUrl: string;
  host: string;
  port: number;
  https: boolean;
  dataDir: string;
  softwareIds: readonly string[];
  trustAnchors: readonly X509Certificate[];
  /** PEM of the CA that issued the HTTPS certificate (trust it in the client); null over http */
  tlsCaPem: string | null;
  tlsCaPath: string | null;
  /** The user an access key acts for; null when unknown or expired at the sandbox clock. */
  resolveAccessKey(key: string): string | null;
  /** Runs the 形式チェック of every pending send now, without waiting for its delay; resolves with how many it finished. */
  runFormatChecks(): Promise<number>;
  /** the operator's port (`adminPort`), e.g. http://127.0.0.1:PORT; null when none was asked for */
  adminUrl: string | null;
  adminPort: number | null;
  /** the stand-in bank site (`standInBank: true`), `http://127.0.0.1:PORT/standin-bank/`; null when not asked for */
  standInBankUrl: string | null;
  /** One operator action at the sandbox clock (what the admin port does); throws OperatorError. */
  operate(request: OperatorRequest): CaseView;
  /** One operator notice (補正通知, コメント, 公文書) at the sandbox clock; throws OperatorError. */
  issueNotice(request: NoticeRequest): Promise<NoticeIssued>;
  /** One operator 電子納付 action (add-payment, expire-payment, pay) at the sandbox clock; throws OperatorError. */
  operatePayment(request: PaymentRequest): PaymentView;
  /** The operator's view of a case (any user's), or null. */
  caseOf(arriveId: string): CaseDetailView | null;
  /** Runs a scenario (operator/scenario.ts) to its end; its waits are real time, stopped by close(). */
  runScenario(scenario: Scenario): Promise<ScenarioResult>;
  close(): Promise<void>;
}

export interface StartSandboxOptions extends SandboxOptions {
  /** one line per request (method, path, status); no bodies, no keys */
  log?: (line: string) => void;
}

function clockOf(clock: SandboxOptions['clock']): () => Date {
  if (clock === undefined) return () => new Date();
  if (clock instanceof Date) {
    const fixed = clock.getTime();
    return () => new Date(fixed);
  }
  return () => new Date(clock().getTime());
}

function pathOf(req: IncomingMessage): string | null {
  try {
    return new URL(req.url ?? '/', 'http://sandbox.invalid').pathname;
  } catch {
    return null;
  }
}

export async function startSandbox(options: StartSandboxOptions): Promise<SandboxHandle> {
  const now = clockOf(options.clock);
  const softwareIds = [...(options.softwareIds ?? [DEFAULT_SOFTWARE_ID])];
  const anchors = loadTrustAnchors(options.trust ?? [], options.bundledTrust ?? true);
  const keyTtlMs = (options.keyTtlSeconds ?? DEFAULT_KEY_TTL_SECONDS) * 1000;
  const maxBodyBytes = options.maxAuthenticationBodyBytes ?? AUTHENTICATION_BODY_LIMIT;
  const host = options.host ?? DEFAULT_HOST;
  const tls = options.https ? ensureTlsMaterial(options.dataDir, host) : null;
  const db = openSandboxDatabase(options.dataDir);
  const rules = new IdentityRules(new IdentityStore(db));

  const authenticationRouter = new Router(AUTHENTICATION_ROUTES);
  const applyStore = new ApplyStore(db);
  const packageLimits = {
    maxApplications: options.maxApplications ?? DEFAULT_MAX_APPLICATIONS,
    maxEntries: options.maxZipEntries ?? DEFAULT_MAX_ZIP_ENTRIES,
    maxInflatedBytes: options.maxInflatedBytes ?? DEFAULT_MAX_INFLATED_BYTES,
  };
  const checker = new FormatChecker({
    store: applyStore,
    anchors,
    now,
    delayMs: options.formatCheckDelayMs ?? DEFAULT_FORMAT_CHECK_DELAY_MS,
    limits: packageLimits,
    ...(options.log ? { log: options.log } : {}),
  });
  const applyLimits = { ...packageLimits, maxZipBytes: options.maxZipBytes ?? DEFAULT_MAX_ZIP_BYTES, maxListRecords: options.maxListRecords ?? DEFAULT_MAX_LIST_RECORDS };
  const caseStore = new CaseStore(db);
  const noticeStore = new NoticeStore(db);
  const paymentStore = new PaymentStore(db);
  let standIn: StandInBank | null = null;
  if (options.standInBank) {
    try {
      standIn = await startStandInBank({ cases: caseStore, payments: paymentStore, now, ...(options.log ? { log: options.log } : {}) });
    } catch (cause) {
      db.close();
      throw new SandboxError('SANDBOX_LISTEN', { ja: '練習銀行（--standin-bank）を 127.0.0.1 で待ち受けできません。', en: 'cannot start the stand-in bank' }, { cause });
    }
  }
  const bankList = sandboxBankList(standIn?.url ?? options.standInBankUrl);
  const accessRouter = new Router<AccessHandler>([
    ...applyRoutes({ store: applyStore, checker, limits: applyLimits }),
    ...caseRoutes({ cases: caseStore, notices: noticeStore, anchors, limits: applyLimits, ...(options.log ? { log: options.log } : {}) }),
    // 公文書署名検証 trusts the sandbox's own 官職 CA only: a 公文書 chains to it, never to a filer's CA
    ...noticeRoutes({ cases: caseStore, notices: noticeStore, officialAnchors: [officialCaCertificate(options.pkiDir)], limits: applyLimits }),
    ...paymentRoutes({ cases: caseStore, payments: paymentStore, bankList }),
    ...bankSiteRoutes({ cases: caseStore, payments: paymentStore, bankList }),
  ]);
  const operatePayment = (request: PaymentRequest) => performPayment({ cases: caseStore, payments: paymentStore }, request, now());
  const assets = { ...(options.pkiDir !== undefined ? { pkiDir: options.pkiDir } : {}), ...(options.noticesDir !== undefined ? { noticesDir: options.noticesDir } : {}) };
  const issue = (request: NoticeRequest) => issueNotice({ cases: caseStore, notices: noticeStore, ...assets }, request, now());
  // stops the real-time waits of running scenarios at close()
  const stopScenarios = new AbortController();
  const sleep = (ms: number) =>
    new Promise<boolean>((resolve) => {
      if (stopScenarios.signal.aborted) return resolve(false);
      const timer = setTimeout(() => {
        stopScenarios.signal.removeEventListener('abort', onAbort);
        resolve(true);
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        resolve(false);
      };
      stopScenarios.signal.addEventListener('abort', onAbort, { once: true });
    });
  const operate = (request: OperatorRequest, at: Date = now()) => performAction(caseStore, request, at);
  const caseDetail = (arriveId: string): CaseDetailView | null => {
    const view = caseView(caseStore, arriveId);
    if (!view) return null;
    const payments = paymentStore.list(arriveId).map((p) => ({
      payNumber: p.payNumber,
      confirmNumber: p.confirmNumber,
      facilityNumber: p.facilityNumber,
      totalFee: p.totalFee,
      payExpiredDate: p.payExpiredDate,
      payStatus: p.payStatus,
      payDate: p.payDate,
    }));
    const notices = (['amend', 'comment', 'official'] as const).flatMap((kind) =>
      noticeStore.list(arriveId, kind).map((n) => ({ kind, noticeSubId: n.noticeSubId, issueDate: n.issueDate, docTitle: n.docTitle, doneDate: n.doneDate })),
    );
    return { ...view, payments, notices };
  };
  const scenario = (s: Scenario) =>
    runScenario(s, {
      perform: (r, at) => {
        if (stopScenarios.signal.aborted) throw new OperatorError('OPERATOR_NOT_ALLOWED', 'サンドボックスは終了しました。');
        return operate(r, at);
      },
      issue: (r, at) => {
        if (stopScenarios.signal.aborted) throw new OperatorError('OPERATOR_NOT_ALLOWED', 'サンドボックスは終了しました。');
        return issueNotice({ cases: caseStore, notices: noticeStore, ...assets }, r, at);
      },
      payment: (r, at) => {
        if (stopScenarios.signal.aborted) throw new OperatorError('OPERATOR_NOT_ALLOWED', 'サンドボックスは終了しました。');
        return performPayment({ cases: caseStore, payments: paymentStore }, r, at);
      },
      unpaid: (arriveId) => paymentStore.list(arriveId).filter((p) => p.payStatus === PAY_STATUS.unpaid).map((p) => p.payNumber),
      select: (status, limit) => caseStore.select(status, limit),
      now,
      sleep,
    });

  async function route(req: IncomingMessage, res: ServerResponse, at: Date): Promise<SandboxResponse> {
    const path = pathOf(req);
    const method = req.method ?? '';
    if (path !== null && path.startsWith(AUTHENTICATION_PREFIX)) {
      const match = authenticationRouter.match(method, path);
      if (match.kind === 'notFound') return authenticationError(null, failure('NOT_FOUND'));
      if (match.kind === 'methodNotAllowed') {
        const allow = match.allow.join(', ');
        return authenticationError(match.route.handler, failure('METHOD_NOT_ALLOWED', `${method} ではなく ${allow}`), '', [['Allow', allow]]);
      }
      const api = match.route.handler;
      const softwareId = checkSoftwareId(req);
      if (softwareId) return authenticationError(api, softwareId);
      const body = await readBody(req, maxBodyBytes);
      if (body.kind === 'tooLarge') {
        return authenticationError(api, failure('BODY_TOO_LARGE', `上限 ${maxBodyBytes} バイト`), '', [['Connection', 'close']]);
      }
      if (body.kind === 'aborted') {
        res.destroy();
        return authenticationError(api, failure('BODY_EMPTY'));
      }
      return handleAuthentication(api, body.body, { now: at, anchors, keyTtlMs, maxBodyBytes, rules });
    }
    if (path !== null && (path === ACCESS_PREFIX || path.startsWith(`${ACCESS_PREFIX}/`) || path.startsWith(`${ACCESS_PREFIX};`))) {
      const softwareId = checkSoftwareId(req);
      if (softwareId) return accessError(softwareId.kind);
      const userId = accessKeyUser(req.headers, rules, at);
      if (userId === null) return accessError('ACCESS_KEY_INVALID');
      const match = accessRouter.match(method, path);
      if (match.kind === 'notFound') return accessError('NOT_FOUND');
      if (match.kind === 'methodNotAllowed') {
        const allow = match.allow.join(', ');
        return accessError('METHOD_NOT_ALLOWED', `${method} ではなく ${allow}`, [['Allow', allow]]);
      }
      return match.route.handler({ req, res, params: match.params, userId, softwareId: req.headers[SOFTWARE_ID_HEADER] as string, now: at });
    }
    return accessError('NOT_FOUND');
  }

  function checkSoftwareId(req: IncomingMessage) {
    const value = req.headers[SOFTWARE_ID_HEADER];
    if (typeof value !== 'string' || value.length === 0) return failure('SOFTWARE_ID_MISSING');
    return softwareIds.includes(value) ? null : failure('SOFTWARE_ID_UNKNOWN');
  }

  function internalError(req: IncomingMessage): SandboxResponse {
    const path = pathOf(req);
    return path?.startsWith(AUTHENTICATION_PREFIX) ? authenticationError(authenticationRouter.routeOf(path)?.handler ?? null, failure('INTERNAL')) : accessError('INTERNAL');
  }

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const at = now();
    route(req, res, at)
      .catch((e: unknown) => {
        options.log?.(`内部エラー: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        return internalError(req);
      })
      .then((response) => {
        options.log?.(`${req.method ?? '?'} ${pathOf(req) ?? req.url ?? ''} ${response.status}`);
        if (!res.headersSent && !res.destroyed) send(res, response, at);
      })
      .catch(() => res.destroy());
  };

  const server: Server = tls ? createHttpsServer({ key: tls.key, cert: tls.cert }, onRequest) : createHttpServer(onRequest);
  server.on('clientError', (_err: Error, socket: Socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (cause) {
    await standIn?.close();
    db.close();
    throw new SandboxError(
      'SANDBOX_LISTEN',
      { ja: `${host}:${options.port ?? 0} で待ち受けできません。ほかのプログラムが使っていないか確認するか、--port で別の番号を指定してください。`, en: `cannot listen on ${host}:${options.port ?? 0}` },
      { cause },
    );
  }
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `${tls ? 'https' : 'http'}://${host === '0.0.0.0' || host === '::' ? 'localhost' : urlHost}:${address.port}`;
  let admin: AdminServer | null = null;
  if (options.adminPort !== undefined) {
    try {
      admin = await startAdminServer(options.adminPort, {
        apiBaseUrl: `${url}/shinsei/1/`,
        perform: (r) => operate(r),
        issue,
        payment: operatePayment,
        view: (id) => caseDetail(id),
        runScenario: scenario,
        ...(options.log ? { log: options.log } : {}),
      });
    } catch (e) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await standIn?.close();
      db.close();
      throw e;
    }
  }
  checker.resume();
  let closed: Promise<void> | null = null;

  return {
    url,
    apiBaseUrl: `${url}/shinsei/1/`,
    host,
    port: address.port,
    https: tls !== null,
    dataDir: options.dataDir,
    softwareIds,
    trustAnchors: anchors,
    tlsCaPem: tls?.caPem ?? null,
    tlsCaPath: tls?.caPath ?? null,
    resolveAccessKey: (key) => rules.resolveAccessKey(key, now().getTime()),
    runFormatChecks: () => checker.runPending(),
    adminUrl: admin?.url ?? null,
    adminPort: admin?.port ?? null,
    standInBankUrl: standIn?.url ?? null,
    operate: (request) => operate(request),
    issueNotice: issue,
    operatePayment,
    caseOf: (arriveId) => caseDetail(arriveId),
    runScenario: scenario,
    close() {
      stopScenarios.abort();
      closed ??= new Promise<void>((resolve) => {
        void admin?.close();
        const bankClosed = standIn?.close() ?? Promise.resolve();
        server.close(() => {
          // the stand-in bank writes to the database too: it stops before the database closes
          void bankClosed.then(() =>
            checker.close().finally(() => {
              db.close();
              resolve();
            }),
          );
        });
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
