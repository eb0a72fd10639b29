// POST /api/v1/days: a terminal's business day as multipart/form-data, the four export files in
// the order of UPLOAD_PARTS (manifest first). The manifest is read first and gates the rest:
// it must parse, name a terminal key that is enrolled and not retired, be signed by that key
// (the terminal's own check, src-main/export/manifest.ts), and the files it names must fit the
// day's size limit. Only then is anything written: the other parts are streamed to a private
// temporary folder (each cut off at the size its manifest names), and the folder is handed to
// the core's ingestDay, which verifies the signature and every approval and stores the day
// whole or not at all. A refused upload writes nothing to the database; the folder is always
// removed.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { checkManifestSignature, type ReadManifest } from '../../src-main/export/manifest';
import { parseManifest } from '../../src-main/export/manifest-schema';
import { UPLOAD_PARTS, type UploadPart } from '../../src-main/export/settlement-wire';
import type { Database } from '../db/port';
import { SettlementError } from '../errors';
import { ingestDay, type IngestResult } from '../ingest/ingest-day';
import { findEnrolment } from '../store/terminals';
import { HttpRefusal } from './http-errors';
import type { IngestSlots } from './ingest-slots';

export interface UploadLimits {
  /** The manifest part (a few kilobytes, plus 70 bytes per void). */
  maxManifestBytes: number;
  /** The three other files together, as the manifest names them. */
  maxDayBytes: number;
}

export const DEFAULT_UPLOAD_LIMITS: UploadLimits = { maxManifestBytes: 8 << 20, maxDayBytes: 1 << 30 };

/** An export file's name as the manifest gives it: a plain name in one folder, never a path. */
const fileName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'a plain file name')
  .refine((name) => !name.endsWith('.manifest.json'), 'not a manifest name');

/** The name the manifest is stored under in the upload folder (ingest finds *.manifest.json). */
const MANIFEST_NAME = 'upload.manifest.json';

type FilePart = Exclude<UploadPart, 'manifest'>;

async function readManifest(stream: AsyncIterable<Buffer>, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.length;
    if (size > limit) throw new HttpRefusal(413, 'PAYLOAD_TOO_LARGE', `the manifest part is over ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The manifest part through the one manifest boundary (src-main/export/manifest-schema.ts), plus the route's own rule for file names. */
function parseUploadManifest(bytes: Buffer): ReadManifest {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new HttpRefusal(400, 'MALFORMED_JSON', `the manifest part is not JSON: ${(error as Error).message}`);
  }
  const parsed = parseManifest(json);
  if (!parsed.ok) throw new SettlementError('BAD_EXPORT', parsed.problem);
  const { csv, items, jsonl } = parsed.manifest.files;
  for (const [part, entry] of [
    ['csv', csv],
    ['items', items],
    ['jsonl', jsonl],
  ] as const) {
    const name = fileName.safeParse(entry.name);
    if (!name.success)
      throw new SettlementError('BAD_EXPORT', `manifest: files.${part}.name: ${name.error.issues.map((i) => i.message).join('; ')}`);
  }
  if (new Set([csv.name, items.name, jsonl.name]).size !== 3)
    throw new SettlementError('BAD_EXPORT', 'manifest: the three files must have three different names');
  return parsed.manifest;
}

/** Enrolled, not retired and signed by that key: anything else is refused before a file is written. */
async function gate(db: Database, manifest: ReadManifest, limits: UploadLimits): Promise<void> {
  const keyId = manifest.terminalKey.keyId;
  const enrolment = await findEnrolment(db, keyId);
  if (!enrolment)
    throw new SettlementError('UNKNOWN_TERMINAL_KEY', `the manifest is signed by key ${keyId}, which no terminal is enrolled with`);
  if (enrolment.retiredAt)
    throw new SettlementError(
      'RETIRED_TERMINAL_KEY',
      `terminal key ${keyId} (${enrolment.terminalId}) was retired on ${enrolment.retiredAt}`,
    );
  const signature = checkManifestSignature(manifest);
  if (!signature.ok) {
    throw new SettlementError('VERIFICATION_FAILED', `the manifest's signature: ${signature.problem}`, [
      { code: 'manifest', detail: signature.problem },
    ]);
  }
  const { csv, items, jsonl } = manifest.files;
  const total = csv.bytes + items.bytes + jsonl.bytes;
  if (total > limits.maxDayBytes) {
    throw new HttpRefusal(
      413,
      'PAYLOAD_TOO_LARGE',
      `the day's files are ${total} bytes; this service takes days of at most ${limits.maxDayBytes} bytes`,
    );
  }
}

/** Streams one part to disk, refusing it the moment it grows past what the manifest names. */
async function savePart(stream: AsyncIterable<Buffer>, path: string, part: FilePart, declared: number): Promise<void> {
  let size = 0;
  await pipeline(
    stream,
    async function* (source: AsyncIterable<Buffer>) {
      for await (const chunk of source) {
        size += chunk.length;
        if (size > declared)
          throw new HttpRefusal(413, 'PAYLOAD_TOO_LARGE', `part ${part} is larger than the ${declared} bytes its manifest names`);
        yield chunk;
      }
    },
    createWriteStream(path, { flags: 'wx', mode: 0o600 }),
  );
  if (size !== declared) throw new HttpRefusal(400, 'BAD_UPLOAD', `part ${part} is ${size} bytes; its manifest names ${declared}`);
}

export interface ReceiveDayOptions {
  db: Database;
  /** Parent of the per-upload temporary folders. */
  uploadDir: string;
  limits: UploadLimits;
  /** verify-export worker threads per ingest. */
  workers?: number;
  /** Ingests run at once across uploads; the rest wait for a slot. */
  slots: IngestSlots;
}

export async function receiveDay(request: FastifyRequest, options: ReceiveDayOptions): Promise<IngestResult> {
  if (!request.isMultipart()) {
    throw new HttpRefusal(
      415,
      'NOT_MULTIPART',
      'an upload is multipart/form-data with the parts manifest, csv, items, jsonl (in that order)',
    );
  }
  const { limits } = options;
  const parts = request.parts({
    limits: {
      fields: 0,
      files: UPLOAD_PARTS.length,
      parts: UPLOAD_PARTS.length,
      fileSize: Math.max(limits.maxManifestBytes, limits.maxDayBytes),
      headerPairs: 64,
    },
  });
  const folder = await mkdtemp(join(options.uploadDir, 'upload-'));
  try {
    let manifest: ReadManifest | undefined;
    let received = 0;
    for await (const part of parts) {
      const expected = UPLOAD_PARTS[received];
      if (part.type !== 'file' || part.fieldname !== expected) {
        throw new HttpRefusal(
          400,
          'BAD_UPLOAD',
          `part ${received + 1} must be the file "${expected ?? '(none)'}", not ${part.type} "${part.fieldname}"`,
        );
      }
      if (expected === 'manifest') {
        const bytes = await readManifest(part.file, limits.maxManifestBytes);
        manifest = parseUploadManifest(bytes);
        await gate(options.db, manifest, limits);
        await writeFile(join(folder, MANIFEST_NAME), bytes, { flag: 'wx', mode: 0o600 });
      } else if (manifest) {
        const entry = manifest.files[expected];
        await savePart(part.file, join(folder, entry.name), expected, entry.bytes);
      }
      received += 1;
    }
    if (received !== UPLOAD_PARTS.length) {
      throw new HttpRefusal(400, 'BAD_UPLOAD', `the upload has ${received} of the ${UPLOAD_PARTS.length} parts ${UPLOAD_PARTS.join(', ')}`);
    }
    return await options.slots.run(() =>
      ingestDay(options.db, { folder }, options.workers === undefined ? {} : { workers: options.workers }),
    );
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
