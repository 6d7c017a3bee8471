// Renderer. Saving a kept notice (notice.export): the rendered document as PDF, the ZIP exactly as
// e-Gov sent it, or its files; the core writes into its exports folder and answers the path, which
// is shown so the person can find it.
import { useState } from 'react';
import type { ErrorPayload } from '../../shared/errors.js';
import { requireCoreApi } from '../api.js';
import { useMessages } from '../messages/index.js';
import { ErrorAlert } from './ErrorAlert.js';

type Format = 'pdf' | 'zip' | 'files';
type State = { busy: Format | null; path: string | null; error: ErrorPayload | null };

/** `refused`: only the ZIP as it came can be saved (its contents were not taken out). */
export function NoticeExports({ id, rendered, refused }: { id: number; rendered: boolean; refused: boolean }) {
  const m = useMessages();
  const t = m.inbox;
  const [state, setState] = useState<State>({ busy: null, path: null, error: null });
  const formats: [Format, string, boolean][] = [
    ['pdf', t.exportPdf, rendered && !refused],
    ['zip', t.exportZip, true],
    ['files', t.exportFiles, !refused],
  ];

  const save = async (format: Format) => {
    setState({ busy: format, path: null, error: null });
    const r = await requireCoreApi()['notice.export']({ id, format });
    setState({ busy: null, path: r.ok ? r.value.path : null, error: r.ok ? null : r.error });
  };

  return (
    <section className="panel stack--tight" aria-labelledby="notice-export">
      <h2 className="panel__title" id="notice-export">
        {t.exportTitle}
      </h2>
      <div className="notice-actions">
        {formats
          .filter(([, , shown]) => shown)
          .map(([format, label]) => (
            <button key={format} type="button" className={format === 'pdf' ? 'button button--primary' : 'button'} disabled={state.busy !== null} onClick={() => void save(format)}>
              {state.busy === format ? t.exporting : label}
            </button>
          ))}
      </div>
      {state.path && (
        <p className="notice-done" role="status">
          {t.exported(state.path)}
        </p>
      )}
      {state.error && <ErrorAlert title={t.exportFailed} error={state.error} />}
    </section>
  );
}
