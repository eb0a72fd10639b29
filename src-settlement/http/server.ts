// The settlement service's HTTP API (fastify): terminals upload business days and fetch the
// newest signed revocation lists; the settlement desk's operator reads findings, evidence,
// terminals and statements, enrols terminals and uploads signed revocation lists (bearer token);
// the desk's read-only web page is served under /desk/. Routes, codes and bodies:
// docs/settlement.md, "HTTP API".
import { tmpdir } from 'node:os';
import fastifyMultipart from '@fastify/multipart';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { LATEST_REVOCATIONS_PATH, UPLOAD_DAY_PATH, type UploadAccepted } from '../../src-main/export/settlement-wire';
import type { Database } from '../db/port';
import type { IngestResult } from '../ingest/ingest-day';
import { latestRevocationLists } from '../revocations/import-list';
import { registerDesk } from './desk-files';
import { HttpRefusal, sendError } from './http-errors';
import { operatorGuard } from './operator-auth';
import { registerOperatorRoutes } from './operator-routes';
import { DEFAULT_UPLOAD_LIMITS, receiveDay, type UploadLimits } from './upload-day';
import { DEFAULT_INGEST_SLOTS, IngestSlots } from './ingest-slots';

/** JSON bodies (an enrolment, a signed revocation list) are small. */
export const MAX_JSON_BODY_BYTES = 1 << 20;

export interface SettlementServerOptions {
  db: Database;
  /** Bearer token of the operator routes (at least 24 characters). */
  operatorToken: string;
  /** Where uploads are streamed before ingest (default: the system's temporary folder). */
  uploadDir?: string;
  limits?: Partial<UploadLimits>;
  /** verify-export worker threads per ingest. */
  workers?: number;
  /** The built desk page (out/desk); absent = no page. */
  deskDir?: string;
  logger?: FastifyServerOptions['logger'];
}

async function accepted(db: Database, result: IngestResult): Promise<UploadAccepted> {
  const lists = await latestRevocationLists(db);
  return {
    status: result.status,
    day: {
      terminalId: result.terminalId,
      merchantId: result.merchantId,
      businessDate: result.businessDate,
      ...(result.status === 'stored' ? { rows: result.rows } : {}),
      findings: result.status === 'stored' ? result.findings.length : 0,
    },
    revocationLists: lists.map((list) => list.file),
  };
}

export async function createSettlementServer(options: SettlementServerOptions): Promise<FastifyInstance> {
  const { db } = options;
  const limits: UploadLimits = { ...DEFAULT_UPLOAD_LIMITS, ...options.limits };
  const guard = operatorGuard(options.operatorToken);
  const slots = new IngestSlots(DEFAULT_INGEST_SLOTS);
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: MAX_JSON_BODY_BYTES, return503OnClosing: true });
  // Only JSON and the upload form are bodies here.
  app.removeContentTypeParser('text/plain');
  await app.register(fastifyMultipart, { throwFileSizeLimit: true });

  app.setErrorHandler(async (error, _request, reply) => sendError(reply, error));
  app.setNotFoundHandler(async (request, reply) =>
    sendError(reply, new HttpRefusal(404, 'UNKNOWN_ROUTE', `no route ${request.method} ${request.url.split('?')[0]}`)),
  );

  app.get('/health', async () => ({ ok: true, engine: db.engine }));

  app.post(UPLOAD_DAY_PATH, async (request, reply) => {
    const result = await receiveDay(request, {
      db,
      uploadDir: options.uploadDir ?? tmpdir(),
      limits,
      slots,
      ...(options.workers === undefined ? {} : { workers: options.workers }),
    });
    request.log.info({ status: result.status, terminal: result.terminalId, businessDate: result.businessDate }, 'day uploaded');
    return reply.code(result.status === 'stored' ? 201 : 200).send(await accepted(db, result));
  });

  app.get(LATEST_REVOCATIONS_PATH, async () => ({ revocationLists: (await latestRevocationLists(db)).map((list) => list.file) }));

  await app.register(async (operator) => {
    operator.addHook('preHandler', guard);
    registerOperatorRoutes(operator, db);
  });

  if (options.deskDir) registerDesk(app, options.deskDir);
  return app;
}
