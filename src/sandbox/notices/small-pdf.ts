// Sandbox (Node). A small, valid PDF 1.4 to put beside a 公文書 (the operator's --pdf): one A4 page of
// ASCII text in the standard Helvetica font, with a correct cross-reference table, so any PDF viewer
// (Chromium's included) opens it. [SIM-CHOICE] REFERENCE §7.1: whether v1 delivered PDFs is unknown;
// the renewed e-Gov issues them. Japanese text would need an embedded CID font, so the page says in
// ASCII what it is and the XML beside it carries the document itself.

function pdfString(text: string): string {
  // printable ASCII only; the three characters PDF strings reserve are escaped
  return text.replace(/[^\x20-\x7E]/g, '?').replace(/[\\()]/g, (c) => `\\${c}`);
}

export function smallPdf(lines: readonly string[]): Buffer {
  const text = lines.map((l, i) => `BT /F1 12 Tf 56 ${780 - i * 18} Td (${pdfString(l)}) Tj ET`).join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    `<< /Length ${Buffer.byteLength(text, 'latin1')} >>\nstream\n${text}\nendstream`,
  ];
  let out = '%PDF-1.4\n%\xE2\xE3\xCF\xD3\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}
