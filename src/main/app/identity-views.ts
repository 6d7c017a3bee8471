// Main process (core). What the UI is shown of an identity: copied field by field from the
// service's snapshot, so nothing secret (the access key itself, a password) can slip across.
import type { IdentityView, SignerView } from '../../shared/domain.js';
import type { IdentitySnapshot } from '../identity/service.js';
import type { SandboxEndpoint } from '../identity/endpoint.js';
import { describeWithWarnings, isPkcs12FileName } from './certificates.js';

export function identityView(snapshot: IdentitySnapshot, sandbox: SandboxEndpoint | null, now: Date): IdentityView {
  const { profile } = snapshot;
  const env = profile.environment;
  const signer: SignerView =
    profile.signer.kind === 'file'
      ? { kind: 'file', fileName: profile.signer.displayName }
      : { kind: 'pkcs11', modulePath: profile.signer.modulePath, tokenLabel: profile.signer.tokenLabel, tokenSerial: profile.signer.tokenSerial, certId: profile.signer.certId };
  return {
    profileName: snapshot.profileName,
    environment:
      env.kind === 'custom'
        ? { kind: 'custom', baseUrl: env.baseUrl, softwareId: env.softwareId, basicAuthUser: env.basicAuthUser ?? null, customCa: env.caPem !== undefined }
        : { kind: 'sandbox', baseUrl: sandbox?.baseUrl ?? '', softwareId: sandbox?.softwareId ?? '', basicAuthUser: null, customCa: false },
    userId: profile.userId,
    signer,
    certificate: describeWithWarnings(snapshot.certificate, profile.signer.kind === 'pkcs11' ? 'pkcs11' : isPkcs12FileName(profile.signer.displayName) ? 'pkcs12' : 'pem', now),
    lastAuthentication: profile.lastLogin ? { loggedInAt: profile.lastLogin.at, lastAuthenticationDate: profile.lastLogin.lastAuthenticationDate } : null,
    key: {
      held: snapshot.key !== null,
      obtainedAt: snapshot.key ? snapshot.key.obtainedAt.toISOString() : null,
      persisted: snapshot.keyPersisted,
    },
  };
}
