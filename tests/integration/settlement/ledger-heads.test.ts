// What a manifest says about its ledger beyond its own rows, on both engines: the ledger's head
// when it was exported (a rollback whose rewritten day is the only one uploaded is a ledger_fork)
// and the business day before it (a day missing between two held ones is named in the ledger_gap).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportTrustEntry } from '../../../src-main/authority/authority';
import type { TrustEntryJson } from '../../../src-main/verification/trust-store';
import { createDemoEnvironment } from '../../../src-main/wallet/demo';
import { DEMO_EPOCH } from '../../../src-settlement/demo/demo-world';
import { DemoTerminal } from '../../../src-settlement/demo/demo-terminal';
import { findingEvidence, listFindings } from '../../../src-settlement/detect/list-findings';
import { ingestDay } from '../../../src-settlement/ingest/ingest-day';
import { addAuthorityKey } from '../../../src-settlement/store/authorities';
import { enrolTerminal } from '../../../src-settlement/store/terminals';
import { ENGINE_FACTORIES, type TestEngine } from './engines';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const DATES = ['2026-11-23', '2026-11-24', '2026-11-25'];
const at = (day: number, hour: number) => DEMO_EPOCH + day * DAY + hour * HOUR;

interface Terminals {
  trustEntries: TrustEntryJson[];
  enrolments: { keyId: string; terminalId: string; merchantId: string }[];
  /** T-R: day 1 exported after day 2 was recorded, then rolled back and day 2 recorded anew. */
  rolledBack: { day1: string; day2: string };
  /** T-G: three days exported. */
  gap: string[];
}

let dir: string;
let terminals: Terminals;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'settlement-heads-'));
  const env = createDemoEnvironment({ now: DEMO_EPOCH, seed: 'settlement-heads', offlineLimit: 100_000 });
  const terminal = (id: string) => {
    mkdirSync(join(dir, id), { recursive: true });
    return new DemoTerminal({ dir: join(dir, id), terminalId: id, merchantId: 'M-100', trustStore: env.trustStore });
  };
  const phone = env.walletFor('approve');

  const r = terminal('T-R');
  await r.pay(phone, 1_000, at(0, 1));
  r.close(DATES[0] as string, at(0, 12));
  r.backup(join(dir, 'T-R-backup.sqlite'));
  await r.pay(phone, 2_000, at(1, 1));
  // Exported now, day 1's manifest names day 2's sale as the ledger's head.
  const day1 = await r.exportDay(DATES[0] as string, join(dir, 'exports', 'T-R-1'));
  r.restore(join(dir, 'T-R-backup.sqlite'));
  await r.pay(phone, 3_000, at(1, 2));
  r.close(DATES[1] as string, at(1, 12));
  const day2 = await r.exportDay(DATES[1] as string, join(dir, 'exports', 'T-R-2'));

  const g = terminal('T-G');
  const gap: string[] = [];
  for (const [index, date] of DATES.entries()) {
    await g.pay(phone, 500 + index, at(index, 3));
    g.close(date, at(index, 12));
    gap.push(await g.exportDay(date, join(dir, 'exports', `T-G-${index + 1}`)));
  }
  terminals = {
    trustEntries: [exportTrustEntry(env.authority), ...env.trustEntries.filter((e) => e.kid !== env.authority.kid)],
    enrolments: [r, g].map((t) => ({ keyId: t.key.keyId, terminalId: t.terminalId, merchantId: t.merchantId })),
    rolledBack: { day1, day2 },
    gap,
  };
  for (const t of [r, g]) t.shutdown();
}, 120_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.each(['postgres', 'pglite'] as const)('ledger heads and previous days on %s', (name) => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await ENGINE_FACTORIES[name]();
  }, 120_000);
  afterAll(async () => engine?.closeAll());

  async function enrolled() {
    const db = await engine.fresh();
    for (const entry of terminals.trustEntries) await addAuthorityKey(db, entry);
    for (const enrolment of terminals.enrolments) await enrolTerminal(db, enrolment);
    return db;
  }

  it('a rewritten day that contradicts the head an earlier export named is a ledger_fork', async () => {
    const db = await enrolled();
    const first = await ingestDay(db, { folder: terminals.rolledBack.day1 }, { workers: 0 });
    expect(first.status === 'stored' && first.findings).toEqual([]);
    const second = await ingestDay(db, { folder: terminals.rolledBack.day2 }, { workers: 0 });
    expect(second.status === 'stored' && second.findings.map((f) => f.kind)).toEqual(['ledger_fork']);
    const [fork] = await listFindings(db, { kind: 'ledger_fork' });
    expect(fork?.summary).toMatch(/the head row \d+ an earlier export \(day \d+\) named is another row in day \d+/);
    const evidence = await findingEvidence(db, fork?.id ?? -1);
    expect(evidence.headConflict).toBe('held_head');
    const heads = evidence.heads as { ledgerHead: { seq: number; hash: string } }[];
    const hashes = evidence.hashes as string[];
    // The head day 1's signed manifest names, and the other row day 2 holds at that sequence.
    expect(hashes[0]).toBe(heads[0]?.ledgerHead.hash);
    expect(hashes[1]).not.toBe(hashes[0]);
    expect(evidence.seq).toBe(heads[0]?.ledgerHead.seq);
  }, 120_000);

  it('a day missing between two held ones is named by the later manifest in the ledger_gap', async () => {
    const db = await enrolled();
    const [day1, day2, day3] = terminals.gap;
    await ingestDay(db, { folder: day1 ?? '' }, { workers: 0 });
    const third = await ingestDay(db, { folder: day3 ?? '' }, { workers: 0 });
    expect(third.status === 'stored' && third.findings.map((f) => f.kind)).toEqual(['ledger_gap']);
    const [gap] = await listFindings(db, { kind: 'ledger_gap' });
    expect(gap?.summary).toContain(`its manifest names ${DATES[1]} as the business day before it, not ${DATES[0]}`);
    const evidence = await findingEvidence(db, gap?.id ?? -1);
    expect(evidence.found).toMatchObject({ previousBusinessDay: DATES[1] });
    expect(evidence.expected).toMatchObject({ previousBusinessDay: DATES[0] });
    // The missing day arrives: it links on both sides, and nothing new is found.
    const second = await ingestDay(db, { folder: day2 ?? '' }, { workers: 0 });
    expect(second.status === 'stored' && second.findings).toEqual([]);
  }, 120_000);
});
