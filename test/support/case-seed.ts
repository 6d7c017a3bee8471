// Test support (Node). Many arrived cases at once, for sync tests and bench/sync.ts: written straight
// into a sandbox's state through its own store (src/sandbox/state/apply-store.ts: 送信番号, 到達番号
// and the arrival history exactly as a 形式チェック writes them), not by signing thousands of
// applications; and the same cases stored in a Todoke profile's case store, as if it had followed
// those batches. Also a forwarding proxy in front of a sandbox, with a hook for faults.
import { openSandboxDatabase } from '../../src/sandbox/state/db.js';
import { ApplyStore } from '../../src/sandbox/state/apply-store.js';
import { jstTimestamp } from '../../src/sandbox/wire/time.js';
import type { ArrivedApplication } from '../../src/shared/filing.js';
import { openStore } from '../../src/main/store/db.js';
import { CaseStore } from '../../src/main/store/cases.js';
import { startFaultServer, type FaultAction, type FaultServer, type RecordedRequest } from './fault-server.js';
import { rawRequest } from '../integration/sandbox-support.js';

export interface SeededSend {
  sendNumber: string;
  applications: ArrivedApplication[];
}

/** `sends` batches of `perSend` arrived applications for `userId`, sent at `at` (default now). */
export function seedSandboxCases(dataDir: string, userId: string, options: { sends: number; perSend: number; at?: Date }): SeededSend[] {
  const db = openSandboxDatabase(dataDir);
  try {
    const store = new ApplyStore(db);
    const at = (options.at ?? new Date()).getTime();
    const sendDate = jstTimestamp(new Date(at));
    const numbers: string[] = [];
    db.transaction(() => {
      for (let s = 0; s < options.sends; s++) {
        const sendNumber = store.nextSendNumber(sendDate);
        store.insertSend({ sendNumber, userId, softwareId: 'TODOKESANDBOX1', sentAt: at, sendDate, fileName: `seed${s}.zip`, allCount: options.perSend, zip: Buffer.from('seed') });
        const arrived = Array.from({ length: options.perSend }, (_, i) => ({
          arriveYear: sendDate.slice(0, 4),
          folderName: `900A010200001000(${i + 1})`,
          procedureId: '900A010200001000',
          procedureName: '健康保険・厚生年金保険被保険者資格取得届',
          ministryName: '厚生労働省',
          applicantName: `申請者 ${s}-${i}`,
          corporationName: '株式会社届け',
          departmentName: '総務部',
        }));
        store.finishSend(sendNumber, arrived, 0, null, at, sendDate);
        numbers.push(sendNumber);
      }
    })();
    return numbers.map((sendNumber) => {
      const entry = store.send(userId, sendNumber)!;
      return {
        sendNumber,
        applications: entry.applies.map((a) => ({
          arriveId: a.arriveId,
          ministryName: a.ministryName,
          procedureName: a.procName,
          procedureFolderName: a.procFolderName,
          applicantName: a.applicantName,
          corporationName: a.corporationName,
          departmentName: a.departmentName,
          status: a.status,
          statusDate: a.statusDate,
          payStatus: a.payStatus,
          payWaitCount: a.payWaitCount,
          correctStatus: a.correctStatus,
          commentCountNotRead: a.commentCountNotRead,
          commentCount: a.commentCount,
          docCountNotDownload: a.docCountNotDownload,
          docCount: a.docCount,
        })),
      };
    });
  } finally {
    db.close();
  }
}

/** Stores the seeded cases in the profile's case store, as Todoke had them after following the batches. */
export function seedAppCases(home: string, profile: string, sends: readonly SeededSend[]): void {
  const store = openStore(home, profile);
  try {
    new CaseStore(store).storeListed(
      sends.flatMap((s) => s.applications.map((application) => ({ sendNumber: s.sendNumber, application }))),
      new Set(),
    );
  } finally {
    store.close();
  }
}

export type ProxyHook = (request: RecordedRequest, forward: (override?: { headers?: Record<string, string> }) => Promise<FaultAction>) => Promise<FaultAction>;

export interface SandboxProxy extends FaultServer {
  /** where requests go (changes when a test restarts the sandbox on another port) */
  target: string;
  /** a hook for the following requests; null: forward everything */
  hook: ProxyHook | null;
}

/** A proxy that forwards every request to `target` (its URL may change), through `hook` when set. */
export async function startSandboxProxy(target: string): Promise<SandboxProxy> {
  const server = await startFaultServer();
  const proxy = Object.assign(server, { target, hook: null as ProxyHook | null });
  const forward = (req: RecordedRequest) => async (override: { headers?: Record<string, string> } = {}): Promise<FaultAction> => {
    const headers: Record<string, string> = {};
    for (const name of ['x-egovapi-softwareid', 'x-egovapi-accesskey', 'content-type']) {
      const v = req.headers[name];
      if (typeof v === 'string') headers[name] = v;
    }
    Object.assign(headers, override.headers);
    try {
      const res = await rawRequest(proxy.target, req.url, { method: req.method, headers, ...(req.body.length ? { body: req.body } : {}) });
      return { kind: 'respond', status: res.status, body: res.body };
    } catch {
      // the sandbox is down: the client sees a dropped connection
      return { kind: 'drop' };
    }
  };
  server.handle((req) => (proxy.hook ? proxy.hook(req, forward(req)) : forward(req)()));
  return proxy;
}
