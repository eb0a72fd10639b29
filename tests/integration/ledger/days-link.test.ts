// Consecutive business days: each export's first row links to the previous export's last row,
// so settlement notices a day (or the rows of one) that was never handed over.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportBusinessDay, type ExportResult } from '../../../src-main/export/export-day';
import { loadOrCreateTerminalKey } from '../../../src-main/export/terminal-key';
import { parseTrustFile } from '../../../src-main/export/trust-file';
import { verifyExport } from '../../../src-main/export/verify-export';
import { openTestLedger, T0, tempDir } from '../../unit/ledger/fixtures';
import { demoWorld, FastPhone, MERCHANT, order, TERMINAL } from './exchanges';

const DAY = 86_400_000;

describe('export chain across business days', () => {
  const { dir, cleanup } = tempDir('ledger-days-');
  const env = demoWorld(T0);
  const authorities = parseTrustFile(env.trustEntries);
  const exports: ExportResult[] = [];

  beforeAll(async () => {
    let now = T0;
    const ledger = openTestLedger(dir, { clock: () => now, terminalId: TERMINAL, merchantId: MERCHANT });
    const phone = new FastPhone(env, 'approve');
    for (let day = 0; day < 3; day++) {
      now = T0 + day * DAY;
      // The second day also has a sale with line items and a demo sale, so its export holds every kind of object.
      const extra = (i: number) =>
        day !== 1 ? {} : i === 0 ? { items: [{ description: 'Tea', quantity: 2, unitPrice: 50 }] } : i === 1 ? { demo: true } : {};
      for (let i = 0; i < 5; i++) ledger.record(phone.pay(order(100 + i, extra(i)), (now += 1000)));
      ledger.closeDay({ by: 'manager' });
    }
    ledger.close();
    const key = loadOrCreateTerminalKey(dir);
    for (const date of ['2026-11-23', '2026-11-24', '2026-11-25']) {
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

  it('each day verifies on its own and against the day before', async () => {
    for (const [i, day] of exports.entries()) {
      const previous = i > 0 ? exports[i - 1]?.manifestPath : undefined;
      const result = await verifyExport(day.manifestPath, { authorities, ...(previous ? { previousManifestPath: previous } : {}) });
      expect(result.problems).toEqual([]);
      expect(result.rows).toBe(6); // five sales and the close
    }
  });

  it('a day left out between two exports is reported', async () => {
    const result = await verifyExport(exports[2]?.manifestPath as string, { authorities, previousManifestPath: exports[0]?.manifestPath });
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      expect.stringMatching(/^first row 13 does not follow the previous export's last row 6 of 2026-11-23: rows in between are missing/),
      'this manifest names 2026-11-24 as the previous business day, the manifest given is of 2026-11-23: a day in between is missing',
    ]);
    expect(result.issues.map((p) => p.code)).toEqual(['previous_day', 'previous_day']);
  });

  it('a "previous" day that is not earlier is reported', async () => {
    const result = await verifyExport(exports[0]?.manifestPath as string, { authorities, previousManifestPath: exports[1]?.manifestPath });
    expect(result.problems.join('\n')).toMatch(/day 2026-11-24 is not before 2026-11-23/);
    expect(new Set(result.issues.map((p) => p.code))).toEqual(new Set(['previous_day']));
  });

  it('lays out the manifest and the JSONL records member by member as docs/ledger.md states', () => {
    const documented = documentedMemberOrder(readFileSync(new URL('../../../docs/ledger.md', import.meta.url), 'utf8'));
    const seen = new Set<string>();
    const walk = (value: unknown, path: string, childPrefix: string): void => {
      if (Array.isArray(value)) {
        for (const element of value) walk(element, `${path}[]`, `${path}[].`);
        return;
      }
      if (value === null || typeof value !== 'object') return;
      seen.add(path);
      expect(Object.keys(value), path).toEqual(documented.get(path));
      for (const [name, member] of Object.entries(value)) walk(member, `${childPrefix}${name}`, `${childPrefix}${name}.`);
    };
    const day = exports[1] as ExportResult;
    walk(JSON.parse(readFileSync(day.manifestPath, 'utf8')), 'manifest', '');
    const jsonl = day.files.find((f) => f.endsWith('.jsonl')) as string;
    for (const line of readFileSync(jsonl, 'utf8').trimEnd().split('\n')) walk(JSON.parse(line), 'JSONL record', 'JSONL ');
    expect([...seen].sort()).toEqual([...documented.keys()].sort());
  });
});

/** The "Member order" table of docs/ledger.md: object path -> member names in file order. */
function documentedMemberOrder(markdown: string): Map<string, string[]> {
  const start = markdown.indexOf('#### Member order');
  const table = markdown.slice(start, markdown.indexOf('\n#', start + 1));
  const order = new Map<string, string[]>();
  for (const [, objects = '', members = ''] of table.matchAll(/^\| ([^|]+) \| (`[^|]+) \|$/gm)) {
    const names = [...members.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '');
    for (const object of objects.split(', ')) order.set(object.replace(/`/g, ''), names);
  }
  return order;
}
