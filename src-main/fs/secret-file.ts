// Reading a private-key file (authority key, terminal export key, wallet): like OpenSSH, the
// file is refused when another user could have read it (the key may be known) or replaced it
// (the key may be theirs). The check runs on the open file descriptor, so the file checked is
// the file read. Windows has no POSIX modes to check: there the folder's ACL is what protects
// the key, and the check is skipped (docs/protocol.md, "Key files").
import { DetailedError } from '../domain/coded-error';
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';

export const KEY_FILE_ERROR_CODES = [
  'KEY_FILE_TOO_OPEN', // group or others may read, write or execute it
  'KEY_FILE_FOREIGN_OWNER', // owned by another user than the one running (root excepted)
  'KEY_FILE_NOT_REGULAR', // a folder, device or pipe rather than a plain file
] as const;

export type KeyFileErrorCode = (typeof KEY_FILE_ERROR_CODES)[number];

export class KeyFileError extends DetailedError<KeyFileErrorCode> {
  override readonly name = 'KeyFileError';
  constructor(
    code: KeyFileErrorCode,
    readonly path: string,
    detail: string,
  ) {
    super(code, detail);
  }
}

export interface KeyFileStats {
  mode: number;
  uid: number;
  isFile(): boolean;
}

export interface KeyFileCheckOptions {
  /** Default: process.platform. */
  platform?: NodeJS.Platform;
  /** The user that runs; default: process.getuid(). */
  uid?: number;
}

/** `path` as one shell word, so the fix in a message can be pasted as it is. */
export function shellQuote(path: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(path) ? path : `'${path.replaceAll("'", `'\\''`)}'`;
}

/**
 * Throws KeyFileError when `stats` (of the file at `path`, holding `what`) show that someone
 * other than the running user could read or change it. Does nothing on Windows.
 */
export function checkKeyFileStats(path: string, what: string, stats: KeyFileStats, options: KeyFileCheckOptions = {}): void {
  const platform = options.platform ?? process.platform;
  if (platform === 'win32') return;
  if (!stats.isFile()) throw new KeyFileError('KEY_FILE_NOT_REGULAR', path, `${what} ${path} is not a regular file`);
  const uid = options.uid ?? process.getuid?.();
  const fix = `chmod 600 ${shellQuote(path)}`;
  if (uid !== undefined && stats.uid !== uid && stats.uid !== 0) {
    throw new KeyFileError(
      'KEY_FILE_FOREIGN_OWNER',
      path,
      `${what} ${path} belongs to user id ${stats.uid}, not to the user running this (id ${uid}); that user can replace the key. ` +
        `If the key is yours, take it over with: chown ${uid} ${shellQuote(path)} && ${fix}`,
    );
  }
  const mode = stats.mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new KeyFileError(
      'KEY_FILE_TOO_OPEN',
      path,
      `${what} ${path} has mode ${mode.toString(8).padStart(4, '0')}: group or others can access it, so it is not used. ` +
        `Restrict it with: ${fix} (if other users could read it, treat the key as exposed and replace it)`,
    );
  }
}

/**
 * The text of a private-key file, after checkKeyFileStats on the opened file. Errors from
 * opening or reading (ENOENT, EACCES...) are thrown unchanged for the caller to word.
 */
export function readSecretFileSync(path: string, what: string, options: KeyFileCheckOptions = {}): string {
  // Non-blocking, so a named pipe put in the key's place is refused instead of waited on.
  const fd = openSync(path, process.platform === 'win32' ? 'r' : constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    checkKeyFileStats(path, what, fstatSync(fd), options);
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}
