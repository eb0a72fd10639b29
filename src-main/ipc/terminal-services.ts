// Answers each contract request from the terminal's services (src-main/app/terminal.ts): reads
// what a request needs, runs its action, and hands the result to the pure presenters
// (receipt-view.ts, payment-view.ts, manager-view.ts) for the contract's shape. Queries change
// nothing; actions are the requests that do. Arguments arrive already validated by the
// handlers. No Electron: the desktop is reached through Platform.
import { previewBusinessDayChange } from '../app/business-day-change';
import type { Terminal } from '../app/terminal';
import { CLOCK_SKEW_MS } from '../verification/license';
import type { Decision, PaymentOrder } from '../domain/payment';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { AppError, refusal } from '../app/errors';
import { exportBusinessDay } from '../export/export-day';
import { receiptCodeText, receiptQrDataUrl } from '../export/receipt-code';
import { sendDay } from '../export/send-day';
import type { UploadPart } from '../export/settlement-wire';
import { verifyExport } from '../export/verify-export';
import type { LedgerRow } from '../ledger/row';
import type {
  AppState,
  DecisionView,
  ParsedArgs,
  PaymentSnapshot,
  Receipt,
  RefundResult,
  Settings,
  SettlementSendResult,
} from './contract';
import type { RefundAuthority } from '../app/refunds';
import { transactionIdIn } from '../domain/refunds';
import { isLedgerError } from '../ledger/errors';
import { demoStatusOf, logEntryOf, pinStateOf, reportOf, trustKeyOf, trustPreviewOf } from './manager-view';
import { decisionViewOf, paymentSnapshotOf, refundableSaleOf, unshownPaymentOf } from './payment-view';
import { ledgerRowLicenseFactsVerified, receiptOfOrder, receiptOfRow as rowReceipt, type ReceiptContext } from './receipt-view';
import { IpcServiceError, type IpcServices, type Platform } from './services';
import { verificationOf } from './verification-view';

const MAX_CACHED_VIEWS = 16;
/** Closed days as sent to settlement, one folder per business date, in the data folder. */
export const SETTLEMENT_OUTBOX_DIR = 'settlement-outbox';

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

  function receiptContext(): ReceiptContext {
    const s = settings.get();
    const profile = settings.profile();
    return { merchantName: s.merchantName, timeZone: profile.timeZone, locale: profile.locale, paperWidth: s.printer.paperWidth };
  }

  /** `verified`: whether the row's account and serial are facts (a live decision knows it exactly). */
  function receiptOfRow(row: LedgerRow, verified = ledgerRowLicenseFactsVerified(row)): Receipt {
    return rowReceipt(
      {
        row,
        verified,
        currency: settings.profile().currency,
        code: codeOf(row),
        ...(row.kind === 'refund' ? { refunded: ledger.refundable(row.originalTransactionId ?? '') } : {}),
      },
      receiptContext(),
    );
  }

  /** The signed code of any row a receipt is printed from (sale, decline, void, refund, reprint). */
  function codeOf(row: LedgerRow): string | undefined {
    return receiptCodeText(row, terminal.terminalKey);
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

  function decisionView(order: PaymentOrder, decision: Decision, decidedAt: number, recorded: boolean): DecisionView {
    const cached = views.get(order.transactionId);
    if (cached) return cached;
    const row = recorded ? ledger.getAttempt(order.transactionId) : undefined;
    // Printed now as the row would be reprinted, and never with a claim the decision knows is one.
    const receipt = row
      ? receiptOfRow(row, ledgerRowLicenseFactsVerified(row) && decision.facts.licenseVerified === true)
      : receiptOfOrder(order, decision, decidedAt, receiptContext());
    const view = decisionViewOf(order, decision, decidedAt, receipt);
    views.set(order.transactionId, view);
    // Only recent payments are asked about again (the current one, a reload); keep the map small.
    for (const key of views.keys()) {
      if (views.size <= MAX_CACHED_VIEWS) break;
      views.delete(key);
    }
    return view;
  }

  function current(): PaymentSnapshot | null {
    const snapshot = terminal.payments.snapshot();
    return paymentSnapshotOf(snapshot, terminal.clock(), (order, decision, decidedAt) =>
      decisionView(order, decision, decidedAt, snapshot.recorded !== undefined),
    );
  }

  function phone() {
    const stub = terminal.phone;
    if (!stub)
      throw new IpcServiceError('not_available', 'the simulated phone is available in demo mode only', { refusal: refusal('demo_only') });
    return stub;
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
    return pinStateOf(pin.status(), terminal.clock());
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
    unshownPayment: () => unshownPaymentOf(terminal.unshownPayment()),
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
      const code = row ? codeOf(row) : undefined;
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
    // A query: the demo licenses are renewed when the terminal starts and at every simulated tap.
    demoStatus: () => demoStatusOf(terminal.inDemoMode(), terminal.demo.licenses(), trust.list()),
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
        return { ok: true, sale: refundableSaleOf(ledger.refundable(transactionId), settings.profile().currency) };
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
      return { cancelled: false, preview: trustPreviewOf(trust.previewImport(text)) };
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
      // The controller announces every change of its snapshot after making it, so the payment
      // read on each event is the settled one.
      const offPayment = terminal.onPayment((event) => {
        if (event.type === 'decision') lastTransactionId = event.transactionId;
        const snapshot = current();
        if (snapshot) emit('paymentStage', snapshot);
        if (event.type === 'decision' && snapshot?.decision && event.result) emit('decision', snapshot.decision);
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
