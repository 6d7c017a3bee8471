// Renderer. The notice centre: a button in the header with the number of unread case notices,
// opening a panel that lists them, newest first; each opens its case. Not modal: Escape or the
// button closes it, and focus goes back to the button.
import { useEffect, useId, useRef, useState } from 'react';
import { formatDateTime } from '../format.js';
import { useMessages } from '../messages/index.js';
import { useNoticeStore } from '../stores/notices.js';
import { useRouterStore } from '../stores/router.js';
import { Icon } from './Icon.js';
import './NoticeCentre.css';

export function NoticeCentre() {
  const m = useMessages();
  const n = m.notices;
  const centre = useNoticeStore((s) => s.centre);
  const markAllRead = useNoticeStore((s) => s.markAllRead);
  const clear = useNoticeStore((s) => s.clearCentre);
  const navigate = useRouterStore((s) => s.navigate);
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const unread = centre.filter((e) => !e.read).length;

  const close = (refocus: boolean) => {
    setOpen(false);
    markAllRead();
    if (refocus) button.current?.focus();
  };

  useEffect(() => {
    if (!open) return;
    panel.current?.focus();
    const onDown = (e: PointerEvent) => {
      const target = e.target as Node;
      if (!panel.current?.contains(target) && !button.current?.contains(target)) close(false);
    };
    document.addEventListener('pointerdown', onDown);
    return () => document.removeEventListener('pointerdown', onDown);
    // close is stable enough: it only reads refs and store actions
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);

  return (
    <div className="notice-centre">
      <button
        ref={button}
        type="button"
        className="button button--quiet notice-centre__button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => (open ? close(false) : setOpen(true))}
      >
        <Icon name="info" />
        {n.centreButton(unread)}
      </button>
      <div
        ref={panel}
        id={panelId}
        className="notice-centre__panel"
        role="region"
        aria-label={n.centre}
        tabIndex={-1}
        hidden={!open}
        onKeyDown={(e) => {
          if (e.key === 'Escape') close(true);
        }}
      >
        <div className="notice-centre__head">
          <h2 className="notice-centre__title">{n.centre}</h2>
          <button type="button" className="button button--small" disabled={centre.length === 0} onClick={() => clear()}>
            {n.centreClear}
          </button>
          <button type="button" className="icon-button" aria-label={n.centreClose} onClick={() => close(true)}>
            <Icon name="close" size={16} />
          </button>
        </div>
        {centre.length === 0 ? (
          <p className="muted notice-centre__empty">{n.centreEmpty}</p>
        ) : (
          <ul className="notice-centre__list">
            {centre.map((e) => (
              <li key={e.id} className={`notice-centre__item notice-centre__item--${e.level}`}>
                <button
                  type="button"
                  className="notice-centre__entry"
                  onClick={() => {
                    close(false);
                    navigate({ name: 'case', arriveId: e.arriveId });
                  }}
                >
                  <span className="notice-centre__entry-title">
                    {!e.read && <span className="notice-centre__dot" aria-label={n.unread} role="img" />}
                    {m.lang === 'ja' ? e.titleJa : e.title}
                  </span>
                  <span>{m.lang === 'ja' ? e.messageJa : e.message}</span>
                  <span className="notice-centre__time">{formatDateTime(e.at, m)}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
