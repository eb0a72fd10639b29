// Answers each contract request from the terminal's services (src-main/app/terminal.ts) and
// turns their shapes into the contract's: payment snapshots and decisions with their receipts,
// ledger rows into log entries and reports, PIN and trust-store results. Arguments arrive
// already validated by the handlers. No Electron: the desktop is reached through Platform.
import { previewBusinessDayChange } from '../app/business-day-change';
import type { Terminal } from '../app/terminal';
import { CLOCK_SKEW_MS } from '../verification/license';
import type { PaymentEvent, PaymentSnapshot as ControllerSnapshot } from '../checkout/types';
import type { Decision, PaymentOrder } from '../domain/payment';
import { isReasonCode } from '../domain/reasons';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { AppError, refusal } from '../app/errors';
import { exportBusinessDay } from '../export/export-day';
import { receiptCodeText, receiptQrDataUrl } from '../export/receipt-code';
import { sendDay } from '../export/send-day';
import type { UploadPart } from '../export/settlement-wire';
import { verifyExport } from '../export/verify-export';
import { maskAccount } from '../ledger/mask';
import { minorUnits } from '../ledger/money';
import type { AttemptSummary } from '../ledger/queries';
import type { CurrencyTotals, DayReport } from '../ledger/reports';
import type { LedgerRow } from '../ledger/row';
import { licenseFactsVerified } from '../verification/license-facts';
import type {
  AppState,
  DecisionView,
  LogEntry,
  ParsedArgs,
  PaymentSnapshot,
  Receipt,
  RefundableSale as RefundableSaleView,
  RefundResult,
  Report,
  Settings,
  SettlementSendResult,
  TrustKey,
} from './contract';
import type { RefundAuthority } from '../app/refunds';
import { transactionIdIn } from '../domain/refunds';
import { isLedgerError } from '../ledger/errors';
import type { RefundableSale } from '../ledger/ledger';
import { IpcServiceError, type IpcServices, type Platform } from './services';
import { verificationOf } from './verification-view';

const MAX_CACHED_VIEWS = 16;
/** Closed days as sent to settlement, one folder per business date, in the data folder. */
export const SETTLEMENT_OUTBOX_DIR = 'settlement-outbox';

function totalsOf(list: CurrencyTotals[]): Report['totals'] {
  return list.map((t) => ({
    currency: t.currency,
    approvedCount: t.approvedCount,
    approvedTotal: t.approvedTotal,
    voidCount: t.voidCount,
    voidTotal: t.voidTotal,
    refundCount: t.refundCount,
    refundTotal: t.refundTotal,
    netTotal: t.netTotal,
    declinedCount: t.declinedCount,
    declinedTotal: t.declinedTotal,
  }));
}

function reportOf(r: DayReport, paperWidth: Report['paperWidth']): Report {
  return {
    kind: r.type,
    businessDate: r.businessDate,
    terminalId: r.terminalId,
    merchantId: r.merchantId,
    ...(r.type === 'Z' && r.zNumber !== null ? { zNumber: r.zNumber } : {}),
    generatedAt: r.generatedAt,
    counts: { ...r.counts },
    totals: totalsOf(r.totals),
    demoTotals: totalsOf(r.demoTotals),
    declinesByReason: r.declinesByReason.filter((d) => isReasonCode(d.reason)) as Report['declinesByReason'],
    ...(r.first ? { firstTransactionAt: r.first.recordedAt } : {}),
    ...(r.last ? { lastTransactionAt: r.last.recordedAt } : {}),
    ...(r.chainHead ? { chainHead: r.chainHead.hash } : {}),
    demo: r.demoRows > 0,
    paperWidth,
  };
}

/**
 * Whether a stored row's license facts are the authority's word: approvals and voids always;
 * a decline by its reason and whether the deduction request went out, as the row does not keep
 * `licenseVerified`.
 */
function rowLicenseFactsVerified(row: { status: string; reason: string | null; deductionSent: boolean }): boolean {
  if (row.status !== 'declined') return true;
  return row.reason !== null && isReasonCode(row.reason) && licenseFactsVerified(row.reason, row.deductionSent);
}

const deductionSentOf = (row: LedgerRow) => ({ status: row.status, reason: row.reason, deductionSent: row.deductionRequest !== null });

/** Account and serial for the cashier's screen and receipts: only when they are facts. */
function verifiedLicense(verified: boolean, accountId: string | null | undefined, licenseSerial: string | null | undefined) {
  if (!verified) return {};
  const masked = accountId ? maskAccount(accountId) : null;
  return { ...(masked ? { maskedAccount: masked } : {}), ...(licenseSerial ? { licenseSerial } : {}) };
}

function logEntryOf(a: AttemptSummary, fallbackCurrency: string): LogEntry {
  const licensed = Boolean(a.accountMasked) || Boolean(a.licenseSerial);
  return {
    seq: a.seq,
    transactionId: a.transactionId ?? '',
    type: a.kind === 'void' || a.kind === 'refund' ? a.kind : 'sale',
    status: a.status === 'closed' ? 'approved' : a.status,
    ...(a.reason && isReasonCode(a.reason) ? { reason: a.reason } : {}),
    amount: a.amount ?? 0,
    currency: a.currency ?? fallbackCurrency,
    ...(a.accountMasked ? { maskedAccount: a.accountMasked } : {}),
    ...(a.licenseSerial ? { licenseSerial: a.licenseSerial } : {}),
    // The manager sees a phone's claim too, marked as one.
    ...(licensed ? { licenseFactsVerified: rowLicenseFactsVerified(a) } : {}),
    ...(a.appCounter !== null ? { appCounter: a.appCounter } : {}),
    recordedAt: a.recordedAt,
    businessDate: a.businessDate,
    demo: a.demo,
    ...(a.originalTransactionId && a.kind === 'void' ? { voidOf: a.originalTransactionId } : {}),
    ...(a.kind === 'void' && a.note ? { voidReason: a.note } : {}),
    voided: a.voidedBy !== null,
    ...(a.originalTransactionId && a.kind === 'refund' ? { refundOf: a.originalTransactionId } : {}),
    ...(a.refundedTotal > 0 ? { refunded: a.refundedTotal } : {}),
  };
}

export function terminalServices(terminal: Terminal, platform: Platform): IpcServices {
  const { settings, ledger, pin, trust } = terminal;
  /** Decisions already turned into views (receipts read from the ledger once). */
  const views = new Map<string, DecisionView>();
  let lastTransactionId: string | undefined;

  function settingsView(): Settings {
    const { version: _version, ...rest } = settings.get();
    return rest;
  }

  function appState(): AppState {
    const s = settings.get();
    const setupComplete = terminal.isSetupComplete();
    return {
      setupComplete,
      demo: s.demo || terminal.readerKind() === 'stub',
      language: s.language,
      readerKind: terminal.readerKind(),
      version: terminal.version,
      ...(setupComplete ? { country: settings.profile(), merchantName: s.merchantName, terminalId: s.terminalId } : {}),
      ...(ledger.writeFault() ? { ledgerDamaged: ledger.path } : {}),
    };
  }

  /** `verified`: whether the row's account and serial are facts (a live decision knows it exactly). */
  function receiptOfRow(row: LedgerRow, verified = rowLicenseFactsVerified(deductionSentOf(row))): Receipt {
    const s = settings.get();
    const profile = settings.profile();
    const currency = row.currency ?? profile.currency;
    return {
      transactionId: row.transactionId ?? '',
      kind: row.kind === 'void' || row.kind === 'refund' ? row.kind : 'sale',
      status: row.status === 'closed' ? 'approved' : row.status,
      ...(row.reason && isReasonCode(row.reason) ? { reason: row.reason } : {}),
      merchantId: row.merchantId,
      merchantName: s.merchantName,
      terminalId: row.terminalId,
      time: row.recordedAt,
      timeZone: profile.timeZone,
      locale: profile.locale,
      amount: row.amount ?? 0,
      currency,
      minorUnits: minorUnits(currency),
      ...(row.items.length > 0 ? { items: row.items.map((i) => ({ ...i })) } : {}),
      ...verifiedLicense(verified, row.accountId, row.licenseSerial),
      ...(row.appCounter !== null ? { appCounter: row.appCounter } : {}),
      seq: row.seq,
      ...(row.originalTransactionId && row.kind === 'void' ? { voidOf: row.originalTransactionId } : {}),
      ...(row.kind === 'refund' ? { refund: refundReceiptOf(row) } : {}),
      demo: row.demo,
      paperWidth: s.printer.paperWidth,
      ...codeOf(row),
    };
  }

  /** The signed code of any row a receipt is printed from (sale, decline, void, refund, reprint). */
  function codeOf(row: LedgerRow): { code?: string } {
    const code = receiptCodeText(row, terminal.terminalKey);
    return code === undefined ? {} : { code };
  }

  /** The sale a refund row names, and what was left of it once this refund was recorded. */
  function refundReceiptOf(row: LedgerRow): Receipt['refund'] {
    const found = ledger.refundable(row.originalTransactionId ?? '');
    const refundedThrough = found.refunds.filter((r) => r.seq <= row.seq).reduce((sum, r) => sum + r.amount, 0);
    return {
      original: {
        transactionId: found.sale.transactionId ?? '',
        businessDate: found.sale.businessDate,
        time: found.sale.recordedAt,
        amount: found.sale.amount ?? 0,
      },
      remainder: (found.sale.amount ?? 0) - refundedThrough,
      ...(row.note ? { reason: row.note } : {}),
      authorisedBy: row.operator === 'cashier' ? 'cashier' : 'manager',
      accountVerifiedByTap: row.license !== null,
    };
  }

  function refundableSaleOf(found: RefundableSale): RefundableSaleView {
    const sale = found.sale;
    const currency = sale.currency ?? settings.profile().currency;
    const refunded = found.refunds.reduce((sum, r) => sum + r.amount, 0);
    const masked = sale.status === 'approved' ? maskAccount(sale.accountId) : null;
    return {
      transactionId: sale.transactionId ?? '',
      businessDate: sale.businessDate,
      time: sale.recordedAt,
      status: sale.status === 'approved' ? 'approved' : 'declined',
      amount: sale.amount ?? 0,
      currency,
      minorUnits: minorUnits(currency),
      ...(masked ? { maskedAccount: masked } : {}),
      demo: sale.demo,
      voided: found.voided,
      refunded,
      remainder: found.voided ? 0 : found.remainder,
      refunds: found.refunds.map((r) => ({
        transactionId: r.transactionId,
        amount: r.amount,
        businessDate: r.businessDate,
        authorisedBy: r.operator === 'cashier' ? 'cashier' : 'manager',
      })),
    };
  }

  async function refund(args: ParsedArgs<'refundSale'>, authority: RefundAuthority): Promise<RefundResult> {
    const outcome = await terminal.refund({
      transactionId: args.transactionId,
      amount: args.amount,
      currency: settings.profile().currency,
      ...(args.reason ? { reason: args.reason } : {}),
      authority,
      ...(args.tap ? { tap: (order) => terminal.tapForRefund(order) } : {}),
    });
    if (!outcome.ok) return { ok: false, reason: outcome.reason, detail: outcome.detail };
    const row = ledger.getAttempt(outcome.refund.transactionId);
    if (!row) throw new IpcServiceError('internal', 'the refund row was not found after commit');
    lastTransactionId = row.transactionId ?? undefined;
    return { ok: true, receipt: receiptOfRow(row, true) };
  }

  /** A decision that reached no ledger row (timeout, cancel while waiting, cannot_record). */
  function receiptOfOrder(order: PaymentOrder, decision: Decision, at: number): Receipt {
    const s = settings.get();
    const profile = settings.profile();
    const f = decision.facts;
    return {
      transactionId: order.transactionId,
      kind: 'sale',
      status: decision.outcome,
      ...(decision.outcome === 'declined' ? { reason: decision.reason } : {}),
      merchantId: order.merchantId,
      merchantName: s.merchantName,
      terminalId: order.terminalId,
      time: at,
      timeZone: profile.timeZone,
      locale: profile.locale,
      amount: order.amount,
      currency: order.currency,
      minorUnits: minorUnits(order.currency),
      ...(order.items ? { items: order.items.map((i) => ({ ...i })) } : {}),
      ...verifiedLicense(f.licenseVerified === true, f.accountId, f.licenseSerial),
      ...(f.appCounter !== undefined ? { appCounter: f.appCounter } : {}),
      demo: order.demo ?? false,
      paperWidth: s.printer.paperWidth,
    };
  }

  function decisionView(order: PaymentOrder, decision: Decision, decidedAt: number, recorded: boolean): DecisionView {
    const cached = views.get(order.transactionId);
    if (cached) return cached;
    const row = recorded ? ledger.getAttempt(order.transactionId) : undefined;
    const f = decision.facts;
    const view: DecisionView = {
      transactionId: order.transactionId,
      outcome: decision.outcome,
      ...(decision.outcome === 'declined' ? { reason: decision.reason, detail: decision.detail } : {}),
      amount: order.amount,
      currency: order.currency,
      ...verifiedLicense(f.licenseVerified === true, f.accountId, f.licenseSerial),
      ...(f.appCounter !== undefined ? { appCounter: f.appCounter } : {}),
      decidedAt,
      demo: order.demo ?? false,
      // Printed now as the row would be reprinted, and never with a claim the decision knows is one.
      receipt: row
        ? receiptOfRow(row, rowLicenseFactsVerified(deductionSentOf(row)) && f.licenseVerified === true)
        : receiptOfOrder(order, decision, decidedAt),
    };
    views.set(order.transactionId, view);
    // Only recent payments are asked about again (the current one, a reload); keep the map small.
    for (const key of views.keys()) {
      if (views.size <= MAX_CACHED_VIEWS) break;
      views.delete(key);
    }
    return view;
  }

  function snapshotOf(s: ControllerSnapshot): PaymentSnapshot | null {
    const order = s.order;
    if (s.stage === 'idle' || !order) return null;
    const decidedAt = s.decidedAt ?? terminal.clock();
    return {
      transactionId: order.transactionId,
      amount: order.amount,
      currency: order.currency,
      ...(order.items ? { items: order.items.map((i) => ({ ...i })) } : {}),
      stage: s.stage,
      startedAt: s.startedAt ?? decidedAt,
      ...(s.waitingDeadline !== undefined ? { waitingDeadline: s.waitingDeadline } : {}),
      finished: s.finished,
      ...(s.decision ? { decision: decisionView(order, s.decision, decidedAt, s.recorded !== undefined) } : {}),
      ...(s.notice ? { notice: s.notice } : {}),
      demo: order.demo ?? false,
    };
  }

  function current(): PaymentSnapshot | null {
    return snapshotOf(terminal.payments.snapshot());
  }

  function phone() {
    const stub = terminal.phone;
    if (!stub)
      throw new IpcServiceError('not_available', 'the simulated phone is available in demo mode only', { refusal: refusal('demo_only') });
    return stub;
  }

  function trustKeyOf(k: ReturnType<typeof trust.list>[number]): TrustKey {
    return {
      kid: k.kid,
      fingerprint: k.fingerprint,
      algorithm: k.algorithm,
      ...(k.label ? { label: k.label } : {}),
      notBefore: k.notBefore,
      notAfter: k.notAfter,
      addedAt: k.addedAt,
      ...(k.retiredAt !== undefined ? { retiredAt: k.retiredAt } : {}),
      demo: k.demo,
      status: k.status,
    };
  }

  /**
   * The signed export of a closed day as sent to settlement, kept in <dataDir>/settlement-outbox/
   * <date>/: written once (exported into a temporary folder, then renamed into place), then
   * sent again byte for byte, so a repeated send is "already held" at the service.
   */
  async function outboxDay(businessDate: string): Promise<Record<UploadPart, string>> {
    const outbox = join(terminal.dataDir, SETTLEMENT_OUTBOX_DIR);
    const folder = join(outbox, businessDate);
    if (!existsSync(folder)) {
      mkdirSync(outbox, { recursive: true });
      const staging = mkdtempSync(join(outbox, '.staging-'));
      try {
        const s = settings.get();
        await exportBusinessDay({
          ledgerPath: ledger.path,
          businessDate,
          outDir: staging,
          terminalKey: terminal.terminalKey,
          terminalId: s.terminalId,
          merchantId: s.merchantId,
          timeZone: settings.profile().timeZone,
        });
        renameSync(staging, folder);
      } finally {
        rmSync(staging, { recursive: true, force: true });
      }
    }
    const names = readdirSync(folder);
    const manifest = names.find((name) => name.endsWith('.manifest.json'));
    const base = manifest?.slice(0, -'.manifest.json'.length);
    if (!manifest || !base || !names.includes(`${base}.csv`) || !names.includes(`${base}-items.csv`) || !names.includes(`${base}.jsonl`)) {
      throw new IpcServiceError('internal', `the settlement outbox ${folder} does not hold a whole export`);
    }
    return {
      manifest: join(folder, manifest),
      csv: join(folder, `${base}.csv`),
      items: join(folder, `${base}-items.csv`),
      jsonl: join(folder, `${base}.jsonl`),
    };
  }

  /**
   * The revocation lists a settlement answer carries go through the same import as a file the
   * manager chooses: signed by a trusted authority, with a higher sequence than the list held
   * from that authority. Reported: the newest taken, else a refusal, else "up to date".
   */
  function takeRevocationLists(lists: unknown[]): SettlementSendResult['revocations'] {
    let taken: SettlementSendResult['revocations'] | undefined;
    let refused: SettlementSendResult['revocations'] | undefined;
    for (const list of lists) {
      try {
        const summary = trust.importRevocations(JSON.stringify(list));
        if (!taken || summary.issuedAt >= (taken.issuedAt ?? 0)) {
          taken = {
            outcome: 'imported',
            licenseSerials: summary.licenseSerials,
            authorityKids: summary.authorityKids,
            issuedAt: summary.issuedAt,
          };
        }
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        if (error.code !== 'conflict') refused ??= { outcome: 'refused', message: error.message };
      }
    }
    return taken ?? refused ?? (lists.length > 0 ? { outcome: 'not_newer' } : { outcome: 'none' });
  }

  function pinState() {
    const status = pin.status();
    const now = terminal.clock();
    const locked = status.lockedUntil !== null && status.lockedUntil > now;
    return {
      locked,
      ...(locked && status.lockedUntil !== null ? { lockedUntil: status.lockedUntil } : {}),
      failedAttempts: status.failures,
      remainingAttempts: locked ? 0 : status.triesLeft,
    };
  }

  function lastReceiptRow(): LedgerRow | undefined {
    if (lastTransactionId) {
      const row = ledger.getAttempt(lastTransactionId);
      if (row) return row;
    }
    const page = ledger.listAttempts({ businessDate: ledger.currentBusinessDate(), limit: 1, order: 'desc' });
    const latest = page.rows[0]?.transactionId;
    return latest ? ledger.getAttempt(latest) : undefined;
  }

  return {
    setupComplete: () => terminal.isSetupComplete(),
    readerKind: () => terminal.readerKind(),
    pinState,
    async checkPin(candidate) {
      const check = await pin.verify(candidate, 'manager-login');
      return { result: check.result };
    },

    appState,
    listCountries: () => terminal.countries().map((c) => ({ ...c })),
    async completeSetup(args) {
      await terminal.firstRun({
        country: args.country,
        merchantId: args.merchantId,
        merchantName: args.merchantName,
        terminalId: args.terminalId,
        pin: args.pin,
        language: args.language,
        trust: args.trustKey === 'demo' ? 'demo' : { token: args.trustKey.token },
      });
      return appState();
    },
    setLanguage({ language }) {
      settings.update({ language });
      return appState();
    },

    startPayment(args) {
      terminal.payments.start({ amount: args.amount, ...(args.items ? { items: args.items } : {}) });
      const snapshot = current();
      if (!snapshot) throw new IpcServiceError('internal', 'the payment did not start');
      return snapshot;
    },
    cancelPayment() {
      terminal.payments.cancel();
      return current();
    },
    currentPayment: current,
    readerStatus: () => terminal.reader.status(),
    unshownPayment() {
      const row = terminal.unshownPayment();
      if (!row?.transactionId || !row.currency || !row.amount || (row.status !== 'approved' && row.status !== 'declined')) return null;
      return {
        transactionId: row.transactionId,
        outcome: row.status,
        ...(row.reason && isReasonCode(row.reason) ? { reason: row.reason } : {}),
        amount: row.amount,
        currency: row.currency,
        minorUnits: minorUnits(row.currency),
        time: row.recordedAt,
        demo: row.demo,
      };
    },
    paymentShown({ transactionId }) {
      // Only a recorded sale can be the "Last payment"; a decision nothing recorded changes nothing.
      if (ledger.getAttempt(transactionId)?.kind === 'sale') terminal.lastShown.shown(transactionId);
      return null;
    },

    phoneScenarios: () =>
      terminal.demo.scenarios().map((s) => ({
        name: s.name,
        expect: s.expect.outcome,
        ...(s.expect.outcome === 'declined' ? { reason: s.expect.reason } : {}),
        description: s.description,
      })),
    phoneTap({ scenario }) {
      if (!terminal.demo.scenarios().some((s) => s.name === scenario)) {
        throw new IpcServiceError('not_found', `no phone scenario named "${scenario}"`);
      }
      phone().tap(scenario);
      return null;
    },
    phoneRemove() {
      phone().remove();
      return null;
    },

    lastReceipt() {
      const row = lastReceiptRow();
      return row ? receiptOfRow(row) : null;
    },
    getReceipt({ transactionId }) {
      const row = ledger.getAttempt(transactionId);
      if (!row)
        throw new IpcServiceError('not_found', `no transaction ${transactionId}`, {
          refusal: refusal('no_transaction', { id: transactionId }),
        });
      return receiptOfRow(row);
    },
    async printReceipt({ transactionId, lines, paperWidth }) {
      const printer = settings.get().printer;
      // The QR code is made here from the ledger's row, never taken from the renderer. Every
      // printed receipt carries one: no row (a payment nothing recorded), no receipt.
      const row = ledger.getAttempt(transactionId);
      const code = row ? codeOf(row).code : undefined;
      if (code === undefined) {
        throw new IpcServiceError('not_found', `no recorded sale, void or refund ${transactionId}: only a ledger row has a receipt`, {
          refusal: refusal('no_transaction', { id: transactionId }),
        });
      }
      return platform.print({
        lines,
        paperWidth,
        qr: await receiptQrDataUrl(code),
        ...(printer.name ? { printerName: printer.name } : {}),
        title: `Receipt ${transactionId.slice(0, 8)}`,
      });
    },

    pinStatus: pinState,
    async changePin({ currentPin, newPin }) {
      const result = await pin.change(currentPin, newPin);
      switch (result.result) {
        case 'ok':
          return null;
        case 'wrong':
          throw new IpcServiceError('rejected', `the current PIN is wrong (${result.triesLeft} tries left)`, {
            refusal: refusal('pin_wrong', { left: result.triesLeft }),
          });
        case 'locked':
          throw new IpcServiceError('rejected', `the PIN is locked until ${new Date(result.until).toISOString()}`, {
            refusal: refusal('pin_locked', { until: new Date(result.until).toISOString() }),
          });
        case 'not-set':
          throw new IpcServiceError('setup_required', 'no manager PIN is set', { refusal: refusal('pin_not_set') });
        case 'invalid':
          throw new IpcServiceError('invalid_argument', result.message);
      }
    },

    getSettings: settingsView,
    updateSettings(patch) {
      settings.update(patch);
      return settingsView();
    },
    // PC/SC readers only: the simulated phone is the 'stub' choice, shown in the screen's language.
    listReaders: () => (terminal.readerKind() === 'stub' ? [] : terminal.reader.readers()),
    businessDayPreview: (patch) => previewBusinessDayChange(terminal, patch),
    demoStatus() {
      if (settings.get().demo) terminal.demo.renewLicensesIfDue();
      const licenses = terminal.demo.licenses();
      return {
        active: terminal.inDemoMode(),
        ...(licenses ? { licensesIssuedAt: licenses.issuedAt, licensesExpireAt: licenses.expiresAt } : {}),
        realKeys: trust.list().filter((k) => !k.demo && k.status === 'active').length,
      };
    },
    async leaveDemoMode() {
      if (terminal.payments.snapshot().inProgress)
        throw new IpcServiceError('payment_in_progress', 'a payment is in progress: finish or cancel it first', {
          refusal: refusal('payment_in_progress'),
        });
      await terminal.leaveDemo();
      return appState();
    },

    listLog(filter) {
      const businessDate = filter.businessDate ?? ledger.currentBusinessDate();
      const page = ledger.listAttempts({
        businessDate,
        ...(filter.status ? { status: filter.status } : {}),
        ...(filter.reason ? { reason: filter.reason } : {}),
        ...(filter.search ? { search: filter.search } : {}),
        ...(filter.minAmount !== undefined ? { minAmount: filter.minAmount } : {}),
        ...(filter.maxAmount !== undefined ? { maxAmount: filter.maxAmount } : {}),
        limit: filter.limit,
        offset: filter.offset,
      });
      const currency = settings.profile().currency;
      return { businessDate, entries: page.rows.map((row) => logEntryOf(row, currency)), total: page.total };
    },
    xReport: (args) => reportOf(ledger.xReport(args?.businessDate), settings.get().printer.paperWidth),
    closeDay: () => reportOf(ledger.closeDay({ by: 'manager' }), settings.get().printer.paperWidth),
    zReport({ businessDate }) {
      const stored = ledger.zReport(businessDate);
      if (!stored)
        throw new IpcServiceError('not_found', `business day ${businessDate} is not closed`, {
          refusal: refusal('day_not_closed', { date: businessDate }),
        });
      return reportOf(stored, settings.get().printer.paperWidth);
    },
    async printReport({ kind, businessDate, zNumber, lines, paperWidth }) {
      const printer = settings.get().printer;
      return platform.print({
        lines,
        paperWidth,
        ...(printer.name ? { printerName: printer.name } : {}),
        title: kind === 'Z' ? `Z report ${zNumber ?? ''} ${businessDate}` : `X report ${businessDate}`,
      });
    },
    findSaleForRefund({ text }) {
      const transactionId = transactionIdIn(text);
      if (!transactionId) return { ok: false, reason: 'not_found', detail: 'no 32-character transaction id in what was scanned or typed' };
      try {
        return { ok: true, sale: refundableSaleOf(ledger.refundable(transactionId)) };
      } catch (error) {
        if (isLedgerError(error) && (error.code === 'REFUND_NOT_FOUND' || error.code === 'REFUND_NOT_A_SALE')) {
          return { ok: false, reason: error.code === 'REFUND_NOT_FOUND' ? 'not_found' : 'not_a_sale', detail: error.detail };
        }
        throw error;
      }
    },
    refundSale: (args) => refund(args, { kind: 'manager-session' }),
    cashierRefund: (args) => refund(args, args.pin ? { kind: 'pin', pin: args.pin } : { kind: 'cashier' }),
    voidTransaction({ transactionId, reason }) {
      const record = ledger.void(transactionId, { reason: reason ?? 'voided by manager', by: 'manager' });
      const page = ledger.listAttempts({ businessDate: record.businessDate, search: record.transactionId, limit: 1 });
      const row = page.rows.find((r) => r.transactionId === record.transactionId);
      if (!row) throw new IpcServiceError('internal', 'the void row was not found after commit');
      return logEntryOf(row, settings.profile().currency);
    },
    async exportDay(args) {
      const businessDate = args?.businessDate ?? ledger.currentBusinessDate();
      const folder = await platform.chooseExportFolder();
      if (!folder) return { cancelled: true };
      const s = settings.get();
      // The key loaded (and permission-checked) when the terminal started.
      const terminalKey = terminal.terminalKey;
      const result = await exportBusinessDay({
        ledgerPath: ledger.path,
        businessDate,
        outDir: folder,
        terminalKey,
        terminalId: s.terminalId,
        merchantId: s.merchantId,
        timeZone: settings.profile().timeZone,
      });
      // The same check settlement runs (npm run cli -- verify-export), on the files just written.
      const checked = await verifyExport(result.manifestPath, {
        trustStore: trust.trustStore(),
        expectTerminalKeyId: terminalKey.keyId,
        clockSkewMs: CLOCK_SKEW_MS,
        maxProblemLines: 50,
      });
      return { cancelled: false, businessDate, folder: result.folder, files: result.files, verification: verificationOf(checked) };
    },

    async sendToSettlement(args) {
      const s = settings.get();
      const address = s.settlementAddress;
      const none = { outcome: 'none' } as const;
      // Only a closed day is sent: its rows can no longer change, so the service holds one
      // version of it (an open day sent now would conflict with the same day closed later).
      const businessDate =
        args?.businessDate ?? ledger.businessDays().find((d) => d.zNumber !== null)?.businessDate ?? ledger.currentBusinessDate();
      if (address === '') return { outcome: 'not_configured', businessDate, address, revocations: none };
      if (!ledger.zReport(businessDate)) return { outcome: 'day_open', businessDate, address, revocations: none };
      const files = await outboxDay(businessDate);
      const sent = await sendDay({ address, files });
      terminal.logger.child('settlement').info('settlement.sent', {
        businessDate,
        address,
        outcome: sent.outcome,
        ...(sent.outcome === 'refused' ? { code: sent.code } : {}),
      });
      switch (sent.outcome) {
        case 'stored':
        case 'already_held':
          return {
            outcome: sent.outcome,
            businessDate,
            address,
            ...(sent.day.rows === undefined ? {} : { rows: sent.day.rows }),
            findings: sent.day.findings,
            revocations: takeRevocationLists(sent.revocationLists),
          };
        case 'refused':
          return {
            outcome: 'refused',
            businessDate,
            address,
            code: sent.code,
            message: sent.message,
            problems: sent.problems,
            revocations: none,
          };
        case 'unreachable':
          return { outcome: 'unreachable', businessDate, address, code: sent.reason, message: sent.message, revocations: none };
      }
    },

    listTrustKeys: () => trust.list().map(trustKeyOf),
    async previewTrustKey(args) {
      const text = args?.text ?? (await platform.openTextDocument('trust-entry'));
      if (text === undefined) return { cancelled: true };
      const p = trust.previewImport(text);
      return {
        cancelled: false,
        preview: {
          token: p.token,
          kid: p.kid,
          fingerprint: p.fingerprint,
          algorithm: p.algorithm,
          ...(p.label ? { label: p.label } : {}),
          notBefore: p.notBefore,
          notAfter: p.notAfter,
          alreadyPresent: p.alreadyPresent,
        },
      };
    },
    confirmTrustKey: ({ token }) => trustKeyOf(trust.confirmImport(token)),
    retireTrustKey: ({ kid }) => trustKeyOf(trust.retire(kid)),
    async importRevocationList(args) {
      const text = args?.text ?? (await platform.openTextDocument('revocation-list'));
      if (text === undefined) return { cancelled: true };
      const summary = trust.importRevocations(text);
      return { cancelled: false, licenseSerials: summary.licenseSerials, authorityKids: summary.authorityKids, issuedAt: summary.issuedAt };
    },

    subscribe(emit) {
      const offStatus = terminal.onReaderStatus((status) => emit('readerStatus', status));
      let lastSent = '';
      const sendStage = (snapshot: PaymentSnapshot) => {
        lastSent = JSON.stringify(snapshot);
        emit('paymentStage', snapshot);
      };
      const offPayment = terminal.onPayment((event: PaymentEvent) => {
        if (event.type === 'decision') lastTransactionId = event.transactionId;
        const snapshot = current();
        if (snapshot) sendStage(snapshot);
        if (event.type === 'decision' && snapshot?.decision && event.result) emit('decision', snapshot.decision);
        // The controller may finish updating the payment right after its event (the waiting
        // deadline is armed after 'present-phone' is announced): send the settled state too.
        queueMicrotask(() => {
          const settled = current();
          if (settled && JSON.stringify(settled) !== lastSent) sendStage(settled);
        });
      });
      const offChange = terminal.onChange(() => emit('appState', appState()));
      return () => {
        offStatus();
        offPayment();
        offChange();
      };
    },
  };
}
