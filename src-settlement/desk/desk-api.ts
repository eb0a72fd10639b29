// The desk page's one boundary with the service: each answer of the HTTP API becomes a typed
// value through its schema here (an answer that does not parse is an error, never a half-drawn
// table). Requests carry the operator token the desk was opened with.
import { z } from 'zod';

const FindingSchema = z.object({
  id: z.number(),
  kind: z.string(),
  summary: z.string(),
  authorityId: z.string().nullable(),
  licenseSerial: z.string().nullable(),
  keyId: z.string().nullable(),
  foundAt: z.string(),
  rows: z.array(z.object({ dayId: z.number(), seq: z.number() })),
});
export type Finding = z.infer<typeof FindingSchema>;

const TerminalSchema = z.object({
  keyId: z.string(),
  terminalId: z.string(),
  merchantId: z.string(),
  enrolledAt: z.string(),
  retiredAt: z.string().nullable(),
  lastBusinessDate: z.string().nullable(),
  lastZNumber: z.number().nullable(),
  lastSeq: z.number().nullable(),
  chainHead: z.string().nullable(),
  lastIngestedAt: z.string().nullable(),
  days: z.number(),
});
export type Terminal = z.infer<typeof TerminalSchema>;

const TotalsSchema = z.object({
  currency: z.string(),
  approvedCount: z.number(),
  approvedTotal: z.number(),
  voidCount: z.number(),
  voidTotal: z.number(),
  refundCount: z.number(),
  refundTotal: z.number(),
  netTotal: z.number(),
  declinedCount: z.number(),
});
export type Totals = z.infer<typeof TotalsSchema>;

const MerchantStatementSchema = z.object({
  merchantId: z.string(),
  businessDate: z.string(),
  totals: z.array(TotalsSchema),
  terminals: z.array(TotalsSchema.extend({ terminalId: z.string(), zNumber: z.number().nullable() })),
});
export type MerchantStatement = z.infer<typeof MerchantStatementSchema>;

const AccountStatementSchema = z.object({
  accountId: z.string(),
  lines: z.array(
    z.object({
      kind: z.enum(['approval', 'refund']),
      recordedAt: z.union([z.string(), z.number()]),
      businessDate: z.string(),
      merchantId: z.string(),
      terminalId: z.string(),
      transactionId: z.string(),
      originalTransactionId: z.string().nullable(),
      amount: z.number(),
      currency: z.string(),
      voided: z.boolean(),
    }),
  ),
  totals: z.array(
    z.object({
      currency: z.string(),
      approvedCount: z.number(),
      approvedTotal: z.number(),
      refundCount: z.number(),
      refundTotal: z.number(),
      netTotal: z.number(),
    }),
  ),
});
export type AccountStatement = z.infer<typeof AccountStatementSchema>;

const ErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export class DeskError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function get(token: string, path: string): Promise<Response> {
  const response = await fetch(path, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
  if (response.ok) return response;
  const body: unknown = await response.json().catch(() => undefined);
  const parsed = ErrorSchema.safeParse(body);
  throw parsed.success
    ? new DeskError(parsed.data.error.code, parsed.data.error.message)
    : new DeskError('HTTP', `the service answered HTTP ${response.status}`);
}

async function getJson<T>(token: string, path: string, schema: z.ZodType<T>): Promise<T> {
  const parsed = schema.safeParse(await (await get(token, path)).json());
  if (!parsed.success) throw new DeskError('UNEXPECTED_ANSWER', `${path}: ${parsed.error.issues[0]?.message ?? 'unexpected answer'}`);
  return parsed.data;
}

const accountPath = (accountId: string, from: string, to: string) =>
  `/api/v1/statements/account/${encodeURIComponent(accountId)}?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;

export const deskApi = (token: string) => ({
  findings: async () => (await getJson(token, '/api/v1/findings?limit=1000', z.object({ findings: z.array(FindingSchema) }))).findings,
  evidence: (id: number) => getJson(token, `/api/v1/findings/${id}/evidence`, z.record(z.string(), z.unknown())),
  terminals: async () => (await getJson(token, '/api/v1/terminals', z.object({ terminals: z.array(TerminalSchema) }))).terminals,
  merchantStatement: (merchantId: string, date: string) =>
    getJson(token, `/api/v1/statements/merchant/${encodeURIComponent(merchantId)}/${encodeURIComponent(date)}`, MerchantStatementSchema),
  merchantStatementCsv: async (merchantId: string, date: string) =>
    (await get(token, `/api/v1/statements/merchant/${encodeURIComponent(merchantId)}/${encodeURIComponent(date)}?format=csv`)).blob(),
  accountStatement: (accountId: string, from: string, to: string) =>
    getJson(token, accountPath(accountId, from, to), AccountStatementSchema),
  accountStatementCsv: async (accountId: string, from: string, to: string) =>
    (await get(token, `${accountPath(accountId, from, to)}&format=csv`)).blob(),
});
export type DeskApi = ReturnType<typeof deskApi>;
