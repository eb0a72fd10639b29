// The operator's routes (all behind the bearer token, operator-auth.ts): findings and their
// evidence files, terminals with their last day and chain head, statements, enrolment, and the
// authority-signed revocation lists. Query strings and bodies become typed values through zod
// here; anything that does not parse is BAD_INPUT. The answers are the core's own values.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { csvLine } from '../../src-main/export/csv-writer';
import type { Database } from '../db/port';
import { FINDING_KINDS } from '../detect/finding';
import { findingEvidence, listFindings } from '../detect/list-findings';
import { SettlementError } from '../errors';
import { draftRevocationLists } from '../revocations/draft';
import { importRevocationList } from '../revocations/import-list';
import { ACCOUNT_CSV_COLUMNS, accountCsvRecords, accountStatement } from '../statements/account';
import { MERCHANT_CSV_COLUMNS, merchantDayCsvRecords, merchantDayStatement } from '../statements/merchant-day';
import { listTerminalHeads } from '../store/terminal-heads';
import { enrolTerminal } from '../store/terminals';

const businessDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

const FindingsQuerySchema = z.strictObject({
  kind: z.enum(FINDING_KINDS).optional(),
  after: z.coerce.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
const MerchantStatementQuerySchema = z.strictObject({ format: z.enum(['json', 'csv']).default('json') });
const AccountStatementQuerySchema = z
  .strictObject({ from: businessDate, to: businessDate, format: z.enum(['json', 'csv']).default('json') })
  .refine((q) => q.from < q.to, { message: 'from must be before to', path: ['to'] });
const identifier = z.string().min(1).max(64);

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) {
    throw new SettlementError(
      'BAD_INPUT',
      `${what}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}

const utcMidnight = (date: string) => Date.parse(`${date}T00:00:00Z`);

export function registerOperatorRoutes(app: FastifyInstance, db: Database): void {
  app.get('/api/v1/findings', async (request) => {
    const query = parse(FindingsQuerySchema, request.query, 'findings query');
    return {
      findings: await listFindings(db, {
        ...(query.kind ? { kind: query.kind } : {}),
        ...(query.after === undefined ? {} : { afterId: query.after }),
        limit: query.limit,
      }),
    };
  });

  app.get('/api/v1/findings/:id/evidence', async (request, reply) => {
    const params = parse(z.object({ id }), request.params, 'finding');
    const evidence = await findingEvidence(db, params.id);
    reply.header('content-disposition', `attachment; filename="finding-${params.id}-evidence.json"`);
    return evidence;
  });

  app.get('/api/v1/terminals', async () => ({ terminals: await listTerminalHeads(db) }));

  app.post('/api/v1/terminals', async (request, reply) => {
    const { enrolment, created } = await enrolTerminal(db, request.body);
    return reply.code(created ? 201 : 200).send({ status: created ? 'enrolled' : 'already_enrolled', enrolment });
  });

  app.get('/api/v1/statements/merchant/:merchantId/:businessDate', async (request, reply) => {
    const params = parse(z.object({ merchantId: identifier, businessDate }), request.params, 'statement');
    const { format } = parse(MerchantStatementQuerySchema, request.query, 'statement query');
    const statement = await merchantDayStatement(db, params.merchantId, params.businessDate);
    if (format === 'json') return statement;
    const csv = [MERCHANT_CSV_COLUMNS, ...merchantDayCsvRecords(statement)].map((fields) => csvLine(fields)).join('');
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="statement-${params.merchantId}-${params.businessDate}.csv"`)
      .send(csv);
  });

  app.get('/api/v1/statements/account/:accountId', async (request, reply) => {
    const params = parse(z.object({ accountId: identifier }), request.params, 'statement');
    const query = parse(AccountStatementQuerySchema, request.query, 'statement query');
    const statement = await accountStatement(db, params.accountId, utcMidnight(query.from), utcMidnight(query.to));
    if (query.format === 'json') return statement;
    const csv = [ACCOUNT_CSV_COLUMNS, ...accountCsvRecords(statement)].map((fields) => csvLine(fields)).join('');
    return reply
      .type('text/csv; charset=utf-8')
      .header(
        'content-disposition',
        `attachment; filename="account-${params.accountId.replace(/[^\w.-]/g, '_')}-${query.from}-${query.to}.csv"`,
      )
      .send(csv);
  });

  app.get('/api/v1/revocations/draft', async () => ({ drafts: await draftRevocationLists(db) }));

  app.post('/api/v1/revocations', async (request, reply) => {
    const imported = await importRevocationList(db, request.body);
    return reply.code(imported.status === 'stored' ? 201 : 200).send(imported);
  });
}
