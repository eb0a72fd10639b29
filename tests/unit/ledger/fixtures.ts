// Builders for ledger tests: real SQLite files in fresh temporary folders, and session results.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SessionResult } from '../../../src-main/domain/payment';
import type { ReasonCode } from '../../../src-main/domain/reasons';
import { isLedgerError } from '../../../src-main/ledger/errors';
import { Ledger, type LedgerOptions } from '../../../src-main/ledger/ledger';

export const T0 = Date.UTC(2026, 10, 23, 4, 0, 0); // 2026-11-23 12:00 in Asia/Shanghai

export function tempDir(prefix = 'ledger-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function openTestLedger(dir: string, overrides: Partial<LedgerOptions> = {}): Ledger {
  return new Ledger({
    path: join(dir, 'ledger.sqlite'),
    create: true,
    terminalId: 'T-0001',
    merchantId: 'M-42',
    timeZone: 'Asia/Shanghai',
    cutoffHour: 4,
    clock: () => T0,
    ...overrides,
  });
}

/** Opens the ledger a terminal left in `dataDir` read-only (as the CLI's read commands do), reads, closes. */
export function readLedgerIn<T>(dataDir: string, read: (ledger: Ledger) => T): T {
  const ledger = new Ledger({
    path: join(dataDir, 'ledger.sqlite'),
    readOnly: true,
    terminalId: 't',
    merchantId: 'm',
    timeZone: 'UTC',
    cutoffHour: 0,
  });
  try {
    return read(ledger);
  } finally {
    ledger.close();
  }
}

export function txId(n: number): string {
  return n.toString(16).padStart(32, '0');
}

export interface ResultSpec {
  n: number;
  amount?: number;
  currency?: string;
  declined?: ReasonCode;
  licenseSerial?: string;
  /** The license's authority (default 'acme'); null records a row as before authority ids. */
  authorityId?: string | null;
  counter?: number;
  demo?: boolean;
  items?: { description: string; quantity: number; unitPrice: number }[];
}

/** Opens the test ledger in `dir`, records sales `from` to `to` (makeResult's n) and closes it. */
export function recordSales(dir: string, from: number, to: number): void {
  const ledger = openTestLedger(dir);
  for (let n = from; n <= to; n++) ledger.record(makeResult({ n }));
  ledger.close();
}

/** The coded LedgerError that `open` throws; a ledger that opens fails the test. */
export function openFailure(open: () => Ledger): { code: string; message: string } {
  try {
    open().close();
  } catch (error) {
    if (isLedgerError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('the ledger opened');
}

export function makeResult(spec: ResultSpec): SessionResult {
  const facts = {
    accountId: `acct-${1000 + (spec.n % 50)}`,
    licenseSerial: spec.licenseSerial ?? 'LIC-1',
    authorityKid: 'authority-1',
    ...(spec.authorityId === null ? {} : { authorityId: spec.authorityId ?? 'acme' }),
    appCounter: spec.counter ?? spec.n,
  };
  return {
    order: {
      transactionId: txId(spec.n),
      amount: spec.amount ?? 1234,
      currency: spec.currency ?? 'CNY',
      merchantId: 'M-42',
      terminalId: 'T-0001',
      ...(spec.items ? { items: spec.items } : {}),
      ...(spec.demo ? { demo: true } : {}),
    },
    decision: spec.declined
      ? { outcome: 'declined', reason: spec.declined, detail: `declined: ${spec.declined}`, facts }
      : { outcome: 'approved', facts },
    exchange: {
      paymentRequest: Uint8Array.of(1, 2, 3),
      paymentResponse: Uint8Array.of(4, 5, 6, spec.n & 0xff),
      license: Uint8Array.of(0xd2, 0x84, 7),
      deductionRequest: Uint8Array.of(8, 9),
      authorization: Uint8Array.of(0xd2, 0x84, 10, spec.n & 0xff),
    },
    startedAt: T0 - 300,
    finishedAt: T0 - 20,
    apduCount: 6,
  };
}
