// The HTML document a receipt or an X/Z report is printed from: the lines the screen laid out,
// in a monospace font sized so 32 (58 mm) or 48 (80 mm) columns fill the paper. No script, no
// remote content.
/** Receipt paper roll width in millimetres. */
export type PaperWidth = 58 | 80;

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** Printable width in millimetres and the font size that fits the receipt's columns in it. */
export function paperLayout(paperWidth: PaperWidth): { printableMm: number; columns: number; fontPt: number } {
  const printableMm = paperWidth === 58 ? 48 : 72;
  const columns = paperWidth === 58 ? 32 : 48;
  // A monospace glyph is about 0.6 em wide; 1 mm = 72 / 25.4 pt.
  const fontPt = Math.floor(((printableMm / columns) * (72 / 25.4) * 10) / 0.6) / 10;
  return { printableMm, columns, fontPt };
}

/** QR side length on paper: large enough for a phone camera on a thermal print. */
export const QR_MM = 32;

export function receiptHtml(lines: readonly string[], paperWidth: PaperWidth, title: string, qr?: string): string {
  const { printableMm, fontPt } = paperLayout(paperWidth);
  const body = lines.map((l) => escapeHtml(l)).join('\n');
  // Only a PNG data: URL made by main (receipt-code.ts) is ever placed in the page.
  const image = qr !== undefined && /^data:image\/png;base64,[A-Za-z0-9+/]+=*$/.test(qr) ? qr : undefined;
  return [
    '<!doctype html><html><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'${image ? '; img-src data:' : ''}">`,
    `<title>${escapeHtml(title)}</title>`,
    '<style>',
    `@page { size: ${paperWidth}mm auto; margin: 0 ${(paperWidth - printableMm) / 2}mm; }`,
    `html, body { margin: 0; padding: 0; background: #fff; color: #000; }`,
    `pre { width: ${printableMm}mm; margin: 2mm 0; font: ${fontPt}pt/1.25 "DejaVu Sans Mono", "Noto Sans Mono CJK SC", Consolas, "Courier New", monospace; white-space: pre; }`,
    '</style></head><body>',
    `<pre>${body}</pre>`,
    ...(image ? [`<img alt="" src="${image}" style="display:block; width:${QR_MM}mm; height:${QR_MM}mm; margin:0 auto 4mm">`] : []),
    '</body></html>',
  ].join('');
}
