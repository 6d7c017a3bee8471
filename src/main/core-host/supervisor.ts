// Host side (Electron main, web harness), Electron-free. Runs the core in a process of its own and
// stands in for it: the host calls `dispatch` and listens to `events` exactly as it would on an
// in-process core. When the process dies, what was in flight fails with a typed error that says
// what happened (the IC card driver, when it died inside a PKCS#11 call), credential prompts it
// had opened are withdrawn, and a new process is started — at once the first time, then with a
// growing pause if it keeps dying. A process that cannot start at all is not retried in a loop:
// the state becomes `failed` and the person decides when to try again (`core.restart`).
import type { Envelope, OperationName, TodokeEvent } from '../../shared/contract.js';
import type { CoreStatus } from '../../shared/domain.js';
import { TodokeError, type ErrorPayload } from '../../shared/errors.js';
import { createEventHub, type EventHub } from '../app/events.js';
import type { SandboxEndpoint } from '../identity/endpoint.js';
import { describeRefused, parseCoreMessage, type CoreHostConfig, type CoreMessage } from './protocol.js';
import { checkPaymentWindowRequest } from '../payments/window-request.js';
import type { PaymentWindows } from '../../shared/payment.js';

export interface CoreExit {
  code: number | null;
  signal: string | null;
}

/** One started core host process, whatever started it (child_process.fork, utilityProcess.fork). */
export interface CoreProcess {
  /** the OS process id, where the spawner knows it */
  readonly pid: number | undefined;
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  /** called once, when the process is gone (also when it could not be started) */
  onExit(listener: (exit: CoreExit) => void): void;
  kill(): void;
}

/** What only the host can do for the core. */
export interface HostServices {
  /** safeStorage.encryptString, as base64 */
  seal?(text: string): Promise<string>;
  unseal?(sealedBase64: string): Promise<string>;
  /** starts (once) the built-in sandbox in a process of its own */
  sandboxEndpoint?(): Promise<SandboxEndpoint>;
  /** a sanitised HTML document printed to PDF by the host's Chromium (Electron printToPDF), as base64 */
  printPdf?(html: string): Promise<string>;
  /** the 電子納付 hand-off window (Electron: src/main/electron/payment-window.ts; harness: Playwright) */
  paymentWindows?: PaymentWindows;
}

export interface SupervisorOptions {
  spawn: () => CoreProcess;
  /** read at every start: a value like safeStorage's verdict may only be known after `ready` */
  config: () => CoreHostConfig;
  services?: HostServices;
  log?: (line: string) => void;
  /** how long a new process may take to say it is ready */
  startTimeoutMs?: number;
  /** the pause before the second restart in a row; doubles each time up to `maxBackoffMs` */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** a process that ran this long before dying counts as healthy: the next restart is immediate */
  healthyAfterMs?: number;
  now?: () => number;
}

/** The face of a core to its host: the same for an in-process App and a supervised process. */
export interface CoreEndpoint {
  dispatch(name: unknown, rawArgs: unknown): Promise<Envelope<unknown>>;
  readonly events: EventHub;
}

interface InFlight {
  resolve: (reply: Envelope<unknown>) => void;
}

export class CoreSupervisor implements CoreEndpoint {
  readonly events: EventHub = createEventHub();
  readonly #o: Required<Omit<SupervisorOptions, 'services'>> & { services: HostServices };
  #process: CoreProcess | null = null;
  #state: CoreStatus = { state: 'starting', restarts: 0, problem: null, nextStartAt: null };
  #nextId = 1;
  readonly #inFlight = new Map<number, InFlight>();
  /** calls made while the process starts: sent once it is ready */
  #queued: Array<{ name: string; args: unknown; resolve: (reply: Envelope<unknown>) => void }> = [];
  #nativeActive: string | null = null;
  readonly #openCredentialRequests = new Set<string>();
  #startedAt = 0;
  #crashesInARow = 0;
  #startTimer: NodeJS.Timeout | null = null;
  #restartTimer: NodeJS.Timeout | null = null;
  #closed = false;

  constructor(options: SupervisorOptions) {
    this.#o = {
      log: (line) => console.error(line),
      startTimeoutMs: 30_000,
      backoffMs: 1_000,
      maxBackoffMs: 30_000,
      healthyAfterMs: 60_000,
      now: () => Date.now(),
      services: {},
      ...options,
    };
  }

  /** the running process's id (tests kill it to prove a crash loses nothing) */
  get pid(): number | undefined {
    return this.#process?.pid;
  }

  get status(): CoreStatus {
    return { ...this.#state };
  }

  /** Starts the first process. */
  start(): void {
    this.#launch();
  }

  /** Resolves once the process is running; rejects if it fails to start (tests, scripts). */
  whenRunning(): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (status: CoreStatus): boolean => {
        if (status.state === 'running') resolve();
        else if (status.state === 'failed') reject(new Error(`the core host did not start: ${status.problem?.message ?? 'unknown reason'}`));
        else return false;
        return true;
      };
      if (check(this.#state)) return;
      const stop = this.events.subscribe((event) => {
        if (event.name === 'core.status' && check(event.payload)) stop();
      });
    });
  }

  dispatch(name: unknown, rawArgs: unknown): Promise<Envelope<unknown>> {
    if (name === ('core.status' satisfies OperationName)) return Promise.resolve({ ok: true, value: this.status });
    if (name === ('core.restart' satisfies OperationName)) {
      if (this.#state.state === 'failed' && !this.#closed) this.#launch();
      return Promise.resolve({ ok: true, value: this.status });
    }
    if (this.#closed) return Promise.resolve({ ok: false, error: coreClosed() });
    if (this.#state.state === 'failed') return Promise.resolve({ ok: false, error: coreUnavailable(this.#state.problem) });
    return new Promise((resolve) => {
      if (this.#state.state === 'running' && this.#process) this.#send(this.#process, name, rawArgs, resolve);
      else this.#queued.push({ name: String(name), args: rawArgs, resolve });
    });
  }

  /** Stops the process for good; calls still waiting fail. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#clearTimers();
    const process = this.#process;
    this.#process = null;
    this.#failAll(coreClosed());
    process?.kill();
  }

  // ---------------------------------------------------------------------------------------------

  #send(process: CoreProcess, op: unknown, args: unknown, resolve: (reply: Envelope<unknown>) => void): void {
    const id = this.#nextId++;
    this.#inFlight.set(id, { resolve });
    try {
      process.send({ t: 'call', id, op, args });
    } catch (e) {
      // e.g. arguments that cannot be serialised: the process never saw the call
      this.#inFlight.delete(id);
      resolve({ ok: false, error: transportFailed(e) });
    }
  }

  #launch(): void {
    this.#clearTimers();
    this.#setState({ state: this.#state.state === 'restarting' ? 'restarting' : 'starting', nextStartAt: null });
    let process: CoreProcess;
    try {
      process = this.#o.spawn();
    } catch (e) {
      this.#startFailed(startProblem(`the core host could not be started: ${e instanceof Error ? e.message : String(e)}`));
      return;
    }
    this.#process = process;
    this.#nativeActive = null;
    let ready = false;
    let gone = false;
    this.#startTimer = setTimeout(() => {
      if (ready || gone) return;
      this.#o.log('core host: did not become ready in time; stopping it');
      gone = true;
      if (this.#process === process) this.#process = null;
      process.kill();
      this.#startFailed(startProblem('the core host did not become ready in time'));
    }, this.#o.startTimeoutMs);

    process.onMessage((raw) => {
      if (gone) return;
      const message = parseCoreMessage(raw);
      if (message === null) {
        this.#o.log(`core host: refused a malformed message from the core (${describeRefused(raw)})`);
        return;
      }
      if (message.t === 'ready') {
        if (ready) return;
        ready = true;
        this.#clearStartTimer();
        this.#startedAt = this.#o.now();
        this.#setState({ state: 'running', nextStartAt: null });
        const queued = this.#queued;
        this.#queued = [];
        for (const q of queued) this.#send(process, q.name, q.args, q.resolve);
        return;
      }
      if (message.t === 'init-failed') {
        gone = true;
        if (this.#process === process) this.#process = null;
        process.kill();
        this.#startFailed(message.error);
        return;
      }
      this.#onCoreMessage(process, message);
    });

    process.onExit((exit) => {
      if (gone) return;
      gone = true;
      this.#clearStartTimer();
      if (this.#process === process) this.#process = null;
      if (this.#closed) return;
      if (!ready) {
        this.#startFailed(startProblem(`the core host stopped while starting (${exitText(exit)})`));
        return;
      }
      this.#crashed(exit);
    });

    try {
      process.send({ t: 'init', config: this.#o.config() });
    } catch (e) {
      gone = true;
      this.#process = null;
      process.kill();
      this.#startFailed(startProblem(`the core host could not be configured: ${e instanceof Error ? e.message : String(e)}`));
    }
  }

  #onCoreMessage(process: CoreProcess, message: Exclude<CoreMessage, { t: 'ready' } | { t: 'init-failed' }>): void {
    switch (message.t) {
      case 'result': {
        const call = this.#inFlight.get(message.id);
        if (!call) return;
        this.#inFlight.delete(message.id);
        call.resolve(message.reply);
        return;
      }
      case 'event':
        this.#noteEvent(message.event);
        this.events.emit(message.event);
        return;
      case 'native':
        this.#nativeActive = message.active ? message.what : null;
        return;
      case 'service':
        void this.#serve(message.name, message.args).then((reply) => {
          if (this.#process === process) process.send({ t: 'service-reply', id: message.id, reply });
        });
        return;
    }
  }

  async #serve(name: string, args: Record<string, unknown>): Promise<Envelope<unknown>> {
    const services = this.#o.services;
    try {
      if (name === 'seal' && services.seal && typeof args.text === 'string') return { ok: true, value: await services.seal(args.text) };
      if (name === 'unseal' && services.unseal && typeof args.sealedBase64 === 'string') return { ok: true, value: await services.unseal(args.sealedBase64) };
      if (name === 'sandbox.endpoint' && services.sandboxEndpoint) return { ok: true, value: await services.sandboxEndpoint() };
      if (name === 'print.pdf' && services.printPdf && typeof args.html === 'string') return { ok: true, value: await services.printPdf(args.html) };
      if (name === 'payment.window.open' && services.paymentWindows) {
        await services.paymentWindows.open(checkPaymentWindowRequest(args.request));
        return { ok: true, value: null };
      }
      if (name === 'payment.window.close' && services.paymentWindows && typeof args.handOffId === 'string') {
        return { ok: true, value: await services.paymentWindows.close(args.handOffId) };
      }
    } catch (e) {
      if (e instanceof TodokeError) return { ok: false, error: e.toPayload() };
      return { ok: false, error: { code: 'HOST_SERVICE_FAILED', message: `${name} failed: ${e instanceof Error ? e.message : String(e)}`, messageJa: hostServiceFailedJa(name) } };
    }
    return { ok: false, error: { code: 'HOST_SERVICE_UNAVAILABLE', message: `the host does not offer ${name}`, messageJa: hostServiceFailedJa(name) } };
  }

  #noteEvent(event: TodokeEvent): void {
    if (event.name === 'credential.request') this.#openCredentialRequests.add(event.payload.requestId);
    if (event.name === 'credential.withdrawn') this.#openCredentialRequests.delete(event.payload.requestId);
  }

  #crashed(exit: CoreExit): void {
    const inDriver = this.#nativeActive;
    this.#nativeActive = null;
    const problem = inDriver ? driverCrashed(inDriver, exit) : coreCrashed(exit);
    this.#o.log(`core host: ${problem.message}`);
    this.#failAll(problem);
    // the prompts the dead process opened can no longer be answered
    for (const requestId of this.#openCredentialRequests) this.events.emit({ name: 'credential.withdrawn', payload: { requestId } });
    this.#openCredentialRequests.clear();
    // the calls that failed say so themselves; the notice tells what happened to the app as a whole
    const noticeJa = inDriver
      ? 'IC カードのドライバーが異常終了したため、アプリの内部処理を再起動しています。保存済みの設定や利用者IDはそのままです。'
      : 'アプリの内部処理が異常終了したため、自動で再起動しています。保存済みの設定や利用者IDはそのままです。';
    this.events.emit({ name: 'app.notice', payload: { level: 'error', code: problem.code, message: problem.message, messageJa: noticeJa } });

    const ranFor = this.#o.now() - this.#startedAt;
    if (ranFor >= this.#o.healthyAfterMs) this.#crashesInARow = 0;
    const delay = this.#crashesInARow === 0 ? 0 : Math.min(this.#o.backoffMs * 2 ** (this.#crashesInARow - 1), this.#o.maxBackoffMs);
    this.#crashesInARow += 1;
    this.#setState({
      state: 'restarting',
      restarts: this.#state.restarts + 1,
      problem,
      nextStartAt: new Date(this.#o.now() + delay).toISOString(),
    });
    this.#restartTimer = setTimeout(() => {
      this.#restartTimer = null;
      if (!this.#closed) this.#launch();
    }, delay);
  }

  #startFailed(problem: ErrorPayload): void {
    this.#clearStartTimer();
    this.#o.log(`core host: could not start: ${problem.message}`);
    this.#failAll(coreUnavailable(problem));
    this.#setState({ state: 'failed', problem: publicProblem(problem), nextStartAt: null });
  }

  #failAll(error: ErrorPayload): void {
    const calls = [...this.#inFlight.values()];
    this.#inFlight.clear();
    const queued = this.#queued;
    this.#queued = [];
    for (const call of calls) call.resolve({ ok: false, error });
    for (const q of queued) q.resolve({ ok: false, error });
  }

  #setState(change: Partial<CoreStatus>): void {
    this.#state = { ...this.#state, ...change };
    this.events.emit({ name: 'core.status', payload: this.status });
  }

  #clearStartTimer(): void {
    if (this.#startTimer) clearTimeout(this.#startTimer);
    this.#startTimer = null;
  }

  #clearTimers(): void {
    this.#clearStartTimer();
    if (this.#restartTimer) clearTimeout(this.#restartTimer);
    this.#restartTimer = null;
  }
}

function exitText(exit: CoreExit): string {
  if (exit.signal) return `signal ${exit.signal}`;
  return `exit code ${exit.code ?? 'unknown'}`;
}

function publicProblem(p: ErrorPayload): CoreStatus['problem'] {
  return { code: p.code, message: p.message, messageJa: p.messageJa };
}

function coreCrashed(exit: CoreExit): ErrorPayload {
  return {
    code: 'CORE_CRASHED',
    message: `the core host stopped unexpectedly (${exitText(exit)}); it is being restarted`,
    messageJa:
      'アプリの内部処理が異常終了したため、実行中の操作は完了していません。内部処理は自動で再起動しています。保存済みの設定や利用者IDはそのままです。もう一度操作してください。',
    detail: { exit: exitText(exit) },
  };
}

function driverCrashed(what: string, exit: CoreExit): ErrorPayload {
  return {
    code: 'PKCS11_DRIVER_CRASHED',
    message: `the IC card (PKCS#11) driver crashed during ${what} (${exitText(exit)}); the core host is being restarted`,
    messageJa:
      'IC カードのドライバーが異常終了しました。実行中の操作は完了していません。カードを挿し直し、ほかのアプリがカードを使っていないことを確かめてから、もう一度操作してください。繰り返す場合は、カードのドライバー（PKCS#11 モジュール）を更新するか、証明書ファイルでの署名をお試しください。',
    detail: { during: what, exit: exitText(exit) },
  };
}

function startProblem(message: string): ErrorPayload {
  return {
    code: 'CORE_START_FAILED',
    message,
    messageJa: 'アプリのファイルが壊れているか、足りない可能性があります。「再試行」を押してください。繰り返す場合は、アプリを再インストールしてください。',
  };
}

function coreUnavailable(problem: CoreStatus['problem']): ErrorPayload {
  return {
    code: 'CORE_UNAVAILABLE',
    message: `the core host is not running${problem ? `: ${problem.message}` : ''}`,
    messageJa: `アプリの内部処理が起動していないため、操作できません。${problem ? `${problem.messageJa}` : '「再試行」を押してください。'}`,
    ...(problem ? { detail: { problem: problem.code } } : {}),
  };
}

function coreClosed(): ErrorPayload {
  return { code: 'CORE_CLOSED', message: 'the app is closing', messageJa: 'アプリを終了しています。' };
}

function transportFailed(e: unknown): ErrorPayload {
  return {
    code: 'TRANSPORT_FAILED',
    message: `could not reach the Todoke core: ${e instanceof Error ? e.message : String(e)}`,
    messageJa: 'アプリ内部の通信に失敗しました。もう一度お試しください。解決しない場合は、アプリを再起動してください。',
  };
}

function hostServiceFailedJa(name: string): string {
  if (name === 'sandbox.endpoint') return '検証用サンドボックスを起動できませんでした。アプリを再起動してください。';
  if (name === 'print.pdf') return '文書を PDF にできませんでした。もう一度お試しください。元の ZIP とファイルは保存できます。';
  return 'OS のキーチェーンでアクセスキーを暗号化・復号できませんでした。もう一度ログインしてください。';
}
