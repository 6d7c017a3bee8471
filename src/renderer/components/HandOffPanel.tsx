// Renderer. A hand-off window on the case screen, as the host reports it (payment.window): the bank,
// the origin the window shows now, e-Gov's 30 minutes as mm:ss (amber in the last 5, and at the end
// the plain statement that the hand-off must be started again), each thing the window refused, and
// 「ウィンドウを閉じる」. Once closed: that nothing changes until e-Gov confirms the payment, with
// 「納付状況を確認する」. HandOffBanner is the compact line the rest of the app shows meanwhile.
import { useId, useState } from 'react';
import type { ErrorPayload } from '../../shared/errors.js';
import { blockText, countdownPhase, formatCountdown, remainingMs, type HandOffWindow } from '../hand-off-view.js';
import { useMessages } from '../messages/index.js';
import { usePaymentStore } from '../stores/payments.js';
import { useRouterStore } from '../stores/router.js';
import { ErrorAlert } from './ErrorAlert.js';
import { Icon } from './Icon.js';
import { useNow } from './useNow.js';
import './HandOffPanel.css';

const TICK_MS = 1000;

export function HandOffPanel({ window: w, onCheck, checking }: { window: HandOffWindow; onCheck: () => void; checking: boolean }) {
  const m = useMessages();
  const t = m.payments.handOff;
  const closeWindow = usePaymentStore((s) => s.closeWindow);
  const dismiss = usePaymentStore((s) => s.dismissWindow);
  const now = useNow(TICK_MS, !w.closed && !w.expired);
  const [closing, setClosing] = useState(false);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const bank = w.bank?.name ?? w.bankName;
  const phase = countdownPhase(w, now);
  const left = remainingMs(w.expiresAt, now);
  const titleId = useId();

  const close = async () => {
    setClosing(true);
    setError(null);
    const result = await closeWindow(w.handOffId);
    setClosing(false);
    if (!result.ok) setError(result.error);
  };

  return (
    <section className={`hand-off hand-off--${w.closed ? 'closed' : phase}`} aria-labelledby={titleId}>
      <h3 className="hand-off__title" id={titleId}>
        <Icon name={w.closed ? 'check' : 'lock'} size={18} />
        {w.closed ? t.closedTitle(bank) : t.title(bank)}
      </h3>
      <dl className="hand-off__facts">
        <div>
          <dt>{t.payNumber}</dt>
          <dd className="mono">{w.payNumber}</dd>
        </div>
        {!w.closed && (
          <div>
            <dt>{t.origin}</dt>
            <dd className="mono hand-off__origin">{w.origin ?? t.originUnknown}</dd>
          </div>
        )}
        {!w.closed && (
          <div>
            <dt>{t.countdown}</dt>
            <dd className="hand-off__countdown">
              {left === null ? (
                t.countdownUnknown
              ) : (
                <>
                  <span aria-hidden="true">{formatCountdown(phase === 'expired' ? 0 : left)}</span>
                  <span className="visually-hidden">{t.countdownLabel(formatCountdown(phase === 'expired' ? 0 : left))}</span>
                </>
              )}
            </dd>
          </div>
        )}
      </dl>
      {!w.closed && phase === 'ending' && (
        <p className="hand-off__warning" role="status">
          <Icon name="alert" size={16} />
          {t.ending}
        </p>
      )}
      {!w.closed && phase === 'expired' && (
        <p className="hand-off__expired" role="alert">
          <Icon name="alert" size={16} />
          {t.expired}
        </p>
      )}
      {w.blocked.length > 0 && (
        <div className="hand-off__blocked">
          <h4>{t.blockedTitle}</h4>
          <ol aria-live="polite">
            {w.blocked.map((b, i) => (
              <li key={`${b.at}-${i}`}>{blockText(b, m)}</li>
            ))}
          </ol>
          {w.droppedBlocks > 0 && <p className="muted">{t.dropped(w.droppedBlocks)}</p>}
        </div>
      )}
      {w.closed ? (
        <div className="hand-off__after">
          <div role="status">
            <p className="hand-off__after-title">{t.afterClose}</p>
            <p className="muted">{t.afterCloseHint}</p>
          </div>
          <div className="hand-off__actions">
            <button type="button" className="button button--primary" disabled={checking} onClick={onCheck}>
              {checking ? m.payments.checking : m.payments.check}
            </button>
            <button type="button" className="button" onClick={() => dismiss(w.handOffId)}>
              {t.dismiss}
            </button>
          </div>
        </div>
      ) : (
        <div className="hand-off__actions">
          <button type="button" className="button" disabled={closing} onClick={() => void close()}>
            {closing ? t.closing : t.close}
          </button>
        </div>
      )}
      {error && <ErrorAlert title={t.closeFailed} error={error} />}
    </section>
  );
}

/** Elsewhere in the app: one line per open hand-off window, leading to its case (not shown on that case's own screen). */
export function HandOffBanner() {
  const m = useMessages();
  const t = m.payments.handOff;
  const windows = usePaymentStore((s) => s.windows);
  const route = useRouterStore((s) => s.route);
  const navigate = useRouterStore((s) => s.navigate);
  const open = Object.values(windows).filter((w) => !w.closed && !(route.name === 'case' && route.arriveId === w.arriveId));
  const now = useNow(TICK_MS, open.length > 0);
  if (open.length === 0) return null;
  return (
    <div className="hand-off-banner" role="region" aria-label={m.payments.title}>
      {open.map((w) => {
        const left = remainingMs(w.expiresAt, now);
        const phase = countdownPhase(w, now);
        return (
          <p key={w.handOffId} className={`hand-off-banner__item hand-off-banner__item--${phase}`}>
            <Icon name="lock" size={16} />
            <span>{t.banner(w.bank?.name ?? w.bankName, w.arriveId)}</span>
            {left !== null && <span className="hand-off-banner__countdown">{phase === 'expired' ? t.expiredShort : t.countdownLabel(formatCountdown(left))}</span>}
            <button type="button" className="button button--small" onClick={() => navigate({ name: 'case', arriveId: w.arriveId })}>
              {t.bannerOpen}
            </button>
          </p>
        );
      })}
    </div>
  );
}
