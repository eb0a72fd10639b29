// CSV text as the export writes it and verify-export re-creates it: csv-stringify (RFC 4180)
// quotes a few hundred records at a time into a text sink.
import { createHash, type Hash } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';

export interface TextSink {
  write(text: string): void;
}

export class CsvWriter {
  private records: string[][] = [];
  constructor(
    private readonly sink: TextSink,
    header: readonly string[],
  ) {
    sink.write(stringify([[...header]]));
  }
  add(record: string[]): void {
    this.records.push(record);
    if (this.records.length >= 512) this.flush();
  }
  flush(): void {
    if (this.records.length === 0) return;
    this.sink.write(stringify(this.records));
    this.records = [];
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
