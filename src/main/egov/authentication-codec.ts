// Main process. The wire format of the five signed identity APIs (REFERENCE §3, §4.1, §4.2,
// §4.21–4.23): the ApplData each request carries and what each response's ApplData holds. The wire
// names (UserID, AccessKey, AddX509Certificate …) stay in this file; callers see code names.
import type { X509Certificate } from 'node:crypto';
import { USER_ID_PATTERN } from '../../shared/contract.js';
import { PRINTABLE_ASCII } from '../../shared/text.js';
import { xmlText } from '../signing/xml/index.js';
import { parseJstTimestamp } from './dates.js';
import { invalidArgument, malformedResponse } from './errors.js';
import { optionalText, requiredText, type XmlNode } from './xml.js';

export const AUTHENTICATION_PATHS = {
  register: 'authentication/user',
  login: 'authentication/login',
  appendCertificate: 'authentication/certificate/append',
  updateCertificate: 'authentication/certificate/update',
  deleteCertificate: 'authentication/certificate/delete',
} as const;

export interface RegisterResult {
  /** UserID as the server echoed it */
  userId: string;
}

export interface AuthenticationDate {
  /** LastAuthenticationDate exactly as sent: JST YYYYMMDDhhmmss of the previous authentication, '' when none */
  lastAuthenticationDate: string;
  /** the same instant as a Date, when the text is a valid timestamp */
  lastAuthenticatedAt?: Date;
}

export interface LoginResult extends AuthenticationDate {
  userId: string;
  /** whitespace removed: in 2020 e-Gov wrapped keys at 76 characters after a leading newline */
  accessKey: string;
}

export interface CertificateChangeResult extends AuthenticationDate {
  userId: string;
}

// The allowed characters of a 利用者ID are not documented (REFERENCE §2.7); every ID seen is
// printable ASCII. Anything else is far more likely a typo than an ID e-Gov would accept. The same
// rule as the contract's, so the form, the CLI and the wire agree.
const MAX_ACCESS_KEY_CHARS = 4096;

export function assertUserId(userId: string): void {
  if (!USER_ID_PATTERN.test(userId)) {
    throw invalidArgument('利用者IDは半角の英数字・記号で、空白を含めず64文字以内で入力してください', 'user ID must be 1-64 printable ASCII characters');
  }
}

/** ApplData of 利用者ID登録 and 利用者認証. */
export function userIdApplData(userId: string): string {
  assertUserId(userId);
  return `<UserID>${xmlText(userId)}</UserID>`;
}

/** ApplData of 証明書識別情報追加: the certificate to add, as one line of base64 DER. */
export function appendCertificateApplData(userId: string, certificate: X509Certificate): string {
  return `${userIdApplData(userId)}<AddX509Certificate>${base64Der(certificate)}</AddX509Certificate>`;
}

/** ApplData of 証明書識別情報更新: the OLD certificate (the new one signs the request). */
export function updateCertificateApplData(userId: string, oldCertificate: X509Certificate): string {
  return `${userIdApplData(userId)}<X509Certificate>${base64Der(oldCertificate)}</X509Certificate>`;
}

/** ApplData of 証明書識別情報削除: the certificate to remove. */
export function deleteCertificateApplData(userId: string, certificate: X509Certificate): string {
  return `${userIdApplData(userId)}<DelX509Certificate>${base64Der(certificate)}</DelX509Certificate>`;
}

export function decodeRegister(applData: XmlNode): RegisterResult {
  return { userId: requiredText(applData, 'UserID') };
}

export function decodeLogin(applData: XmlNode): LoginResult {
  // only XML whitespace goes: anything else (a no-break space, a control character) is a broken key
  const accessKey = requiredText(applData, 'AccessKey').replace(/[ \t\r\n]+/g, '');
  if (!accessKey) throw malformedResponse('アクセスキーが空です', 'empty AccessKey');
  if (accessKey.length > MAX_ACCESS_KEY_CHARS || !PRINTABLE_ASCII.test(accessKey)) {
    throw malformedResponse('アクセスキーの形式が想定外です', 'AccessKey is too long or not printable ASCII');
  }
  return { userId: requiredText(applData, 'UserID'), accessKey, ...authenticationDate(applData) };
}

export function decodeCertificateChange(applData: XmlNode): CertificateChangeResult {
  return { userId: requiredText(applData, 'UserID'), ...authenticationDate(applData) };
}

// Informational only: a missing or odd date never fails a call that otherwise succeeded.
function authenticationDate(applData: XmlNode): AuthenticationDate {
  const lastAuthenticationDate = optionalText(applData, 'LastAuthenticationDate') ?? '';
  const lastAuthenticatedAt = parseJstTimestamp(lastAuthenticationDate);
  return lastAuthenticatedAt ? { lastAuthenticationDate, lastAuthenticatedAt } : { lastAuthenticationDate };
}

function base64Der(certificate: X509Certificate): string {
  return certificate.raw.toString('base64');
}
