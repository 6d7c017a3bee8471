// Sandbox (Node). Whether a certificate the sandbox is asked to bind (証明書識別情報追加) leads to one
// of its trust anchors and is in force at the sandbox clock — the same policy (and the same code)
// the signature check applies to signers, so that an added certificate is one that could later
// sign a login. An anchor may be a CA or the end-entity certificate itself (how the e-Gov demo
// certificates are trusted, their CA certificate not being published).
import type { X509Certificate } from 'node:crypto';
import { judgeChain } from '../../main/signing/xml/chain.js';

export type TrustVerdict = { trusted: true } | { trusted: false; reason: string };

export function judgeTrust(cert: X509Certificate, anchors: readonly X509Certificate[], at: Date): TrustVerdict {
  const chain = judgeChain(cert, [], anchors, at);
  if (chain.trusted === true) return { trusted: true };
  return { trusted: false, reason: chain.reason ?? '信頼する認証局が設定されていません' };
}
