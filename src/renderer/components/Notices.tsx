// Renderer. Notices in a corner, politely announced: `app.notice` events from the core and what the
// case sync found (kept by the notice store). A case notice names the case and opens it; it leaves
// the corner by itself after a while (the notice centre keeps it), but not under the pointer or
// the keyboard focus.
import { useEffect, useRef } from 'react';
import { useMessages } from '../messages/index.js';
import { useNoticeStore } from '../stores/notices.js';
import { useRouterStore } from '../stores/router.js';
import { Icon } from './Icon.js';
import './Notices.css';

/** how long a case notice stays in the corner */
const CASE_NOTICE_MS = 15_000;

export function Notices() {
  const m = useMessages();
  const notices = useNoticeStore((s) => s.notices);
  const dismiss = useNoticeStore((s) => s.dismiss);
  const navigate = useRouterStore((s) => s.navigate);
  // a notice about the case on screen needs no way to open it
  const shownCase = useRouterStore((s) => (s.route.name === 'case' ? s.route.arriveId : null));
  const ja = m.lang === 'ja';
  const timers = useRef(new Map<number, ReturnType<typeof setTimeout>>());
  const section = useRef<HTMLElement>(null);

  useEffect(() => {
    const live = timers.current;
    const arm = (id: number) => {
      live.set(
        id,
        setTimeout(() => {
          const el = section.current?.querySelector(`[data-notice="${id}"]`);
          if (el?.matches(':hover, :focus-within')) arm(id);
          else dismiss(id);
        }, CASE_NOTICE_MS),
      );
    };
    for (const n of notices) if (n.arriveId && !live.has(n.id)) arm(n.id);
    for (const [id, timer] of live) {
      if (notices.some((n) => n.id === id)) continue;
      clearTimeout(timer);
      live.delete(id);
    }
  }, [notices, dismiss]);

  useEffect(() => {
    const live = timers.current;
    return () => {
      for (const timer of live.values()) clearTimeout(timer);
      live.clear();
    };
  }, []);

  return (
    <section className="notices" aria-label={m.notices.label} aria-live="polite" ref={section}>
      {notices.map((n) => {
        const arriveId = n.arriveId;
        return (
          <div key={n.id} className={`notice notice--${n.level}`} role="status" data-notice={n.id}>
            <Icon name={n.level === 'info' ? 'info' : 'alert'} />
            <div className="notice__body">
              {(n.titleJa ?? n.title) && <p className="notice__title">{ja ? n.titleJa : n.title}</p>}
              <p className="notice__text">{ja ? n.messageJa : n.message}</p>
              {arriveId && arriveId !== shownCase && (
                <button
                  type="button"
                  className="link-button notice__open"
                  aria-label={m.notices.openCase(arriveId)}
                  onClick={() => {
                    dismiss(n.id);
                    navigate({ name: 'case', arriveId });
                  }}
                >
                  {m.notices.open}
                </button>
              )}
            </div>
            <button type="button" className="icon-button" aria-label={m.notices.dismiss} onClick={() => dismiss(n.id)}>
              <Icon name="close" size={16} />
            </button>
          </div>
        );
      })}
    </section>
  );
}
