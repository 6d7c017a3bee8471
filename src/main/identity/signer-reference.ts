// Main process. Turns a profile's signer reference into an open Signer, asking the person for the
// file password or the token PIN through `ask` (a dialog in the app, a prompt or an environment
// variable in the CLI). The secret goes straight to the signer; nothing here keeps it.
import { readFile } from 'node:fs/promises';
import type { CredentialPurpose, CredentialRequest } from '../../shared/domain.js';
import { isTodokeError } from '../../shared/errors.js';
import { openCertificateFile } from '../signing/file-signer.js';
import { openPkcs11Signer, type PinRequest } from '../signing/pkcs11/index.js';
import type { Signer } from '../signing/signer.js';
import type { SignerReference } from '../profiles/profile.js';
import { credentialCancelled } from './errors.js';

/** A prompt for one secret: the request without its transport id. Resolves to null when cancelled. */
export type CredentialAsk = Omit<CredentialRequest, 'requestId'>;
export type AskSecret = (request: CredentialAsk) => Promise<string | null>;

/** Wrong passwords before giving up; a file has no lockout, but a person deserves a stop. */
export const MAX_PASSWORD_ATTEMPTS = 5;

const ENCRYPTED_PEM = /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type:\s*4,ENCRYPTED/;
const PEM_KEY = /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----/;

export interface OpenOptions {
  purpose: CredentialPurpose;
  /** a password the person has just typed (first-run or update form): used instead of asking; a wrong one fails */
  password?: string;
}

export async function openSignerFor(ref: SignerReference, ask: AskSecret, options: OpenOptions): Promise<Signer> {
  return ref.kind === 'file' ? openFileSigner(ref, ask, options) : openTokenSigner(ref, ask, options.purpose);
}

async function openFileSigner(ref: Extract<SignerReference, { kind: 'file' }>, ask: AskSecret, options: OpenOptions): Promise<Signer> {
  const open = (password: string) => openCertificateFile(ref.path, password, ref.certificatePath === undefined ? {} : { certificatePath: ref.certificatePath });
  let password = options.password ?? ((await needsNoPassword(ref.path)) ? '' : undefined);
  let previousError: CredentialAsk['previousError'] = null;
  for (let attempt = 1; ; attempt++) {
    if (password === undefined) {
      const answer = await ask({ kind: 'password', subject: ref.displayName, attempt, previousError, pinCountLow: false, pinFinalTry: false, purpose: options.purpose });
      if (answer === null) throw credentialCancelled('password');
      password = answer;
    }
    try {
      return await open(password);
    } catch (e) {
      // A password typed in a form is answered in that form, not by a second dialog.
      if (!isTodokeError(e) || e.code !== 'BAD_PASSWORD' || options.password !== undefined || attempt >= MAX_PASSWORD_ATTEMPTS) throw e;
      previousError = 'BAD_PASSWORD';
      password = undefined;
    }
  }
}

/** An unencrypted PEM key opens without a password: do not ask for one. */
async function needsNoPassword(path: string): Promise<boolean> {
  let head: string;
  try {
    head = (await readFile(path)).subarray(0, 64 * 1024).toString('latin1');
  } catch {
    return false; // openCertificateFile reports the unreadable file properly
  }
  return PEM_KEY.test(head) && !ENCRYPTED_PEM.test(head);
}

async function openTokenSigner(ref: Extract<SignerReference, { kind: 'pkcs11' }>, ask: AskSecret, purpose: CredentialPurpose): Promise<Signer> {
  const token = {
    ...(ref.tokenSerial !== '' ? { serial: ref.tokenSerial } : {}),
    ...(ref.tokenLabel !== '' && ref.tokenSerial === '' ? { label: ref.tokenLabel } : {}),
  };
  return openPkcs11Signer({
    modulePath: ref.modulePath,
    token,
    ...(ref.certId !== '' ? { certId: ref.certId } : {}),
    pinProvider: (request: PinRequest) =>
      ask({
        kind: 'pin',
        subject: request.tokenLabel,
        attempt: request.attempt,
        previousError: request.previousError ?? null,
        pinCountLow: request.pinCountLow,
        pinFinalTry: request.pinFinalTry,
        purpose,
      }),
  });
}
