// Core host. Todoke's own check of a 公文書's 官職署名 (REFERENCE §7.3), turned into what the
// verification panel shows: every check made, its outcome, and one verdict that is `valid` only when
// nothing failed. The signature itself is verified by signing/xml/verify.ts (profile 'official').
//
// The moment that matters is the document's issue: a 公文書 signed by a 官職 certificate that was valid
// and chained to a trusted 官職 CA when the ministry issued it stays valid after that certificate
// expires (a filer keeps documents for years; e-Gov's demo certificates of 2015 expired in 2019). So
// chain and validity are judged at the issue time e-Gov reported, and the signer's validity today is
// shown beside it. No revocation check: v1 offers no CRL Todoke could reach; 公文書署名検証 (e-Gov's
// own check, shown beside this one) covers it.
import type { X509Certificate } from 'node:crypto';
import type { CertificateInfo } from '../../shared/domain.js';
import type { LocalVerificationView, VerifiedCertificateView } from '../../shared/documents.js';
import { isTodokeError } from '../../shared/errors.js';
import { verifySignedXml, type VerificationReport } from '../signing/xml/verify.js';

export interface VerifyDocumentInput {
  /** the XML's bytes exactly as they came out of the notice ZIP */
  xml: Uint8Array;
  fileName: string;
  /** when the document was issued (its IssueDate); chain and validity are judged at this moment */
  issuedAt: Date;
  /** the 官職 CA certificates the user (or the endpoint) trusts; none → never `valid` */
  anchors: readonly X509Certificate[];
  now?: Date;
  /** the largest XML read (default: the verifier's own limit) */
  maxBytes?: number;
}

function certificateView(c: CertificateInfo): VerifiedCertificateView {
  return {
    subject: c.subject,
    issuer: c.issuer,
    commonName: c.commonName,
    serialNumber: c.serialNumber,
    notBefore: c.notBefore,
    notAfter: c.notAfter,
    fingerprintSha256: c.fingerprintSha256,
  };
}

function validityNow(signer: CertificateInfo, now: Date): 'valid' | 'expired' | 'notYetValid' {
  if (now.getTime() < Date.parse(signer.notBefore)) return 'notYetValid';
  if (now.getTime() > Date.parse(signer.notAfter)) return 'expired';
  return 'valid';
}

function formatJst(date: Date): string {
  const jst = new Date(date.getTime() + 9 * 3600_000).toISOString();
  return `${jst.slice(0, 10).replace(/-/g, '/')} ${jst.slice(11, 19)}`;
}

/** The checks of a report, in the order a reader follows them. */
function checksOf(report: VerificationReport, anchors: readonly X509Certificate[], issuedAt: Date): LocalVerificationView['checks'] {
  const checks: LocalVerificationView['checks'] = [];
  checks.push({
    label: '署名値（SignedInfo を署名者の公開鍵で検証）',
    ok: report.signatureValueValid,
    detail: report.signatureValueValid ? '署名者の証明書の公開鍵で署名値を確認しました' : '署名値が一致しません',
  });
  for (const r of report.references) {
    checks.push({
      label: `参照 ${r.uri}（署名対象の本文のダイジェスト）`,
      ok: r.valid,
      detail: r.valid ? '本文は署名されたときのままです' : (r.reason ?? '一致しません'),
    });
  }
  const at = formatJst(issuedAt);
  checks.push({
    label: `署名者の証明書の有効期間（発行時 ${at}）`,
    ok: report.validity.state === 'valid',
    detail:
      report.validity.state === 'valid'
        ? `発行時に有効でした（${formatJst(new Date(report.signer.notBefore))} から ${formatJst(new Date(report.signer.notAfter))}）`
        : report.validity.state === 'expired'
          ? `発行時にはすでに有効期限（${formatJst(new Date(report.signer.notAfter))}）が切れていました`
          : `発行時にはまだ有効期間（${formatJst(new Date(report.signer.notBefore))} から）に入っていませんでした`,
  });
  checks.push({
    label: `官職認証局への証明書チェーン（発行時 ${at}）`,
    ok: anchors.length === 0 ? null : report.chain.trusted === true,
    detail:
      anchors.length === 0
        ? '信頼する官職認証局の証明書が設定されていないため、確認できません'
        : report.chain.trusted
          ? `信頼する官職認証局「${report.chain.anchor?.commonName ?? ''}」につながります`
          : (report.chain.reason ?? '信頼する官職認証局につながりません'),
  });
  return checks;
}

function verdictOf(report: VerificationReport): LocalVerificationView['verdict'] {
  if (!report.valid) return 'invalid';
  if (report.validity.state !== 'valid' || report.chain.trusted !== true) return 'untrusted';
  return 'valid';
}

/** Verifies one 公文書 XML; never throws for a bad document — the view says what was wrong. */
export async function verifyOfficialDocument(input: VerifyDocumentInput): Promise<LocalVerificationView> {
  const now = input.now ?? new Date();
  const base = { checkedAt: now.toISOString(), fileName: input.fileName, judgedAt: input.issuedAt.toISOString() };
  let report: VerificationReport;
  try {
    report = await verifySignedXml(Buffer.from(input.xml.buffer, input.xml.byteOffset, input.xml.byteLength), {
      profile: 'official',
      at: input.issuedAt,
      trustAnchors: [...input.anchors],
      ...(input.maxBytes === undefined ? {} : { maxBytes: input.maxBytes }),
    });
  } catch (e) {
    const unsigned = isTodokeError(e) && e.code === 'SIGNATURE_MISSING';
    const reason = isTodokeError(e) ? e.messageJa : 'XML を読み取れませんでした';
    return {
      ...base,
      verdict: unsigned ? 'unsigned' : 'unverifiable',
      checks: [{ label: '電子署名', ok: unsigned ? null : false, detail: unsigned ? 'この文書には電子署名が付いていません' : reason }],
      signer: null,
      certificates: [],
      anchor: null,
      signerValidityNow: null,
      problems: unsigned ? [] : [reason],
    };
  }
  const verdict = verdictOf(report);
  const problems = [...report.problems];
  if (input.anchors.length === 0) problems.push('信頼する官職認証局の証明書が設定されていないため、署名者を確認できません');
  return {
    ...base,
    verdict,
    checks: checksOf(report, input.anchors, input.issuedAt),
    signer: certificateView(report.signer),
    certificates: report.certificates.map(certificateView),
    anchor: report.chain.anchor ? certificateView(report.chain.anchor) : null,
    signerValidityNow: validityNow(report.signer, now),
    problems,
  };
}

/** e-Gov's 公文書署名検証 answer read as one yes/no: nothing counted as an error and a normal result. */
export function remoteVerdict(result: { errorCount: number; official: { validationResult: string } | null }): boolean {
  if (result.errorCount !== 0 || !result.official) return false;
  // 正常です。 is the recorded wording (A.26); the web version says 署名検証結果は正常です。
  return /正常/.test(result.official.validationResult) && !/エラー|異常|不正/.test(result.official.validationResult);
}
