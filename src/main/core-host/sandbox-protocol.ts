// Host side and sandbox process. The two messages between a host and its built-in sandbox process.
import type { SandboxEndpoint } from '../identity/endpoint.js';

export interface SandboxStart {
  t: 'start';
  dataDir: string;
  /** the folder of the sandbox's test PKI when the app is bundled (its default is found from its source file) */
  pkiDir?: string;
}

export type SandboxReply = ({ t: 'listening' } & SandboxEndpoint) | { t: 'failed'; message: string };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const okString = (v: unknown, max = 4096): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;

export function parseSandboxStart(v: unknown): SandboxStart | null {
  if (!isRecord(v) || v.t !== 'start' || !okString(v.dataDir)) return null;
  if (!Object.keys(v).every((k) => k === 't' || k === 'dataDir' || k === 'pkiDir')) return null;
  if (v.pkiDir !== undefined && !okString(v.pkiDir)) return null;
  return v as unknown as SandboxStart;
}

export function parseSandboxReply(v: unknown): SandboxReply | null {
  if (!isRecord(v)) return null;
  if (v.t === 'failed') return okString(v.message, 64 * 1024) ? { t: 'failed', message: v.message } : null;
  if (v.t !== 'listening' || !okString(v.baseUrl, 2048) || !okString(v.softwareId, 128)) return null;
  if (!(v.caPem === null || okString(v.caPem, 64 * 1024))) return null;
  return { t: 'listening', baseUrl: v.baseUrl, softwareId: v.softwareId, caPem: v.caPem };
}
