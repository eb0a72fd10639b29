// A large, genuinely signed business day for the settlement tests and bench: the bench's ledger
// fixture (scripts/bench/fixtures.ts: every approval a real exchange, cached outside git),
// exported with a terminal key as the terminal would, plus what the service must hold to take it
// (the terminal's enrolment and the authority's trust entries).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { exportBusinessDay } from '../../src-main/export/export-day';
import { loadOrCreateTerminalKey } from '../../src-main/export/terminal-key';
import type { TrustEntryJson } from '../../src-main/verification/trust-store';
import { ensureLedgerFixture, fixtureDate } from '../../scripts/bench/fixtures';
import { createWorld, MERCHANT_ID, TERMINAL_ID, TIME_ZONE } from '../../scripts/bench/world';

export interface ExportedDay {
  folder: string;
  rows: number;
  enrolment: { keyId: string; terminalId: string; merchantId: string };
  trustEntries: TrustEntryJson[];
  ledgerPath: string;
}

/** Exports day `dayIndex` of a fixture of `attemptsPerDay` into `dir/export-<index>`. */
export async function exportFixtureDay(
  dir: string,
  spec: { name: string; attemptsPerDay: number[]; phones: number; genuine: 'all' | 'last' },
  dayIndex: number,
  log?: (line: string) => void,
): Promise<ExportedDay> {
  const fixture = ensureLedgerFixture(spec, log);
  const keyDir = join(dir, 'terminal-key');
  mkdirSync(keyDir, { recursive: true });
  const terminalKey = loadOrCreateTerminalKey(keyDir);
  const folder = join(dir, `export-${spec.name}-${dayIndex}`);
  const result = await exportBusinessDay({
    ledgerPath: fixture.path,
    businessDate: fixtureDate(dayIndex),
    outDir: folder,
    terminalKey,
    terminalId: TERMINAL_ID,
    merchantId: MERCHANT_ID,
    timeZone: TIME_ZONE,
  });
  return {
    folder,
    rows: result.rows,
    enrolment: { keyId: terminalKey.keyId, terminalId: TERMINAL_ID, merchantId: MERCHANT_ID },
    trustEntries: createWorld().env.trustEntries,
    ledgerPath: fixture.path,
  };
}
