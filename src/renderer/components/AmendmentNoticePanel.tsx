// Renderer. The left side of the 補正 workbench: the newest 補正通知 of the case — its title, when it
// was issued, the deadline with the days left (red within URGENT_DAYS or once past), and its text as
// plain text (the core's NoticeDetailView.text: title, instructions, body). The notice as laid out is
// the 公文書 viewer's to show: a blob: frame here inherits the app's CSP, which refuses the rendered
// page's inline styles, so it would show unstyled and log a violation.
import type { NoticeDetailView } from '../../shared/documents.js';
import { deadlineOf } from '../amendment-workbench.js';
import { formatEgovDate } from '../format.js';
import { useMessages, type Messages } from '../messages/index.js';
import type { NoticeLoad } from '../stores/amendment.js';
import { ErrorAlert } from './ErrorAlert.js';
import { Icon } from './Icon.js';
import { Progress } from './Progress.js';

export function AmendmentNoticePanel({ load, now }: { load: NoticeLoad; now: Date }) {
  const m = useMessages();
  const a = m.amend;
  return (
    <section className="panel stack amend-notice" aria-labelledby="amend-notice">
      <h2 className="panel__title" id="amend-notice">
        <Icon name="alert" />
        {a.noticeTitle}
      </h2>
      {load.status === 'loading' ? (
        <Progress text={a.noticeLoading} />
      ) : load.status === 'error' ? (
        <ErrorAlert title={a.noticeFailed} error={load.error} />
      ) : load.status === 'none' ? (
        <p className="muted">{a.noticeNone}</p>
      ) : (
        <NoticeBody notice={load.notice} now={now} />
      )}
    </section>
  );
}

function NoticeBody({ notice, now }: { notice: NoticeDetailView; now: Date }) {
  const m = useMessages();
  const a = m.amend;
  const text = notice.text.trim();
  return (
    <>
      <h3 className="amend-notice__title">{notice.title}</h3>
      <dl className="amend-notice__facts">
        <div>
          <dt>{a.noticeIssued}</dt>
          <dd>{notice.issueDate ? formatEgovDate(notice.issueDate, m) : '—'}</dd>
        </div>
        <div>
          <dt>{a.deadline}</dt>
          <dd>
            <Deadline deadline={notice.deadline} now={now} m={m} />
          </dd>
        </div>
      </dl>
      <div className="amend-notice__text" role="document" aria-label={a.noticeText} tabIndex={0}>
        {text === '' ? <p className="muted">{a.noticeTextEmpty}</p> : text}
      </div>
    </>
  );
}

function Deadline({ deadline, now, m }: { deadline: string; now: Date; m: Messages }) {
  const a = m.amend;
  if (deadline.trim() === '') return <span className="muted">{a.noDeadline}</span>;
  const d = deadlineOf(deadline, now);
  if (!d) return <span>{deadline}</span>;
  const day = new Intl.DateTimeFormat(m.dates.locale, { year: 'numeric', month: 'long', day: 'numeric', weekday: 'short', timeZone: 'Asia/Tokyo' }).format(d.date);
  return (
    <span className={`amend-deadline${d.urgent ? ' amend-deadline--urgent' : ''}`}>
      <strong>{day}</strong>
      <span className="amend-deadline__left">{d.daysLeft < 0 ? a.daysPast(-d.daysLeft) : a.daysLeft(d.daysLeft)}</span>
    </span>
  );
}
