// Renderer. 案件: the list of cases is still to come; a case can already be opened by its 到達番号
// (as printed on the 受付票), which leads to the case's own screen (/cases/:arriveId).
import { useState, type FormEvent } from 'react';
import { EmptyState } from '../components/EmptyState.js';
import { TextField } from '../components/TextField.js';
import { useMessages } from '../messages/index.js';
import { normalizeArriveId } from '../router/routes.js';
import { useRouterStore } from '../stores/router.js';

export function CasesScreen() {
  const m = useMessages();
  const navigate = useRouterStore((s) => s.navigate);
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<'missing' | 'invalid' | null>(null);

  const open = (e: FormEvent) => {
    e.preventDefault();
    if (text.trim() === '') {
      setProblem('missing');
      return;
    }
    const arriveId = normalizeArriveId(text);
    if (!arriveId) {
      setProblem('invalid');
      return;
    }
    setProblem(null);
    navigate({ name: 'case', arriveId });
  };

  return (
    <div className="stack">
      <EmptyState icon="folder" title={m.soon.title}>
        <p>{m.soon.cases}</p>
        <p className="muted">{m.soon.body}</p>
      </EmptyState>
      <section className="panel" aria-labelledby="cases-open">
        <h2 id="cases-open" className="panel__title">
          {m.cases.openTitle}
        </h2>
        <p className="muted">{m.cases.openLead}</p>
        <form onSubmit={open} noValidate>
          <TextField label={m.cases.arriveId} hint={m.cases.arriveIdHint} error={problem === 'missing' ? m.cases.arriveIdMissing : problem === 'invalid' ? m.cases.arriveIdInvalid : null} mono>
            {(props) => (
              <div className="input-row">
                <input
                  {...props}
                  type="text"
                  inputMode="numeric"
                  value={text}
                  onChange={(e) => {
                    setText(e.currentTarget.value);
                    setProblem(null);
                  }}
                />
                <button type="submit" className="button button--primary">
                  {m.cases.open}
                </button>
              </div>
            )}
          </TextField>
        </form>
      </section>
    </div>
  );
}
