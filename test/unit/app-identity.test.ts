// Unit: the identity operations' adapter (src/main/app/identity.ts) over a stand-in service: which
// kind of certificate source a change reports, and the error when the 利用者ID is gone. Certificate
// files are the bundled sandbox test credentials; nothing is sent anywhere.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { identityHandlers } from '../../src/main/app/identity.js';
import type { CertificateChange, IdentityService, IdentitySnapshot } from '../../src/main/identity/service.js';
import { PROFILE_VERSION, type Profile, type SignerReference } from '../../src/main/profiles/profile.js';
import { ProfileStore } from '../../src/main/profiles/profile-store.js';
import { openCertificateFile } from '../../src/main/signing/file-signer.js';
import { isTodokeError } from '../../src/shared/errors.js';
import { scratchHome } from '../support/home.js';
import { repoRoot } from '../support/paths.js';

const pki = join(repoRoot, 'assets', 'sandbox-pki');
const PASSWORD = 'todoke';
const bytes = (name: string) => readFileSync(join(pki, name));
const upload = (fileName: string, data: Buffer, password?: string) => ({ fileName, dataBase64: data.toString('base64'), ...(password === undefined ? {} : { password }) });
const yamada = new X509Certificate(bytes('yamada-taro.cert.pem'));
const NOW = new Date('2030-01-01T00:00:00Z');

function snapshot(): IdentitySnapshot {
  const profile: Profile = {
    version: PROFILE_VERSION,
    environment: { kind: 'custom', baseUrl: 'https://api.example.jp/shinsei/1/', softwareId: 'TODOKE1' },
    userId: 'taro01',
    signer: { kind: 'file', path: '/nowhere/yamada-taro.p12', displayName: 'yamada-taro.p12' },
    certificatePem: yamada.toString(),
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
  };
  return { profileName: 'default', profile, certificate: yamada, key: null, keyPersisted: false, canPersist: true };
}

/** A service that does what it is asked without e-Gov; `gone` makes the profile vanish meanwhile. */
function handlers(options: { gone?: boolean } = {}) {
  const change = (certificate: X509Certificate): CertificateChange => ({ snapshot: snapshot(), certificate, result: { lastAuthenticationDate: '', lastAuthenticatedAt: null } });
  const service = {
    profileName: 'default',
    snapshot: async () => (options.gone ? null : snapshot()),
    login: async () => snapshot(),
    addCertificate: async (c: X509Certificate) => change(c),
    deleteCertificate: async (c: X509Certificate) => change(c),
    // the new certificate of an update is what the stored copy of the signer file holds
    updateCertificate: async (ref: SignerReference, password?: string) => {
      assert.equal(ref.kind, 'file');
      const signer = await openCertificateFile(ref.kind === 'file' ? ref.path : '', password ?? '');
      await signer.close();
      return change(signer.certificate);
    },
  } as unknown as IdentityService;
  return identityHandlers({ service, profiles: new ProfileStore(scratchHome()), sandbox: undefined, now: () => NOW });
}

void describe('certificate changes report the source the certificate came from', () => {
  void it('add: a PEM or a DER certificate', async () => {
    const h = handlers();
    const pem = await h['identity.certificate.add']({ certificate: upload('suzuki.cert.pem', bytes('suzuki-hanako.cert.pem')) });
    assert.equal(pem.certificate.source, 'pem');
    const der = await h['identity.certificate.add']({ certificate: upload('suzuki.cer', new X509Certificate(bytes('suzuki-hanako.cert.pem')).raw) });
    assert.equal(der.certificate.source, 'der');
    assert.match(der.certificate.certificate.commonName, /鈴木/);
  });

  void it('delete: a PKCS#12 file opened with its password', async () => {
    const h = handlers();
    const p12 = await h['identity.certificate.delete']({ certificate: upload('suzuki-hanako.p12', bytes('suzuki-hanako.p12'), PASSWORD) });
    assert.equal(p12.certificate.source, 'pkcs12');
  });

  void it('update: a PKCS#12 file, or a PEM file holding key and certificate', async () => {
    const h = handlers();
    const p12 = await h['identity.certificate.update']({ signer: { kind: 'file', ...upload('yamada-taro-renewed.p12', bytes('yamada-taro-renewed.p12')), password: PASSWORD } });
    assert.equal(p12.certificate.source, 'pkcs12');
    const pemPair = Buffer.concat([bytes('token-user.key.pem'), bytes('token-user.cert.pem')]);
    const pem = await h['identity.certificate.update']({ signer: { kind: 'file', ...upload('token-user.pem', pemPair), password: '' } });
    assert.equal(pem.certificate.source, 'pem');
  });
});

void describe('a 利用者ID that is gone when the view is made', () => {
  void it('is IDENTITY_NOT_SET_UP, with the way forward, not an invalid argument', async () => {
    const h = handlers({ gone: true });
    await assert.rejects(h['identity.login'](), (e: unknown) => isTodokeError(e, 'IDENTITY_NOT_SET_UP') && /登録するか.*ログインしてください/.test(e.messageJa));
    await assert.rejects(
      h['identity.certificate.add']({ certificate: upload('suzuki.cert.pem', bytes('suzuki-hanako.cert.pem')) }),
      (e: unknown) => isTodokeError(e, 'IDENTITY_NOT_SET_UP'),
    );
  });
});
