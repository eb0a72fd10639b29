// Refunds of an earlier business day's sale, on PostgreSQL and on PGlite: the day holding them is
// ingested, judged against the sale as the service holds it by verify-export's own refund rules;
// an over-refund, a refund of a voided sale, of a sale not held or in another currency than its
// sale are refused whole.
// Statements count each refund on the day it was made, the account statement lists it against
// its sale, and the offline limit counts it across terminals and days.
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateTerminalKey } from '../../../src-main/export/terminal-key';
import type { LedgerRow } from '../../../src-main/ledger/row';
import type { Database } from '../../../src-settlement/db/port';
import { listFindings } from '../../../src-settlement/detect/list-findings';
import { SettlementError } from '../../../src-settlement/errors';
import { ingestDay } from '../../../src-settlement/ingest/ingest-day';
import { accountStatement } from '../../../src-settlement/statements/account';
import { merchantDayStatement } from '../../../src-settlement/statements/merchant-day';
import { addAuthorityKey } from '../../../src-settlement/store/authorities';
import { enrolTerminal } from '../../../src-settlement/store/terminals';
import { ENGINE_FACTORIES, tableCounts, type TestEngine } from './engines';
import { buildRefundWorld, LIMIT_SERIAL, REFUND_ACCOUNT, REFUND_MERCHANT, type RefundDay, type RefundWorld } from './refund-days';
import { reSignEditedRows } from '../../support/re-signed-export';

let dir: string;
let world: RefundWorld;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'settlement-refund-days-'));
  world = await buildRefundWorld(dir);
}, 180_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function enrolled(engine: TestEngine): Promise<Database> {
  const db = await engine.fresh();
  for (const entry of world.trustEntries) await addAuthorityKey(db, entry);
  for (const terminal of world.terminals) await enrolTerminal(db, terminal);
  return db;
}

/**
 * A copy of `day` with rows edited by `edit`, re-chained and its manifest re-signed by the
 * terminal's own key: only what the rows say about their sales is wrong.
 */
function forgeDay(day: RefundDay, name: string, edit: (row: LedgerRow) => LedgerRow): RefundDay {
  const folder = join(dir, 'forged', name);
  cpSync(day.folder, folder, { recursive: true });
  const manifestPath = join(folder, readdirSync(folder).find((n) => n.endsWith('.manifest.json')) ?? '');
  reSignEditedRows(manifestPath, loadOrCreateTerminalKey(join(dir, 'terminals', day.terminalId)), edit);
  return { ...day, folder };
}

const ingest = (db: Database, day: RefundDay | undefined) => ingestDay(db, { folder: day?.folder ?? '' }, { workers: 0 });

/** The refusal of `day`: VERIFICATION_FAILED with refund problems, and nothing of the day stored. */
async function refusedRefund(db: Database, day: RefundDay): Promise<string[]> {
  const before = await tableCounts(db);
  const error = await ingest(db, day).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SettlementError);
  const refused = error as SettlementError;
  expect(refused.code).toBe('VERIFICATION_FAILED');
  expect(await tableCounts(db)).toEqual(before);
  return refused.problems.filter((p) => p.code === 'refund').map((p) => p.detail);
}

describe.each(['postgres', 'pglite'] as const)('refunds across business days on %s', (name) => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await ENGINE_FACTORIES[name]();
  }, 120_000);
  afterAll(async () => engine?.closeAll());

  it('stores partial refunds of a day-1 sale on days 2 and 3; refuses an over-refund and a refund of a voided sale whole', async () => {
    const db = await enrolled(engine);
    const [day1, day2, day3] = world.days;
    // Day 2 before day 1: its refund names a sale the service does not hold.
    expect(await refusedRefund(db, day2 as RefundDay)).toEqual([
      expect.stringMatching(new RegExp(`refunds ${world.sale}, which is a sale of neither this export nor an earlier day held$`)),
    ]);
    expect((await ingest(db, day1)).status).toBe('stored');
    expect((await ingest(db, day2)).status).toBe('stored');
    // The ledger put back to day 1 refunds 8,000 of the sale on day 3: 3,000 of it went on day 2.
    expect(await refusedRefund(db, world.overRefund)).toEqual([
      expect.stringMatching(new RegExp(`refunds 8000 of ${world.sale}, which has 7000 left to refund$`)),
    ]);
    const stored = await ingest(db, day3);
    expect(stored.status).toBe('stored');
    expect(await refusedRefund(db, world.refundOfVoided)).toEqual([
      expect.stringMatching(new RegExp(`refunds ${world.voidedSale}, which was voided$`)),
    ]);
    const refunds = await db.query<{ business_date: string; amount: number; original_transaction_id: string }>(
      `SELECT business_date, amount, original_transaction_id FROM entries WHERE kind = 'refund' ORDER BY business_date`,
    );
    expect(refunds).toEqual([
      { business_date: '2026-11-24', amount: 3000, original_transaction_id: world.sale },
      { business_date: '2026-11-25', amount: 4000, original_transaction_id: world.sale },
    ]);
    // Again: already held, whatever the day refunds.
    expect((await ingest(db, day3)).status).toBe('already_held');
  }, 180_000);

  it('refuses a refund in another currency than its held sale, even re-chained and re-signed by the terminal key', async () => {
    const db = await enrolled(engine);
    expect((await ingest(db, world.days[0])).status).toBe('stored');
    const forged = forgeDay(world.days[1] as RefundDay, `forged-currency-${name}`, (row) =>
      row.kind === 'refund' ? { ...row, currency: 'EUR' } : row,
    );
    expect(await refusedRefund(db, forged)).toEqual([expect.stringMatching(/: currency EUR is not the sale's CNY$/)]);
  }, 180_000);

  it("counts each refund on the day it was made, equal to the terminals' Z reports, and bills it to the account", async () => {
    const db = await enrolled(engine);
    for (const day of world.days) expect((await ingest(db, day)).status).toBe('stored');
    for (const day of world.days) {
      const statement = await merchantDayStatement(db, REFUND_MERCHANT, day.businessDate);
      const [line] = statement.terminals;
      const [z] = day.zReport.totals;
      expect(statement.terminals).toHaveLength(1);
      expect(day.zReport.totals).toHaveLength(1);
      expect(line).toMatchObject({
        terminalId: 'T-R1',
        zNumber: day.zReport.zNumber,
        currency: z?.currency,
        approvedCount: z?.approvedCount,
        approvedTotal: z?.approvedTotal,
        voidCount: z?.voidCount,
        voidTotal: z?.voidTotal,
        refundCount: z?.refundCount,
        refundTotal: z?.refundTotal,
        netTotal: z?.netTotal,
      });
    }
    expect(world.days.map((d) => d.zReport.totals[0]?.refundTotal)).toEqual([0, 3000, 4000]);

    const account = await accountStatement(db, REFUND_ACCOUNT, Date.UTC(2026, 10, 1), Date.UTC(2026, 11, 1));
    expect(account.lines.map((l) => [l.kind, l.businessDate, l.merchantId, l.amount, l.originalTransactionId, l.voided])).toEqual([
      ['approval', '2026-11-23', REFUND_MERCHANT, 10_000, null, false],
      ['approval', '2026-11-23', REFUND_MERCHANT, 2_000, null, true],
      ['refund', '2026-11-24', REFUND_MERCHANT, 3_000, world.sale, false],
      ['refund', '2026-11-25', REFUND_MERCHANT, 4_000, world.sale, false],
    ]);
    expect(account.totals).toEqual([
      { currency: 'CNY', approvedCount: 1, approvedTotal: 10_000, refundCount: 2, refundTotal: 7_000, netTotal: 3_000 },
    ]);
    // A period holding only the day-3 refund bills it alone: money back, against its day-1 sale.
    const day3 = await accountStatement(db, REFUND_ACCOUNT, Date.UTC(2026, 10, 25), Date.UTC(2026, 10, 26));
    expect(day3.lines.map((l) => [l.kind, l.amount, l.originalTransactionId])).toEqual([['refund', 4_000, world.sale]]);
    expect(day3.totals).toEqual([
      { currency: 'CNY', approvedCount: 0, approvedTotal: 0, refundCount: 1, refundTotal: 4_000, netTotal: -4_000 },
    ]);
  }, 180_000);

  it('the offline limit counts a refund of an earlier day at another terminal', async () => {
    const db = await enrolled(engine);
    const [l1day1, l1day2, l2day3, l2day4] = world.limitDays;
    for (const day of [l1day1, l1day2, l2day3]) expect((await ingest(db, day)).status).toBe('stored');
    // 90,000 - 30,000 + 30,000 = 90,000: within the 100,000 limit (120,000 without the refund).
    expect(await listFindings(db, { kind: 'offline_limit_exceeded' })).toEqual([]);
    const last = await ingest(db, l2day4);
    expect(last.status).toBe('stored');
    const findings = await listFindings(db, { kind: 'offline_limit_exceeded' });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ licenseSerial: LIMIT_SERIAL, dayId: last.dayId, rows: [{ dayId: last.dayId }] });
    expect(findings[0]?.summary).toMatch(/spent 1,?100\.00 CNY across terminals, over its offline limit of 1,?000\.00/);
  }, 180_000);
});
