// Renderer. Shows `app.notice` events from the core (kept by the notice store) in a corner, politely announced.
import { useMessages } from '../messages/index.js';
import { useNoticeStore } from '../stores/notices.js';
import { Icon } from './Icon.js';
import './Notices.css';

export function Notices() {
  const m = useMessages();
  const notices = useNoticeStore((s) => s.notices);
  const dismiss = useNoticeStore((s) => s.dismiss);

  return (
    <section className="notices" aria-label={m.notices.label} aria-live="polite">
      {notices.map((n) => (
        <div key={n.id} className={`notice notice--${n.level}`} role="status">
          <Icon name={n.level === 'info' ? 'info' : 'alert'} />
          <p className="notice__text">{m.lang === 'ja' ? n.messageJa : n.message}</p>
          <button type="button" className="icon-button" aria-label={m.notices.dismiss} onClick={() => dismiss(n.id)}>
            <Icon name="close" size={16} />
          </button>
        </div>
      ))}
    </section>
  );
}
