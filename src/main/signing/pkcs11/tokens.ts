// Main process. Tokens (IC cards, HSM tokens) present in a PKCS#11 library, and choosing one.
// Tokens are chosen by label or serial, never by slot: slot IDs change when a card is re-inserted
// or (SoftHSM) when a token is initialized.
import type { X509Certificate } from 'node:crypto';
import type { PKCS11, TokenInfo as Pkcs11TokenInfo } from 'pkcs11js';
import { SigningError } from '../errors.js';
import { mapPkcs11Error } from './errors.js';
import { acquireModule } from './module.js';
import { tokenFlags, type TokenFlags } from './pin.js';
import { readCertificates, withSession } from './objects.js';
import type { CertificateInfo } from '../../../shared/domain.js';
import { describeCertificate } from '../certificate.js';

export interface TokenInfo {
  /** hex of the 8-byte slot handle; changes between insertions, for display and debugging only */
  slotId: string;
  label: string;
  serial: string;
  manufacturer: string;
  model: string;
  flags: TokenFlags;
}

export interface TokenSelector {
  label?: string;
  serial?: string;
}

export interface TokenCertificate {
  /** hex CKA_ID; pass it as `certId` to openPkcs11Signer */
  id: string;
  label: string;
  info: CertificateInfo;
  certificate: X509Certificate;
}

export async function listTokens(modulePath: string): Promise<TokenInfo[]> {
  const lease = acquireModule(modulePath);
  try {
    return readTokens(lease.p11, modulePath);
  } finally {
    lease.release();
  }
}

/** The certificates on a token, readable without the PIN. */
export async function listTokenCertificates(modulePath: string, selector: TokenSelector): Promise<TokenCertificate[]> {
  const lease = acquireModule(modulePath);
  try {
    const token = selectToken(readTokens(lease.p11, modulePath), selector);
    const context = { operation: 'findObjects' as const, modulePath, tokenLabel: token.label };
    return withSession(lease.p11, slotHandle(token), context, (session) =>
      readCertificates(lease.p11, session, context).map((c) => ({ id: c.id, label: c.label, info: describeCertificate(c.certificate), certificate: c.certificate })),
    );
  } finally {
    lease.release();
  }
}

export function readTokens(p11: PKCS11, modulePath: string): TokenInfo[] {
  let slots: Buffer[];
  try {
    slots = p11.C_GetSlotList(true);
  } catch (e) {
    throw mapPkcs11Error(e, { operation: 'listSlots', modulePath });
  }
  const tokens: TokenInfo[] = [];
  for (const slot of slots) {
    try {
      tokens.push(tokenInfoFrom(slot, p11.C_GetTokenInfo(slot)));
    } catch {
      // a card pulled out between the two calls, or one the library cannot read: not listed
    }
  }
  return tokens;
}

export function tokenInfoFrom(slot: Buffer, info: Pkcs11TokenInfo): TokenInfo {
  return {
    slotId: slot.toString('hex'),
    label: info.label.trim(),
    serial: info.serialNumber.trim(),
    manufacturer: info.manufacturerID.trim(),
    model: info.model.trim(),
    flags: tokenFlags(info.flags),
  };
}

export function slotHandle(token: TokenInfo): Buffer {
  return Buffer.from(token.slotId, 'hex');
}

/** Pure: the one initialized token matching the selector (label and/or serial, both trimmed). */
export function selectToken(tokens: readonly TokenInfo[], selector: TokenSelector): TokenInfo {
  const label = selector.label?.trim();
  const serial = selector.serial?.trim();
  const matches = tokens.filter(
    (t) => t.flags.tokenInitialized && (label === undefined || t.label === label) && (serial === undefined || t.serial === serial),
  );
  const wanted = [label !== undefined ? `ラベル「${label}」` : '', serial !== undefined ? `シリアル番号「${serial}」` : ''].filter(Boolean).join('・');
  if (matches.length === 0) {
    throw new SigningError(
      'PKCS11_TOKEN_NOT_FOUND',
      {
        ja: `${wanted ? `${wanted}の` : ''}IC カードが見つかりません。カードがリーダーに差さっているか、設定したカードの名前が正しいかを確かめてください。`,
        en: `no token matches ${JSON.stringify(selector)}`,
      },
      { detail: { selector: { ...selector }, available: tokens.filter((t) => t.flags.tokenInitialized).map((t) => ({ label: t.label, serial: t.serial })) } },
    );
  }
  if (matches.length > 1) {
    throw new SigningError(
      'PKCS11_TOKEN_AMBIGUOUS',
      {
        ja: `${wanted ? `${wanted}の` : ''}IC カードが ${matches.length} 枚見つかりました。使うカードをシリアル番号で選んでください。`,
        en: `${matches.length} tokens match ${JSON.stringify(selector)}; select by serial`,
      },
      { detail: { selector: { ...selector }, candidates: matches.map((t) => ({ label: t.label, serial: t.serial })) } },
    );
  }
  return matches[0]!;
}
