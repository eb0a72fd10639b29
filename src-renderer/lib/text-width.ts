// Receipt printers are monospaced and print East Asian wide characters (汉字, full-width forms)
// two columns wide, so every receipt line is measured in columns, not in string length.

function isWide(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0x303e) ||
    (code >= 0x3041 && code <= 0x33ff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0xa000 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x20000 && code <= 0x3fffd)
  );
}

function isZeroWidth(code: number): boolean {
  return (code >= 0x0300 && code <= 0x036f) || code === 0x200b || code === 0x200d || code === 0xfe0f;
}

export function charWidth(ch: string): number {
  const code = ch.codePointAt(0) ?? 0;
  if (isZeroWidth(code)) return 0;
  return isWide(code) ? 2 : 1;
}

export function textWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += charWidth(ch);
  return width;
}

/** Splits text into pieces of at most `width` columns, breaking at spaces where it can. */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    let lineWidth = 0;
    const words = paragraph.split(' ');
    for (const word of words) {
      const w = textWidth(word);
      const gap = line === '' ? 0 : 1;
      if (lineWidth + gap + w <= width) {
        line = line === '' ? word : `${line} ${word}`;
        lineWidth += gap + w;
        continue;
      }
      if (line !== '') lines.push(line);
      line = '';
      lineWidth = 0;
      // A word wider than the line (a transaction id, CJK text without spaces) is cut by columns.
      for (const ch of word) {
        const cw = charWidth(ch);
        if (lineWidth + cw > width) {
          lines.push(line);
          line = '';
          lineWidth = 0;
        }
        line += ch;
        lineWidth += cw;
      }
    }
    lines.push(line);
  }
  return lines;
}

export function padStart(text: string, width: number): string {
  return ' '.repeat(Math.max(0, width - textWidth(text))) + text;
}

export function center(text: string, width: number): string {
  const free = Math.max(0, width - textWidth(text));
  return ' '.repeat(Math.floor(free / 2)) + text;
}
