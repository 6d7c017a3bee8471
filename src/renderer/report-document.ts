// Renderer (pure). The document an HTML report from e-Gov is shown as (HtmlReportFrame): the report
// as it came, behind a charset and a CSP that loads nothing and runs nothing. CSPs add up: a policy
// the report carries itself can only narrow this one, never widen it.
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'";

/** The report with a CSP and a charset in front: a meta before the report's own <html> ends up in its head. */
export function reportDocument(html: string): string {
  return `<!doctype html><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">${html}`;
}
