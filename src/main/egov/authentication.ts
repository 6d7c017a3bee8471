// Main process. The five signed identity APIs (利用者ID登録, 利用者認証, 証明書識別情報 追加/更新/削除):
// build the ApplData, sign it as the request profile demands, send, decode.
import type { X509Certificate } from 'node:crypto';
import { jstTimestamp } from '../../shared/jst.js';
import type { Signer } from '../signing/signer.js';
import { signRequestBody } from '../signing/xml/index.js';
import {
  AUTHENTICATION_PATHS,
  appendCertificateApplData,
  decodeCertificateChange,
  decodeLogin,
  decodeRegister,
  deleteCertificateApplData,
  updateCertificateApplData,
  userIdApplData,
  type CertificateChangeResult,
  type LoginResult,
  type RegisterResult,
} from './authentication-codec.js';
import { invalidArgument } from './errors.js';
import type { EgovCaller, EgovRequest } from './http.js';

export type { CertificateChangeResult, LoginResult, RegisterResult } from './authentication-codec.js';

export interface SignedCallArgs {
  userId: string;
  /** Signature/@Id; default: the current time in JST as YYYYMMDDhhmmss, as e-Gov's own tools wrote */
  signatureId?: string;
}

export interface CertificateArgs extends SignedCallArgs {
  certificate: X509Certificate;
}

export interface UpdateCertificateArgs extends SignedCallArgs {
  /** the registered certificate being replaced (it may have expired) */
  oldCertificate: X509Certificate;
}

async function signedRequest(path: string, applDataInnerXml: string, signer: Signer, signatureId: string | undefined): Promise<EgovRequest> {
  const body = await signRequestBody(applDataInnerXml, signer, { signatureId: signatureId ?? jstTimestamp(new Date()) });
  return { method: 'POST', path, body };
}

export async function registerUserRequest(signer: Signer, args: SignedCallArgs): Promise<EgovRequest> {
  return signedRequest(AUTHENTICATION_PATHS.register, userIdApplData(args.userId), signer, args.signatureId);
}

export async function loginRequest(signer: Signer, args: SignedCallArgs): Promise<EgovRequest> {
  return signedRequest(AUTHENTICATION_PATHS.login, userIdApplData(args.userId), signer, args.signatureId);
}

export async function appendCertificateRequest(signer: Signer, args: CertificateArgs): Promise<EgovRequest> {
  if (args.certificate.raw.equals(signer.certificate.raw)) {
    throw invalidArgument('追加する証明書が、署名に使う証明書と同じです。追加したい別の証明書を選んでください', 'the certificate to append is the signing certificate');
  }
  return signedRequest(AUTHENTICATION_PATHS.appendCertificate, appendCertificateApplData(args.userId, args.certificate), signer, args.signatureId);
}

export async function updateCertificateRequest(newSigner: Signer, args: UpdateCertificateArgs): Promise<EgovRequest> {
  if (args.oldCertificate.raw.equals(newSigner.certificate.raw)) {
    throw invalidArgument('新しい証明書が古い証明書と同じです。署名には新しい証明書を使ってください', 'the new signing certificate equals the old certificate');
  }
  return signedRequest(AUTHENTICATION_PATHS.updateCertificate, updateCertificateApplData(args.userId, args.oldCertificate), newSigner, args.signatureId);
}

export async function deleteCertificateRequest(signer: Signer, args: CertificateArgs): Promise<EgovRequest> {
  return signedRequest(AUTHENTICATION_PATHS.deleteCertificate, deleteCertificateApplData(args.userId, args.certificate), signer, args.signatureId);
}

/** 利用者ID登録: registers (userId, the signer's certificate) for this software. HTTP 201. */
export async function registerUser(client: EgovCaller, signer: Signer, args: SignedCallArgs): Promise<RegisterResult> {
  const reply = await client.call(await registerUserRequest(signer, args));
  return decodeRegister(reply.applData);
}

/** 利用者認証: a new access key for the /access/ APIs. */
export async function login(client: EgovCaller, signer: Signer, args: SignedCallArgs): Promise<LoginResult> {
  const reply = await client.call(await loginRequest(signer, args));
  return decodeLogin(reply.applData);
}

/** 証明書識別情報追加: `signer` holds an already registered certificate; `certificate` is added. */
export async function appendCertificate(client: EgovCaller, signer: Signer, args: CertificateArgs): Promise<CertificateChangeResult> {
  const reply = await client.call(await appendCertificateRequest(signer, args));
  return decodeCertificateChange(reply.applData);
}

/** 証明書識別情報更新: signed by the NEW certificate; the body names the old one it replaces. */
export async function updateCertificate(client: EgovCaller, newSigner: Signer, args: UpdateCertificateArgs): Promise<CertificateChangeResult> {
  const reply = await client.call(await updateCertificateRequest(newSigner, args));
  return decodeCertificateChange(reply.applData);
}

/** 証明書識別情報削除: `signer` holds a registered certificate; `certificate` is removed. */
export async function deleteCertificate(client: EgovCaller, signer: Signer, args: CertificateArgs): Promise<CertificateChangeResult> {
  const reply = await client.call(await deleteCertificateRequest(signer, args));
  return decodeCertificateChange(reply.applData);
}
