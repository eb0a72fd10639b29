// An export file written in large chunks: text is encoded straight into one reused buffer, which
// is hashed and written with one write call when full. No per-record Buffers, no joined strings:
// nothing for the GC per row. The file keeps its temporary name; the export renames its files
// only once all of them are complete.
import { createHash, type Hash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import type { ManifestFile } from './manifest';

const CHUNK = 1024 * 1024;
/** UTF-8 needs at most three bytes per UTF-16 code unit. */
const MAX_BYTES_PER_UNIT = 3;

export class FileSink {
  private readonly fd: number;
  private readonly hash: Hash = createHash('sha256');
  private readonly buffer = Buffer.allocUnsafe(CHUNK);
  private used = 0;
  private bytes = 0;
  private open = true;

  /** `name` is the file's final name, as the manifest lists it. */
  constructor(
    readonly tempPath: string,
    private readonly name: string,
  ) {
    this.fd = openSync(tempPath, 'w', 0o644);
  }

  write(text: string): void {
    const room = text.length * MAX_BYTES_PER_UNIT;
    if (this.used + room > CHUNK) {
      this.flush();
      if (room > CHUNK) {
        this.emit(Buffer.from(text, 'utf8'));
        return;
      }
    }
    this.used += this.buffer.write(text, this.used, 'utf8');
  }

  /** Copies a whole file (a later part written by another thread) to the end of this one. */
  append(path: string): void {
    this.flush();
    const fd = openSync(path, 'r');
    try {
      for (let read = readSync(fd, this.buffer, 0, CHUNK, null); read > 0; read = readSync(fd, this.buffer, 0, CHUNK, null)) {
        this.emit(this.buffer.subarray(0, read));
      }
    } finally {
      closeSync(fd);
    }
  }

  /**
   * Flushes and closes the file, fsynced unless `durable` is false (a part that is copied into
   * the real file and deleted); returns its manifest entry.
   */
  finish({ durable = true }: { durable?: boolean } = {}): ManifestFile {
    this.flush();
    if (durable) fsyncSync(this.fd);
    this.close();
    return { name: this.name, bytes: this.bytes, sha256: this.hash.digest('hex') };
  }

  /** Closes (if open) and deletes the temporary file. */
  abandon(): void {
    this.close();
    rmSync(this.tempPath, { force: true });
  }

  private close(): void {
    if (!this.open) return;
    this.open = false;
    closeSync(this.fd);
  }

  private flush(): void {
    if (this.used === 0) return;
    this.emit(this.buffer.subarray(0, this.used));
    this.used = 0;
  }

  private emit(bytes: Buffer): void {
    this.hash.update(bytes);
    this.bytes += bytes.length;
    let written = 0;
    while (written < bytes.length) written += writeSync(this.fd, bytes, written, bytes.length - written);
  }
}
