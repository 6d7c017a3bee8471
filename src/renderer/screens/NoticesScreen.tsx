// Renderer. 公文書: the inbox of what e-Gov sent back across every case — 公文書, コメント and
// 補正通知 — unread first, then newest, filtered by kind or to the unread ones. It follows the core's
// events (stores/inbox.ts) without a reload; a row opens the notice (/notices/:id).
import { useEffect, useId, useState, type FormEvent } from 'react';
import { MAX_CASE_SEARCH_LENGTH } from '../../shared/contract.js';
import type { NoticeKind } from '../../shared/documents.js';
import { EmptyState } from '../components/EmptyState.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { NoticeList } from '../components/NoticeList.js';
import { Progress } from '../components/Progress.js';
import { useMessages } from '../messages/index.js';
import { NOTICE_KINDS } from '../notice-view.js';
import { useInboxStore } from '../stores/inbox.js';
import './CasesScreen.css';
import './NoticesScreen.css';

export function NoticesScreen() {
  const m = useMessages();
  const t = m.inbox;
  const reopen = useInboxStore((s) => s.reopen);

  useEffect(() => {
    void reopen();
  }, [reopen]);

  return (
    <div className="stack cases-screen">
      <p className="lead">{t.lead}</p>
      <section className="panel stack" aria-labelledby="inbox-list">
        <h2 className="panel__title" id="inbox-list">
          {t.listTitle}
        </h2>
        <InboxFilters />
        <ListBody />
      </section>
    </div>
  );
}

function InboxFilters() {
  const m = useMessages();
  const t = m.inbox;
  const filter = useInboxStore((s) => s.filter);
  const setFilter = useInboxStore((s) => s.setFilter);
  const kinds: (NoticeKind | undefined)[] = [undefined, ...NOTICE_KINDS];
  return (
    <div className="inbox-filters" role="group" aria-label={t.filtersLabel}>
      <div className="segmented" role="group" aria-label={t.filterKind}>
        {kinds.map((kind) => (
          <button
            key={kind ?? 'all'}
            type="button"
            className="segmented__item"
            aria-pressed={filter.kind === kind}
            onClick={() => void setFilter({ ...filter, kind })}
          >
            {kind ? t.kind[kind] : t.filterAll}
          </button>
        ))}
      </div>
      <label className="checkbox inbox-filters__unread">
        <input type="checkbox" checked={filter.unreadOnly === true} onChange={(e) => void setFilter({ ...filter, unreadOnly: e.currentTarget.checked })} />
        <span>{t.filterUnread}</span>
      </label>
      <InboxSearch key={filter.text ?? ''} />
    </div>
  );
}

/** The search: asked for on Enter or 検索する (not per key: each answer counts the whole inbox). */
function InboxSearch() {
  const m = useMessages();
  const t = m.inbox;
  const filter = useInboxStore((s) => s.filter);
  const setFilter = useInboxStore((s) => s.setFilter);
  const [text, setText] = useState(filter.text ?? '');
  const hintId = useId();
  const run = (e: FormEvent) => {
    e.preventDefault();
    void setFilter({ ...filter, text });
  };
  return (
    <form className="inbox-search" role="search" aria-label={t.search} onSubmit={run}>
      <input
        type="search"
        className="input"
        aria-label={t.search}
        aria-describedby={hintId}
        placeholder={t.searchHint}
        maxLength={MAX_CASE_SEARCH_LENGTH}
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
      />
      <span id={hintId} className="visually-hidden">
        {t.searchHint}
      </span>
      <button type="submit" className="button">
        {t.searchRun}
      </button>
      {filter.text && (
        <button type="button" className="link-button" onClick={() => void setFilter({ ...filter, text: '' })}>
          {t.searchClear}
        </button>
      )}
    </form>
  );
}

function ListBody() {
  const m = useMessages();
  const t = m.inbox;
  const list = useInboxStore((s) => s.list);
  const filter = useInboxStore((s) => s.filter);
  const reload = useInboxStore((s) => s.reload);
  const filtered = filter.kind !== undefined || filter.unreadOnly === true || Boolean(filter.text);

  if (list.status === 'error' && list.error) {
    return (
      <ErrorAlert title={t.listFailed} error={list.error}>
        <button type="button" className="button" onClick={() => void reload()}>
          {t.retry}
        </button>
      </ErrorAlert>
    );
  }
  if ((list.status === 'loading' || list.status === 'idle') && list.rows.length === 0) return <Progress text={t.loading} />;
  if (list.status === 'ready' && list.rows.length === 0) {
    return (
      <EmptyState icon="document" title={filtered ? t.noMatchTitle : t.emptyTitle}>
        <p className="muted">{filtered ? t.noMatchBody : t.emptyBody}</p>
      </EmptyState>
    );
  }
  return (
    <div className="stack--tight">
      <p className="case-list__meta">
        <span role="status">{t.listCount(list.rows.length, list.total, list.unread)}</span>
        <span className="muted">{t.listKeys}</span>
      </p>
      <NoticeList />
    </div>
  );
}
