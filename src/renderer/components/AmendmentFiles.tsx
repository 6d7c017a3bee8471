// Renderer. The right side of the 補正 workbench: the files of the filed application as the draft
// holds them — name, size, 変更なし / 差し替え済 / 追加 — each with 「差し替える」 (a native file input,
// visually replaced by its label) and 「元に戻す」; under a replaced XML its field-level diff, under
// any other changed file that it changed as a whole. When Todoke holds no filed data for the case, a
// folder picker says why it is needed. One change to the draft at a time; its failure stays by it.
import { useId } from 'react';
import type { AmendmentDraftView, AmendmentFileView } from '../../shared/amendment.js';
import { formatBytes } from '../format-bytes.js';
import { useMessages } from '../messages/index.js';
import { useAmendmentStore, type DraftStep } from '../stores/amendment.js';
import { AmendmentFieldDiff } from './AmendmentFieldDiff.js';
import { ErrorAlert } from './ErrorAlert.js';
import { Icon } from './Icon.js';
import { Progress } from './Progress.js';

const FOLDER_PICKER = { webkitdirectory: '', directory: '' } as Record<string, string>;

/** The files of a file input, the input cleared so that picking the same file again fires again. */
function take(input: HTMLInputElement): File[] {
  const files = [...(input.files ?? [])];
  input.value = '';
  return files;
}

export function AmendmentFiles({ draft }: { draft: AmendmentDraftView }) {
  const m = useMessages();
  const a = m.amend;
  const step = useAmendmentStore((s) => s.step);
  const stepError = useAmendmentStore((s) => s.stepError);
  const add = useAmendmentStore((s) => s.add);
  const startOver = useAmendmentStore((s) => s.startOver);
  const addId = useId();
  const addHintId = useId();
  const busy = step !== null;
  const folderError = stepError && stepError.step.fileName === null ? stepError : null;

  return (
    <section className="panel stack amend-files" aria-labelledby="amend-files" aria-busy={busy}>
      <h2 className="panel__title" id="amend-files">
        <Icon name="folder" />
        {a.filesTitle}
      </h2>
      {draft.draftId === null ? (
        <FolderPicker busy={busy} title={a.missingTitle} body={a.missingBody} label={a.chooseFolder} primary />
      ) : (
        <>
          <p className="muted amend-files__source">{draft.source === 'folder' ? a.sourceFolder : draft.source === 'amendment' ? a.sourceAmendment : a.sourceOutbox}</p>
          <ul className="amend-file-list" aria-label={a.filesLabel}>
            {draft.files.map((f) => (
              <FileItem key={f.name} file={f} busy={busy} step={step} />
            ))}
          </ul>
          <div className="amend-files__more">
            <div className="stack--tight">
              <div>
                <input id={addId} className="visually-hidden file-input" type="file" aria-label={a.addAttachmentLabel} aria-describedby={addHintId} disabled={busy} onChange={(e) => void add(take(e.currentTarget))} />
                <label htmlFor={addId} className={`button${busy ? ' button--disabled' : ''}`}>
                  <Icon name="upload" />
                  {a.addAttachment}
                </label>
              </div>
              <p className="muted amend-files__hint" id={addHintId}>
                {a.addHint}
              </p>
            </div>
            <div className="button-row amend-files__reset">
              {draft.changed && (
                <button type="button" className="button button--small" disabled={busy} onClick={() => void startOver()}>
                  {a.startOver}
                </button>
              )}
              <FolderPicker busy={busy} label={a.chooseOtherFolder} />
            </div>
          </div>
        </>
      )}
      {step && step.fileName === null && <Progress text={a.working[step.kind]} />}
      {folderError && <ErrorAlert title={failedTitle(folderError.step, a)} error={folderError.error} />}
    </section>
  );
}

function failedTitle(step: DraftStep, a: ReturnType<typeof useMessages>['amend']): string {
  return step.fileName === null ? a.stepFailed[step.kind] : a.stepFailed[step.kind](step.fileName);
}

function FolderPicker({ busy, title, body, label, primary = false }: { busy: boolean; title?: string; body?: string; label: string; primary?: boolean }) {
  const chooseFolder = useAmendmentStore((s) => s.chooseFolder);
  const id = useId();
  const hintId = useId();
  const input = (
    <>
      <input id={id} className="visually-hidden file-input" type="file" multiple {...FOLDER_PICKER} aria-label={label} aria-describedby={body ? hintId : undefined} disabled={busy} onChange={(e) => void chooseFolder(take(e.currentTarget))} />
      <label htmlFor={id} className={`button${primary ? ' button--primary' : ' button--small'}${busy ? ' button--disabled' : ''}`}>
        <Icon name="folder" />
        {label}
      </label>
    </>
  );
  if (!title) return <span>{input}</span>;
  return (
    <div className="amend-missing stack--tight">
      <p className="amend-missing__title">{title}</p>
      <p className="muted" id={hintId}>
        {body}
      </p>
      <div>{input}</div>
    </div>
  );
}

function FileItem({ file: f, busy, step }: { file: AmendmentFileView; busy: boolean; step: DraftStep | null }) {
  const m = useMessages();
  const a = m.amend;
  const replace = useAmendmentStore((s) => s.replace);
  const restore = useAmendmentStore((s) => s.restore);
  const stepError = useAmendmentStore((s) => s.stepError);
  const inputId = useId();
  const working = step !== null && step.fileName === f.name ? step : null;
  const error = stepError && stepError.step.fileName === f.name ? stepError : null;
  const changed = f.change !== 'same';
  const size = f.filedSize !== null && f.filedSize !== f.size && f.change !== 'added' ? a.sizeChange(formatBytes(f.filedSize, m), formatBytes(f.size, m)) : formatBytes(f.size, m);
  return (
    <li className={`amend-file${changed ? ' amend-file--changed' : ''}`} aria-label={f.name}>
      <div className="amend-file__head">
        <Icon name="document" />
        <span className="amend-file__name mono">{f.name}</span>
        <span className={`mini-badge amend-file__state amend-file__state--${f.change}`}>{a.change[f.change]}</span>
        <span className="amend-file__size muted">{size}</span>
        <span className="amend-file__actions">
          {f.change !== 'added' && (
            <>
              <input id={inputId} className="visually-hidden file-input" type="file" aria-label={a.replaceLabel(f.name)} disabled={busy} onChange={(e) => void replace(f.name, take(e.currentTarget))} />
              <label htmlFor={inputId} className={`button button--small${busy ? ' button--disabled' : ''}`}>
                {a.replace}
              </label>
            </>
          )}
          {f.replaced && (
            <button type="button" className="button button--small" aria-label={f.change === 'added' ? a.removeAddedLabel(f.name) : a.restoreLabel(f.name)} disabled={busy} onClick={() => void restore(f.name)}>
              {f.change === 'added' ? a.removeAdded : a.restore}
            </button>
          )}
        </span>
      </div>
      {working && <Progress text={workingText(working, a)} />}
      {f.fields ? (
        <AmendmentFieldDiff file={f} />
      ) : (
        changed && f.change !== 'added' && <p className="amend-file__whole">{a.contentChanged}</p>
      )}
      {f.fieldsError && <p className="muted amend-file__whole">{a.wholeOnly(f.fieldsError)}</p>}
      {error && <ErrorAlert title={failedTitle(error.step, a)} error={error.error} />}
    </li>
  );
}

function workingText(step: DraftStep, a: ReturnType<typeof useMessages>['amend']): string {
  return step.fileName === null ? a.working[step.kind] : a.working[step.kind](step.fileName);
}
