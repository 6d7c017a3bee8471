// Renderer. 申請データ取込: two native file inputs, each visually replaced by its label (so the
// keyboard and assistive tech get the real control) — a folder (`webkitdirectory`) or one ZIP —
// and the same panel takes a drop.
import { useId, type InputHTMLAttributes } from 'react';
import { useMessages } from '../messages/index.js';
import { Icon } from './Icon.js';
import { useFileDrop } from './useFileDrop.js';
import './ApplicationImport.css';

/** Chromium's folder picker; not in React's types. */
const FOLDER_PICKER = { webkitdirectory: '', directory: '' } as InputHTMLAttributes<HTMLInputElement>;

export function ApplicationImport({ busy, onFiles }: { busy: boolean; onFiles: (files: File[]) => void }) {
  const m = useMessages();
  const titleId = useId();
  const hintId = useId();
  const folderId = useId();
  const zipId = useId();
  const { dragging, handlers: dropHandlers } = useFileDrop(busy, onFiles);

  const take = (input: HTMLInputElement) => {
    const files = [...(input.files ?? [])];
    // cleared so that choosing the same folder again (after fixing it) fires change again
    input.value = '';
    onFiles(files);
  };


  return (
    <section
      className={`panel application-import${dragging ? ' application-import--active' : ''}`}
      aria-labelledby={titleId}
      aria-busy={busy}
      {...dropHandlers}
    >
      <h2 className="panel__title" id={titleId}>
        <Icon name="upload" />
        {m.applications.importTitle}
      </h2>
      <p className="muted" id={hintId}>
        {m.applications.chooseHint}
      </p>
      <div className="actions actions--wrap">
        <input
          id={folderId}
          className="visually-hidden file-input"
          type="file"
          multiple
          {...FOLDER_PICKER}
          aria-describedby={hintId}
          disabled={busy}
          onChange={(e) => take(e.currentTarget)}
        />
        <label htmlFor={folderId} className={`button button--primary${busy ? ' button--disabled' : ''}`}>
          <Icon name="folder" />
          {m.applications.chooseFolder}
        </label>
        <input
          id={zipId}
          className="visually-hidden file-input"
          type="file"
          accept=".zip,application/zip"
          aria-describedby={hintId}
          disabled={busy}
          onChange={(e) => take(e.currentTarget)}
        />
        <label htmlFor={zipId} className={`button${busy ? ' button--disabled' : ''}`}>
          <Icon name="document" />
          {m.applications.chooseZip}
        </label>
      </div>
    </section>
  );
}
