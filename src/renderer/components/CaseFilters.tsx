// Renderer. The case list's filters: status (those the dashboard counts, as sent), 手続名称 and 氏名
// (exact, suggested from the cases listed so far), send days from / to, and a search text (part of
// the 到達番号, 氏名, 法人名 or 手続名称). Applied with 絞り込む; the dashboard's 要対応 filter shows as
// a chip that can be removed.
import { useId, useMemo, useState, type FormEvent } from 'react';
import { useMessages } from '../messages/index.js';
import { useCaseStore, type CaseFilter } from '../stores/cases.js';
import { FieldError } from './FieldError.js';
import { Icon } from './Icon.js';

/** YYYY-MM-DD of a date input ⇄ YYYYMMDD of case.list */
const toDay = (value: string) => value.replaceAll('-', '');
const fromDay = (day: string | undefined) => (day && /^\d{8}$/.test(day) ? `${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6)}` : '');

export function CaseFilters({ filter, onApply }: { filter: CaseFilter; onApply: (filter: CaseFilter) => void }) {
  const m = useMessages();
  const c = m.cases;
  const counts = useCaseStore((s) => s.counts);
  const rows = useCaseStore((s) => s.list.rows);
  const [draft, setDraft] = useState({
    status: filter.status ?? '',
    procedure: filter.procedure ?? '',
    applicant: filter.applicant ?? '',
    from: fromDay(filter.from),
    to: fromDay(filter.to),
    text: filter.text ?? '',
  });
  const [dateError, setDateError] = useState(false);
  const ids = { status: useId(), procedure: useId(), applicant: useId(), from: useId(), to: useId(), text: useId(), textHint: useId(), exactHint: useId(), dateError: useId() };
  const procedureList = useId();
  const applicantList = useId();

  const statuses = counts.status === 'ready' ? counts.value.byStatus.map((s) => s.status) : [];
  if (draft.status && !statuses.includes(draft.status)) statuses.push(draft.status);
  // suggestions from the rows loaded so far (the first pages at most: enough to spare typing)
  const suggestions = useMemo(() => {
    const procedures = new Set<string>();
    const applicants = new Set<string>();
    for (const r of rows.slice(0, 1000)) {
      procedures.add(r.procedureName);
      applicants.add(r.applicantName);
    }
    return { procedures: [...procedures].slice(0, 50), applicants: [...applicants].slice(0, 50) };
  }, [rows]);

  const set = (key: keyof typeof draft) => (e: { currentTarget: { value: string } }) => {
    const value = e.currentTarget.value;
    setDraft((d) => ({ ...d, [key]: value }));
    if (key === 'from' || key === 'to') setDateError(false);
  };

  const apply = (e: FormEvent) => {
    e.preventDefault();
    if (draft.from && draft.to && draft.from > draft.to) {
      setDateError(true);
      return;
    }
    const next: CaseFilter = {};
    if (draft.status) next.status = draft.status;
    if (draft.procedure.trim()) next.procedure = draft.procedure.trim();
    if (draft.applicant.trim()) next.applicant = draft.applicant.trim();
    if (draft.from) next.from = toDay(draft.from);
    if (draft.to) next.to = toDay(draft.to);
    if (draft.text.trim()) next.text = draft.text.trim();
    if (filter.attention) next.attention = filter.attention;
    onApply(next);
  };

  const hasAny = Object.keys(filter).length > 0;
  return (
    <form className="case-filters" onSubmit={apply} noValidate aria-label={c.filtersTitle}>
      <div className="case-filters__grid">
        <div className="field">
          <label className="field__label" htmlFor={ids.text}>
            {c.filterText}
          </label>
          <input id={ids.text} className="input" type="search" value={draft.text} onChange={set('text')} aria-describedby={ids.textHint} spellCheck={false} autoComplete="off" />
          <p id={ids.textHint} className="field__hint muted">
            {c.filterTextHint}
          </p>
        </div>
        <div className="field">
          <label className="field__label" htmlFor={ids.status}>
            {c.filterStatus}
          </label>
          <select id={ids.status} className="input" value={draft.status} onChange={set('status')}>
            <option value="">{c.filterAll}</option>
            {statuses.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label className="field__label" htmlFor={ids.procedure}>
            {c.filterProcedure}
          </label>
          <input id={ids.procedure} className="input" list={procedureList} value={draft.procedure} onChange={set('procedure')} aria-describedby={ids.exactHint} spellCheck={false} autoComplete="off" />
          <datalist id={procedureList}>
            {suggestions.procedures.map((p) => (
              <option key={p} value={p} />
            ))}
          </datalist>
        </div>
        <div className="field">
          <label className="field__label" htmlFor={ids.applicant}>
            {c.filterApplicant}
          </label>
          <input id={ids.applicant} className="input" list={applicantList} value={draft.applicant} onChange={set('applicant')} aria-describedby={ids.exactHint} spellCheck={false} autoComplete="off" />
          <datalist id={applicantList}>
            {suggestions.applicants.map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
        </div>
        <div className="field">
          <label className="field__label" htmlFor={ids.from}>
            {c.filterFrom}
          </label>
          <input id={ids.from} className="input" type="date" value={draft.from} onChange={set('from')} aria-invalid={dateError || undefined} aria-describedby={dateError ? ids.dateError : undefined} />
        </div>
        <div className="field">
          <label className="field__label" htmlFor={ids.to}>
            {c.filterTo}
          </label>
          <input id={ids.to} className="input" type="date" value={draft.to} onChange={set('to')} aria-invalid={dateError || undefined} aria-describedby={dateError ? ids.dateError : undefined} />
        </div>
      </div>
      <p id={ids.exactHint} className="field__hint muted">
        {c.filterExactHint}
      </p>
      {dateError && <FieldError id={ids.dateError}>{c.filterDateOrder}</FieldError>}
      <div className="button-row">
        <button type="submit" className="button button--primary">
          {c.filterApply}
        </button>
        <button type="button" className="button" disabled={!hasAny} onClick={() => onApply({})}>
          {c.filterClear}
        </button>
        {filter.attention && (
          <span className="filter-chip">
            {c.attentionActive(c.attention[filter.attention])}
            <button
              type="button"
              className="icon-button filter-chip__remove"
              aria-label={c.attentionRemove(c.attention[filter.attention])}
              onClick={() => {
                const rest = { ...filter };
                delete rest.attention;
                onApply(rest);
              }}
            >
              <Icon name="close" size={14} />
            </button>
          </span>
        )}
      </div>
    </form>
  );
}
