// Refunds across business days, exported and verified: each refund is checked against its sale,
// found in the same export or an earlier one given with --previous, never past the sale's amount;
// a tapped refund's license is re-verified; a refund row edited (even re-chained and re-signed by
// the terminal key) is caught.
import { randomBytes } from 'node:crypto';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowHash } from '../../../src-main/ledger/canonical';
import { exportBusinessDay, type ExportResult } from '../../../src-main/export/export-day';
import { manifestFileText, signManifest, type Manifest } from '../../../src-main/export/manifest';
import { jsonRecord, parseJsonRecord } from '../../../src-main/export/records';
import { loadOrCreateTerminalKey, type TerminalKey } from '../../../src-main/export/terminal-key';
import { parseTrustFile } from '../../../src-main/export/trust-file';
import { verifyExport } from '../../../src-main/export/verify-export';
import { runRefundTap } from '../../../src-main/session/refund-tap';
import { nobleVerifier } from '../../../src-main/protocol/signature';
import { CLOCK_SKEW_MS } from '../../../src-main/verification/license';
import { walletChannel } from '../../../src-main/wallet/wallet-channel';
import { reSignEditedRows } from '../../support/re-signed-export';
import { openTestLedger, T0, tempDir } from '../../unit/ledger/fixtures';
import { demoWorld, FastPhone, MERCHANT, order, TERMINAL } from './exchanges';

const DAY = 86_400_000;
const DATES = ['2026-11-23', '2026-11-24', '2026-11-25'];

describe('refunds in the export, checked by verify-export', () => {
  const { dir, cleanup } = tempDir('ledger-refunds-');
  const env = demoWorld(T0);
  const authorities = parseTrustFile(env.trustEntries);
  const exports: ExportResult[] = [];
  let key: TerminalKey;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    let now = T0;
    const ledger = openTestLedger(dir, { clock: () => now, terminalId: TERMINAL, merchantId: MERCHANT });
    const phone = new FastPhone(env, 'approve');
    const sell = (name: string, amount: number) => {
      const o = order(amount);
      ids[name] = o.transactionId;
      ledger.record(phone.pay(o, (now += 1000)));
    };
    // Day 1: three sales.
    sell('A', 1000);
    sell('B', 500);
    sell('C', 300);
    ledger.closeDay({ by: 'manager' });
    // Day 2: part of A with the customer's tap, all of B; a new sale D refunded in part the same day.
    now = T0 + DAY;
    const tapId = randomBytes(16).toString('hex');
    const channel = walletChannel(env.walletFor('approve'));
    channel.tap();
    const tap = await runRefundTap({
      channel,
      order: { transactionId: tapId, amount: 400, currency: 'CNY', merchantId: MERCHANT, terminalId: TERMINAL },
      verification: {
        clock: () => now,
        clockSkewMs: CLOCK_SKEW_MS,
        verifier: nobleVerifier,
        trustStore: env.trustStore,
        revocations: env.revocations,
        history: ledger,
      },
    });
    if (!tap.ok) throw new Error(tap.detail);
    ledger.refund(ids.A as string, {
      amount: 400,
      by: 'manager',
      reason: 'one item back',
      transactionId: tapId,
      tap: tap.tap,
      now: (now += 1000),
    });
    ledger.refund(ids.B as string, { amount: 500, by: 'cashier', now: (now += 1000) });
    sell('D', 200);
    ledger.refund(ids.D as string, { amount: 50, by: 'manager', now: (now += 1000) });
    ledger.closeDay({ by: 'manager' });
    // Day 3: the rest of A.
    now = T0 + 2 * DAY;
    ledger.refund(ids.A as string, { amount: 600, by: 'manager', now: (now += 1000) });
    ledger.closeDay({ by: 'manager' });
    ledger.close();
    key = loadOrCreateTerminalKey(dir);
    for (const date of DATES) {
      exports.push(
        await exportBusinessDay({
          ledgerPath: join(dir, 'ledger.sqlite'),
          businessDate: date,
          outDir: join(dir, 'out'),
          terminalKey: key,
          terminalId: TERMINAL,
          merchantId: MERCHANT,
          timeZone: 'Asia/Shanghai',
        }),
      );
    }
  });
  afterAll(cleanup);

  const manifestOf = (i: number): Manifest => JSON.parse(readFileSync(exports[i]?.manifestPath as string, 'utf8')) as Manifest;
  const path = (i: number): string => exports[i]?.manifestPath as string;

  it('carries refund rows and their totals in the manifest, CSV and JSONL', () => {
    const day2 = manifestOf(1);
    expect(day2.counts).toMatchObject({ sales: 1, approved: 1, refunded: 3, rows: 5 });
    expect(day2.totals).toEqual([
      expect.objectContaining({ currency: 'CNY', approvedTotal: 200, refundCount: 3, refundTotal: 950, netTotal: -750 }),
    ]);
    const csv = readFileSync(exports[1]?.files[0] as string, 'utf8');
    expect(csv).toContain(`,refund,refunded,,`);
    // A refund line: the sale it refunds, then (voided_by, refunded_by) empty, the amount, (refunded) empty.
    expect(csv).toContain(`,${ids.A},,,4.00,,CNY,`);
    // A sale refunded the same day says what was refunded of it, and by which refund.
    const refundOfD = day2.refunds.find(([sale]) => sale === ids.D)?.[1];
    expect(refundOfD).toMatch(/^[0-9a-f]{32}$/);
    expect(csv).toContain(`,sale,approved,,${ids.D},,,${refundOfD},2.00,0.50,CNY,`);
    expect(day2.refunds.map(([sale, , amount]) => [sale, amount])).toEqual([
      [ids.A, 400],
      [ids.B, 500],
      [ids.D, 50],
    ]);
    // Day 1's sales were refunded on later days: their lines are as exported at day 1's close.
    const day1 = readFileSync(exports[0]?.files[0] as string, 'utf8');
    expect(day1).toContain(`,sale,approved,,${ids.A},,,,10.00,,CNY,`);
    const rows = readFileSync(exports[1]?.files[2] as string, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => parseJsonRecord(line));
    const tapped = rows.find((r) => r.kind === 'refund' && r.originalTransactionId === ids.A);
    expect(tapped).toMatchObject({
      status: 'refunded',
      amount: 400,
      operator: 'manager',
      note: 'one item back',
      accountId: 'demo-account-0001',
    });
    expect(tapped?.license).not.toBeNull();
    expect(rows.find((r) => r.originalTransactionId === ids.B)).toMatchObject({ operator: 'cashier', license: null });
  });

  it('verifies each day with the earlier days given; refunds of their sales check out', async () => {
    expect((await verifyExport(path(0), { authorities })).problems).toEqual([]);
    const day2 = await verifyExport(path(1), { authorities, previousManifestPath: path(0) });
    expect(day2.problems).toEqual([]);
    expect(day2.transactions).toBe(4);
    const day3 = await verifyExport(path(2), { authorities, previousManifestPath: [path(1), path(0)] });
    expect(day3.problems).toEqual([]);
  });

  it('a refund whose sale is in no export given is reported, one problem each', async () => {
    const alone = await verifyExport(path(1), { authorities });
    expect(alone.issues.map((i) => i.code)).toEqual(['refund', 'refund']);
    expect(alone.problems.join('\n')).toContain(
      `refunds ${ids.A}, which is a sale of neither this export nor an earlier one given with --previous`,
    );
    // Day 3 with only day 2: the chain links, but A's sale is on day 1.
    const day3 = await verifyExport(path(2), { authorities, previousManifestPath: path(1) });
    expect(day3.issues.map((i) => i.code)).toEqual(['refund']);
  });

  it('the same export given as its own previous day does not double the refunds: it is reported as not earlier', async () => {
    const result = await verifyExport(path(1), { authorities, previousManifestPath: [path(0), path(1)] });
    expect(new Set(result.issues.map((i) => i.code))).toContain('previous_day');
  });

  function copyDay(i: number, name: string): { manifest: string; jsonl: string } {
    const target = join(dir, name);
    cpSync(exports[i]?.folder as string, target, { recursive: true });
    const base = (p: string) => p.slice((exports[i]?.folder as string).length + 1);
    return { manifest: join(target, base(path(i))), jsonl: join(target, base(exports[i]?.files[2] as string)) };
  }

  it('a manifest whose refund list says another amount than the rows is refused, even re-signed', async () => {
    const copy = copyDay(1, 'refund-list');
    const manifest = JSON.parse(readFileSync(copy.manifest, 'utf8')) as Manifest;
    const { signature: _drop, ...body } = manifest;
    body.refunds = body.refunds.map(([sale, refund, amount]) => [sale, refund, sale === ids.D ? amount + 100 : amount]);
    writeFileSync(copy.manifest, manifestFileText(signManifest(body, key)));
    const result = await verifyExport(copy.manifest, { authorities, previousManifestPath: path(0), expectTerminalKeyId: key.keyId });
    expect(result.problems).toEqual([
      expect.stringMatching(/refund is not the manifest's refund number 3$/),
      `${TERMINAL}-${DATES[1]}.csv: does not say what the JSONL records say (re-created CSV differs)`,
    ]);
  });

  it('a refund row edited in the JSONL breaks its hash', async () => {
    const copy = copyDay(1, 'edited');
    const text = readFileSync(copy.jsonl, 'utf8').replace('"amount":500', '"amount":5');
    writeFileSync(copy.jsonl, text);
    const result = await verifyExport(copy.manifest, { authorities, previousManifestPath: path(0) });
    expect(result.ok).toBe(false);
    expect(result.issues.map((i) => i.code)).toEqual(expect.arrayContaining(['chain', 'file_changed', 'totals']));
  });

  it('a refund raised past its sale, re-chained and re-signed with the terminal key, is still refused', async () => {
    const copy = copyDay(2, 'forged');
    reSignEditedRows(copy.manifest, key, (row) => (row.kind === 'refund' ? { ...row, amount: 900 } : row));
    const result = await verifyExport(copy.manifest, {
      authorities,
      previousManifestPath: [path(0), path(1)],
      expectTerminalKeyId: key.keyId,
    });
    expect(result.ok).toBe(false);
    expect(result.problems.join('\n')).toMatch(new RegExp(`refunds 900 of ${ids.A}, which has 600 left to refund`));
    expect(result.issues.map((i) => i.code)).toContain('refund');
  });

  it('a tapped refund whose license is of another account is refused', async () => {
    const copy = copyDay(1, 'other-account');
    const lines = readFileSync(copy.jsonl, 'utf8').trimEnd().split('\n');
    const at = lines.findIndex((line) => parseJsonRecord(line).license !== null && parseJsonRecord(line).kind === 'refund');
    const row = parseJsonRecord(lines[at] as string);
    const edited = { ...row, accountId: 'someone-else' };
    lines[at] = JSON.stringify(jsonRecord({ ...edited, hash: rowHash(edited) }));
    writeFileSync(copy.jsonl, `${lines.join('\n')}\n`);
    const result = await verifyExport(copy.manifest, { authorities, previousManifestPath: path(0) });
    const text = result.problems.join('\n');
    expect(text).toMatch(/tap license is of account demo-account-0001, the refund credits someone-else/);
    expect(text).toMatch(/accountId someone-else is not the sale's demo-account-0001/);
  });
});
