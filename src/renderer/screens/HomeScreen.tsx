// Renderer. ホーム, the screen a filer opens each morning. Before the first run: what Todoke is and
// the way to set up. After it: who Todoke files as (and a certificate about to stop working), what
// needs action among the cases (each count opens the case list filtered to it), how the background
// check went and a way to run it now, the sends that need the person or are still under way, the
// 電子納付 nearest their deadline, and the everyday screens one click away. Kept current by the
// same stores as the 案件 and 送信履歴 screens (the core's events), without a reload.
import { useEffect, useId, type ReactNode } from 'react';
import type { CaseAttention } from '../../shared/case.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { Icon, type IconName } from '../components/Icon.js';
import { PaymentsDue } from '../components/PaymentsDue.js';
import { Progress } from '../components/Progress.js';
import { SyncFacts, useSyncActions } from '../components/SyncPanel.js';
import { useNow } from '../components/useNow.js';
import '../components/Tiles.css';
import { formatDateTime, formatEgovShort } from '../format.js';
import { batchesToWatch, type WatchedBatch } from '../home-view.js';
import { useMessages } from '../messages/index.js';
import type { RouteName } from '../router/routes.js';
import { useBatchStore } from '../stores/batches.js';
import { useCaseStore } from '../stores/cases.js';
import { useIdentityStore } from '../stores/identity.js';
import { useInboxStore } from '../stores/inbox.js';
import { useRouterStore } from '../stores/router.js';
import { warningKind, warningTitle } from '../warnings.js';
import { BatchStateBadge } from './SendsScreen.js';
import './HomeScreen.css';

export function HomeScreen() {
  const m = useMessages();
  const navigate = useRouterStore((s) => s.navigate);
  const load = useIdentityStore((s) => s.load);
  const identity = load.status === 'ready' ? load.identity : null;
  const [firstWarning] = identity?.certificate.warnings ?? [];
  return (
    <div className="stack home">
      {load.status === 'ready' && !identity && (
        <section className="panel panel--hero" aria-labelledby="home-welcome">
          <h2 id="home-welcome" className="panel__title panel__title--large">
            {m.home.welcome}
          </h2>
          <p className="lead">{m.home.lead}</p>
        </section>
      )}
      {identity && <p className="lead">{m.home.todayLead}</p>}

      {load.status === 'ready' && (
        <FeatureCard
          id="home-identity"
          icon="user"
          title={identity ? m.home.identityTitle : m.home.setupTitle}
          callout={!identity}
          action={identity ? m.home.openIdentity : m.home.startSetup}
          onAction={() => navigate({ name: 'identity' })}
        >
          <p className="muted">{identity ? m.home.identitySummary(identity.userId, identity.certificate.certificate.commonName) : m.home.setupBody}</p>
          {firstWarning && (
            // the first thing seen each day: a certificate about to stop working, with its way out
            <p className="home-warning" role="status">
              <Icon name="alert" size={16} />
              <span>{m.home.certificateNeedsAttention(warningTitle(warningKind(firstWarning), m))}</span>
            </p>
          )}
        </FeatureCard>
      )}
      {load.status === 'error' && (
        <FeatureCard id="home-identity" icon="alert" title={m.home.identityTitle} quiet action={m.home.openIdentity} onAction={() => navigate({ name: 'identity' })}>
          <p className="muted">{m.home.identityLoadFailed}</p>
        </FeatureCard>
      )}

      {identity && <FiledWork />}

      {load.status === 'ready' && (
        <section aria-labelledby="home-quick" className="stack stack--tight">
          <h2 id="home-quick" className="section-title">
            {identity ? m.home.quickTitle : m.home.beforeSetupTitle}
          </h2>
          <ul className="quick-actions">
            {identity && <QuickAction icon="send" route="applications" text={m.home.quick.applications} />}
            {identity && <QuickAction icon="folder" route="cases" text={m.home.quick.cases} />}
            {identity && <QuickAction icon="document" route="documents" text={m.home.quick.documents} />}
            <QuickAction icon="certificate" route="certificates" text={m.home.quick.certificates} />
          </ul>
        </section>
      )}
    </div>
  );
}

/** What there is to follow once Todoke files as someone: 要対応, the check, the sends, 電子納付. */
function FiledWork() {
  const loadCounts = useCaseStore((s) => s.loadCounts);
  const loadSync = useCaseStore((s) => s.loadSync);
  const loadBatches = useBatchStore((s) => s.loadList);
  const loadRecent = useCaseStore((s) => s.loadRecent);
  useEffect(() => {
    // each asked once as the screen opens; the core's events keep them current afterwards
    void loadSync();
    void loadCounts();
    void loadBatches();
    void loadRecent();
  }, [loadCounts, loadSync, loadBatches, loadRecent]);
  return (
    <>
      <Attention />
      <Sends />
      <PaymentsDue headingLevel={2} hideWhenEmpty />
      <RecentChanges />
    </>
  );
}

/**
 * The four things that wait for the filer. 補正 and 電子納付 are e-Gov's counters of the cases. 公文書
 * and コメント are what the person has not opened in Todoke yet: Todoke fetches them by itself, and
 * e-Gov's own "not downloaded / not read" falls to 0 as soon as it has — those e-Gov still holds are
 * shown beside them as waiting to be fetched.
 */
type HomeTile =
  | { key: 'correction' | 'payments'; count: number; pending: 0; newest: string | null; open: { cases: CaseAttention } }
  | { key: 'documents' | 'comments'; count: number; pending: number; newest: null; open: { inbox: 'document' | 'comment' } };

function Attention() {
  const m = useMessages();
  const counts = useCaseStore((s) => s.counts);
  const unread = useInboxStore((s) => s.unread);
  const loadUnread = useInboxStore((s) => s.loadUnread);
  const setFilter = useCaseStore((s) => s.setFilter);
  const presetInbox = useInboxStore((s) => s.presetFilter);
  const navigate = useRouterStore((s) => s.navigate);
  const subId = useId();
  useEffect(() => {
    void loadUnread();
  }, [loadUnread]);

  const open = (tile: HomeTile) => {
    if ('cases' in tile.open) {
      // the list is filtered before the screen opens, so it opens on these cases (the dashboard shows the tile pressed)
      void setFilter({ attention: tile.open.cases });
      navigate({ name: 'cases' });
    } else {
      presetInbox({ kind: tile.open.inbox, unreadOnly: true });
      navigate({ name: 'documents' });
    }
  };

  let body: ReactNode;
  const failed = counts.status === 'error' ? counts.error : unread.status === 'error' ? unread.error : null;
  if (failed) body = <ErrorAlert title={m.home.countsFailed} error={failed} />;
  else if (counts.status !== 'ready' || unread.status !== 'ready') body = <Progress text={m.cases.loading} />;
  else if (counts.value.total === 0) body = <p className="muted">{m.home.noCasesYet}</p>;
  else {
    const view = counts.value;
    const tiles: HomeTile[] = [
      { key: 'correction', count: view.correction.cases, pending: 0, newest: view.correction.newestStatusDate, open: { cases: 'correction' } },
      { key: 'documents', count: unread.value.document, pending: view.undownloadedDocuments.cases, newest: null, open: { inbox: 'document' } },
      { key: 'comments', count: unread.value.comment, pending: view.unreadComments.cases, newest: null, open: { inbox: 'comment' } },
      { key: 'payments', count: view.paymentsWaiting.cases, pending: 0, newest: view.paymentsWaiting.newestStatusDate, open: { cases: 'payments-waiting' } },
    ];
    const any = tiles.some((t) => t.count > 0 || t.pending > 0);
    body = (
      <>
        <ul className="tiles tiles--attention home-attention" aria-label={m.home.attentionLabel}>
          {tiles.map((t) => {
            const what = m.home.tiles[t.key];
            const sub = t.pending > 0 ? m.home.fetchPending(t.pending) : t.newest ? m.cases.attentionNewest(formatEgovShort(t.newest, m)) : t.count > 0 ? m.home.inboxSub : m.cases.attentionNone;
            return (
              <li key={t.key}>
                <button
                  type="button"
                  className={`tile${t.count > 0 || t.pending > 0 ? ' tile--attention' : ''}`}
                  aria-label={'cases' in t.open ? m.home.attentionOpen(what, t.count) : m.home.inboxOpen(what, t.count)}
                  aria-describedby={`${subId}-${t.key}`}
                  onClick={() => open(t)}
                >
                  <span className="tile__count">{t.count.toLocaleString(m.dates.locale)}</span>
                  <span className="tile__label">{what}</span>
                  <span className="tile__sub" id={`${subId}-${t.key}`}>
                    {sub}
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
        <p className={any ? 'muted' : 'home-all-clear'}>
          {!any && <Icon name="check" size={16} />}
          <span>{any ? m.home.attentionHint : m.home.attentionNone}</span>
        </p>
      </>
    );
  }

  return (
    <section className="panel stack" aria-labelledby="home-attention">
      <h2 className="panel__title" id="home-attention">
        {m.home.attentionTitle}
      </h2>
      {body}
      <SyncLine />
    </section>
  );
}

/** The background check in one line: how the last went, when the next is due, 今すぐ確認. */
function SyncLine() {
  const m = useMessages();
  const navigate = useRouterStore((s) => s.navigate);
  const sync = useCaseStore((s) => s.sync);
  const { busy, error, act } = useSyncActions();
  const titleId = useId();
  if (sync.status === 'error') return <ErrorAlert title={m.cases.syncFailed} error={sync.error} />;
  if (sync.status !== 'ready') return null;
  const view = sync.value;
  return (
    <div className="home-sync" role="group" aria-labelledby={titleId}>
      <h3 className="home-sync__title" id={titleId}>
        {m.home.syncTitle}
      </h3>
      <SyncFacts view={view} />
      <span className="sync-panel__busy" role="status">
        {view.busy || busy === 'now' ? m.cases.syncBusy : ''}
      </span>
      <div className="button-row">
        <button type="button" className="button" disabled={busy !== null || view.busy} onClick={() => void act('now')}>
          {busy === 'now' ? m.cases.syncNowBusy : m.cases.syncNow}
        </button>
        <button type="button" className="link-button" onClick={() => navigate({ name: 'cases' })}>
          {m.home.openCases}
        </button>
      </div>
      {error && <ErrorAlert title={m.cases.syncActionFailed} error={error} />}
    </div>
  );
}

function Sends() {
  const m = useMessages();
  const navigate = useRouterStore((s) => s.navigate);
  const list = useBatchStore((s) => s.list);
  const batches = useBatchStore((s) => s.batches);
  // a refusal leaves ホーム after a week: the hour is fine enough
  const now = useNow(3_600_000, true);
  if (list.status === 'error') {
    return (
      <section className="panel" aria-labelledby="home-sends">
        <h2 className="panel__title" id="home-sends">
          {m.home.batchesTitle}
        </h2>
        <ErrorAlert title={m.home.batchesFailed} error={list.error} />
      </section>
    );
  }
  const { shown, more } = batchesToWatch(Object.values(batches), now);
  // nothing to follow is no news: the section appears when there is something
  if (shown.length === 0) return null;
  return (
    <section className="panel stack--tight" aria-labelledby="home-sends">
      <h2 className="panel__title" id="home-sends">
        {m.home.batchesTitle}
      </h2>
      <ul className="home-sends" aria-label={m.home.batchesLabel}>
        {shown.map((w) => (
          <SendItem key={w.batch.id} watched={w} />
        ))}
      </ul>
      <p className="home-sends__more">
        {more > 0 && <span className="muted">{m.home.batchesMore(more)}</span>}
        <button type="button" className="link-button" onClick={() => navigate({ name: 'sends' })}>
          {m.home.openSends}
        </button>
      </p>
    </section>
  );
}

/** The newest status changes Todoke saw (e-Gov's words), each opening its case. */
function RecentChanges() {
  const m = useMessages();
  const navigate = useRouterStore((s) => s.navigate);
  const recent = useCaseStore((s) => s.recent);
  const counts = useCaseStore((s) => s.counts);
  // before any case there is nothing to have changed: 対応が必要なこと already says so
  if (counts.status === 'ready' && counts.value.total === 0) return null;
  let body: ReactNode;
  if (recent.status === 'error') body = <ErrorAlert title={m.home.recentFailed} error={recent.error} />;
  else if (recent.status !== 'ready') body = <Progress text={m.cases.loading} />;
  else if (recent.value.length === 0) body = <p className="muted">{m.home.recentNone}</p>;
  else {
    body = (
      <ol className="home-recent" aria-label={m.home.recentLabel}>
        {recent.value.map((c, i) => (
          <li key={`${c.arriveId}-${c.at}-${i}`} className="home-recent__item">
            <time className="home-recent__when" dateTime={c.at}>
              {formatDateTime(c.at, m)}
            </time>
            <button type="button" className="link-button mono" onClick={() => navigate({ name: 'case', arriveId: c.arriveId })} aria-label={m.home.recentOpen(c.arriveId, c.to)}>
              {c.arriveId}
            </button>
            <span className="home-recent__who" title={[c.applicantName, c.procedureName].filter(Boolean).join('・')}>
              {[c.applicantName, c.procedureName].filter(Boolean).join('・')}
            </span>
            <span className="home-recent__change">
              <span className="status-pill">{c.from}</span>
              <span aria-hidden="true">→</span>
              <span className="visually-hidden">{m.home.recentTo}</span>
              <span className="status-pill">{c.to}</span>
            </span>
          </li>
        ))}
      </ol>
    );
  }
  return (
    <section className="panel stack--tight" aria-labelledby="home-recent">
      <h2 className="panel__title" id="home-recent">
        {m.home.recentTitle}
      </h2>
      {body}
    </section>
  );
}

function SendItem({ watched }: { watched: WatchedBatch }) {
  const m = useMessages();
  const navigate = useRouterStore((s) => s.navigate);
  const { batch, concern } = watched;
  const label = batch.sendNumber ?? m.sends.noSendNumber;
  const errors = batch.formatCheck?.errorCount ?? 0;
  const what = concern === 'check-errors' ? m.home.checkErrors(errors, batch.applicationCount) : m.sends.stateHelp[batch.state];
  return (
    <li className={`home-send home-send--${concern}`}>
      <div className="home-send__head">
        <button type="button" className="link-button mono" onClick={() => navigate({ name: 'batch', entryId: batch.id })} aria-label={m.home.batchOpen(label)}>
          {label}
        </button>
        <BatchStateBadge batch={batch} />
      </div>
      <p className="home-send__facts muted">
        {m.home.applications(batch.applicationCount)}
        {batch.applicantNames.length > 0 && `・${batch.applicantNames.slice(0, 3).join('、')}${batch.applicantNames.length > 3 ? '…' : ''}`}
        {`・${m.home.batchCreated(formatDateTime(batch.createdAt, m))}`}
      </p>
      <p className="home-send__what">{what}</p>
    </li>
  );
}

/** One everyday screen as a card: its icon, what it is for, and the screen it opens. */
function QuickAction({ icon, route, text }: { icon: IconName; route: Extract<RouteName, 'applications' | 'cases' | 'documents' | 'certificates'>; text: { title: string; body: string } }) {
  const navigate = useRouterStore((s) => s.navigate);
  const titleId = useId();
  const bodyId = useId();
  return (
    <li>
      <button type="button" className="quick-action" aria-labelledby={titleId} aria-describedby={bodyId} onClick={() => navigate({ name: route })}>
        <span className="feature__icon">
          <Icon name={icon} size={22} />
        </span>
        <span className="quick-action__text">
          <span className="quick-action__title" id={titleId}>
            {text.title}
          </span>
          <span className="quick-action__body" id={bodyId}>
            {text.body}
          </span>
        </span>
      </button>
    </li>
  );
}

/** The 利用者 card: icon, title (with `id`, a section named by it), what it is, one action. */
function FeatureCard({
  id,
  icon,
  title,
  callout = false,
  quiet = false,
  action,
  onAction,
  children,
}: {
  id: string;
  icon: IconName;
  title: string;
  callout?: boolean;
  /** a secondary-looking action (the card reports a problem rather than offering something) */
  quiet?: boolean;
  action: string;
  onAction: () => void;
  children: ReactNode;
}) {
  return (
    <section className={`panel feature${callout ? ' feature--callout' : ''}`} aria-labelledby={id}>
      <span className="feature__icon">
        <Icon name={icon} size={24} />
      </span>
      <div className="feature__body">
        <h2 id={id} className="feature__title">
          {title}
        </h2>
        {children}
      </div>
      <button type="button" className={quiet ? 'button' : 'button button--primary'} onClick={onAction}>
        {action}
      </button>
    </section>
  );
}
