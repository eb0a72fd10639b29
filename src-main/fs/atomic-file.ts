// File primitives shared by the services, the wallet and the authority tools: a file is
// replaced atomically (temp file, fsync, rename, fsync of the folder), so a crash leaves either
// the old or the new version, never half of one; and a missing file is told apart from an
// unreadable one.
import { closeSync, fchmodSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * Replaces `path` with `content`: a whole new file renamed over the old one, so a reader sees
 * the old version or the new one. `durable: false` skips the fsyncs, for a file whose every
 * surviving version is correct anyway (the ledger's chain-head file, docs/ledger.md).
 */
export function writeFileAtomic(path: string, content: string | Uint8Array, mode = 0o600, options: { durable?: boolean } = {}): void {
  const durable = options.durable ?? true;
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(temp, 'wx', mode);
  try {
    // The umask may narrow the mode given to open; secrets and settings get exactly `mode`.
    fchmodSync(fd, mode);
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    if (durable) fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
  closeSync(fd);
  try {
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  if (durable) syncDirectory(dir);
}

export function syncDirectory(dir: string): void {
  // Makes the rename itself durable. Windows cannot open a folder for fsync; there the rename
  // is already journaled by NTFS, so skipping it is the platform's own guarantee.
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The file's text, or undefined when it does not exist. Any other read failure throws. */
export function readTextIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return undefined;
    throw error;
  }
}

export function isErrno(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
