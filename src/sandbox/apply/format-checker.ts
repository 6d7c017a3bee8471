// Sandbox (Node). Runs the asynchronous 形式チェック of sends (REFERENCE §4.3, §9): a send is
// accepted with WorkStatus 処理待ち; `delayMs` (real time) later every application folder of its
// stored ZIP is checked (format-check.ts). Those that pass get a 到達番号 and status 到達; the
// others are counted in ErrorCount and described in the ErrorFile HTML. Then WorkStatus is empty.
// Sends still pending when the sandbox stopped are checked `delayMs` after the next start.
// runPending() checks every pending send at once (tests, and later the operator).
import type { X509Certificate } from 'node:crypto';
import { jstTimestamp } from '../wire/time.js';
import { writeErrorReport, type RefusedFolder } from '../wire/error-report.js';
import type { ApplyStore, NewApplication } from '../state/apply-store.js';
import { checkApplicationFolder } from './format-check.js';
import { readPackage, type PackageLimits } from './package.js';

export interface FormatCheckerOptions {
  store: ApplyStore;
  anchors: readonly X509Certificate[];
  now: () => Date;
  delayMs: number;
  limits: PackageLimits;
  log?: (line: string) => void;
}

export class FormatChecker {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly running = new Map<string, Promise<void>>();
  private closed = false;

  constructor(private readonly o: FormatCheckerOptions) {}

  /** Checks every send left pending by an earlier run, after the delay. */
  resume(): void {
    for (const s of this.o.store.pendingSends()) this.schedule(s.sendNumber);
  }

  schedule(sendNumber: string): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.check(sendNumber);
    }, this.o.delayMs);
    timer.unref();
    this.timers.add(timer);
  }

  /** Checks every pending send now; resolves with how many were finished by this call. */
  async runPending(): Promise<number> {
    let n = 0;
    for (const s of this.o.store.pendingSends()) if (await this.check(s.sendNumber)) n += 1;
    return n;
  }

  check(sendNumber: string): Promise<boolean> {
    const already = this.running.get(sendNumber);
    if (already) return already.then(() => false);
    let finished = false;
    const run = this.checkNow(sendNumber)
      .then((done) => {
        finished = done;
      })
      .catch((e: unknown) => this.o.log?.(`形式チェックの内部エラー ${sendNumber}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`))
      .finally(() => this.running.delete(sendNumber));
    this.running.set(sendNumber, run);
    return run.then(() => finished);
  }

  private async checkNow(sendNumber: string): Promise<boolean> {
    if (this.closed) return false;
    const send = this.o.store.pendingSend(sendNumber);
    if (!send) return false;
    const sentAt = new Date(send.sentAt);
    const pkg = await readPackage(send.zip, this.o.limits);
    const arrived: NewApplication[] = [];
    const refused: RefusedFolder[] = [];
    if (!pkg.ok) {
      refused.push({ folderName: '（申請データ全体）', problems: [`申請データを読み取れません（${pkg.problem.kind}）`] });
    } else {
      for (const folder of pkg.folders) {
        const verdict = await checkApplicationFolder(folder, this.o.anchors, sentAt);
        if (verdict.ok) arrived.push({ ...verdict.application, arriveYear: '' });
        else refused.push({ folderName: verdict.folderName, problems: verdict.problems });
      }
    }
    if (this.closed) return false;
    const at = this.o.now();
    const stamp = jstTimestamp(at);
    for (const a of arrived) a.arriveYear = stamp.slice(0, 4);
    const html = refused.length > 0 ? writeErrorReport(sendNumber, jstTimestamp(sentAt), refused) : null;
    return this.o.store.finishSend(sendNumber, arrived, refused.length, html, at.getTime(), stamp);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled([...this.running.values()]);
  }
}
