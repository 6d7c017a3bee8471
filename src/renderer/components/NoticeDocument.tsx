// Renderer. A notice's main XML as the core rendered it (XSL → sanitised HTML, never the browser's
// XSLTProcessor), shown as HtmlReportFrame shows e-Gov's reports: a frame with sandbox="" (an
// opaque origin: no scripts, forms, pop-ups or navigation) holding a blob: document behind a CSP
// that loads nothing (report-document.ts). The app's CSP lets frames hold blob: documents only.
// Which stylesheet made it, and what the core warned about, is said above the frame.
import { useCallback } from 'react';
import type { RenderedNoticeView } from '../../shared/documents.js';
import { useMessages } from '../messages/index.js';
import { reportDocument } from '../report-document.js';
import { Alert } from './Alert.js';

export function NoticeDocument({ rendered }: { rendered: RenderedNoticeView }) {
  const m = useMessages();
  const t = m.inbox;
  // the frame is given its blob: URL as it is attached, and the URL is let go as it is detached
  const attach = useCallback(
    (frame: HTMLIFrameElement | null) => {
      if (!frame) return;
      const url = URL.createObjectURL(new Blob([reportDocument(rendered.html)], { type: 'text/html;charset=utf-8' }));
      frame.src = url;
      return () => URL.revokeObjectURL(url);
    },
    [rendered.html],
  );

  const { source, name = '' } = rendered.stylesheet;
  const sourceText = source === 'builtin' ? t.stylesheet.builtin : t.stylesheet[source](name);
  return (
    <div className="stack--tight">
      {rendered.warnings.length > 0 ? (
        <Alert tone="warning" title={t.warningsTitle}>
          <ul>
            {rendered.warnings.map((w, i) => (
              <li key={i}>{w}</li>
            ))}
          </ul>
          {source === 'builtin' && <p>{sourceText}</p>}
        </Alert>
      ) : (
        <p className="notice-source muted">{sourceText}</p>
      )}
      <iframe ref={attach} className="notice-frame" title={t.documentFrame(rendered.title || rendered.fileName)} sandbox="" referrerPolicy="no-referrer" />
    </div>
  );
}
