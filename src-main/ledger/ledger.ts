// The terminal's ledger: one SQLite file, opened once by the app. Records attempts durably
// (the pipeline's AttemptRecorder), voids, closes days, answers the manager's questions.
import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { AttemptRecorder, Clock, LicenseIdentity, RandomSource, RecordedAttempt, SessionResult } from '../domain/payment';
import { checkBusinessDaySettings, isBusinessDate, localClock, localIsoTime, type BusinessDaySettings } from './business-day';
import type { ChainCheck } from './chain';
import { verifyChain } from './chain';
import { openDatabase } from './database';
import { LedgerError, toLedgerError } from './errors';
import {
  adoptLedger,
  anchorLedger,
  checkHeadFile,
  headFilePath,
  headOf,
  HeadFileWriter,
  ledgerHead,
  listAdoptions,
  type Adoption,
  type AdoptionRecord,
  type LedgerHead,
} from './head-file';
import { checkIntegrity, type IntegrityReport } from './integrity';
import { prepared } from './prepared';
import {
  businessDays,
  getRowByTransactionId,
  getLastSale,
  isRefunded,
  isVoided,
  lastCounter,
  refundableRemainder,
  refundsOf,
  listAttempts,
  spentOffline,
  type AttemptPage,
  type AttemptQuery,
  type BusinessDaySummary,
  type SaleRefund,
} from './queries';
import { computeDayReport, type DayReport } from './reports';
import type { LedgerRow } from './row';
import { insertRow, prepareStatements, type Statements } from './store';
import {
  closeRow,
  openBusinessDate,
  readHead,
  refundRow,
  saleRow,
  voidRow,
  type ChainHead,
  type RefundFacts,
  type RowContext,
} from './writer';

export interface LedgerIdentity {
  terminalId: string;
  merchantId: string;
}

export interface LedgerOptions extends LedgerIdentity, BusinessDaySettings {
  /** The SQLite file, normally `<dataDir>/ledger.sqlite`. */
  path: string;
  /** Start a new ledger when the file does not exist. Without it a missing file is LEDGER_NOT_FOUND. */
  create?: boolean;
  /** Open for reading only (reports, export); writes fail with LEDGER_READ_ONLY. */
  readOnly?: boolean;
  /** Refuse a file whose ledger id differs (LEDGER_MISMATCH). */
  expectLedgerId?: string;
  /**
   * Refuse a ledger with rows whose chain-head file is missing (LEDGER_HEAD_MISSING). The app sets
   * it once the head file has been written for this ledger; without it a missing head file is
   * written from the ledger's head at open (the first open after an upgrade).
   */
  requireHeadFile?: boolean;
  /**
   * Take this file as the terminal's ledger whatever its head file says, and record that in it
   * (the PIN-protected recovery after restoring a backup; src-main/app/recovery.ts).
   */
  adopt?: Adoption;
  /** Called when the head file could not be rewritten after a commit (the row itself is committed). */
  onHeadFileError?: (error: unknown) => void;
  busyTimeoutMs?: number; // default 5000
  clock?: Clock; // default Date.now
  random?: RandomSource; // default node:crypto randomBytes (void transaction ids)
}

export interface VoidOptions {
  reason: string;
  by: string;
  now?: number;
}

export interface VoidRecord extends RecordedAttempt {
  transactionId: string; // the void's own transaction id
  originalTransactionId: string;
}

export interface RefundOptions {
  /** Integer minor units, at most what the sale's earlier refunds left. */
  amount: number;
  /** When given, it must be the sale's currency (REFUND_CURRENCY). */
  currency?: string;
  reason?: string | null;
  /** Who authorised it (kept in the row's operator). */
  by: string;
  /** The refund's own id (32 lowercase hex), for a till that retries: a refund already recorded under it is returned. */
  transactionId?: string;
  tap?: RefundFacts['tap'];
  now?: number;
}

export interface RefundRecord extends RecordedAttempt {
  transactionId: string; // the refund's own transaction id
  originalTransactionId: string;
  amount: number;
  currency: string;
  /** What is left to refund of the sale after this refund. */
  remainder: number;
}

/** A sale as the refund screen sees it: the row, its refunds so far and what is left. */
export interface RefundableSale {
  sale: LedgerRow;
  refunds: SaleRefund[];
  remainder: number;
  voided: boolean;
}

const REFUND_ID = /^[0-9a-f]{32}$/;

export interface CloseDayOptions {
  by: string;
  /** Day to close; default the open business day. Must not be closed and no later day may have rows. */
  businessDate?: string;
  now?: number;
}

export class Ledger implements AttemptRecorder {
  readonly path: string;
  private fault: LedgerError | undefined;
  readonly ledgerId: string;
  readonly createdAt: number;
  /** True when this open created the file's ledger. */
  readonly created: boolean;
  /** `<path>.head`: the chain head after every commit (head-file.ts). */
  readonly headFile: string;
  private readonly db: Database.Database;
  private readonly statements: Statements | undefined;
  private readonly clock: Clock;
  private readonly random: RandomSource;
  private settings: BusinessDaySettings;
  private identity: LedgerIdentity;
  private closed = false;
  private readonly onHeadFileError: ((error: unknown) => void) | undefined;
  private readonly headWriter: HeadFileWriter;
  /**
   * The chain head after this connection's last committed write, or null when unknown. Used only
   * inside a write transaction (which holds SQLite's write lock) and only while the ledger's last
   * seq is still the cached one: any row appended by another connection changes it (rows are
   * append-only and gap-free, enforced by triggers), and the head is then read again.
   */
  private cachedHead: ChainHead | null = null;
  /** The head the current write transaction's row makes; becomes cachedHead after COMMIT. */
  private pendingHead: ChainHead | null = null;

  constructor(options: LedgerOptions) {
    this.settings = { timeZone: options.timeZone, cutoffHour: options.cutoffHour };
    try {
      checkBusinessDaySettings(this.settings);
    } catch (error) {
      throw new LedgerError('LEDGER_INVALID_SETTINGS', (error as Error).message);
    }
    this.identity = { terminalId: options.terminalId, merchantId: options.merchantId };
    this.clock = options.clock ?? Date.now;
    this.random = options.random ?? ((length) => randomBytes(length));
    const opened = openDatabase({
      path: options.path,
      create: options.create,
      readOnly: options.readOnly,
      busyTimeoutMs: options.busyTimeoutMs,
      expectLedgerId: options.expectLedgerId,
      ...(options.readOnly || options.adopt
        ? {}
        : { beforeWrite: (db, ledgerId) => anchorLedger(db, options.path, ledgerId, options.requireHeadFile === true) }),
      now: this.clock(),
    });
    this.path = options.path;
    this.db = opened.db;
    this.ledgerId = opened.ledgerId;
    this.createdAt = opened.createdAt;
    this.created = opened.created;
    this.headFile = headFilePath(options.path);
    this.headWriter = new HeadFileWriter(this.headFile);
    this.onHeadFileError = options.onHeadFileError;
    const adoption = options.adopt;
    if (adoption && !options.readOnly) {
      try {
        this.db.transaction(() => adoptLedger(this.db, options.path, this.ledgerId, adoption)).immediate();
      } catch (error) {
        this.db.close();
        throw toLedgerError(error, `adopt ledger ${options.path}`);
      }
    }
    this.statements = options.readOnly ? undefined : prepareStatements(this.db);
  }

  /** The last row's sequence number and hash (seq 0 and the genesis hash when empty). */
  head(): LedgerHead {
    return this.read('read chain head', () => ledgerHead(this.db));
  }

  /** Every deliberate adoption of this file as the terminal's ledger, oldest first. */
  adoptions(): AdoptionRecord[] {
    return this.read('list adoptions', () => listAdoptions(this.db));
  }

  /** The chain-head file compared with the ledger: null when it is absent or the ledger holds its row. */
  headFileProblem(): string | null {
    return this.read('check chain-head file', () => checkHeadFile(this.db, this.path, this.ledgerId)?.message ?? null);
  }

  get businessDaySettings(): BusinessDaySettings {
    return { ...this.settings };
  }

  setBusinessDay(settings: BusinessDaySettings): void {
    try {
      checkBusinessDaySettings(settings);
    } catch (error) {
      throw new LedgerError('LEDGER_INVALID_SETTINGS', (error as Error).message);
    }
    this.settings = { timeZone: settings.timeZone, cutoffHour: settings.cutoffHour };
  }

  setIdentity(identity: LedgerIdentity): void {
    this.identity = { terminalId: identity.terminalId, merchantId: identity.merchantId };
  }

  /**
   * Durably records one attempt and returns where it went, only after COMMIT. A transaction id
   * already recorded returns its first row. Throws LedgerError when the row cannot be committed.
   */
  record(result: SessionResult): RecordedAttempt {
    return this.write('record attempt', (head, now) => {
      const transactionId = result?.order?.transactionId;
      const existing = prepared(
        this.db,
        'SELECT seq, business_date AS businessDate, recorded_at AS recordedAt FROM entries WHERE transaction_id = ?',
      ).get(typeof transactionId === 'string' ? transactionId : null) as RecordedAttempt | undefined;
      if (existing) return { ...existing };
      const row = saleRow(result, this.context(head, now));
      this.append(head, row);
      return { seq: row.seq, businessDate: row.businessDate, recordedAt: row.recordedAt };
    });
  }

  recordedOutcome(transactionId: string): 'approved' | 'declined' | undefined {
    const row = this.getAttempt(transactionId);
    return row?.kind === 'sale' && (row.status === 'approved' || row.status === 'declined') ? row.status : undefined;
  }

  lastCounter(license: LicenseIdentity): number | undefined {
    return this.read('look up counter', () => lastCounter(this.db, license));
  }

  spentOffline(license: LicenseIdentity, currency: string): number {
    return this.read('look up offline spend', () => spentOffline(this.db, license, currency));
  }

  /** Voids an approved sale of the open business day, once, by appending a void row. */
  void(originalTransactionId: string, options: VoidOptions): VoidRecord {
    if (typeof options?.reason !== 'string' || options.reason.trim() === '') {
      throw new LedgerError('LEDGER_INVALID_RECORD', 'a void needs a reason');
    }
    if (typeof options.by !== 'string' || options.by.trim() === '')
      throw new LedgerError('LEDGER_INVALID_RECORD', 'a void needs an operator');
    return this.write(
      'void sale',
      (head, now) => {
        const original = getRowByTransactionId(this.db, originalTransactionId);
        if (!original || original.kind !== 'sale') throw new LedgerError('VOID_NOT_FOUND', `no sale ${originalTransactionId}`);
        if (original.status !== 'approved')
          throw new LedgerError('VOID_NOT_APPROVED', `sale ${originalTransactionId} was ${original.status}`);
        if (isVoided(this.db, originalTransactionId))
          throw new LedgerError('VOID_ALREADY_VOIDED', `sale ${originalTransactionId} is already voided`);
        if (isRefunded(this.db, originalTransactionId)) {
          throw new LedgerError('VOID_REFUNDED', `sale ${originalTransactionId} has refunds; refund the rest instead of voiding it`);
        }
        const ctx = this.context(head, now);
        if (original.businessDate !== ctx.businessDate) {
          throw new LedgerError(
            'VOID_OTHER_DAY',
            `sale ${originalTransactionId} belongs to business day ${original.businessDate}, the open day is ${ctx.businessDate}`,
          );
        }
        const transactionId = Buffer.from(this.random(16)).toString('hex');
        const row = voidRow(original, transactionId, { reason: options.reason, by: options.by }, ctx);
        this.append(head, row);
        return { seq: row.seq, businessDate: row.businessDate, recordedAt: row.recordedAt, transactionId, originalTransactionId };
      },
      options.now,
    );
  }

  /**
   * Refunds an approved sale of any business day, fully or in part, by appending a refund row in
   * the open business day. Refusals (LedgerError): REFUND_NOT_FOUND, REFUND_NOT_A_SALE,
   * REFUND_NOT_APPROVED, REFUND_VOIDED, REFUND_CURRENCY, REFUND_INVALID_AMOUNT, REFUND_OVER_REMAINDER.
   */
  refund(originalTransactionId: string, options: RefundOptions): RefundRecord {
    if (typeof options?.by !== 'string' || options.by.trim() === '')
      throw new LedgerError('LEDGER_INVALID_RECORD', 'a refund needs who authorised it');
    if (!Number.isSafeInteger(options.amount) || options.amount <= 0) {
      throw new LedgerError(
        'REFUND_INVALID_AMOUNT',
        `a refund amount is a positive whole number of minor units, not ${String(options.amount)}`,
      );
    }
    if (options.transactionId !== undefined && !REFUND_ID.test(options.transactionId)) {
      throw new LedgerError('LEDGER_INVALID_RECORD', 'a refund id is 32 lowercase hex characters');
    }
    return this.write(
      'refund sale',
      (head, now) => {
        if (options.transactionId !== undefined) {
          const earlier = getRowByTransactionId(this.db, options.transactionId);
          if (earlier) return this.repeatedRefund(earlier, originalTransactionId, options);
        }
        const original = this.refundableSale(originalTransactionId);
        const currency = original.currency as string;
        if (options.currency !== undefined && options.currency !== currency) {
          throw new LedgerError(
            'REFUND_CURRENCY',
            `sale ${originalTransactionId} was in ${currency}, the refund is asked in ${options.currency}`,
          );
        }
        const remainder = refundableRemainder(this.db, original);
        if (options.amount > remainder) {
          throw new LedgerError(
            'REFUND_OVER_REMAINDER',
            `sale ${originalTransactionId} has ${remainder} (minor units of ${currency}) left to refund, ${options.amount} asked`,
          );
        }
        const transactionId = options.transactionId ?? Buffer.from(this.random(16)).toString('hex');
        const row = refundRow(
          original,
          transactionId,
          { amount: options.amount, reason: options.reason ?? null, by: options.by, tap: options.tap },
          this.context(head, now),
        );
        this.append(head, row);
        return {
          seq: row.seq,
          businessDate: row.businessDate,
          recordedAt: row.recordedAt,
          transactionId,
          originalTransactionId,
          amount: options.amount,
          currency,
          remainder: remainder - options.amount,
        };
      },
      options.now,
    );
  }

  /** The sale behind a transaction id with its refunds and remainder; refusals as `refund` gives them. */
  refundable(transactionId: string): RefundableSale {
    return this.read('look up sale for refund', () => {
      const sale = getRowByTransactionId(this.db, transactionId);
      if (!sale) throw new LedgerError('REFUND_NOT_FOUND', `no sale ${transactionId}`);
      if (sale.kind !== 'sale') throw new LedgerError('REFUND_NOT_A_SALE', `${transactionId} is a ${sale.kind}, not a sale`);
      return {
        sale,
        refunds: refundsOf(this.db, transactionId),
        remainder: sale.status === 'approved' ? refundableRemainder(this.db, sale) : 0,
        voided: isVoided(this.db, transactionId),
      };
    });
  }

  /** An approved, not voided sale, or the refusal that says why it cannot be refunded. */
  private refundableSale(transactionId: string): LedgerRow {
    const original = getRowByTransactionId(this.db, transactionId);
    if (!original) throw new LedgerError('REFUND_NOT_FOUND', `no sale ${transactionId}`);
    if (original.kind !== 'sale') throw new LedgerError('REFUND_NOT_A_SALE', `${transactionId} is a ${original.kind}, not a sale`);
    if (original.status !== 'approved') throw new LedgerError('REFUND_NOT_APPROVED', `sale ${transactionId} was ${original.status}`);
    if (isVoided(this.db, transactionId)) throw new LedgerError('REFUND_VOIDED', `sale ${transactionId} was voided`);
    return original;
  }

  /** A refund id already in the ledger: the same refund again is answered with it, anything else refused. */
  private repeatedRefund(earlier: LedgerRow, originalTransactionId: string, options: RefundOptions): RefundRecord {
    if (earlier.kind !== 'refund' || earlier.originalTransactionId !== originalTransactionId || earlier.amount !== options.amount) {
      throw new LedgerError(
        'LEDGER_INVALID_RECORD',
        `transaction id ${String(earlier.transactionId)} is already recorded for something else`,
      );
    }
    const sale = getRowByTransactionId(this.db, originalTransactionId) as LedgerRow;
    return {
      seq: earlier.seq,
      businessDate: earlier.businessDate,
      recordedAt: earlier.recordedAt,
      transactionId: earlier.transactionId as string,
      originalTransactionId,
      amount: earlier.amount,
      currency: earlier.currency as string,
      remainder: refundableRemainder(this.db, sale),
    };
  }

  /** The business date a payment made at `now` would be recorded in (after clock and close rules). */
  currentBusinessDate(now?: number): string {
    return this.read('read business date', () => openBusinessDate(readHead(this.db), this.now(now), this.settings));
  }

  listAttempts(query: AttemptQuery): AttemptPage {
    if (!isBusinessDate(query.businessDate)) throw new LedgerError('LEDGER_INVALID_RECORD', `not a business date: ${query.businessDate}`);
    return this.read('list attempts', () => listAttempts(this.db, query));
  }

  /** The full row (raw bytes and items included) of a sale, void or refund. */
  getAttempt(transactionId: string): LedgerRow | undefined {
    return this.read('read attempt', () => getRowByTransactionId(this.db, transactionId));
  }

  /** The newest sale attempt (what the checkout shows as "Last payment" after a restart). */
  lastSale(): LedgerRow | undefined {
    return this.read('read the last sale', () => getLastSale(this.db));
  }

  businessDays(): BusinessDaySummary[] {
    return this.read('list business days', () => businessDays(this.db));
  }

  /** X report: the business day so far (default: the open day). Changes nothing. */
  xReport(businessDate?: string, now?: number): DayReport {
    return this.read('compute X report', () => {
      const at = this.now(now);
      const date = businessDate ?? openBusinessDate(readHead(this.db), at, this.settings);
      if (!isBusinessDate(date)) throw new LedgerError('LEDGER_INVALID_RECORD', `not a business date: ${date}`);
      const closedAs = prepared(this.db, "SELECT z_number AS zNumber FROM entries WHERE kind = 'close' AND business_date = ?").get(date) as
        { zNumber: number } | undefined;
      return computeDayReport(this.db, {
        type: 'X',
        businessDate: date,
        ...this.identity,
        zNumber: closedAs?.zNumber ?? null,
        generatedAt: at,
        generatedLocalTime: localIsoTime(at, this.settings.timeZone),
        operator: null,
      });
    });
  }

  /** Closes a business day: records the close row carrying its Z report and returns the report. */
  closeDay(options: CloseDayOptions): DayReport {
    if (typeof options?.by !== 'string' || options.by.trim() === '')
      throw new LedgerError('LEDGER_INVALID_RECORD', 'closing needs an operator');
    return this.write(
      'close business day',
      (head, now) => {
        const open = openBusinessDate(head, now, this.settings);
        const date = options.businessDate ?? open;
        if (!isBusinessDate(date)) throw new LedgerError('LEDGER_INVALID_RECORD', `not a business date: ${date}`);
        if (head.lastClosedDate !== null && date <= head.lastClosedDate) {
          throw new LedgerError('DAY_NOT_CLOSABLE', `business day ${date} is not after the last closed day ${head.lastClosedDate}`);
        }
        if (head.businessDate !== null && date < head.businessDate) {
          throw new LedgerError('DAY_NOT_CLOSABLE', `business day ${head.businessDate} already has rows; ${date} can no longer be closed`);
        }
        if (date > open) throw new LedgerError('DAY_NOT_CLOSABLE', `business day ${date} has not started (open day ${open})`);
        const zNumber = head.lastZNumber + 1;
        const report = computeDayReport(this.db, {
          type: 'Z',
          businessDate: date,
          ...this.identity,
          zNumber,
          generatedAt: now,
          generatedLocalTime: localIsoTime(now, this.settings.timeZone),
          operator: options.by,
        });
        const ctx: RowContext = { ...this.context(head, now), businessDate: date };
        this.append(head, closeRow(this.identity, zNumber, JSON.stringify(report), options.by, ctx));
        return report;
      },
      options.now,
    );
  }

  /** The Z report stored when `businessDate` was closed, or undefined if it is not closed. */
  zReport(businessDate: string): DayReport | undefined {
    return this.read('read Z report', () => {
      const row = prepared(this.db, "SELECT report FROM entries WHERE kind = 'close' AND business_date = ?").get(businessDate) as
        { report: string } | undefined;
      return row ? (JSON.parse(row.report) as DayReport) : undefined;
    });
  }

  verifyChain(): ChainCheck {
    return this.read('verify chain', () => verifyChain(this.db));
  }

  /** SQLite quick_check (integrity_check with `full`), the append-only triggers, the whole hash chain and the chain-head file. */
  integrityCheck(options: { full?: boolean } = {}): IntegrityReport {
    return this.read('check integrity', () => {
      const report = checkIntegrity(this.db, options);
      let problem: string | null;
      try {
        problem = this.headFileProblem();
      } catch (error) {
        problem = toLedgerError(error, 'check chain-head file').message;
      }
      return problem === null ? report : { ...report, ok: false, problems: [...report.problems, problem] };
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.headWriter.close();
    } finally {
      this.db.close();
    }
  }

  private now(override?: number): number {
    const now = override ?? this.clock();
    if (!Number.isSafeInteger(now) || now < 0) throw new LedgerError('LEDGER_CLOCK', `clock returned ${String(now)}`);
    return now;
  }

  private context(head: ChainHead, now: number): RowContext {
    const clock = localClock(now, this.settings); // one time-zone conversion for the date and the local time
    return {
      seq: head.seq + 1,
      prevHash: head.hash,
      businessDate: openBusinessDate(head, now, this.settings, clock.businessDate),
      recordedAt: now,
      localTime: clock.localTime,
      settings: this.settings,
    };
  }

  /** Inserts the row that follows `head` and notes the head it makes (cached once committed). */
  private append(head: ChainHead, row: LedgerRow): void {
    const statements = this.requireWritable();
    // Callers looked the id up through the UNIQUE index; the second index must agree (migration 008).
    if (row.transactionId !== null) {
      const seq = prepared(
        this.db,
        'SELECT seq FROM entries INDEXED BY entries_transaction_ids WHERE transaction_id = ? AND transaction_id IS NOT NULL',
      )
        .pluck()
        .get(row.transactionId) as number | undefined;
      if (seq !== undefined) {
        throw new LedgerError(
          'LEDGER_CORRUPT',
          `${this.path}: transaction ${row.transactionId} is already at seq ${seq}, but the ledger's unique index did not find it: the index is damaged; nothing was recorded (run npm run cli -- ledger check)`,
        );
      }
    }
    insertRow(statements, row);
    this.pendingHead = {
      seq: row.seq,
      hash: row.hash,
      businessDate: row.businessDate,
      lastClosedDate: row.kind === 'close' ? row.businessDate : head.lastClosedDate,
      lastZNumber: row.kind === 'close' && row.zNumber !== null ? row.zNumber : head.lastZNumber,
    };
  }

  /** The chain head, inside the write transaction: the cached one if no other row was added since. */
  private headForWrite(): ChainHead {
    const cached = this.cachedHead;
    if (cached !== null) {
      const lastSeq = (prepared(this.db, 'SELECT MAX(seq) FROM entries').pluck().get() as number | null) ?? 0;
      if (lastSeq === cached.seq) return cached;
    }
    return readHead(this.db);
  }

  /** After COMMIT: a failure here leaves the file one commit stale (never ahead) and the row recorded. */
  private saveHead(head: ChainHead): void {
    try {
      this.headWriter.write(headOf(this.ledgerId, head.seq, head.hash));
    } catch (error) {
      this.onHeadFileError?.(error);
    }
  }

  private requireWritable(): Statements {
    if (!this.statements) throw new LedgerError('LEDGER_READ_ONLY', `${this.path} was opened read-only`);
    return this.statements;
  }

  private read<T>(doing: string, body: () => T): T {
    if (this.closed) throw new LedgerError('LEDGER_CLOSED', `${doing}: ledger is closed`);
    try {
      return body();
    } catch (error) {
      throw toLedgerError(error, doing);
    }
  }

  /** Runs `body` in an IMMEDIATE transaction on the current chain head; returns after COMMIT. */
  /**
   * From now on every write is refused with `fault` (a damaged file found after opening, by the
   * background quick_check): nothing more is added to a file SQLite says is corrupt.
   */
  refuseWrites(fault: LedgerError): void {
    this.fault = fault;
  }

  writeFault(): LedgerError | undefined {
    return this.fault;
  }

  private write<T>(doing: string, body: (head: ChainHead, now: number) => T, nowOverride?: number): T {
    if (this.closed) throw new LedgerError('LEDGER_CLOSED', `${doing}: ledger is closed`);
    if (this.fault) throw this.fault;
    this.requireWritable();
    this.pendingHead = null;
    try {
      const now = this.now(nowOverride);
      let head: ChainHead | null = null;
      const result = this.db
        .transaction(() => {
          head = this.headForWrite();
          return body(head, now);
        })
        .immediate();
      // Committed: the head is the new row's, or (nothing appended, e.g. a repeated transaction id)
      // the one just read under the write lock.
      const appended = this.pendingHead;
      this.cachedHead = appended ?? head;
      this.pendingHead = null;
      if (appended) this.saveHead(appended);
      return result;
    } catch (error) {
      // Whatever happened (a COMMIT can land despite an error), the next write reads the head again.
      this.cachedHead = null;
      this.pendingHead = null;
      if (this.db.inTransaction) {
        try {
          this.db.exec('ROLLBACK');
        } catch {
          // The connection already abandoned the transaction; the original error is what matters.
        }
      }
      throw toLedgerError(error, doing);
    }
  }
}

/** Same as `new Ledger(options)`. */
export function openLedger(options: LedgerOptions): Ledger {
  return new Ledger(options);
}
