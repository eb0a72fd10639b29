// Every error answer of the HTTP API, on every route: `{error: {code, message, problems?}}`
// (src-main/export/settlement-wire.ts) with a status taken from one table. The core's codes
// (src-settlement/errors.ts) and the HTTP layer's own codes (bad requests that never reach the
// core) share the one answer shape, so a terminal or a script reads a refusal the same way.
import type { FastifyReply } from 'fastify';
import type { ErrorAnswer } from '../../src-main/export/settlement-wire';
import { SettlementError, toSettlementError, type SettlementErrorCode } from '../errors';

export const HTTP_ERROR_CODES = [
  'UNAUTHORIZED', // operator route without the right bearer token
  'UNKNOWN_ROUTE', // no such method and path
  'MALFORMED_JSON', // a JSON body (or the uploaded manifest) that does not parse
  'NOT_MULTIPART', // an upload that is not multipart/form-data
  'BAD_UPLOAD', // parts missing, repeated, out of order, or not what the manifest names
  'TRUNCATED_UPLOAD', // the request body ended before the form did
  'PAYLOAD_TOO_LARGE', // a body, a part or the whole day over its limit
  'UNSUPPORTED_MEDIA_TYPE', // a body that is neither JSON nor the upload form
] as const;
export type HttpErrorCode = (typeof HTTP_ERROR_CODES)[number];

/** A request refused by the HTTP layer itself. */
export class HttpRefusal extends Error {
  override readonly name = 'HttpRefusal';
  constructor(
    readonly status: number,
    readonly code: HttpErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const CORE_STATUS: Record<SettlementErrorCode, number> = {
  BAD_EXPORT: 400,
  UNKNOWN_TERMINAL_KEY: 403,
  RETIRED_TERMINAL_KEY: 403,
  MERCHANT_MISMATCH: 403,
  VERIFICATION_FAILED: 422,
  DAY_CONFLICT: 409,
  CHANGED_DURING_INGEST: 409,
  NO_AUTHORITY_KEYS: 503,
  BAD_INPUT: 400,
  BAD_REVOCATION_LIST: 422,
  NOT_FOUND: 404,
  DATABASE_UNAVAILABLE: 503,
  SCHEMA_TOO_NEW: 503,
  INTERNAL: 500,
};

/** Fastify's own errors for bodies: their codes, as ours. */
function fromFastify(error: unknown): HttpRefusal | undefined {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  const message = error instanceof Error ? error.message : String(error);
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_PARTS_LIMIT':
    case 'FST_FILES_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return new HttpRefusal(413, 'PAYLOAD_TOO_LARGE', message);
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new HttpRefusal(400, 'MALFORMED_JSON', message);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new HttpRefusal(415, 'UNSUPPORTED_MEDIA_TYPE', message);
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new HttpRefusal(415, 'NOT_MULTIPART', 'an upload is multipart/form-data with the parts manifest, csv, items, jsonl');
    case 'FST_MP_PREMATURE_CLOSE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new HttpRefusal(400, 'TRUNCATED_UPLOAD', message);
    case 'FST_PROTO_VIOLATION':
      return new HttpRefusal(400, 'BAD_UPLOAD', message);
  }
  if (error instanceof SyntaxError && /JSON/.test(message)) return new HttpRefusal(400, 'MALFORMED_JSON', message);
  if (/Unexpected end of (form|multipart data)|Part terminated early/i.test(message))
    return new HttpRefusal(400, 'TRUNCATED_UPLOAD', message);
  return undefined;
}

export interface ErrorReplyBody {
  status: number;
  body: ErrorAnswer;
}

/** The status and body for anything a route threw; `internal` is what to log (details stay in the log). */
export function errorReply(error: unknown): ErrorReplyBody & { internal?: unknown } {
  const refusal = error instanceof HttpRefusal ? error : fromFastify(error);
  if (refusal) return { status: refusal.status, body: { error: { code: refusal.code, message: refusal.message } } };
  const coded = error instanceof SettlementError ? error : toSettlementError(error);
  const body: ErrorAnswer = {
    error: {
      code: coded.code,
      message: coded.code === 'INTERNAL' ? 'the settlement service failed; the operator finds the details in its log' : coded.detail,
      ...(coded.problems.length > 0 ? { problems: coded.problems.map((p) => ({ code: p.code, detail: p.detail })) } : {}),
    },
  };
  return { status: CORE_STATUS[coded.code], body, ...(coded.code === 'INTERNAL' ? { internal: error } : {}) };
}

export async function sendError(reply: FastifyReply, error: unknown): Promise<void> {
  const { status, body, internal } = errorReply(error);
  if (internal !== undefined) reply.log.error({ err: internal }, 'settlement request failed');
  await reply.code(status).type('application/json; charset=utf-8').send(body);
}
