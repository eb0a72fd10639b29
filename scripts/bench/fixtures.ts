// Ledger fixtures for the export figures: business days of N attempts each, written through the
// ledger's own row builders (saleRow/voidRow, canonical hash chain, insertRow with the schema's
// triggers) in large transactions, each day closed with Ledger.closeDay (a real Z report).
// Every approval carries a genuine exchange from world.ts (distinct transaction, nonce, counter
// and signature per row; a few thousand licenses shared by many rows, as regular customers do),
// so verify-export checks real signatures. Generated once and cached by size and by the hash of
// the ledger code that defines the row format; the cache lives outside git.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PaymentOrder, SessionResult } from '../../src-main/domain/payment';
import { openDatabase } from '../../src-main/ledger/database';
import { openLedger } from '../../src-main/ledger/ledger';
import type { LedgerRow } from '../../src-main/ledger/row';
import { insertRow, prepareStatements } from '../../src-main/ledger/store';
import { openBusinessDate, readHead, saleRow, voidRow, type ChainHead } from '../../src-main/ledger/writer';
import { addDays, businessDateOf } from '../../src-main/ledger/business-day';
import {
  createWorld,
  CUTOFF_HOUR,
  DAY_MS,
  ExchangeFactory,
  MERCHANT_ID,
  TERMINAL_ID,
  TIME_ZONE,
  WORLD_EPOCH,
  type Tap,
  type World,
} from './world';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = join(HERE, '..', '..');
/** Bump when the generator's output changes. */
const GENERATOR_VERSION = 1;
/** Files whose change alters what a stored row must look like (hash format and schema). */
const FORMAT_SOURCES = ['src-main/ledger/canonical.ts', 'src-main/ledger/row.ts', 'src-main/ledger/migrations'];

export const SETTINGS = { timeZone: TIME_ZONE, cutoffHour: CUTOFF_HOUR };
/** One in DECLINE_EVERY attempts is declined; one in VOID_EVERY approvals is voided later that day. */
const DECLINE_EVERY = 20;
const VOID_EVERY = 200;

export function cacheDir(): string {
  const dir = process.env.BENCH_CACHE_DIR ?? join(tmpdir(), 'nfc-cashier-bench-cache');
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function formatHash(): string {
  const hash = createHash('sha256').update(String(GENERATOR_VERSION));
  const visit = (path: string) => {
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path).sort()) visit(join(path, entry));
    } else {
      hash.update(path).update(readFileSync(path));
    }
  };
  for (const source of FORMAT_SOURCES) visit(join(REPO, source));
  return hash.digest('hex').slice(0, 12);
}

export interface LedgerFixture {
  path: string;
  /** Business date of each generated day, in order. */
  businessDates: string[];
  attemptsPerDay: number[];
  rows: number;
  generatedNow: boolean;
  generationSeconds: number;
}

export interface FixtureSpec {
  name: string;
  attemptsPerDay: number[];
  /** Distinct licenses (phones) across the ledger. */
  phones: number;
  /**
   * 'all': every row carries its own signed exchange. 'last': only the last day does; earlier
   * days reuse a pool of signed exchanges under fresh transaction ids (same bytes and sizes, so
   * the same export work, but not re-verifiable: only the last day is ever verified).
   */
  genuine: 'all' | 'last';
}

/** Business date of generated day `index`: consecutive dates from the world epoch. */
export function fixtureDate(index: number): string {
  return addDays(businessDateOf(WORLD_EPOCH, SETTINGS), index);
}

export function ensureLedgerFixture(spec: FixtureSpec, log: (line: string) => void = () => undefined): LedgerFixture {
  const days = spec.attemptsPerDay.length <= 3 ? spec.attemptsPerDay.join('_') : `${spec.attemptsPerDay.length}x${spec.attemptsPerDay[0]}`;
  const key = `${spec.name}-${days}-p${spec.phones}-${spec.genuine}-${formatHash()}`;
  const path = join(cacheDir(), `${key}.sqlite`);
  const businessDates = spec.attemptsPerDay.map((_, index) => fixtureDate(index));
  const total = (counts: number[]) => counts.reduce((sum, n) => sum + n, 0);
  if (existsSync(path)) {
    return { path, businessDates, attemptsPerDay: spec.attemptsPerDay, rows: rowCount(path), generatedNow: false, generationSeconds: 0 };
  }
  const started = Date.now();
  log(`generating ledger fixture ${key} (${total(spec.attemptsPerDay).toLocaleString('en')} attempts) ...`);
  const partial = `${path}.partial`;
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${partial}${suffix}`, { force: true });
  generate(partial, spec, createWorld(), log);
  renameSync(partial, path);
  const seconds = (Date.now() - started) / 1000;
  log(`generated ${key} in ${seconds.toFixed(0)} s`);
  return { path, businessDates, attemptsPerDay: spec.attemptsPerDay, rows: rowCount(path), generatedNow: true, generationSeconds: seconds };
}

function rowCount(path: string): number {
  const { db } = openDatabase({ path, readOnly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM entries').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

function generate(path: string, spec: FixtureSpec, world: World, log: (line: string) => void): void {
  const factory = new ExchangeFactory(world, {
    phones: spec.phones,
    notBefore: world.now - 30 * DAY_MS,
    notAfter: world.now + 365 * DAY_MS,
  });
  const { db } = openDatabase({ path, create: true, now: world.now });
  // Fixture only: the product commits every row durably; here one fsync per batch is enough.
  db.pragma('synchronous = OFF');
  const statements = prepareStatements(db);
  const BATCH = 5_000;
  const POOL = 5_000;
  const pool: Tap[] = [];
  const lastDay = spec.attemptsPerDay.length - 1;
  const tapFor = (order: PaymentOrder, dayIndex: number, i: number): Tap => {
    if (spec.genuine === 'all' || dayIndex === lastDay) return factory.tap(order);
    if (pool.length < POOL) pool.push(factory.tap(order));
    const template = pool[i % pool.length] as Tap;
    return { ...template, order: { ...template.order, transactionId: order.transactionId } };
  };
  try {
    spec.attemptsPerDay.forEach((attempts, dayIndex) => {
      // 08:00 to 20:00 in Shanghai on the day's date: inside one business day (cut-off 04:00).
      const dayStart = WORLD_EPOCH + dayIndex * DAY_MS;
      const spacing = Math.max(1, Math.floor((12 * 3600_000) / Math.max(1, attempts)));
      const toVoid: LedgerRow[] = [];
      let approvals = 0;
      for (let from = 0; from < attempts; from += BATCH) {
        db.transaction(() => {
          let head: ChainHead = readHead(db);
          const append = (row: LedgerRow) => {
            insertRow(statements, row);
            head = { ...head, seq: row.seq, hash: row.hash, businessDate: row.businessDate };
          };
          const context = (at: number) => ({
            seq: head.seq + 1,
            prevHash: head.hash,
            businessDate: openBusinessDate(head, at, SETTINGS),
            recordedAt: at,
            settings: SETTINGS,
          });
          for (let i = from; i < Math.min(attempts, from + BATCH); i++) {
            const at = dayStart + i * spacing;
            const items =
              i % 4 === 1
                ? [
                    { description: 'Oolong tea 500 ml', quantity: 2, unitPrice: 450 },
                    { description: 'Rice ball', quantity: 1, unitPrice: 600 },
                  ]
                : undefined;
            const amount = items ? 1500 : 100 + ((i * 37) % 9900);
            const tap = tapFor(factory.order(amount, items ? { items } : {}), dayIndex, i);
            const { order } = tap;
            const approved = i % DECLINE_EVERY !== DECLINE_EVERY - 1;
            const result: SessionResult = approved
              ? ExchangeFactory.approved(tap, at - 40, at)
              : {
                  order,
                  decision: {
                    outcome: 'declined',
                    reason: 'offline_limit_exceeded',
                    detail: 'bench: over the offline limit',
                    facts: tap.facts,
                  },
                  exchange: { ...tap.exchange, authorization: tap.exchange.authorization },
                  startedAt: at - 40,
                  finishedAt: at,
                  apduCount: 5,
                };
            const row = saleRow(result, context(at));
            append(row);
            if (approved && ++approvals % VOID_EVERY === 0) toVoid.push(row);
            // Voids come a little later in the day, as a manager corrects a sale.
            if (toVoid.length > 0 && i % 50 === 0) {
              const original = toVoid.shift() as LedgerRow;
              append(
                voidRow(original, factory.order(1).transactionId, { reason: 'customer returned the goods', by: 'manager' }, context(at)),
              );
            }
          }
        })();
      }
      const ledger = openLedger({ path, terminalId: TERMINAL_ID, merchantId: MERCHANT_ID, ...SETTINGS });
      try {
        ledger.closeDay({ by: 'manager', businessDate: fixtureDate(dayIndex), now: dayStart + 13 * 3600_000 });
      } finally {
        ledger.close();
      }
      log(`  day ${fixtureDate(dayIndex)}: ${attempts.toLocaleString('en')} attempts`);
    });
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}
