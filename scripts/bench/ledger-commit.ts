// Figure 4: one durable ledger commit (Ledger.record: chain head, canonical CBOR + SHA-256,
// INSERT with the append-only triggers, COMMIT with synchronous=FULL in WAL) next to a bare
// better-sqlite3 INSERT of the same values, same pragmas, same folder, interleaved in one run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openLedger } from '../../src-main/ledger/ledger';
import { type Figure, verdictOf } from './figures';
import { now, ratio, summarize, ms, x, type Summary } from './stats';
import { createWorld, CUTOFF_HOUR, DAY_MS, ExchangeFactory, MERCHANT_ID, TERMINAL_ID, TIME_ZONE } from './world';

export const GOAL_RATIO = 1.5;

export interface LedgerCommitResult {
  ledger: Summary;
  bare: Summary;
}

const BARE_SCHEMA = `CREATE TABLE entries (
  seq INTEGER PRIMARY KEY, kind TEXT, business_date TEXT, recorded_at INTEGER, local_time TEXT, terminal_id TEXT,
  merchant_id TEXT, transaction_id TEXT, status TEXT, reason TEXT, detail TEXT, amount INTEGER, currency TEXT,
  account_id TEXT, license_serial TEXT, authority_kid TEXT, app_counter INTEGER, started_at INTEGER, finished_at INTEGER,
  apdu_count INTEGER, demo INTEGER, payment_request BLOB, payment_response BLOB, license_cose BLOB, deduction_request BLOB,
  authorization_cose BLOB, payment_authorization BLOB, prev_hash BLOB, hash BLOB)`;

export function measureLedgerCommit(options: { commits: number; warmup: number; dir?: string }): LedgerCommitResult {
  const dir = mkdtempSync(join(options.dir ?? tmpdir(), 'bench-commit-'));
  const world = createWorld(Date.now());
  const factory = new ExchangeFactory(world, { phones: 20, notBefore: world.now - DAY_MS, notAfter: world.now + 365 * DAY_MS });
  const ledger = openLedger({
    path: join(dir, 'ledger.sqlite'),
    create: true,
    terminalId: TERMINAL_ID,
    merchantId: MERCHANT_ID,
    timeZone: TIME_ZONE,
    cutoffHour: CUTOFF_HOUR,
  });
  const bare = new Database(join(dir, 'bare.sqlite'));
  bare.pragma('journal_mode = WAL');
  bare.pragma('synchronous = FULL');
  bare.pragma('foreign_keys = ON');
  bare.exec(BARE_SCHEMA);
  const insert = bare.prepare(
    `INSERT INTO entries VALUES (@seq, 'sale', @businessDate, @recordedAt, @localTime, @terminalId, @merchantId, @transactionId,
      'approved', NULL, NULL, @amount, @currency, @accountId, @licenseSerial, @authorityKid, @appCounter, @startedAt, @finishedAt,
      5, 0, @paymentRequest, @paymentResponse, @license, @deductionRequest, @authorization, @paymentAuthorization, @prevHash, @hash)`,
  );
  const fixedHash = Buffer.alloc(32, 7);
  const ledgerTimes: number[] = [];
  const bareTimes: number[] = [];
  try {
    for (let i = 0; i < options.commits + options.warmup; i++) {
      const tap = factory.tap(factory.order(100 + (i % 500)));
      const at = Date.now();
      const result = ExchangeFactory.approved(tap, at - 5, at);
      const buf = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const values = {
        seq: i + 1,
        businessDate: '2026-06-01',
        recordedAt: at,
        localTime: new Date(at).toISOString(),
        terminalId: TERMINAL_ID,
        merchantId: MERCHANT_ID,
        transactionId: tap.order.transactionId,
        amount: tap.order.amount,
        currency: tap.order.currency,
        accountId: tap.facts.accountId,
        licenseSerial: tap.facts.licenseSerial,
        authorityKid: tap.facts.authorityKid,
        appCounter: tap.facts.appCounter,
        startedAt: at - 5,
        finishedAt: at,
        paymentRequest: buf(tap.exchange.paymentRequest),
        paymentResponse: buf(tap.exchange.paymentResponse),
        license: buf(tap.exchange.license),
        deductionRequest: buf(tap.exchange.deductionRequest),
        authorization: buf(tap.exchange.authorization),
        paymentAuthorization: buf(tap.exchange.paymentAuthorization),
        prevHash: fixedHash,
        hash: fixedHash,
      };
      // Alternate which goes first, so neither always follows the other's fsync.
      const runLedger = () => {
        const t0 = now();
        ledger.record(result);
        return now() - t0;
      };
      const runBare = () => {
        const t0 = now();
        insert.run(values);
        return now() - t0;
      };
      let a: number;
      let b: number;
      if (i % 2 === 0) {
        a = runLedger();
        b = runBare();
      } else {
        b = runBare();
        a = runLedger();
      }
      if (i >= options.warmup) {
        ledgerTimes.push(a);
        bareTimes.push(b);
      }
    }
  } finally {
    ledger.close();
    bare.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return { ledger: summarize(ledgerTimes), bare: summarize(bareTimes) };
}

export function ledgerCommitFigure(result: LedgerCommitResult): Figure {
  const { ledger, bare } = result;
  const r50 = ratio(ledger.p50, bare.p50);
  const r99 = ratio(ledger.p99, bare.p99);
  return {
    id: '4',
    title: 'Ledger commit (durable, hash chain)',
    value: `p50 ${ms(ledger.p50, 3)}, p99 ${ms(ledger.p99, 3)} (n=${ledger.n})`,
    baseline: `bare INSERT p50 ${ms(bare.p50, 3)}, p99 ${ms(bare.p99, 3)}`,
    ratio: r50,
    goal: `ratio <= ${GOAL_RATIO}`,
    verdict: verdictOf(r50 <= GOAL_RATIO && r99 <= GOAL_RATIO),
    notes: [`ratio p50 ${x(r50)}, p99 ${x(r99)}; both WAL + synchronous=FULL, one COMMIT (fsync) per row`],
    data: {
      commits: ledger.n,
      p50Ms: ledger.p50,
      p99Ms: ledger.p99,
      bareP50Ms: bare.p50,
      bareP99Ms: bare.p99,
      ratioP50: r50,
      ratioP99: r99,
    },
  };
}
