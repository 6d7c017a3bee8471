// Renderer. The signature of a 公文書, checked twice and shown side by side: Todoke's own check (each
// check with ✓ / ✗ / –, the signer, its issuer, the anchor the chain ended at, validity at issue
// and now) and e-Gov's 公文書署名検証 (its words as sent). Only `valid` is ever shown as good: a
// failed signature, an unknown issuer, no signature or an unreadable one each say so (notice-view.ts).
// 「もう一度検証」 asks for both again (notice.verify), which may ask for the PIN or password.
import type { ReactNode } from 'react';
import type { LocalVerificationView, NoticeDetailView, RemoteCertificateReport, RemoteVerificationView, VerifiedCertificateView } from '../../shared/documents.js';
import type { ErrorPayload } from '../../shared/errors.js';
import { formatDateTime } from '../format.js';
import { useMessages, type Messages } from '../messages/index.js';
import { verdictBadge } from '../notice-view.js';
import { ErrorAlert } from './ErrorAlert.js';
import { VerdictBadge } from './NoticeBadges.js';

type Verification = NonNullable<NoticeDetailView['verification']>;

export function VerificationPanel({
  verification,
  busy,
  error,
  done,
  onVerify,
}: {
  verification: Verification | null;
  busy: boolean;
  error: ErrorPayload | null;
  done: boolean;
  onVerify: () => void;
}) {
  const m = useMessages();
  const t = m.inbox;
  return (
    <section className="panel stack verify-panel" aria-labelledby="notice-verify">
      <div className="verify-block__head">
        <h2 className="panel__title" id="notice-verify">
          {t.verifyTitle}
        </h2>
        <button type="button" className="button button--small" disabled={busy} onClick={onVerify}>
          {busy ? t.verifying : t.verifyAgain}
        </button>
      </div>
      <p className="muted verify-block__what">{t.verifyLead}</p>
      {done && (
        <p className="notice-done" role="status">
          {t.verified}
        </p>
      )}
      {error && <ErrorAlert title={t.verifyFailed} error={error} />}
      <div className="verify-blocks">
        <LocalBlock local={verification?.local ?? null} m={m} />
        <RemoteBlock remote={verification?.remote ?? null} remoteError={verification?.remoteError ?? null} m={m} />
      </div>
    </section>
  );
}

function LocalBlock({ local, m }: { local: LocalVerificationView | null; m: Messages }) {
  const t = m.inbox;
  const tone = verdictBadge(local?.verdict ?? null).tone;
  return (
    <section className={`verify-block verify-block--${tone}`} aria-labelledby="verify-local">
      <div className="verify-block__head">
        <h3 className="verify-block__title" id="verify-local">
          {t.localTitle}
        </h3>
        <VerdictBadge verdict={local?.verdict ?? null} />
      </div>
      <p className="verify-block__what">{t.localChecked}</p>
      {local === null ? (
        <p className="muted">{t.localNone}</p>
      ) : (
        <>
          <ul className="verify-checks" aria-label={t.checksLabel}>
            {local.checks.map((c, i) => {
              const [mark, cls, said] = c.ok === true ? ['✓', 'ok', t.checkOk] : c.ok === false ? ['✗', 'failed', t.checkFailed] : ['–', 'skipped', t.checkSkipped];
              return (
                <li key={i} className="verify-check">
                  <span className={`verify-check__mark verify-check__mark--${cls}`} aria-hidden="true">
                    {mark}
                  </span>
                  <span>
                    <span className="visually-hidden">{said}: </span>
                    {c.label}
                    {c.detail && <span className="verify-check__detail">{c.detail}</span>}
                  </span>
                </li>
              );
            })}
          </ul>
          {problemsBeyondChecks(local).length > 0 && (
            <ul className="verify-problems" aria-label={t.problemsLabel}>
              {problemsBeyondChecks(local).map((p, i) => (
                <li key={i}>{p}</li>
              ))}
            </ul>
          )}
          <dl className="verify-facts">
            <Row term={t.checkedFile}>{local.fileName}</Row>
            <Row term={t.checkedAt}>{formatDateTime(local.checkedAt, m)}</Row>
            <Row term={t.judgedAt}>{local.judgedAt ? formatDateTime(local.judgedAt, m) : '—'}</Row>
            <Row term={t.validityNow}>{local.signerValidityNow ? t.validityNowOf[local.signerValidityNow] : t.validityNowUnknown}</Row>
          </dl>
          {local.signer && <Certificate title={t.signer} cert={local.signer} m={m} />}
          <p className="verify-sub">{t.anchor}</p>
          {local.anchor ? <CertificateFacts cert={local.anchor} m={m} /> : <p className="muted verify-block__what">{t.anchorNone}</p>}
        </>
      )}
    </section>
  );
}

/** The problems a failed check does not already say in its own words (the core reports both). */
function problemsBeyondChecks(local: LocalVerificationView): string[] {
  const said = new Set(local.checks.filter((c) => c.ok === false).map((c) => c.detail.trim()));
  return local.problems.filter((p) => !said.has(p.trim()));
}

function Certificate({ title, cert, m }: { title: string; cert: VerifiedCertificateView; m: Messages }) {
  return (
    <>
      <p className="verify-sub">{title}</p>
      <CertificateFacts cert={cert} m={m} />
    </>
  );
}

function CertificateFacts({ cert, m }: { cert: VerifiedCertificateView; m: Messages }) {
  const t = m.inbox;
  const when = (iso: string) => (Number.isNaN(Date.parse(iso)) ? iso : formatDateTime(iso, m));
  return (
    <>
      <dl className="verify-facts">
        <Row term={t.remote.owner}>{cert.commonName || cert.subject}</Row>
        <Row term={t.issuer}>{cert.issuer}</Row>
        <Row term={t.validity}>{t.validityRange(when(cert.notBefore), when(cert.notAfter))}</Row>
      </dl>
      <details className="verify-details">
        <summary>{t.details}</summary>
        <dl className="verify-facts">
          <Row term={t.remote.ownerDn}>{cert.subject}</Row>
          <Row term={t.serial}>
            <span className="mono">{cert.serialNumber}</span>
          </Row>
          <Row term={t.fingerprint}>
            <span className="mono">{cert.fingerprintSha256}</span>
          </Row>
        </dl>
      </details>
    </>
  );
}

function RemoteBlock({ remote, remoteError, m }: { remote: RemoteVerificationView | null; remoteError: { code: string; message: string } | null; m: Messages }) {
  const t = m.inbox;
  const tone = remote === null ? 'neutral' : remote.ok ? 'success' : 'danger';
  return (
    <section className={`verify-block verify-block--${tone}`} aria-labelledby="verify-remote">
      <div className="verify-block__head">
        <h3 className="verify-block__title" id="verify-remote">
          {t.remoteTitle}
        </h3>
        {remote && <span className={`notice-badge notice-badge--${tone}`}>{remote.ok ? t.remoteOk : t.remoteNg}</span>}
      </div>
      <p className="verify-block__what">{t.remoteChecked}</p>
      {remoteError && (
        <p className="verify-problems" role="note">
          {t.remoteFailed}: {remoteError.message}
        </p>
      )}
      {remote === null ? (
        !remoteError && <p className="muted">{t.remoteNone}</p>
      ) : (
        <>
          <dl className="verify-facts">
            <Row term={t.checkedAt}>{formatDateTime(remote.checkedAt, m)}</Row>
            <Row term={t.remoteErrorCount}>{remote.result.errorCount}</Row>
            <Row term={t.remoteDocument}>{remote.result.documentFileName}</Row>
            <Row term={t.remoteAttached}>{remote.result.attachedFileName}</Row>
          </dl>
          {remote.result.errors.length > 0 && (
            <ul className="verify-problems" aria-label={t.remoteErrors}>
              {remote.result.errors.map((e, i) => (
                <li key={i}>{e}</li>
              ))}
            </ul>
          )}
          {remote.result.official && <RemoteCertificate title={t.remoteOfficial} report={remote.result.official} m={m} />}
          {remote.result.government && <RemoteCertificate title={t.remoteGovernment} report={remote.result.government} m={m} />}
        </>
      )}
    </section>
  );
}

function RemoteCertificate({ title, report, m }: { title: string; report: RemoteCertificateReport; m: Messages }) {
  const r = m.inbox.remote;
  const rows = (pairs: [string, string][]) =>
    pairs
      .filter(([, value]) => value !== '')
      .map(([term, value]) => (
        <Row key={term} term={term}>
          {value}
        </Row>
      ));
  return (
    <>
      <p className="verify-sub">{title}</p>
      <dl className="verify-facts">
        {rows([
          [r.validationResult, report.validationResult],
          [r.certificateResult, report.certificateResult],
          [r.publisher, report.publisher],
          [r.owner, report.owner],
          [r.termValidity, report.termValidity],
        ])}
      </dl>
      <details className="verify-details">
        <summary>{m.inbox.details}</summary>
        <dl className="verify-facts">
          {rows([
            [r.publisherDn, report.publisherDn],
            [r.ownerDn, report.ownerDn],
            [r.serialNumber, report.serialNumber],
          ])}
        </dl>
      </details>
    </>
  );
}

function Row({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}
