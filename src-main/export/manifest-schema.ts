// The one boundary where a manifest file's text becomes a typed manifest, for verify-export,
// verify-receipt and the settlement service alike. Objects are strict: a member the writer never
// writes is refused here, since the signature is checked over the parsed value and an ignored
// extra member would otherwise ride along unnoticed.
import { z } from 'zod';
import { isManifestFormat, MANIFEST_FORMAT, MANIFEST_FORMAT_1, MANIFEST_FORMATS } from './manifest';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits');
const count = z.number().int().nonnegative();
const seq = z.number().int().positive();

/** A file of the export, named without any path: it is opened next to the manifest. */
const fileEntry = z.strictObject({
  name: z
    .string()
    .min(1)
    .refine((name) => !/[/\\]/.test(name) && name !== '.' && name !== '..', 'must be a file name, not a path'),
  bytes: count,
  sha256: hex64,
});

const countsShape = {
  rows: count,
  sales: count,
  approved: count,
  declined: count,
  voided: count,
  closes: count,
  demo: count,
  items: count,
};

const amount = z.number().int();
// Per currency, as the ledger's reports count them (ledger/reports.ts CurrencyTotals).
const totalsShape = {
  currency: z.string().regex(/^[A-Z]{3}$/),
  approvedCount: count,
  approvedTotal: amount,
  voidCount: count,
  voidTotal: amount,
  netTotal: amount,
  declinedCount: count,
  declinedTotal: amount,
};
const totals2 = z.array(z.strictObject({ ...totalsShape, refundCount: count, refundTotal: amount }));
const totals1 = z.array(z.strictObject(totalsShape));

const common = {
  terminalId: z.string().min(1).max(64),
  merchantId: z.string().min(1).max(64),
  ledgerId: z.string().min(1).max(64),
  businessDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD'),
  timeZone: z.string().min(1),
  zNumber: z.number().int().positive().nullable(),
  generatedAt: z.string().min(1),
  chain: z.strictObject({
    firstSeq: seq.nullable(),
    lastSeq: seq.nullable(),
    firstPrevHash: hex64.nullable(),
    lastHash: hex64.nullable(),
  }),
  voids: z.array(z.tuple([z.string(), z.string()])),
  files: z.strictObject({ csv: fileEntry, items: fileEntry, jsonl: fileEntry }),
  terminalKey: z.strictObject({
    keyId: hex64,
    jwk: z.strictObject({ kty: z.literal('EC'), crv: z.literal('P-256'), x: z.string(), y: z.string() }),
  }),
  signature: z.strictObject({ alg: z.literal('ES256'), value: z.string().min(1) }),
};

const ledgerHead = z.strictObject({ seq, hash: hex64 });
const previousDay = z.strictObject({ businessDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), manifestSha256: hex64.nullable() }).nullable();

const format2 = z.strictObject({
  format: z.literal(MANIFEST_FORMAT),
  ...common,
  counts: z.strictObject({ ...countsShape, refunded: count }),
  totals: totals2,
  demoTotals: totals2,
  ledgerHead,
  previousDay,
  refunds: z.array(z.tuple([z.string(), z.string(), z.number().int().positive()])),
});

// Format 1 (before refunds): no refund list or count; early terminals wrote no ledger head and
// previous day either.
const format1 = z.strictObject({
  format: z.literal(MANIFEST_FORMAT_1),
  ...common,
  counts: z.strictObject(countsShape),
  totals: totals1,
  demoTotals: totals1,
  ledgerHead: ledgerHead.optional(),
  previousDay: previousDay.optional(),
});

const manifestSchema = z.discriminatedUnion('format', [format1, format2]);

/** A manifest as read back, of either format, exactly as signed (nothing added or defaulted). */
export type ReadManifest = z.infer<typeof manifestSchema>;

export type ParsedManifest = { ok: true; manifest: ReadManifest } | { ok: false; problem: string };

/** The manifest's JSON value (already parsed from its text) as a typed manifest, or one line saying what is wrong. */
export function parseManifest(raw: unknown): ParsedManifest {
  const format: unknown = typeof raw === 'object' && raw !== null && 'format' in raw ? raw.format : undefined;
  if (!isManifestFormat(format)) return { ok: false, problem: `manifest: format is not ${MANIFEST_FORMATS.join(' or ')}` };
  const parsed = manifestSchema.safeParse(raw);
  if (parsed.success) return { ok: true, manifest: parsed.data };
  const issues = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || '(top)'}: ${issue.message}`);
  return { ok: false, problem: `manifest: ${issues.join('; ')}` };
}

/** The manifest file's text as a typed manifest; `raw` is the JSON as written (for the layout check). */
export function parseManifestText(
  text: string,
): (ParsedManifest & { raw?: undefined }) | { ok: true; manifest: ReadManifest; raw: unknown } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: `manifest is not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  const parsed = parseManifest(raw);
  return parsed.ok ? { ...parsed, raw } : parsed;
}
