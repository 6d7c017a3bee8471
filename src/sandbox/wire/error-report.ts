// Sandbox (Node). The ErrorFile of a send whose 形式チェック refused applications: an HTML report
// (REFERENCE §4.4: e-Gov's content is unknown, only that a client decodes it to .html — INFERRED).
// [SIM-CHOICE] One UTF-8 HTML document: the 送信番号, then one row per refused application folder
// with every problem found in it. Carried base64-encoded (state/apply-store.ts errorFileOf).

export interface RefusedFolder {
  folderName: string;
  problems: readonly string[];
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);

export function writeErrorReport(sendNumber: string, sendDate: string, refused: readonly RefusedFolder[]): string {
  const rows = refused.map(
    (r) => `<tr><td>${escapeHtml(r.folderName)}</td><td><ul>${r.problems.map((p) => `<li>${escapeHtml(p)}</li>`).join('')}</ul></td></tr>`,
  );
  return [
    '<!DOCTYPE html>',
    '<html lang="ja">',
    '<head><meta charset="UTF-8"><title>形式チェック結果</title></head>',
    '<body>',
    '<h1>形式チェックでエラーになった申請</h1>',
    `<p>送信番号: ${escapeHtml(sendNumber)} / 送信日時: ${escapeHtml(sendDate)} / エラー件数: ${refused.length}</p>`,
    '<table border="1">',
    '<tr><th>フォルダー</th><th>エラーの内容</th></tr>',
    ...rows,
    '</table>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
