// Renderer. The small marks a notice carries wherever it is listed or shown: its kind, its stage in
// Todoke, the verdict on a 公文書's signature (notice-view.ts decides the tone: only a valid
// signature is green), and a 補正 deadline, red when three days or fewer are left or it has passed.
import type { LocalVerdict, NoticeKind, NoticeSummaryView } from '../../shared/documents.js';
import { formatDay } from '../format.js';
import { useMessages } from '../messages/index.js';
import { deadlineState, STAGE_TONES, verdictBadge } from '../notice-view.js';
import { Icon } from './Icon.js';

export function KindBadge({ kind }: { kind: NoticeKind }) {
  const m = useMessages();
  return <span className={`notice-badge notice-badge--kind-${kind}`}>{m.inbox.kind[kind]}</span>;
}

export function VerdictBadge({ verdict }: { verdict: LocalVerdict | null }) {
  const m = useMessages();
  const badge = verdictBadge(verdict);
  const text = m.inbox.verdict[badge.key];
  return (
    <span className={`notice-badge notice-badge--${badge.tone}`} title={m.inbox.verdictLabel(text)}>
      {badge.tone === 'success' && <Icon name="check" size={12} />}
      {(badge.tone === 'danger' || badge.tone === 'warning') && <Icon name="alert" size={12} />}
      <span className="visually-hidden">{m.inbox.verdictLabel('')}</span>
      {text}
    </span>
  );
}

export function StageBadge({ notice }: { notice: Pick<NoticeSummaryView, 'stage' | 'lastError'> }) {
  const m = useMessages();
  const failed = notice.stage === 'listed' && notice.lastError !== null;
  const tone = failed ? 'danger' : STAGE_TONES[notice.stage];
  return (
    <span className={`notice-badge notice-badge--${tone}`} title={failed ? notice.lastError?.message : undefined}>
      {failed ? m.inbox.stageFailed : m.inbox.stage[notice.stage]}
    </span>
  );
}

export function Deadline({ notice, now }: { notice: Pick<NoticeSummaryView, 'kind' | 'deadline' | 'completedDate'>; now: Date }) {
  const m = useMessages();
  const d = m.inbox.deadline;
  const state = deadlineState(notice, now);
  if (state.kind === 'none') return <span className="muted">{d.none}</span>;
  const date = formatDay(state.date, m);
  if (state.kind === 'done') return <span className="notice-deadline">{d.done(date)}</span>;
  if (state.kind === 'later') return <span className="notice-deadline">{d.later(date)}</span>;
  const text = state.kind === 'overdue' ? d.overdue(date, -state.days) : state.days === 0 ? d.today(date) : d.soon(date, state.days);
  return (
    <span className="notice-deadline notice-deadline--urgent">
      <Icon name="alert" size={14} />
      {text}
    </span>
  );
}
