// Main process. A profile: everything Todoke keeps on this computer to act as one 利用者ID —
// which endpoint, which ID, how to reach the certificate that signs for it. Never a password, a
// PIN or the access key (those live in a SecretStore). The file on disk is untrusted on the way
// back in: parseProfile checks it as strictly as the IPC contract checks the renderer.
import { SOFTWARE_ID_PATTERN, USER_ID_PATTERN } from '../../shared/contract.js';
import { checkEndpoint, MAX_ENDPOINT_URL_LENGTH } from '../../shared/endpoint.js';
import * as s from '../../shared/schema.js';
import { SchemaViolation, type Infer, type Schema } from '../../shared/schema.js';

export const PROFILE_VERSION = 1;
/** Profile names become folder names: keep them boring. */
export const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const DEFAULT_PROFILE = 'default';
const MAX_PATH = 4096;

// no minimum: checkEndpoint says what an empty one lacks
const endpointText = s.string({ maxLength: MAX_ENDPOINT_URL_LENGTH });
/**
 * The endpoint by the rule the form, the CLI and the client use; read back normalised, so a
 * profile written before that rule (`https://host/shinsei/1`) still loads, and an edited one
 * pointing plain http at another machine does not.
 */
const endpointUrl: Schema<string> = {
  describe: `endpoint URL ≤ ${MAX_ENDPOINT_URL_LENGTH}`,
  check(value, path) {
    const check = checkEndpoint(endpointText.check(value, path));
    if (!check.ok) throw new SchemaViolation({ path, reason: check.code, message: check.message });
    return check.baseUrl;
  },
};

const environment = s.variant('kind', {
  sandbox: {},
  custom: {
    baseUrl: endpointUrl,
    softwareId: s.string({ minLength: 1, maxLength: 128, pattern: SOFTWARE_ID_PATTERN }),
    basicAuthUser: s.optional(s.string({ minLength: 1, maxLength: 256 })),
    caPem: s.optional(s.string({ minLength: 1, maxLength: 64 * 1024 })),
  },
});

const signer = s.variant('kind', {
  /** a PKCS#12 file, or a PEM key (with its certificate inside or in `certificatePath`) */
  file: {
    path: s.string({ minLength: 1, maxLength: MAX_PATH }),
    certificatePath: s.optional(s.string({ minLength: 1, maxLength: MAX_PATH })),
    /** what to call it on screen: the name of the file the filer chose */
    displayName: s.string({ minLength: 1, maxLength: 255 }),
  },
  pkcs11: {
    modulePath: s.string({ minLength: 1, maxLength: MAX_PATH }),
    tokenLabel: s.string({ minLength: 0, maxLength: 64 }),
    tokenSerial: s.string({ minLength: 0, maxLength: 64 }),
    /** hex CKA_ID; '' = the token's only signing certificate */
    certId: s.string({ minLength: 0, maxLength: 512, pattern: /^(?:[0-9a-f]{2})*$/ }),
  },
});

const profileSchema = s.object({
  version: s.integer({ min: PROFILE_VERSION, max: PROFILE_VERSION }),
  environment,
  userId: s.string({ minLength: 1, maxLength: 64, pattern: USER_ID_PATTERN }),
  signer,
  /** the certificate registered for the ID that this profile signs with (public data) */
  certificatePem: s.string({ minLength: 1, maxLength: 64 * 1024 }),
  lastLogin: s.optional(
    s.object({
      at: s.string({ minLength: 1, maxLength: 40 }),
      lastAuthenticationDate: s.string({ minLength: 0, maxLength: 64 }),
    }),
  ),
  createdAt: s.string({ minLength: 1, maxLength: 40 }),
  updatedAt: s.string({ minLength: 1, maxLength: 40 }),
});

export type Profile = Infer<typeof profileSchema>;
export type EnvironmentSetting = Profile['environment'];
export type SignerReference = Profile['signer'];

/** Checks a value read from disk; throws SchemaViolation with the offending path. */
export function parseProfile(value: unknown): Profile {
  return profileSchema.check(value, 'profile');
}

export function isProfileName(name: string): boolean {
  return PROFILE_NAME.test(name) && name !== '.' && name !== '..';
}
