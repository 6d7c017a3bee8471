// Main process. The e-Gov client for a profile's environment: the built-in sandbox (its address
// is only known at run time) or the endpoint the filer named, with its Basic auth and extra CA.
// The base URL is checked and normalised by the client itself (checkEndpoint, src/shared/endpoint.ts).
import { EgovClient, type EgovClientOptions } from '../egov/http.js';
import type { EnvironmentSetting } from '../profiles/profile.js';
import { sandboxUnavailable } from './errors.js';

export interface SandboxEndpoint {
  baseUrl: string;
  softwareId: string;
  /** the CA of its HTTPS certificate; null over plain http on loopback */
  caPem: string | null;
}

/** Starts (once) or finds the built-in sandbox. */
export type SandboxProvider = () => Promise<SandboxEndpoint>;

export type ClientTuning = Pick<EgovClientOptions, 'connectTimeoutMs' | 'timeoutMs' | 'userAgent' | 'maxResponseBytes'>;

async function resolveEndpoint(environment: EnvironmentSetting, sandbox: SandboxProvider | undefined): Promise<SandboxEndpoint> {
  if (environment.kind === 'custom') return { baseUrl: environment.baseUrl, softwareId: environment.softwareId, caPem: environment.caPem ?? null };
  if (!sandbox) throw sandboxUnavailable();
  try {
    return await sandbox();
  } catch (e) {
    throw sandboxUnavailable(e);
  }
}

export async function clientFor(
  environment: EnvironmentSetting,
  basicAuthPassword: string | null,
  sandbox: SandboxProvider | undefined,
  tuning: ClientTuning = {},
): Promise<EgovClient> {
  const endpoint = await resolveEndpoint(environment, sandbox);
  const basicAuthUser = environment.kind === 'custom' ? environment.basicAuthUser : undefined;
  return new EgovClient({
    ...tuning,
    baseUrl: endpoint.baseUrl,
    softwareId: endpoint.softwareId,
    ...(basicAuthUser !== undefined ? { basicAuth: { username: basicAuthUser, password: basicAuthPassword ?? '' } } : {}),
    ...(endpoint.caPem !== null ? { extraCaCertificates: [endpoint.caPem] } : {}),
  });
}
