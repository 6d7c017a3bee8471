// Renderer. "Are you sure?" before anything that changes what e-Gov or this computer keeps.
// Focus starts on キャンセル, so a stray Enter does nothing irreversible.
import { useId, useRef, type ReactNode } from 'react';
import { useMessages } from '../messages/index.js';
import { Dialog } from './Dialog.js';

export function ConfirmDialog({
  title,
  confirmLabel,
  tone,
  onConfirm,
  onCancel,
  children,
}: {
  title: string;
  confirmLabel: string;
  tone: 'primary' | 'danger';
  onConfirm: () => void;
  onCancel: () => void;
  children: ReactNode;
}) {
  const m = useMessages();
  const cancel = useRef<HTMLButtonElement>(null);
  const bodyId = useId();
  return (
    <Dialog title={title} icon="alert" tone={tone === 'danger' ? 'danger' : 'default'} onCancel={onCancel} initialFocus={cancel} describedBy={bodyId}>
      <div id={bodyId} className="dialog__body">
        {children}
      </div>
      <div className="dialog__actions">
        <button type="button" className="button" ref={cancel} onClick={onCancel}>
          {m.confirm.cancel}
        </button>
        <button type="button" className={`button ${tone === 'danger' ? 'button--danger' : 'button--primary'}`} onClick={onConfirm}>
          {confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
