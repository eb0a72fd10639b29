// A cashier terminal as the demo and the tests need it: its own ledger and terminal key in a
// folder, payments through the real terminal session against a reference-wallet phone, voids, refunds,
// day closes, signed exports, and a copy of its ledger file that can be put back later (a
// terminal restored from an old backup).
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { SessionResult } from '../../src-main/domain/payment';
import { exportBusinessDay } from '../../src-main/export/export-day';
import { loadOrCreateTerminalKey, type TerminalKey } from '../../src-main/export/terminal-key';
import { headFilePath } from '../../src-main/ledger/head-file';
import { Ledger } from '../../src-main/ledger/ledger';
import type { DayReport } from '../../src-main/ledger/reports';
import { runTerminalSession } from '../../src-main/session/terminal-session';
import { nobleVerifier } from '../../src-main/protocol/signature';
import { CLOCK_SKEW_MS } from '../../src-main/verification/license';
import { EMPTY_REVOCATIONS, type RevocationList } from '../../src-main/verification/revocation';
import type { TrustStore } from '../../src-main/verification/trust-store';
import type { PhoneSide } from '../../src-main/wallet/phone-wallet';
import { walletChannel } from '../../src-main/wallet/wallet-channel';

export const DEMO_TIME_ZONE = 'Asia/Shanghai';
export const DEMO_CUTOFF_HOUR = 4;

export interface DemoTerminalOptions {
  dir: string;
  terminalId: string;
  merchantId: string;
  trustStore: TrustStore;
  /** What this terminal has imported (default: no revocation list). */
  revocations?: RevocationList;
  currency?: string;
}

export class DemoTerminal {
  readonly key: TerminalKey;
  readonly terminalId: string;
  readonly merchantId: string;
  private ledger: Ledger;
  private now = 0;
  private readonly ledgerPath: string;

  constructor(private readonly options: DemoTerminalOptions) {
    this.terminalId = options.terminalId;
    this.merchantId = options.merchantId;
    this.key = loadOrCreateTerminalKey(options.dir);
    this.ledgerPath = join(options.dir, 'ledger.sqlite');
    this.ledger = this.open(true);
  }

  private open(create: boolean): Ledger {
    return new Ledger({
      path: this.ledgerPath,
      create,
      terminalId: this.terminalId,
      merchantId: this.merchantId,
      timeZone: DEMO_TIME_ZONE,
      cutoffHour: DEMO_CUTOFF_HOUR,
      clock: () => this.now,
    });
  }

  /** One tap of `phone` for `amount` minor units at `at` (epoch ms); recorded before it returns. */
  async pay(phone: PhoneSide, amount: number, at: number): Promise<SessionResult> {
    this.now = at;
    const channel = walletChannel(phone);
    channel.tap();
    const result = await runTerminalSession({
      channel,
      order: {
        transactionId: randomBytes(16).toString('hex'),
        amount,
        currency: this.options.currency ?? 'CNY',
        merchantId: this.merchantId,
        terminalId: this.terminalId,
      },
      verification: {
        clock: () => at,
        clockSkewMs: CLOCK_SKEW_MS,
        verifier: nobleVerifier,
        trustStore: this.options.trustStore,
        revocations: this.options.revocations ?? EMPTY_REVOCATIONS,
        history: this.ledger,
      },
      random: (n) => randomBytes(n),
    });
    this.ledger.record(result);
    return result;
  }

  voidSale(transactionId: string, at: number): void {
    this.now = at;
    this.ledger.void(transactionId, {
      reason: 'customer returned the goods',
      by: 'manager',
      now: at,
    });
  }

  /** A refund of part of an approved sale, authorised by the manager, with no tap. */
  refund(saleTransactionId: string, amount: number, at: number): void {
    this.now = at;
    this.ledger.refund(saleTransactionId, { amount, reason: 'one item returned', by: 'manager', now: at });
  }

  close(businessDate: string, at: number): DayReport {
    this.now = at;
    return this.ledger.closeDay({ by: 'manager', businessDate, now: at });
  }

  zReport(businessDate: string): DayReport | undefined {
    return this.ledger.zReport(businessDate);
  }

  /** The day's four export files in `outDir`; returns the folder. */
  async exportDay(businessDate: string, outDir: string): Promise<string> {
    await exportBusinessDay({
      ledgerPath: this.ledgerPath,
      businessDate,
      outDir,
      terminalKey: this.key,
      terminalId: this.terminalId,
      merchantId: this.merchantId,
      timeZone: DEMO_TIME_ZONE,
      now: this.now,
    });
    return outDir;
  }

  /** Copies the ledger file aside (a backup), with its chain-head file: the whole terminal folder, as a backup holds it. */
  backup(to: string): void {
    this.ledger.close();
    copyFileSync(this.ledgerPath, to);
    if (existsSync(`${this.ledgerPath}-wal`)) copyFileSync(`${this.ledgerPath}-wal`, `${to}-wal`);
    if (existsSync(headFilePath(this.ledgerPath))) copyFileSync(headFilePath(this.ledgerPath), headFilePath(to));
    this.ledger = this.open(false);
  }

  /**
   * Puts a backup back in place of the ledger, head file included (so the terminal's own
   * rolled-back check passes, as it does when a whole data folder is restored): every row
   * recorded since is gone from the terminal.
   */
  restore(from: string): void {
    this.ledger.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${this.ledgerPath}${suffix}`, { force: true });
    copyFileSync(from, this.ledgerPath);
    if (existsSync(`${from}-wal`)) copyFileSync(`${from}-wal`, `${this.ledgerPath}-wal`);
    // The terminal's own check (the chain-head file) cannot see a restore of the whole folder; settlement can.
    if (existsSync(headFilePath(from))) copyFileSync(headFilePath(from), headFilePath(this.ledgerPath));
    this.ledger = this.open(false);
  }

  shutdown(): void {
    this.ledger.close();
  }
}
