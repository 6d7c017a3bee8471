// Renderer. The left side of the 補正 workbench: the newest 補正通知 of the case — its title, when it
// was issued, the deadline with the days left (red within URGENT_DAYS or once past), and its text as
// plain text; the notice as laid out on demand, in a frame that can do nothing (sandbox="", a blob:
// document under a CSP that loads and runs nothing, like HtmlReportFrame).
import { useEffect, useState } from 'react';
import type { NoticeDetailView } from '../../shared/documents.js';
import { deadlineOf } from '../amendment-workbench.js';
import { formatEgovDate } from '../format.js';
import { useMessages, type Messages } from '../messages/index.js';
import { reportDocument } from '../report-document.js';
import type { NoticeLoad } from '../stores/amendment.js';
import { Alert } from './Alert.js';
import { ErrorAlert } from './ErrorAlert.js';
import { Icon } from './Icon.js';
import { Progress } from './Progress.js';
import './HtmlReportFrame.css';

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
      {notice.rendered ? (
        <details className="amend-notice__rendered">
          <summary>{a.noticeRendered}</summary>
          <RenderedFrame html={notice.rendered.html} title={a.noticeFrame(notice.title)} />
        </details>
      ) : (
        notice.renderError && <Alert tone="info" title={a.noticeRenderFailed}><p>{m.lang === 'ja' ? notice.renderError.message : `${notice.renderError.message} (${notice.renderError.code})`}</p></Alert>
      )}
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

/** The sanitised HTML the core rendered, as a blob: document in a frame that may run nothing. */
function RenderedFrame({ html, title }: { html: string; title: string }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    const made = URL.createObjectURL(new Blob([reportDocument(html)], { type: 'text/html;charset=utf-8' }));
    setUrl(made);
    return () => URL.revokeObjectURL(made);
  }, [html]);
  if (!url) return null;
  return <iframe className="report-frame amend-notice__frame" title={title} src={url} sandbox="" referrerPolicy="no-referrer" />;
}
