// Uploads one exported business day to the settlement service (the terminal's "Send to
// settlement") and reads its answer through the wire schema (settlement-wire.ts). Every way it
// can end is an outcome, never a throw: the day stored or already held (with the newest signed
// revocation lists the service holds), refused with the service's code and message, or
// the service not reached. Files are streamed from disk; the terminal's ledger is only read.
import type { ReadableStreamReadResult } from 'node:stream/web';
import { openAsBlob } from 'node:fs';
import { basename } from 'node:path';
import { ErrorAnswerSchema, UPLOAD_DAY_PATH, UPLOAD_PARTS, UploadAcceptedSchema, type HeldDay, type UploadPart } from './settlement-wire';

export const SEND_TIMEOUT_MS = 60_000;
/** Largest answer read: a day summary and one revocation list. */
const MAX_ANSWER_BYTES = 1024 * 1024;

export type SendDayOutcome =
  | { outcome: 'stored' | 'already_held'; day: HeldDay; revocationLists: unknown[] }
  | { outcome: 'refused'; httpStatus: number; code: string; message: string; problems: { code: string; detail: string }[] }
  /** network: no connection; timeout: no answer in time; not_settlement: the address answers, but not as the service. */
  | { outcome: 'unreachable'; reason: 'network' | 'timeout' | 'not_settlement'; message: string };

export interface SendDayOptions {
  /** The service's base address (settings: settlementAddress), http(s). */
  address: string;
  /** Paths of the export's four files by part. */
  files: Record<UploadPart, string>;
  timeoutMs?: number;
}

/** The upload URL under the service's base address (which may carry a path prefix). */
export function uploadUrl(address: string): string {
  return `${address.replace(/\/+$/, '')}${UPLOAD_DAY_PATH}`;
}

async function readCapped(response: Response): Promise<string | undefined> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const read: ReadableStreamReadResult<unknown> = await reader.read();
    if (read.done) break;
    const value = read.value;
    if (!(value instanceof Uint8Array)) return undefined;
    size += value.byteLength;
    if (size > MAX_ANSWER_BYTES) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export async function sendDay(options: SendDayOptions): Promise<SendDayOutcome> {
  const form = new FormData();
  for (const part of UPLOAD_PARTS) {
    const path = options.files[part];
    form.append(part, await openAsBlob(path), basename(path));
  }
  const url = uploadUrl(options.address);
  let response: Response;
  let text: string | undefined;
  try {
    response = await fetch(url, {
      method: 'POST',
      body: form,
      headers: { accept: 'application/json' },
      redirect: 'error',
      signal: AbortSignal.timeout(options.timeoutMs ?? SEND_TIMEOUT_MS),
    });
    text = await readCapped(response);
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return timedOut
      ? { outcome: 'unreachable', reason: 'timeout', message: `${url} did not answer in time` }
      : { outcome: 'unreachable', reason: 'network', message: `cannot reach ${url}${cause}` };
  }
  const json = text === undefined ? undefined : parseJson(text);
  if (response.ok) {
    const accepted = UploadAcceptedSchema.safeParse(json);
    if (accepted.success) {
      const { status, day, revocationLists } = accepted.data;
      return { outcome: status, day, revocationLists };
    }
  } else {
    const refused = ErrorAnswerSchema.safeParse(json);
    if (refused.success) {
      const { code, message, problems } = refused.data.error;
      return { outcome: 'refused', httpStatus: response.status, code, message, problems: problems ?? [] };
    }
  }
  return {
    outcome: 'unreachable',
    reason: 'not_settlement',
    message: `${url} answered HTTP ${response.status}, but not as a settlement service`,
  };
}
