// Renderer. Checks of what the filer types in the first-run flow, so a mistake is explained next
// to the field before anything is sent. The core checks the same things again (contract.ts).
import { MAX_CA_PEM_LENGTH, SOFTWARE_ID_PATTERN, USER_ID_PATTERN } from '../shared/contract.js';
import { checkEndpoint, type EndpointCheck } from '../shared/endpoint.js';

export type UserIdProblem = 'required' | 'tooLong' | 'invalid';

/** 利用者ID: 1-64 half-width printable ASCII characters, no spaces (REFERENCE §4.1). */
export function userIdProblem(value: string): UserIdProblem | null {
  if (value.length === 0) return 'required';
  if (value.length > 64) return 'tooLong';
  return USER_ID_PATTERN.test(value) ? null : 'invalid';
}

/**
 * The endpoint URL by the rule the core and the CLI use (src/shared/endpoint.ts): null when it
 * can be used, else the failed check, whose `message` / `messageJa` are the words the core would
 * answer with (it is an ErrorPayload, so errorText() shows it in the person's language).
 */
export function endpointProblem(value: string): Extract<EndpointCheck, { ok: false }> | null {
  const check = checkEndpoint(value);
  return check.ok ? null : check;
}

export type SoftwareIdProblem = 'required' | 'invalid';

export function softwareIdProblem(value: string): SoftwareIdProblem | null {
  if (value.length === 0) return 'required';
  return SOFTWARE_ID_PATTERN.test(value) ? null : 'invalid';
}

export type CaPemProblem = 'notPem' | 'tooLarge';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;

export function caPemProblem(text: string): CaPemProblem | null {
  if (text.length > MAX_CA_PEM_LENGTH) return 'tooLarge';
  return PEM_CERTIFICATE.test(text) ? null : 'notPem';
}

/** Where an IC card's PKCS#11 module usually is (OpenSC), shown as an example next to the field. */
export function pkcs11ModuleExample(platform: string | undefined): string {
  switch (platform) {
    case 'win32':
      return 'C:\\Windows\\System32\\opensc-pkcs11.dll';
    case 'darwin':
      return '/Library/OpenSC/lib/opensc-pkcs11.so';
    default:
      return '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so';
  }
}
