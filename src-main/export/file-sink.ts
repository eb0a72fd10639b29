// An export file written in large chunks: text is collected, then hashed and written with one
// write call per ~256 KiB, under a temporary name renamed into place only once complete.
import { createHash, type Hash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import type { ManifestFile } from './manifest';

const CHUNK = 256 * 1024;

export class FileSink {
  private readonly fd: number;
  private readonly hash: Hash = createHash('sha256');
  private readonly tempPath: string;
  private parts: string[] = [];
  private pending = 0;
  private bytes = 0;

  constructor(
    readonly finalPath: string,
    private readonly name: string,
  ) {
    this.tempPath = `${finalPath}.partial`;
    this.fd = openSync(this.tempPath, 'w', 0o644);
  }

  write(text: string): void {
    this.parts.push(text);
    this.pending += text.length;
    if (this.pending >= CHUNK) this.flush();
  }

  /** Flushes, fsyncs and renames to the final name; returns the manifest entry. */
  finish(): ManifestFile {
    this.flush();
    fsyncSync(this.fd);
    closeSync(this.fd);
    renameSync(this.tempPath, this.finalPath);
    return { name: this.name, bytes: this.bytes, sha256: this.hash.digest('hex') };
  }

  abandon(): void {
    try {
      closeSync(this.fd);
    } catch {
      // Already closed by finish().
    }
    rmSync(this.tempPath, { force: true });
  }

  private flush(): void {
    if (this.parts.length === 0) return;
    const buffer = Buffer.from(this.parts.join(''), 'utf8');
    this.parts = [];
    this.pending = 0;
    this.hash.update(buffer);
    this.bytes += buffer.length;
    let written = 0;
    while (written < buffer.length) written += writeSync(this.fd, buffer, written, buffer.length - written);
  }
}
