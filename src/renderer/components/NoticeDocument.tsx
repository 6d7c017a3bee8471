// Renderer. A notice's main XML as the core rendered it (XSL → sanitised HTML, never the browser's
// XSLTProcessor), shown in a frame with sandbox="" (an opaque origin: no scripts, forms, pop-ups or
// navigation) whose page the host serves at an address of its own with a CSP of its own
// (src/shared/notice-page.ts): inline styles of the sanitised document, nothing run, nothing
// loaded. Not a blob: frame: that would inherit the app's CSP and lose the document's layout. The
// app's CSP opens frame-src to that address only (and blob: for PDFs). Which stylesheet made it, and
// what the core warned about, is said above the frame.
import type { RenderedNoticeView } from '../../shared/documents.js';
import { requireCoreApi } from '../api.js';
import { useMessages } from '../messages/index.js';
import { Alert } from './Alert.js';

export function NoticeDocument({ id, rendered }: { id: number; rendered: RenderedNoticeView }) {
  const m = useMessages();
  const t = m.inbox;
  // the html is the key: a new rendering (verified again, anchors changed) reloads the page
  const src = requireCoreApi().noticePageUrl(id);

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
      <iframe key={rendered.html.length} src={src} className="notice-frame" title={t.documentFrame(rendered.title || rendered.fileName)} sandbox="" referrerPolicy="no-referrer" />
    </div>
  );
}
