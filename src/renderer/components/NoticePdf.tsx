// Renderer. A PDF a notice carries, shown as a PDF: the bytes asked of the core (notice.pdf), put in
// a blob: URL of type application/pdf, in a frame WITHOUT sandbox — Chromium's PDF viewer does not
// run in a sandboxed frame. That is safe here because a blob: URL made by this page holds only the
// bytes given to it and the viewer is Chromium's own; the app's CSP (frame-src blob:) lets nothing
// else in. Bytes that do not start as a PDF are never handed to the viewer. Where the viewer is
// missing (a headless browser), the same blob is offered as a download.
import { useEffect, useState } from 'react';
import type { ErrorPayload } from '../../shared/errors.js';
import { requireCoreApi } from '../api.js';
import { useMessages } from '../messages/index.js';
import { base64Bytes, looksLikePdf } from '../notice-view.js';
import { Alert } from './Alert.js';
import { ErrorAlert } from './ErrorAlert.js';
import { Progress } from './Progress.js';

type Load = { status: 'loading' } | { status: 'ready'; url: string } | { status: 'not-pdf' } | { status: 'error'; error: ErrorPayload };

export function NoticePdf({ id, name }: { id: number; name: string }) {
  const m = useMessages();
  const t = m.inbox;
  const [load, setLoad] = useState<Load>({ status: 'loading' });

  useEffect(() => {
    let url: string | null = null;
    let live = true;
    void requireCoreApi()['notice.pdf']({ id, name }).then((r) => {
      if (!live) return;
      if (!r.ok) {
        setLoad({ status: 'error', error: r.error });
        return;
      }
      const bytes = base64Bytes(r.value.base64);
      if (!bytes || !looksLikePdf(bytes)) {
        setLoad({ status: 'not-pdf' });
        return;
      }
      url = URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
      setLoad({ status: 'ready', url });
    });
    return () => {
      live = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [id, name]);

  if (load.status === 'loading') return <Progress text={t.pdfLoading} />;
  if (load.status === 'error') return <ErrorAlert title={t.pdfFailed} error={load.error} />;
  if (load.status === 'not-pdf') return (
      <Alert tone="warning" title={t.pdfFailed}>
        <p>{t.pdfNotPdf}</p>
      </Alert>
    );
  return (
    <div className="stack--tight">
      <iframe className="notice-frame notice-frame--pdf" title={t.pdfFrame(name)} src={load.url} referrerPolicy="no-referrer" />
      <p className="muted notice-source">
        {t.pdfHint}{' '}
        <a href={load.url} download={name}>
          {t.pdfDownload(name)}
        </a>
      </p>
    </div>
  );
}
