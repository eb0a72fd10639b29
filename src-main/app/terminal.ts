// The composition root: builds every service of one terminal from its data folder. The
// Electron main process, the Chromium test harness (`npm run preview:web`, UI tests) and the
// command line all call createTerminal, so tests run the real services. No Electron here.
//
// <dataDir>/settings.json        settings (settings.ts)
// <dataDir>/pin.json             manager PIN hash and lockout; pin-audit.jsonl its attempts
// <dataDir>/trust-store.json     credit-authority keys; revocations.json accepted lists
// <dataDir>/ledger.sqlite        the ledger (src-main/ledger)
// <dataDir>/terminal-key.pem     the terminal's export-signing key, made at first start (src-main/export)
// <dataDir>/demo/                demo authority and simulated phone (demo.ts)
// <dataDir>/logs/                rotating JSON-lines log
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock, RandomSource } from '../domain/payment';
import type { CheckoutSettings, PaymentController, PaymentListener } from '../checkout/types';
import { createPaymentController } from '../checkout/payment-controller';
import { loadOrCreateTerminalKey, loadTerminalKey, type TerminalKey } from '../export/terminal-key';
import { openLedger, type Ledger } from '../ledger/ledger';
import type { LedgerRow } from '../ledger/row';
import { quickCheckInBackground, type BackgroundCheck } from '../ledger/background-check';
import { LedgerError } from '../ledger/errors';
import type { ReaderService, StatusListener } from '../reader/reader-service';
import { isVirtualReader } from '../reader/reader-choice';
import { createStubReaderService, type StubReaderService } from '../reader/stub-reader';
import { newTransactionId, runTerminalSession } from '../session/terminal-session';
import { runRefundTap, waitForPhone } from '../session/refund-tap';
import { nobleVerifier } from '../protocol/signature';
import { CLOCK_SKEW_MS } from '../verification/license';
import type { VerificationContext } from '../verification/pipeline';
import { getCountry, listCountries, type CountryProfile, type Language } from './countries';
import { openDemo, type DemoMode } from './demo';
import { openLastShown, type LastShown } from './last-shown';
import { AppError, refusal } from './errors';
import { createFileLogger, type FileLogger, type Logger } from './logger';
import { openPinService, PinSchema, type KdfParams, type PinService } from './pin';
import { pinWeakness, pinWeaknessMessage } from '../domain/pin-strength';
import { IdentifierSchema, MerchantNameSchema, openSettings, SettingsError, type Settings, type SettingsStore } from './settings';
import { openTrustStoreAdmin, type TrustStoreAdmin } from './trust-store-admin';
import { refundSale, type RefundOutcome, type RefundRequest, type TapOutcome } from './refunds';

export const LEDGER_FILE = 'ledger.sqlite';

export type ReaderKind = 'pcsc' | 'stub';

export interface CreateTerminalOptions {
  dataDir: string;
  clock?: Clock;
  random?: RandomSource;
  /** Forces the reader kind (tests, harness); otherwise CASHIER_READER, then the settings decide. */
  readerKind?: ReaderKind;
  /** Environment read for CASHIER_READER (default process.env). */
  env?: Record<string, string | undefined>;
  /** Where the services log; default a rotating file logger in <dataDir>/logs. */
  logger?: Logger;
  /** Application version shown in the UI. */
  version?: string;
  /** PIN hashing cost (tests may lower it to the file format's floor). */
  pinKdf?: KdfParams;
  /** How long the automatic choice waits for a PC/SC reader to show up (default 1500 ms). */
  readerProbeMs?: number;
}

/** Which authority the first run trusts. */
export type FirstRunTrust =
  /** A key previewed with `trust.previewImport` (the manager saw its fingerprint). */
  | { token: string }
  /** A trust-store entry file's text, trusted directly (command line, scripted installs). */
  | { entry: string }
  /** Demo mode: the built-in demo authority and the simulated phone. */
  | 'demo';

export interface FirstRunArgs {
  country: string;
  merchantId: string;
  merchantName: string;
  terminalId: string;
  pin: string;
  /** Default: the country's language. */
  language?: Language;
  trust: FirstRunTrust;
}

/** 'ledger': the background quick_check found the ledger file damaged (`ledger.writeFault()`). */
export type TerminalChange = 'settings' | 'reader' | 'trust' | 'ledger';

export interface Terminal {
  readonly dataDir: string;
  readonly version: string;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly logger: Logger;
  readonly settings: SettingsStore;
  readonly pin: PinService;
  readonly trust: TrustStoreAdmin;
  readonly ledger: Ledger;
  /** Signs the daily export manifests; settlement pins its fingerprint. */
  readonly terminalKey: TerminalKey;
  readonly demo: DemoMode;
  /** The decision the cashier last saw (last-shown.ts). */
  readonly lastShown: LastShown;
  /** The reader in use now; replaced when the reader choice or demo mode changes. */
  readonly reader: ReaderService;
  /** The payment controller over `reader`; replaced with it (subscribe through onPayment). */
  readonly payments: PaymentController;
  /** The simulated phone's controls when the reader is the stub, else undefined. */
  readonly phone: StubReaderService | undefined;
  readerKind(): ReaderKind;
  /** Bundled country profiles. */
  countries(): readonly CountryProfile[];
  isSetupComplete(): boolean;
  /**
   * The newest sale when the cashier never saw its decision (the app or the command died between
   * recording and showing it), else undefined.
   */
  unshownPayment(): LedgerRow | undefined;
  /**
   * SQLite's quick_check of the ledger, started in the background once the terminal is open
   * (ledger/background-check.ts): its problem lines, [] when sound, undefined if closed first.
   * Problems make the ledger refuse every write (`ledger.writeFault()`, LEDGER_CORRUPT): payments
   * are refused before a tap (StartPaymentError 'ledger_damaged'), and onChange hears 'ledger'.
   */
  ledgerCheck(): Promise<string[] | undefined>;
  /** The first-run wizard's one call: settings, PIN, first trusted key (or demo mode). */
  firstRun(args: FirstRunArgs): Promise<Settings>;
  /** True while the terminal runs in demo mode (settings) or still trusts a demo authority key. */
  inDemoMode(): boolean;
  /** Refunds (part of) an approved sale of any day: authorised, checked, recorded (refunds.ts). */
  refund(request: RefundRequest): Promise<RefundOutcome>;
  /**
   * Waits (the checkout's waiting timeout) for the customer's phone and verifies its license for
   * a refund (session/refund-tap.ts). Refused while a payment is in progress.
   */
  tapForRefund(refund: { transactionId: string; amount: number; currency: string }): Promise<TapOutcome>;
  /**
   * Switches demo mode off for good: every demo authority key is retired (never trusted again,
   * so no demo license can pass as real money), demo mode is cleared and the simulated phone
   * gives way to PC/SC. Rows already recorded stay as they are (marked demo). Throws
   * AppError('setup_required' | 'conflict') (already off, a payment in progress).
   */
  leaveDemo(): Promise<Settings>;
  /** Reader status of whichever reader is in use (the listener gets the current one at once). */
  onReaderStatus(listener: StatusListener): () => void;
  /** Payment events of whichever controller is in use. */
  onPayment(listener: PaymentListener): () => void;
  /** Settings saved, reader replaced, trust store or revocations changed. */
  onChange(listener: (change: TerminalChange) => void): () => void;
  close(): Promise<void>;
}

function defaultRandom(length: number): Uint8Array {
  return new Uint8Array(randomBytes(length));
}

export async function createTerminal(options: CreateTerminalOptions): Promise<Terminal> {
  const dataDir = options.dataDir;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const clock = options.clock ?? Date.now;
  const random = options.random ?? defaultRandom;
  const env = options.env ?? process.env;
  let fileLogger: FileLogger | undefined;
  const logger = options.logger ?? (fileLogger = createFileLogger({ directory: join(dataDir, 'logs'), clock }));
  const log = logger.child('terminal');

  const opened: { close(): unknown }[] = [];
  try {
    const settings = openSettings(dataDir);
    const initial = settings.get();
    const ledgerPath = join(dataDir, LEDGER_FILE);
    if (!initial.firstRunComplete) refuseSetupOverHistory(settings.path, settings.exists(), ledgerPath, dataDir);
    const pin = openPinService({ dataDir, clock, random, logger, ...(options.pinKdf ? { kdf: options.pinKdf } : {}) });
    const trust = openTrustStoreAdmin({ dataDir, clock, logger });
    const profile = settings.profile();
    // A missing ledger after the first run means it was moved or deleted: refuse rather than start
    // an empty one. Once the settings hold the ledger's id, another file is refused and so is one
    // behind (or without) its chain-head file.
    const ledger = openLedger({
      path: ledgerPath,
      create: !initial.firstRunComplete,
      ...(initial.ledgerId !== undefined ? { expectLedgerId: initial.ledgerId, requireHeadFile: true } : {}),
      terminalId: initial.terminalId,
      merchantId: initial.merchantId,
      timeZone: profile.timeZone,
      cutoffHour: profile.cutoffHour,
      clock,
      random,
      onHeadFileError: (error) => log.error('ledger.head-file-not-written', { error }),
    });
    opened.push(ledger);
    // Made at the first start; after the first run a missing or different key file is refused, never replaced.
    const terminalKey = initial.firstRunComplete ? loadTerminalKey(dataDir, initial.terminalKeyId) : loadOrCreateTerminalKey(dataDir);
    if (initial.firstRunComplete && (initial.ledgerId === undefined || initial.terminalKeyId === undefined)) {
      // Set up before the settings kept them: from now on this ledger and key are the terminal's.
      settings.replace({ ...initial, ledgerId: ledger.ledgerId, terminalKeyId: terminalKey.keyId });
      log.info('terminal.anchored', { ledgerId: ledger.ledgerId, terminalKeyId: terminalKey.keyId });
    }
    const demo = openDemo({ dataDir, clock, random, logger, currency: profile.currency });
    const lastShown = openLastShown(dataDir, (detail) => log.warn('terminal.last-shown-unreadable', { detail }));

    const terminal = new TerminalImpl({
      dataDir,
      clock,
      random,
      env,
      logger,
      settings,
      pin,
      trust,
      ledger,
      terminalKey,
      demo,
      lastShown,
      options,
    });
    terminal.fileLogger = fileLogger;
    await terminal.start();
    terminal.checkLedger();
    log.info('terminal.opened', { dataDir, readerKind: terminal.readerKind(), setupComplete: terminal.isSetupComplete() });
    return terminal;
  } catch (error) {
    for (const resource of opened.reverse()) {
      try {
        resource.close();
      } catch {
        // Already failing: the first error is the one to report.
      }
    }
    log.error('terminal.open-failed', { error });
    fileLogger?.close();
    throw error;
  }
}

interface Parts {
  dataDir: string;
  clock: Clock;
  random: RandomSource;
  env: Record<string, string | undefined>;
  logger: Logger;
  settings: SettingsStore;
  pin: PinService;
  trust: TrustStoreAdmin;
  ledger: Ledger;
  terminalKey: TerminalKey;
  demo: DemoMode;
  lastShown: LastShown;
  options: CreateTerminalOptions;
}

class TerminalImpl implements Terminal {
  readonly dataDir: string;
  readonly version: string;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly logger: Logger;
  readonly settings: SettingsStore;
  readonly pin: PinService;
  readonly trust: TrustStoreAdmin;
  readonly ledger: Ledger;
  readonly terminalKey: TerminalKey;
  readonly demo: DemoMode;
  readonly lastShown: LastShown;
  fileLogger: FileLogger | undefined;
  private ledgerCheckRun: BackgroundCheck | undefined;

  private readonly forcedKind: ReaderKind | undefined;
  private readonly readerProbeMs: number;
  private readonly log: Logger;
  private current: { kind: ReaderKind; reader: ReaderService; payments: PaymentController; unbind: () => void } | undefined;
  private readonly statusListeners = new Set<StatusListener>();
  private readonly paymentListeners = new Set<PaymentListener>();
  private readonly changeListeners = new Set<(change: TerminalChange) => void>();
  private readonly unsubscribe: (() => void)[] = [];
  private swapping: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(parts: Parts) {
    this.dataDir = parts.dataDir;
    this.version = parts.options.version ?? '0.1.0';
    this.clock = parts.clock;
    this.random = parts.random;
    this.logger = parts.logger;
    this.settings = parts.settings;
    this.pin = parts.pin;
    this.trust = parts.trust;
    this.ledger = parts.ledger;
    this.terminalKey = parts.terminalKey;
    this.demo = parts.demo;
    this.lastShown = parts.lastShown;
    this.log = parts.logger.child('terminal');
    this.readerProbeMs = parts.options.readerProbeMs ?? 1500;
    const fromEnv = parts.env.CASHIER_READER;
    this.forcedKind = parts.options.readerKind ?? (fromEnv === 'stub' || fromEnv === 'pcsc' ? fromEnv : undefined);
  }

  get reader(): ReaderService {
    return this.live().reader;
  }

  get payments(): PaymentController {
    return this.live().payments;
  }

  get phone(): StubReaderService | undefined {
    const current = this.live();
    return current.kind === 'stub' ? (current.reader as StubReaderService) : undefined;
  }

  readerKind(): ReaderKind {
    return this.live().kind;
  }

  countries(): readonly CountryProfile[] {
    return listCountries();
  }

  refund(request: RefundRequest): Promise<RefundOutcome> {
    return refundSale(
      {
        ledger: this.ledger,
        pin: this.pin,
        cashierLimit: () => this.settings.get().cashierRefundLimit,
        newId: () => newTransactionId(this.random),
      },
      request,
    );
  }

  async tapForRefund(refund: { transactionId: string; amount: number; currency: string }): Promise<TapOutcome> {
    const snapshot = this.payments.snapshot();
    if (snapshot.stage !== 'idle' && !snapshot.finished) return { ok: false, detail: 'a payment is in progress' };
    const s = this.settings.get();
    const reader = this.reader;
    const card = await waitForPhone(reader, s.waitTimeoutMs);
    if (!card) return { ok: false, detail: `wait_timeout: no phone was tapped within ${Math.round(s.waitTimeoutMs / 1000)} s` };
    card.begin();
    try {
      return await runRefundTap({
        channel: card.channel,
        order: { ...refund, merchantId: s.merchantId, terminalId: s.terminalId, ...(this.inDemoMode() ? { demo: true } : {}) },
        stepTimeoutMs: s.stepTimeoutMs,
        verification: this.verification(),
      });
    } finally {
      card.finish();
    }
  }

  /** Off the start path: the check reads every page of the file (seconds for a large ledger). */
  checkLedger(): void {
    const run = quickCheckInBackground(this.ledger.path);
    this.ledgerCheckRun = run;
    void run.done.then((problems) => {
      if (!problems || problems.length === 0) return;
      const fault = new LedgerError(
        'LEDGER_CORRUPT',
        `${this.ledger.path}: SQLite's quick_check found damage (${problems.slice(0, 3).join('; ')}); nothing more is recorded in it (docs/ledger.md "Integrity at open")`,
      );
      this.ledger.refuseWrites(fault);
      this.log.error('ledger.quick-check-failed', { path: this.ledger.path, problems: problems.slice(0, 20) });
      if (!this.closed) this.emitChange('ledger');
    });
  }

  ledgerCheck(): Promise<string[] | undefined> {
    return this.ledgerCheckRun?.done ?? Promise.resolve(undefined);
  }

  unshownPayment(): LedgerRow | undefined {
    const last = this.ledger.lastSale();
    return last && last.transactionId !== this.lastShown.read() ? last : undefined;
  }

  isSetupComplete(): boolean {
    return this.settings.get().firstRunComplete;
  }

  async start(): Promise<void> {
    this.unsubscribe.push(
      this.settings.onChange((next) => {
        const profile = this.settings.profile();
        this.ledger.setIdentity({ merchantId: next.merchantId, terminalId: next.terminalId });
        this.ledger.setBusinessDay({ timeZone: profile.timeZone, cutoffHour: profile.cutoffHour });
        this.demo.setCurrency(profile.currency);
        this.emitChange('settings');
        void this.applyReaderChoice();
      }),
      this.trust.onChange(() => this.emitChange('trust')),
    );
    // A demo terminal left off for months comes back with demo licenses that still approve.
    if (this.settings.get().demo) this.demo.renewLicensesIfDue();
    await this.installReader(this.preference());
  }

  private live(): NonNullable<TerminalImpl['current']> {
    if (!this.current) throw new AppError('not_available', 'the terminal is closed');
    return this.current;
  }

  /**
   * Which reader the terminal should use. 'auto' exists only before the first run: a PC/SC
   * reader when one is attached, else the simulated phone, so a newcomer without hardware can
   * try demo mode. A configured store always watches PC/SC (readers are hot-plugged), unless it
   * runs in demo mode or chose the stub.
   */
  private preference(): ReaderKind | 'auto' {
    if (this.forcedKind) return this.forcedKind;
    const s = this.settings.get();
    if (s.demo || s.reader.kind === 'stub') return 'stub';
    if (s.reader.kind === 'pcsc' || s.firstRunComplete) return 'pcsc';
    return 'auto';
  }

  /** What a tap is verified against, read afresh for each tap (trust and revocations change). */
  private verification(): VerificationContext {
    return {
      clock: this.clock,
      clockSkewMs: CLOCK_SKEW_MS,
      verifier: nobleVerifier,
      trustStore: this.trust.trustStore(),
      revocations: this.trust.revocations(),
      history: this.ledger,
    };
  }

  private checkoutSettings(): CheckoutSettings {
    const s = this.settings.get();
    const profile = this.settings.profile();
    return {
      merchantId: s.merchantId,
      terminalId: s.terminalId,
      currency: profile.currency,
      waitTimeoutMs: s.waitTimeoutMs,
      stepTimeoutMs: s.stepTimeoutMs,
      // A payment with the simulated phone is never a real one: it is marked DEMO everywhere.
      demo: s.demo || this.current?.kind === 'stub',
    };
  }

  private async createReader(kind: ReaderKind): Promise<ReaderService> {
    const readerLog = this.logger.child('reader');
    if (kind === 'stub') {
      return createStubReaderService({ phoneFor: (scenario) => this.demo.phoneFor(scenario) });
    }
    // Loaded on demand: the PC/SC binding is a native module the stub never needs.
    const { createPcscReaderService } = await import('../reader/pcsc-reader-service');
    const name = this.settings.get().reader.name;
    return createPcscReaderService({ ...(name ? { readerName: name } : {}), log: (message) => readerLog.info('pcsc', { message }) });
  }

  /**
   * A PC/SC reader service when a hardware reader shows up within the probe time, else undefined
   * (closed). vpcd's virtual readers do not count: they exist wherever vsmartcard is installed.
   */
  private async probePcsc(): Promise<ReaderService | undefined> {
    const reader = await this.createReader('pcsc');
    const hasHardware = (): boolean => reader.readers().some((name) => !isVirtualReader(name));
    if (hasHardware()) return reader;
    let off: (() => void) | undefined;
    const found = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), this.readerProbeMs);
      off = reader.onStatus(() => {
        if (!hasHardware()) return;
        clearTimeout(timer);
        resolve(true);
      });
    });
    off?.();
    if (found) return reader;
    await reader.close();
    return undefined;
  }

  private async installReader(preference: ReaderKind | 'auto'): Promise<void> {
    let kind: ReaderKind = preference === 'auto' ? 'pcsc' : preference;
    let reader = preference === 'auto' ? await this.probePcsc() : await this.createReader(kind);
    if (!reader) {
      kind = 'stub';
      reader = await this.createReader(kind);
      this.log.info('terminal.no-pcsc-reader', { using: 'stub' });
    }
    const payments = createPaymentController({
      reader,
      recorder: this.ledger,
      clock: this.clock,
      random: this.random,
      settings: () => this.checkoutSettings(),
      runSession: (channel, order, { stepTimeoutMs, signal }) =>
        runTerminalSession({
          channel,
          order,
          random: this.random,
          stepTimeoutMs,
          signal,
          verification: this.verification(),
        }),
      log: (message) => this.log.info('payment', { message }),
    });
    const offStatus = reader.onStatus((status) => {
      for (const listener of this.statusListeners) safeCall(listener, status);
    });
    const offPayments = payments.subscribe((event) => {
      if (event.type === 'decision') {
        const d = event.decision;
        this.log.info('payment.decision', {
          transactionId: event.transactionId,
          outcome: d.outcome,
          reason: d.outcome === 'declined' ? d.reason : undefined,
          seq: event.recorded?.seq,
        });
      }
      for (const listener of this.paymentListeners) safeCall(listener, event);
    });
    this.current = {
      kind,
      reader,
      payments,
      unbind: () => {
        offStatus();
        offPayments();
      },
    };
  }

  /** Replaces the reader when the settings now want another kind; waits for a payment in progress. */
  private applyReaderChoice(): Promise<void> {
    this.swapping = this.swapping.then(async () => {
      if (this.closed || !this.current) return;
      const wanted = this.preference();
      if (wanted === 'auto') return;
      if (wanted === this.current.kind) {
        if (wanted === 'pcsc') this.current.reader.selectReader(this.settings.get().reader.name);
        return;
      }
      const old = this.current;
      await old.payments.settled();
      if (this.closed) return;
      old.unbind();
      await old.payments.close();
      await old.reader.close();
      this.current = undefined;
      await this.installReader(wanted);
      this.log.info('terminal.reader-replaced', { from: old.kind, to: wanted });
      for (const listener of this.statusListeners) safeCall(listener, this.live().reader.status());
      this.emitChange('reader');
    });
    return this.swapping.catch((error: unknown) => this.log.error('terminal.reader-replace-failed', { error }));
  }

  async firstRun(args: FirstRunArgs): Promise<Settings> {
    if (this.isSetupComplete()) throw new AppError('setup_done', 'the first-run setup is already complete');
    const country = getCountry(args.country);
    for (const [field, schema, value] of [
      ['merchantId', IdentifierSchema, args.merchantId],
      ['merchantName', MerchantNameSchema, args.merchantName],
      ['terminalId', IdentifierSchema, args.terminalId],
      ['pin', PinSchema, args.pin],
    ] as const) {
      const parsed = schema.safeParse(value);
      if (!parsed.success) throw new AppError('invalid_argument', `${field}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    }
    const weak = pinWeakness(args.pin);
    if (weak) throw new AppError('invalid_argument', `pin: ${pinWeaknessMessage(weak)}`);
    const demoMode = args.trust === 'demo';
    // Trust first: a bad key file must fail before anything else is saved.
    if (args.trust === 'demo') {
      this.demo.ensure({ currency: country.currency, trust: this.trust });
    } else if ('token' in args.trust) {
      this.trust.confirmImport(args.trust.token);
    } else {
      this.trust.importEntry(args.trust.entry);
    }
    // A PIN left by an interrupted first run is replaced: setup is not complete, nobody relies on it yet.
    await this.pin.setInitial(args.pin, { replaceUnconfirmed: true });
    const next = this.settings.replace({
      ...this.settings.get(),
      country: country.code,
      merchantId: args.merchantId,
      merchantName: args.merchantName.trim(),
      terminalId: args.terminalId,
      language: args.language ?? country.language,
      demo: demoMode,
      ...(demoMode ? { reader: { kind: 'stub' as const } } : {}),
      firstRunComplete: true,
      ledgerId: this.ledger.ledgerId,
      terminalKeyId: this.terminalKey.keyId,
    });
    this.log.info('terminal.first-run', {
      country: country.code,
      merchantId: next.merchantId,
      terminalId: next.terminalId,
      demo: demoMode,
    });
    await this.swapping;
    return next;
  }

  private activeDemoKeys(): string[] {
    return this.trust
      .list()
      .filter((k) => k.demo && k.retiredAt === undefined)
      .map((k) => k.kid);
  }

  inDemoMode(): boolean {
    const s = this.settings.get();
    return s.firstRunComplete && (s.demo || s.reader.kind === 'stub' || this.activeDemoKeys().length > 0);
  }

  async leaveDemo(): Promise<Settings> {
    if (!this.isSetupComplete()) throw new AppError('setup_required', 'the first-run setup is not complete');
    if (!this.inDemoMode()) throw new AppError('conflict', 'demo mode is already off', { refusal: refusal('demo_already_off') });
    if (this.payments.snapshot().inProgress) {
      throw new AppError('conflict', 'a payment is in progress: finish or cancel it first', { refusal: refusal('payment_in_progress') });
    }
    // Keys first: if saving the settings fails, a retry finds demo mode still on and retires nothing twice.
    const retired = this.activeDemoKeys();
    for (const kid of retired) this.trust.retire(kid);
    const s = this.settings.get();
    const next = this.settings.replace({ ...s, demo: false, reader: s.reader.kind === 'stub' ? { kind: 'pcsc' } : s.reader });
    this.log.info('terminal.demo-off', { retired });
    await this.swapping;
    return next;
  }

  onReaderStatus(listener: StatusListener): () => void {
    this.statusListeners.add(listener);
    if (this.current) safeCall(listener, this.current.reader.status());
    return () => this.statusListeners.delete(listener);
  }

  onPayment(listener: PaymentListener): () => void {
    this.paymentListeners.add(listener);
    return () => this.paymentListeners.delete(listener);
  }

  onChange(listener: (change: TerminalChange) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  private emitChange(change: TerminalChange): void {
    for (const listener of this.changeListeners) safeCall(listener, change);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const off of this.unsubscribe) off();
    await this.ledgerCheckRun?.stop();
    // A reader swap may be waiting for the payment in progress: end it now rather than at its timeout.
    this.current?.payments.cancel();
    await this.swapping.catch(() => undefined);
    const current = this.current;
    this.current = undefined;
    if (current) {
      current.unbind();
      await current.payments.close().catch((error: unknown) => this.log.error('terminal.close', { error }));
      await current.reader.close().catch((error: unknown) => this.log.error('terminal.close', { error }));
    }
    this.ledger.close();
    this.statusListeners.clear();
    this.paymentListeners.clear();
    this.changeListeners.clear();
    this.log.info('terminal.closed');
    this.fileLogger?.close();
  }
}

/**
 * The first-run wizard never runs over a ledger that holds rows: settings.json missing (or never
 * completed) next to a terminal's history means it was lost, and a new setup would take a new
 * merchant, terminal id and PIN over that history.
 */
function refuseSetupOverHistory(settingsPath: string, settingsExist: boolean, ledgerPath: string, dataDir: string): void {
  if (!existsSync(ledgerPath)) return;
  const peek = openLedger({ path: ledgerPath, readOnly: true, terminalId: '', merchantId: '', timeZone: 'UTC', cutoffHour: 0 });
  let head: { seq: number };
  try {
    head = peek.head();
  } finally {
    peek.close();
  }
  if (head.seq === 0) return;
  throw new SettingsError(
    'missing',
    settingsPath,
    `${settingsPath} is ${settingsExist ? 'not complete' : 'missing'}, but ${ledgerPath} holds ${head.seq} rows of ledger ${peek.ledgerId}: ` +
      `the first-run setup will not run over them. Recover the settings with the manager PIN: npm run cli -- ledger adopt --data-dir ${dataDir} --pin PIN --country CC --reason TEXT (docs/app-services.md)`,
  );
}

function safeCall<T>(listener: (value: T) => void, value: T): void {
  try {
    listener(value);
  } catch {
    // One subscriber's failure never reaches the reader, the controller or another subscriber.
  }
}
