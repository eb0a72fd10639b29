// The settlement service end to end, the same suite on PostgreSQL and on PGlite: the demo world's
// days ingested, every finding kind found, re-ingest changes nothing, refusals change nothing,
// statements equal the terminals' Z reports, and a counter_reuse evidence file checks out with the
// example script written from docs/protocol.md alone.
import { execFile } from 'node:child_process';
import { appendFileSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportBusinessDay } from '../../../src-main/export/export-day';
import { loadOrCreateTerminalKey } from '../../../src-main/export/terminal-key';
import { DEMO_TIME_ZONE } from '../../../src-settlement/demo/demo-terminal';
import { DEMO_EPOCH } from '../../../src-settlement/demo/demo-world';
import { SettlementError } from '../../../src-settlement/errors';
import { AuthorityIds } from '../../../src-settlement/identity';
import { MAX_MANIFEST_BYTES, readExportFolder } from '../../../src-settlement/ingest/export-folder';
import { listAuthorities } from '../../../src-settlement/store/authorities';
import { storeDay } from '../../../src-settlement/store/store-day';
import { FINDING_KINDS } from '../../../src-settlement/detect/finding';
import { findingEvidence, listFindings } from '../../../src-settlement/detect/list-findings';
import { ingestDay } from '../../../src-settlement/ingest/ingest-day';
import { draftRevocationLists } from '../../../src-settlement/revocations/draft';
import { importRevocationList, latestRevocationLists } from '../../../src-settlement/revocations/import-list';
import { accountStatement } from '../../../src-settlement/statements/account';
import { merchantDayStatement } from '../../../src-settlement/statements/merchant-day';
import { enrolTerminal, retireTerminal } from '../../../src-settlement/store/terminals';
import { ENGINE_FACTORIES, tableCounts, type TestEngine } from './engines';
import { buildWorld, enrolWorld, ingestWorld, type BuiltWorld } from './world';

const run = promisify(execFile);
const CHECKER = join(import.meta.dirname, '..', '..', '..', 'docs', 'examples', 'check-counter-reuse.mjs');

let built: BuiltWorld;
beforeAll(async () => {
  built = await buildWorld();
}, 180_000);
afterAll(() => built?.remove());

async function refused(promise: Promise<unknown>): Promise<SettlementError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SettlementError);
  return error as SettlementError;
}

describe.each(['postgres', 'pglite'] as const)('settlement on %s', (name) => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await ENGINE_FACTORIES[name]();
  }, 120_000);
  afterAll(async () => engine?.closeAll());

  it('stores every day once, finds every finding kind, and a repeated upload changes nothing', async () => {
    const db = await engine.fresh();
    await enrolWorld(db, built.world);
    const results = await ingestWorld(db, built.world);
    expect(results.map((r) => r.status)).toEqual(built.world.days.map(() => 'stored'));
    const imported = await importRevocationList(db, built.world.revocationFile);
    expect(imported.status).toBe('stored');
    expect(imported.findings.map((f) => f.kind)).toEqual(['revoked_license_approved']);
    const findings = await listFindings(db);
    expect(new Set(findings.map((f) => f.kind))).toEqual(new Set(FINDING_KINDS));
    expect(findings.filter((f) => f.kind === 'counter_reuse')).toHaveLength(2);
    expect(findings.find((f) => f.kind === 'ledger_gap')?.summary).toMatch(/2026-11-25 starts at row/);

    const before = await tableCounts(db);
    for (const day of built.world.days) {
      const again = await ingestDay(db, { folder: day.folder }, { workers: 0 });
      expect(again.status).toBe('already_held');
    }
    expect((await importRevocationList(db, built.world.revocationFile)).status).toBe('already_held');
    expect(await tableCounts(db)).toEqual(before);
    expect(before.entries).toBe(
      built.world.days.reduce((sum, day) => sum + JSON.parse(readFileSync(manifestOf(day.folder), 'utf8')).counts.rows, 0),
    );

    const [draft] = await draftRevocationLists(db);
    expect(draft?.added.map((a) => a.serial)).toEqual(['demo-approve']);
    expect(draft?.licenseSerials).toEqual(['demo-approve', 'demo-revoked-0001']);
    expect(draft?.sequence).toBe(2);
    expect((await latestRevocationLists(db)).map((l) => l.file)).toEqual([built.world.revocationFile]);
  }, 180_000);

  it("statements equal the terminals' Z reports; the account statement lists each approval", async () => {
    const db = await engine.fresh();
    await enrolWorld(db, built.world);
    await ingestWorld(db, built.world);
    for (const day of built.world.days) {
      const statement = await merchantDayStatement(db, day.merchantId, day.businessDate);
      const lines = statement.terminals.filter((t) => t.terminalId === day.terminalId && t.zNumber === day.zReport.zNumber);
      expect(lines.length).toBe(1);
      const line = lines[0];
      const z = day.zReport.totals;
      expect(z.length).toBeGreaterThan(0);
      for (const total of z) {
        expect(line?.currency).toBe(total.currency);
        expect([
          line?.approvedCount,
          line?.approvedTotal,
          line?.voidCount,
          line?.voidTotal,
          line?.refundCount,
          line?.refundTotal,
          line?.netTotal,
          line?.declinedCount,
        ]).toEqual([
          total.approvedCount,
          total.approvedTotal,
          total.voidCount,
          total.voidTotal,
          total.refundCount,
          total.refundTotal,
          total.netTotal,
          total.declinedCount,
        ]);
      }
      const sum = statement.totals.find((t) => t.currency === 'CNY');
      const zSum = built.world.days
        .filter((d) => d.merchantId === day.merchantId && d.businessDate === day.businessDate)
        .reduce((s, d) => s + (d.zReport.totals.find((t) => t.currency === 'CNY')?.netTotal ?? 0), 0);
      expect(sum?.netTotal).toBe(zSum);
    }
    // The demo's refunds (T-B of a sale of the same day 2; T-A on day 3 of a sale of day 1) are
    // on both sides, so the comparison above covers refunds, across days too.
    const refunds = built.world.days.flatMap((d) =>
      d.zReport.totals.filter((t) => t.refundCount > 0).map((t) => [d.terminalId, d.businessDate, t.refundTotal]),
    );
    expect(refunds).toEqual([
      ['T-B', '2026-11-24', 500],
      ['T-A', '2026-11-25', 1000],
    ]);
    // ... and the license's spend, which the offline limit is checked on, is net of it.
    const spend = await db.query<{ approved: number; refunded: number }>(
      `SELECT sum(approved) AS approved, sum(refunded) AS refunded FROM license_day_spend WHERE serial = 'demo-regular-0001'`,
    );
    expect(spend[0]?.refunded).toBe(1500);
    const account = await accountStatement(db, 'demo-account-0002', Date.UTC(2026, 10, 1), Date.UTC(2026, 11, 1));
    // The regular phone paid 9 times at three terminals; one was voided; two sales were refunded in part.
    const approvals = account.lines.filter((l) => l.kind === 'approval');
    expect(approvals).toHaveLength(9);
    expect(approvals.filter((l) => l.voided)).toHaveLength(1);
    const refundLines = account.lines.filter((l) => l.kind === 'refund');
    expect(refundLines.map((l) => [l.businessDate, l.merchantId, l.amount])).toEqual([
      ['2026-11-24', 'M-100', 500],
      ['2026-11-25', 'M-100', 1000],
    ]);
    const dayOne = approvals.find((l) => l.transactionId === refundLines[1]?.originalTransactionId);
    expect([dayOne?.businessDate, dayOne?.terminalId, dayOne?.amount]).toEqual(['2026-11-23', 'T-A', 2350]);
    const approved = approvals.filter((l) => !l.voided).reduce((s, l) => s + l.amount, 0);
    expect(account.totals).toEqual([
      { currency: 'CNY', approvedCount: 8, approvedTotal: approved, refundCount: 2, refundTotal: 1500, netTotal: approved - 1500 },
    ]);
  }, 180_000);

  it('a counter_reuse evidence file checks out with the script written from docs/protocol.md', async () => {
    const db = await engine.fresh();
    await enrolWorld(db, built.world);
    await ingestWorld(db, built.world);
    const [finding] = await listFindings(db, { kind: 'counter_reuse' });
    const evidence = await findingEvidence(db, finding?.id ?? -1);
    const file = join(built.dir, `evidence-${name}.json`);
    writeFileSync(file, JSON.stringify(evidence, null, 2));
    const { stdout } = await run(process.execPath, [CHECKER, file]);
    expect(stdout).toMatch(/^OK: license demo-main\/demo-approve signed counter 1 twice/);
    // The same evidence with one approval swapped for another of the license does not prove it.
    const approvals = evidence.approvals as { record: { authorization: string } }[];
    const other = await findingEvidence(db, (await listFindings(db, { kind: 'counter_reuse' }))[1]?.id ?? -1);
    (approvals[1] as { record: { authorization: string } }).record.authorization =
      (other.approvals as { record: { authorization: string } }[])[1]?.record.authorization ?? '';
    writeFileSync(file, JSON.stringify(evidence));
    const failed = await run(process.execPath, [CHECKER, file]).then(
      () => null,
      (e: { code: number; stdout: string }) => e,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stdout).toMatch(/NOT PROVEN: the counters differ/);
  }, 180_000);

  it('refuses unknown, retired and foreign-merchant keys, failed verification and bad folders, changing nothing', async () => {
    const db = await engine.fresh();
    const first = built.world.days[0];
    const folder = first?.folder ?? '';
    expect((await refused(ingestDay(db, { folder }, { workers: 0 }))).code).toBe('UNKNOWN_TERMINAL_KEY');
    const terminal = built.world.terminals.find((t) => t.terminalId === first?.terminalId);
    await enrolTerminal(db, { ...terminal, merchantId: 'M-OTHER' });
    expect((await refused(ingestDay(db, { folder }, { workers: 0 }))).code).toBe('MERCHANT_MISMATCH');

    const other = await engine.fresh();
    await enrolWorld(other, built.world);
    const empty = await tableCounts(other);
    // One changed digit of an amount in the JSONL: the hash of the file and of the row break.
    const tampered = built.copyOf(0);
    const jsonl = join(tampered, readdirSync(tampered).find((n) => n.endsWith('.jsonl')) ?? '');
    writeFileSync(jsonl, readFileSync(jsonl, 'utf8').replace('"amount":2350', '"amount":2359'));
    const failed = await refused(ingestDay(other, { folder: tampered }, { workers: 0 }));
    expect(failed.code).toBe('VERIFICATION_FAILED');
    expect(failed.problems.map((p) => p.code)).toContain('file_changed');
    // A truncated upload: the JSONL cut in the middle of a line.
    const truncated = built.copyOf(0);
    const cut = join(truncated, readdirSync(truncated).find((n) => n.endsWith('.jsonl')) ?? '');
    writeFileSync(cut, readFileSync(cut).subarray(0, 500));
    expect((await refused(ingestDay(other, { folder: truncated }, { workers: 0 }))).code).toBe('VERIFICATION_FAILED');
    // Malformed manifest JSON, and a folder with no manifest.
    const malformed = built.copyOf(0);
    appendFileSync(manifestOf(malformed), '{');
    expect((await refused(ingestDay(other, { folder: malformed }, { workers: 0 }))).code).toBe('BAD_EXPORT');
    expect((await refused(ingestDay(other, { folder: join(built.dir, 'terminals') }, { workers: 0 }))).code).toBe('BAD_EXPORT');
    expect(await tableCounts(other)).toEqual(empty);

    await retireTerminal(other, terminal?.keyId ?? '', 'terminal replaced');
    expect((await refused(ingestDay(other, { folder }, { workers: 0 }))).code).toBe('RETIRED_TERMINAL_KEY');
    expect(await tableCounts(other)).toEqual(empty);

    // An 8 MiB manifest is refused from its size, before it is read.
    const oversized = built.copyOf(0);
    appendFileSync(manifestOf(oversized), ' '.repeat(MAX_MANIFEST_BYTES));
    const tooLarge = await refused(ingestDay(other, { folder: oversized }, { workers: 0 }));
    expect([tooLarge.code, tooLarge.message]).toEqual(['BAD_EXPORT', expect.stringMatching(/manifest is \d+ bytes, more than 8388608$/)]);
    expect(await tableCounts(other)).toEqual(empty);

    const noAuthorities = await engine.fresh();
    for (const t of built.world.terminals) await enrolTerminal(noAuthorities, t);
    expect((await refused(ingestDay(noAuthorities, { folder }, { workers: 0 }))).code).toBe('NO_AUTHORITY_KEYS');
  }, 180_000);
});

describe.each(['postgres', 'pglite'] as const)('settlement refusals of a held day on %s', (name) => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await ENGINE_FACTORIES[name]();
  }, 120_000);
  afterAll(async () => engine?.closeAll());

  it('a second export of a held day is DAY_CONFLICT, changing nothing', async () => {
    const db = await engine.fresh();
    await enrolWorld(db, built.world);
    const day = built.world.days[0];
    expect((await ingestDay(db, { folder: day?.folder ?? '' }, { workers: 0 })).status).toBe('stored');
    // T-A exports its first day again an hour later: the same rows, another signed manifest.
    const terminalDir = join(built.dir, 'terminals', day?.terminalId ?? '');
    const again = join(built.dir, 'exports', `again-${name}`);
    await exportBusinessDay({
      ledgerPath: join(terminalDir, 'ledger.sqlite'),
      businessDate: day?.businessDate ?? '',
      outDir: again,
      terminalKey: loadOrCreateTerminalKey(terminalDir),
      terminalId: day?.terminalId ?? '',
      merchantId: day?.merchantId ?? '',
      timeZone: DEMO_TIME_ZONE,
      now: DEMO_EPOCH + 3_600_000 * 30,
    });
    expect(readFileSync(manifestOf(again), 'utf8')).not.toBe(readFileSync(manifestOf(day?.folder ?? ''), 'utf8'));
    const before = await tableCounts(db);
    const conflict = await refused(ingestDay(db, { folder: again }, { workers: 0 }));
    expect([conflict.code, conflict.message]).toEqual([
      'DAY_CONFLICT',
      expect.stringContaining(`for ${day?.businessDate} is already held`),
    ]);
    expect(await tableCounts(db)).toEqual(before);
  }, 180_000);

  it('a JSONL that changes after it was verified is CHANGED_DURING_INGEST, and its transaction stores nothing', async () => {
    const db = await engine.fresh();
    await enrolWorld(db, built.world);
    const empty = await tableCounts(db);
    const folder = built.copyOf(0);
    const read = await readExportFolder(folder);
    // The file as verify-export read it is gone: one byte of a row differs when the store reads it.
    writeFileSync(read.jsonlPath, readFileSync(read.jsonlPath, 'utf8').replace('"amount":2350', '"amount":2359'));
    const authorities = await listAuthorities(db);
    const changed = await refused(
      db.transaction((tx) => storeDay(tx, read, read.manifest.terminalKey.keyId, new AuthorityIds(authorities))),
    );
    expect(changed.code).toBe('CHANGED_DURING_INGEST');
    expect(await tableCounts(db)).toEqual(empty);
  }, 180_000);
});

function manifestOf(folder: string): string {
  return join(folder, readdirSync(folder).find((n) => n.endsWith('.manifest.json')) ?? '');
}
