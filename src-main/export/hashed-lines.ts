// A file read as batches of lines, in constant memory, with every byte read passed to `onChunk`
// (verify-export and the settlement store hash the file as they read it); reads on only when asked.
import { createReadStream } from 'node:fs';

export async function* hashedLines(path: string, onChunk: (chunk: Buffer) => void): AsyncGenerator<string[]> {
  let rest: Buffer = Buffer.alloc(0);
  // 64 KB reads: with 1 MB ones each batch (and the settlement store's COPY text made of it) was
  // a large object that only a full collection frees, and an ingest's peak RSS grew with the day.
  for await (const raw of createReadStream(path, { highWaterMark: 1 << 16 })) {
    const chunk = raw as Buffer;
    onChunk(chunk);
    const data = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
    const lines: string[] = [];
    let start = 0;
    let newline = data.indexOf(0x0a, start);
    while (newline !== -1) {
      lines.push(data.toString('utf8', start, newline));
      start = newline + 1;
      newline = data.indexOf(0x0a, start);
    }
    rest = Buffer.from(data.subarray(start));
    if (lines.length > 0) yield lines;
  }
  if (rest.length > 0) yield [rest.toString('utf8')];
}
