// Renderer. Choosing a certificate file: drop it on the zone, or use the button (a real
// <input type=file>, visually replaced by its label, so keyboard and assistive tech get the
// native control).
import { useId } from 'react';
import { CERTIFICATE_FILE_ACCEPT, MAX_CERTIFICATE_FILE_MB } from '../files.js';
import { useMessages } from '../messages/index.js';
import { Icon } from './Icon.js';
import { useFileDrop } from './useFileDrop.js';
import './FilePicker.css';

/** `compact` once something is shown below, so the result, not the chooser, holds the eye. */
export function FilePicker({
  onFiles,
  busy,
  compact,
  accept = CERTIFICATE_FILE_ACCEPT,
  hint,
}: {
  onFiles: (files: File[]) => void;
  busy: boolean;
  compact: boolean;
  /** narrows the file chooser (the core still decides by content) */
  accept?: string;
  /** what files are accepted, in words; by default every certificate format */
  hint?: string;
}) {
  const m = useMessages();
  const acceptedText = hint ?? m.certificate.accepted(MAX_CERTIFICATE_FILE_MB);
  const inputId = useId();
  const hintId = useId();
  const { dragging, handlers: dropHandlers } = useFileDrop(busy, onFiles);


  return (
    <div
      className={`dropzone${compact ? ' dropzone--compact' : ''}${dragging ? ' dropzone--active' : ''}`}
      {...dropHandlers}
    >
      <span className="dropzone__icon">
        <Icon name="upload" size={compact ? 24 : 28} />
      </span>
      {compact ? (
        <div className="dropzone__text">
          <p className="dropzone__title">{m.certificate.dropTitle}</p>
          <p className="dropzone__hint muted" id={hintId}>
            {acceptedText}
          </p>
        </div>
      ) : (
        <>
          <p className="dropzone__title">{m.certificate.dropTitle}</p>
          <p className="dropzone__or">{m.certificate.dropOr}</p>
        </>
      )}
      <input
        id={inputId}
        className="visually-hidden file-input"
        type="file"
        accept={accept}
        aria-describedby={hintId}
        disabled={busy}
        onChange={(e) => {
          const files = [...(e.currentTarget.files ?? [])];
          // Cleared so that choosing the same file again (after fixing it) fires change again.
          e.currentTarget.value = '';
          onFiles(files);
        }}
      />
      <label htmlFor={inputId} className={`button button--primary${busy ? ' button--disabled' : ''}`}>
        {m.certificate.choose}
      </label>
      {!compact && (
        <p className="dropzone__hint muted" id={hintId}>
          {acceptedText}
        </p>
      )}
    </div>
  );
}
