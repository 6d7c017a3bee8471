// Test support (Node). A session over the v1 gateway, and /access/ calls through it, as the coming
// features make them: `session.withAccessKey((key) => gateway.access(key, …))`.
import { EgovV1Gateway } from '../../src/main/egov/gateway-v1.js';
import type { EgovCaller, HttpMethod } from '../../src/main/egov/http.js';
import type { EgovReply } from '../../src/main/egov/reply.js';
import { EgovSession, type SessionOptions } from '../../src/main/session/session.js';

const gateways = new WeakMap<EgovSession, EgovV1Gateway>();

export function v1Session(client: EgovCaller, options: Omit<SessionOptions, 'gateway'>): EgovSession {
  const gateway = new EgovV1Gateway(client);
  const session = new EgovSession({ ...options, gateway });
  gateways.set(session, gateway);
  return session;
}

export function access(session: EgovSession, method: HttpMethod, path: string, body?: string): Promise<EgovReply> {
  const gateway = gateways.get(session);
  if (!gateway) throw new Error('access() needs a session made by v1Session()');
  return session.withAccessKey((key) => gateway.access(key, method, path, body));
}
