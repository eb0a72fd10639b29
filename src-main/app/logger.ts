// Operational log of the terminal: JSON lines in <dataDir>/logs/cashier.log, rotated by size
// (cashier.log -> cashier.1.log -> ... , keeping a fixed number of files). Writes are
// synchronous appends: a line is on disk before the next statement, which is what a log read
// after a crash needs, and the volume (a few lines per payment) makes the cost irrelevant.
// Payment secrets never reach the file: PINs, private keys and raw protocol bytes are redacted
// by field name and by type before a line is written.
import { closeSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../domain/payment';
import { isErrno } from '../fs/atomic-file';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const LEVEL_ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
  /** A logger whose lines carry `component`. */
  child(component: string): Logger;
}

export interface FileLogger extends Logger {
  readonly directory: string;
  /** Path of the file being written now. */
  readonly currentFile: string;
  close(): void;
}

export interface FileLoggerOptions {
  /** Folder of the log files, normally <dataDir>/logs. */
  directory: string;
  clock?: Clock;
  /** Rotate when the current file would grow past this many bytes (default 1 MiB). */
  maxBytes?: number;
  /** Files kept, the current one included (default 5). */
  maxFiles?: number;
  level?: LogLevel;
  /** Also print each line to stderr (development). */
  echo?: boolean;
  baseName?: string;
}

const SECRET_KEY = /pin|password|passphrase|secret|private|seed|^d$|nonce|signature|authorization|cose|apdu|bytes/i;
const MAX_STRING = 2000;
const MAX_DEPTH = 6;

/** Copy of `value` safe to write to a log: secret-named fields and raw bytes are replaced. */
export function redact(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined) return value;
  if (typeof value === 'string') return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return `[${value.length} bytes]`;
  if (value instanceof Error) {
    const out: Record<string, unknown> = { name: value.name, message: redact(value.message, depth + 1) };
    const code = (value as { code?: unknown }).code;
    if (typeof code === 'string') out.code = code;
    return out;
  }
  if (depth >= MAX_DEPTH) return '[nested]';
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => redact(v, depth + 1));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      out[key] = SECRET_KEY.test(key) ? '[redacted]' : redact(v, depth + 1);
    }
    return out;
  }
  return typeof value === 'symbol' ? value.toString() : `[${typeof value}]`;
}

export function createFileLogger(options: FileLoggerOptions): FileLogger {
  const directory = options.directory;
  const clock = options.clock ?? Date.now;
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const maxFiles = Math.max(1, options.maxFiles ?? 5);
  const minLevel = LEVEL_ORDER[options.level ?? 'info'];
  const baseName = options.baseName ?? 'cashier';
  const fileAt = (index: number): string => join(directory, index === 0 ? `${baseName}.log` : `${baseName}.${index}.log`);
  const currentFile = fileAt(0);

  mkdirSync(directory, { recursive: true });
  let fd: number | undefined = openSync(currentFile, 'a', 0o600);
  let size = statSync(currentFile).size;

  function rotate(): void {
    if (fd !== undefined) closeSync(fd);
    rmSync(fileAt(maxFiles - 1), { force: true });
    for (let i = maxFiles - 2; i >= 0; i -= 1) {
      try {
        renameSync(fileAt(i), fileAt(i + 1));
      } catch (error) {
        if (!isErrno(error, 'ENOENT')) throw error;
      }
    }
    fd = openSync(currentFile, 'a', 0o600);
    size = 0;
  }

  function write(level: LogLevel, component: string | undefined, event: string, fields?: LogFields): void {
    if (fd === undefined || LEVEL_ORDER[level] < minLevel) return;
    const record: Record<string, unknown> = { t: new Date(clock()).toISOString(), level };
    if (component) record.component = component;
    record.event = event;
    if (fields) Object.assign(record, redact(fields) as Record<string, unknown>);
    const line = Buffer.from(`${JSON.stringify(record)}\n`, 'utf8');
    try {
      if (size > 0 && size + line.length > maxBytes && maxFiles > 1) rotate();
      writeSync(fd, line);
      size += line.length;
    } catch (error) {
      // A full disk or a removed folder must never take a payment down with it.
      if (options.echo) console.error('log write failed', error);
    }
    if (options.echo) process.stderr.write(line);
  }

  function make(component: string | undefined): Logger {
    return {
      debug: (event, fields) => write('debug', component, event, fields),
      info: (event, fields) => write('info', component, event, fields),
      warn: (event, fields) => write('warn', component, event, fields),
      error: (event, fields) => write('error', component, event, fields),
      child: (name) => make(component ? `${component}.${name}` : name),
    };
  }

  return {
    ...make(undefined),
    directory,
    currentFile,
    close() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}

/** A logger that drops everything (for callers that were given none). */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child: () => silentLogger,
};
