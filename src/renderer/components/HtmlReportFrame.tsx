// Renderer. An HTML report e-Gov sent (the 形式チェック's ErrorFile) shown as e-Gov wrote it, but
// unable to do anything: a frame with sandbox="" (an opaque origin: no scripts, forms, pop-ups or
// top navigation) holding a blob: document whose own CSP loads nothing (no images from outside,
// no fonts, no styles but inline ones). The app's CSP lets frames hold blob: documents only.
import { useEffect, useState } from 'react';
import type { ErrorPayload } from '../../shared/errors.js';
import { requireCoreApi } from '../api.js';
import { useMessages } from '../messages/index.js';
import { Alert } from './Alert.js';
import { ErrorAlert } from './ErrorAlert.js';
import { Progress } from './Progress.js';
import { reportDocument } from '../report-document.js';
import './HtmlReportFrame.css';

type Load = { status: 'loading' } | { status: 'ready'; url: string; truncated: boolean } | { status: 'error'; error: ErrorPayload };

export function HtmlReportFrame({ entryId }: { entryId: string }) {
  const m = useMessages();
  const s = m.sends;
  const [load, setLoad] = useState<Load>({ status: 'loading' });

  useEffect(() => {
    let url: string | null = null;
    let live = true;
    void requireCoreApi()['batch.errorReport']({ entryId }).then((r) => {
      if (!live) return;
      if (!r.ok) {
        setLoad({ status: 'error', error: r.error });
        return;
      }
      url = URL.createObjectURL(new Blob([reportDocument(r.value.html)], { type: 'text/html;charset=utf-8' }));
      setLoad({ status: 'ready', url, truncated: r.value.truncated });
    });
    return () => {
      live = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [entryId]);

  if (load.status === 'loading') return <Progress text={s.errorReportLoading} />;
  if (load.status === 'error') return <ErrorAlert title={s.actionFailed} error={load.error} />;
  return (
    <>
      {load.truncated && <Alert tone="info" title={s.errorReportTruncated} />}
      <iframe className="report-frame" title={s.errorReportFrame} src={load.url} sandbox="" referrerPolicy="no-referrer" />
    </>
  );
}
