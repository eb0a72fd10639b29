// CSV text as the export writes it and verify-export re-creates it: RFC 4180 with "\n" line ends,
// a field quoted only when it holds a quote, comma, CR or LF, quotes doubled. This is the output
// of csv-stringify's defaults, written out because the library cost ~6 us per record (a fifth of
// an export's time); a property test holds the two byte for byte (tests/unit/export/csv.test.ts).
import { createHash, type Hash } from 'node:crypto';

export interface TextSink {
  write(text: string): void;
}

const NEEDS_QUOTES = /[",\r\n]/;

const csvField = (value: string): string => (NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

/** One record as a CSV line, line end included. */
export function csvLine(fields: readonly string[]): string {
  let line = fields.length === 0 ? '' : csvField(fields[0] as string);
  for (let index = 1; index < fields.length; index++) line += `,${csvField(fields[index] as string)}`;
  return `${line}\n`;
}

export class CsvWriter {
  /** `header`: the first line, or null for a file's later part. */
  constructor(
    private readonly sink: TextSink,
    header: readonly string[] | null,
  ) {
    if (header) sink.write(csvLine(header));
  }
  add(record: readonly string[]): void {
    this.sink.write(csvLine(record));
  }
}

/** A sink that only hashes: the SHA-256 of the text a file would hold. */
export class HashingSink implements TextSink {
  private readonly hash: Hash = createHash('sha256');
  write(text: string): void {
    this.hash.update(text, 'utf8');
  }
  digest(): string {
    return this.hash.digest('hex');
  }
}
