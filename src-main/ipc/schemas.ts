// The contract's values as zod schemas: every argument and result a request carries, and the
// TypeScript types inferred from them. No Node or Electron: type-checked with the renderer too,
// which imports the types only (the schemas run in main and the preload).
import { z } from 'zod';
import type { LineItem, PaymentStage, ReaderStatus } from '../domain/payment';
import { REASON_CODES } from '../domain/reasons';
import { REFUND_REFUSALS } from '../domain/refunds';
import { VERIFY_PROBLEM_CODES } from '../export/verify-problems';
import {
  DESCRIPTION_MAX,
  IDENTIFIER,
  LANGUAGES,
  MAX_AMOUNT_MINOR,
  MAX_ITEMS,
  PIN_MAX_LENGTH,
  PIN_MIN_LENGTH,
  WAIT_TIMEOUT_MAX_MS,
  WAIT_TIMEOUT_MIN_MS,
} from './constants';

// ---------------------------------------------------------------------------------------------
// Shared building blocks
// ---------------------------------------------------------------------------------------------

const epochMs = z.number().int().nonnegative();
const minorAmount = z.int().min(0).max(MAX_AMOUNT_MINOR);
/** How long "Present phone" waits for a tap (ms); the settings and their update share the bounds. */
const waitTimeoutMs = z.int().min(WAIT_TIMEOUT_MIN_MS).max(WAIT_TIMEOUT_MAX_MS);
/** Bound on each APDU round trip (ms). */
const stepTimeoutMs = z.int().min(200).max(30_000);
/**
 * A sum of many amounts (report and export totals): not bounded by the one-sale maximum, only by
 * what a double holds exactly.
 */
const summedAmount = z.int().min(0).max(Number.MAX_SAFE_INTEGER);
const currencyCode = z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 alpha code, e.g. "CNY"');
export const businessDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'business date YYYY-MM-DD');
export const transactionId = z.string().regex(/^[0-9a-f]{32}$/, '32 lowercase hex characters');
const shortText = (max: number) => z.string().trim().min(1).max(max);
const pin = z.string().regex(new RegExp(`^\\d{${PIN_MIN_LENGTH},${PIN_MAX_LENGTH}}$`), `PIN of ${PIN_MIN_LENGTH}-${PIN_MAX_LENGTH} digits`);
/** Text the manager pastes instead of choosing a file (trust-store entry, revocation list). */
const pastedDocument = z
  .string()
  .min(1)
  .max(256 * 1024);
export const noArgs = z.undefined();

export const ReasonCodeSchema = z.enum(REASON_CODES);
export const LanguageSchema = z.enum(LANGUAGES);

export const LineItemSchema = z.strictObject({
  description: shortText(DESCRIPTION_MAX),
  quantity: z.int().min(1).max(9999),
  unitPrice: minorAmount,
});

export const ReaderStatusSchema = z.object({
  state: z.enum(['no-service', 'no-reader', 'ready', 'phone-detected', 'processing', 'remove-phone']),
  readerName: z.string().optional(),
  kind: z.enum(['pcsc', 'stub']),
});

export const PaymentStageSchema = z.enum([
  'present-phone',
  'processing',
  'see-phone',
  'approved',
  'declined',
  'remove-phone',
  'cancelled',
  'timed-out',
]);

// ---------------------------------------------------------------------------------------------
// Payment
// ---------------------------------------------------------------------------------------------

export const StartPaymentArgsSchema = z
  .strictObject({
    amount: z.int().min(1).max(MAX_AMOUNT_MINOR),
    items: z.array(LineItemSchema).min(1).max(MAX_ITEMS).optional(),
  })
  .refine((a) => !a.items || a.items.reduce((sum, i) => sum + i.quantity * i.unitPrice, 0) === a.amount, {
    message: 'line items do not add up to the amount',
    path: ['items'],
  });

/** What the screen needs to show a receipt; printed in 58 mm (32 columns) or 80 mm (48 columns). */
/** What a refund receipt says beyond the refund's own amount (src-main/app/refunds.ts). */
export const RefundReceiptSchema = z.object({
  /** The sale refunded: its id, business day, time and amount. */
  original: z.object({ transactionId, businessDate, time: epochMs, amount: minorAmount }),
  /** What is left to refund of the sale after this refund. */
  remainder: minorAmount,
  reason: z.string().optional(),
  authorisedBy: z.enum(['manager', 'cashier']),
  /** The customer tapped the phone at the refund and its license verified: the account is a fact of now. */
  accountVerifiedByTap: z.boolean(),
});

export const ReceiptSchema = z.object({
  transactionId,
  kind: z.enum(['sale', 'void', 'refund']),
  status: z.enum(['approved', 'declined', 'voided', 'refunded']),
  reason: ReasonCodeSchema.optional(),
  merchantId: z.string(),
  merchantName: z.string(),
  terminalId: z.string(),
  time: epochMs,
  timeZone: z.string(),
  locale: z.string(),
  amount: minorAmount,
  currency: currencyCode,
  minorUnits: z.int().min(0).max(4),
  items: z.array(LineItemSchema).optional(),
  maskedAccount: z.string().optional(),
  licenseSerial: z.string().optional(),
  appCounter: z.int().nonnegative().optional(),
  /** Ledger sequence number of the row behind this receipt. */
  seq: z.int().nonnegative().optional(),
  /** Transaction the void cancels. */
  voidOf: transactionId.optional(),
  /** Refund receipts: the sale, the remainder, who authorised it. */
  refund: RefundReceiptSchema.optional(),
  demo: z.boolean(),
  paperWidth: z.union([z.literal(58), z.literal(80)]),
  /**
   * The row's signed receipt code, shown and printed as a QR code (docs/ledger.md "Receipt
   * code"); absent when no ledger row stands behind the receipt (nothing was recorded).
   */
  code: z.string().max(400).optional(),
});

/** A decision as the cashier sees it; sent with the `decision` event and kept on the payment. */
export const DecisionViewSchema = z.object({
  transactionId,
  outcome: z.enum(['approved', 'declined']),
  reason: ReasonCodeSchema.optional(),
  /** Technical detail for the log and the manager; the cashier sees the translated reason. */
  detail: z.string().optional(),
  amount: minorAmount,
  currency: currencyCode,
  maskedAccount: z.string().optional(),
  licenseSerial: z.string().optional(),
  appCounter: z.int().nonnegative().optional(),
  decidedAt: epochMs,
  demo: z.boolean(),
  receipt: ReceiptSchema,
});

/** Main owns the payment; the screen (re-)attaches to this snapshot after a reload. */
export const PaymentSnapshotSchema = z.object({
  transactionId,
  amount: minorAmount,
  currency: currencyCode,
  items: z.array(LineItemSchema).optional(),
  stage: PaymentStageSchema,
  startedAt: epochMs,
  /** When the waiting timeout ends while the stage is present-phone (epoch ms). */
  waitingDeadline: epochMs.optional(),
  /** True once the payment reached its end (approved, declined, cancelled, timed-out) and the phone is gone. */
  finished: z.boolean(),
  decision: DecisionViewSchema.optional(),
  /**
   * A tap that did not count while the sale stays open: 'see_phone' (unlock the phone),
   * 'not_payment_phone', 'multiple_cards'; show its cashier message and keep waiting.
   */
  notice: ReasonCodeSchema.optional(),
  demo: z.boolean(),
});

// ---------------------------------------------------------------------------------------------
// Simulated phone (demo mode and UI tests; refused with `not_available` on a real reader)
// ---------------------------------------------------------------------------------------------

export const PhoneScenarioSchema = z.object({
  name: z.string(),
  /** What the terminal should decide for this tap; 'none' when the tap never reaches a decision. */
  expect: z.enum(['approved', 'declined', 'none']),
  reason: ReasonCodeSchema.optional(),
  /** Human description for the demo panel (English, from the wallet's scenario catalogue). */
  description: z.string(),
});
export const PhoneTapArgsSchema = z.strictObject({
  scenario: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[a-z0-9-]+$/),
});

// ---------------------------------------------------------------------------------------------
// Settings, countries, first-run wizard
// ---------------------------------------------------------------------------------------------

export const CountryProfileSchema = z.object({
  code: z.string().regex(/^[A-Z]{2}$/),
  /** English name; the screen may show Intl.DisplayNames in its own language instead. */
  name: z.string(),
  currency: currencyCode,
  minorUnits: z.int().min(0).max(4),
  locale: z.string(),
  timeZone: z.string(),
  /** Business day starts at this local hour (0-23); earlier sales belong to the day before. */
  cutoffHour: z.int().min(0).max(23),
  /** Interface language offered by default in this country. */
  language: LanguageSchema,
});

export const PrinterSettingsSchema = z.strictObject({
  /** System printer for silent printing; absent = the system print dialog. */
  name: z.string().min(1).max(200).optional(),
  paperWidth: z.union([z.literal(58), z.literal(80)]),
});

export const ReaderChoiceSchema = z.strictObject({
  kind: z.enum(['auto', 'stub', 'pcsc']),
  /** PC/SC reader name; absent = the usable reader is picked automatically. */
  name: z.string().min(1).max(200).optional(),
});

/** Store-specific exceptions to the country profile. */
export const ProfileOverridesSchema = z.strictObject({
  currency: currencyCode.optional(),
  timeZone: z.string().min(1).max(64).optional(),
  cutoffHour: z.int().min(0).max(23).optional(),
});

const identifier = z.string().regex(IDENTIFIER, 'use 1-32 letters, digits, ".", "_" or "-", starting with a letter or digit');
const merchantName = shortText(64);
/** An http(s) address without credentials, query or fragment, or '' for none (main checks it again). */
const settlementAddress = z
  .string()
  .trim()
  .max(200)
  .regex(/^$|^https?:\/\/[^\s/?#@]+(\/[^\s?#]*)?$/, 'use an http:// or https:// address, or leave it empty');
const countryCode = z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2 country code');

export const SettingsSchema = z.object({
  merchantId: z.string(),
  merchantName: z.string(),
  terminalId: z.string(),
  country: z.string(),
  overrides: ProfileOverridesSchema,
  language: LanguageSchema,
  reader: ReaderChoiceSchema,
  waitTimeoutMs,
  stepTimeoutMs,
  printer: PrinterSettingsSchema,
  kiosk: z.boolean(),
  /** Where "Send to settlement" uploads a business day; '' = none (the terminal stays offline). */
  settlementAddress: z.string(),
  demo: z.boolean(),
  firstRunComplete: z.boolean(),
  /** Minor units a cashier may refund without the manager PIN (0: every refund needs it). */
  cashierRefundLimit: minorAmount,
});

/** What a manager may change; demo and first-run state are set by the wizard only. */
export const SettingsUpdateSchema = z
  .strictObject({
    merchantId: identifier,
    merchantName,
    terminalId: identifier,
    country: countryCode,
    overrides: ProfileOverridesSchema,
    language: LanguageSchema,
    reader: ReaderChoiceSchema,
    waitTimeoutMs,
    stepTimeoutMs,
    printer: PrinterSettingsSchema,
    kiosk: z.boolean(),
    cashierRefundLimit: minorAmount,
    settlementAddress: settlementAddress,
  })
  .partial()
  .refine((u) => Object.keys(u).length > 0, { message: 'nothing to update' });

/** The profile fields a business-day preview takes; absent = as saved now. */
export const BusinessDayPreviewArgsSchema = z.strictObject({
  country: countryCode.optional(),
  overrides: ProfileOverridesSchema.optional(),
});
const BusinessDayRulesSchema = z.object({
  /** The business date the next sale is recorded under. */
  businessDate,
  timeZone: z.string(),
  cutoffHour: z.int().min(0).max(23),
  currency: currencyCode,
});
/** What saving a country / time zone / business-day start change would do, now. */
export const BusinessDayChangeSchema = z.object({
  now: epochMs,
  current: BusinessDayRulesSchema,
  next: BusinessDayRulesSchema,
  /** Sales and voids already recorded in the open business day. */
  openDayTransactions: z.int().nonnegative(),
  /** What differs (empty: nothing to warn about). */
  changes: z.array(z.enum(['timeZone', 'cutoffHour', 'currency', 'businessDate'])),
});

export const AppStateSchema = z.object({
  setupComplete: z.boolean(),
  demo: z.boolean(),
  language: LanguageSchema,
  readerKind: z.enum(['pcsc', 'stub']),
  version: z.string(),
  /** The active country profile (currency formatting for the whole UI); undefined before setup. */
  country: CountryProfileSchema.optional(),
  merchantName: z.string().optional(),
  terminalId: z.string().optional(),
  /** The ledger file's path once the check after the start found it damaged: nothing more is recorded. */
  ledgerDamaged: z.string().optional(),
});

/** Demo mode as the manager's settings show it. */
export const DemoStatusSchema = z.object({
  /** Demo mode is on (or a demo authority key is still trusted): it can be switched off. */
  active: z.boolean(),
  /** When the simulated phones' demo licenses were issued and expire (renewed automatically). */
  licensesIssuedAt: epochMs.optional(),
  licensesExpireAt: epochMs.optional(),
  /** Real (non-demo) authority keys trusted now; 0 = every real payment would be declined. */
  realKeys: z.int().nonnegative(),
});

export const WizardCompleteArgsSchema = z.strictObject({
  country: countryCode,
  merchantId: identifier,
  merchantName,
  terminalId: identifier,
  pin,
  language: LanguageSchema,
  /** Token from `previewTrustKey`, or 'demo' to trust the built-in demo authority (demo mode only). */
  trustKey: z.union([z.strictObject({ token: z.string().min(1).max(128) }), z.literal('demo')]),
});

// ---------------------------------------------------------------------------------------------
// PIN and manager session
// ---------------------------------------------------------------------------------------------

export const PinStatusSchema = z.object({
  locked: z.boolean(),
  /** While locked: when the next try is accepted (epoch ms). */
  lockedUntil: epochMs.optional(),
  failedAttempts: z.int().nonnegative(),
  /** Wrong tries left before the next lockout. */
  remainingAttempts: z.int().nonnegative(),
});

export const ManagerSessionSchema = z.object({
  active: z.boolean(),
  expiresAt: epochMs.optional(),
});

export const UnlockArgsSchema = z.strictObject({ pin });
export const UnlockResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), session: ManagerSessionSchema }),
  z.object({ ok: z.literal(false), reason: z.enum(['wrong_pin', 'locked']), pin: PinStatusSchema }),
]);
export const ChangePinArgsSchema = z
  .strictObject({ currentPin: pin, newPin: pin })
  .refine((a) => a.currentPin !== a.newPin, { message: 'the new PIN must differ from the current one', path: ['newPin'] });

// ---------------------------------------------------------------------------------------------
// Business-day log, reports, void, export
// ---------------------------------------------------------------------------------------------

export const LogEntrySchema = z.object({
  seq: z.int().nonnegative(),
  transactionId,
  type: z.enum(['sale', 'void', 'refund']),
  status: z.enum(['approved', 'declined', 'voided', 'refunded']),
  reason: ReasonCodeSchema.optional(),
  amount: minorAmount,
  currency: currencyCode,
  maskedAccount: z.string().optional(),
  licenseSerial: z.string().optional(),
  /** With the account or serial: false when they are only the phone's claim (a decline before its license verified). */
  licenseFactsVerified: z.boolean().optional(),
  appCounter: z.int().nonnegative().optional(),
  recordedAt: epochMs,
  businessDate,
  demo: z.boolean(),
  /** For a void row: the sale it cancels. */
  voidOf: transactionId.optional(),
  /** For a void row: why the manager voided the sale (kept in the row). */
  voidReason: z.string().optional(),
  /** For an approved sale: true once a void row names it. */
  voided: z.boolean(),
  /** For a refund row: the sale it refunds. */
  refundOf: transactionId.optional(),
  /** For a sale: what its refunds add up to so far (absent when none). */
  refunded: minorAmount.optional(),
});

export const LogFilterSchema = z
  .strictObject({
    /** Defaults to the current business day. */
    businessDate: businessDate.optional(),
    status: z.enum(['approved', 'declined', 'voided', 'refunded']).optional(),
    reason: ReasonCodeSchema.optional(),
    /** Matches the start of a transaction id, or a masked account / license serial substring. */
    search: z.string().trim().min(1).max(64).optional(),
    minAmount: minorAmount.optional(),
    maxAmount: minorAmount.optional(),
    limit: z.int().min(1).max(500).default(200),
    offset: z.int().min(0).default(0),
  })
  .prefault({});

export const LogPageSchema = z.object({
  businessDate,
  entries: z.array(LogEntrySchema),
  total: z.int().nonnegative(),
});

const CurrencyTotalsSchema = z.object({
  currency: currencyCode,
  approvedCount: z.int().nonnegative(),
  approvedTotal: summedAmount,
  voidCount: z.int().nonnegative(),
  voidTotal: summedAmount,
  /** Refunds recorded this day (of sales of this or any earlier day). */
  refundCount: z.int().nonnegative(),
  refundTotal: summedAmount,
  /** Approved minus voided minus refunded. */
  netTotal: z.int(),
  declinedCount: z.int().nonnegative(),
  declinedTotal: summedAmount,
});

export const ReportSchema = z.object({
  kind: z.enum(['X', 'Z']),
  businessDate,
  terminalId: z.string(),
  merchantId: z.string(),
  /** Z number: grows by one with every closed day; absent on an X report. */
  zNumber: z.int().positive().optional(),
  generatedAt: epochMs,
  counts: z.object({
    approved: z.int().nonnegative(),
    declined: z.int().nonnegative(),
    voided: z.int().nonnegative(),
    refunded: z.int().nonnegative(),
  }),
  /** Money of real (non-demo) rows, per currency. */
  totals: z.array(CurrencyTotalsSchema),
  /** Demo rows, kept apart from the money. */
  demoTotals: z.array(CurrencyTotalsSchema),
  declinesByReason: z.array(z.object({ reason: ReasonCodeSchema, count: z.int().positive() })),
  firstTransactionAt: epochMs.optional(),
  lastTransactionAt: epochMs.optional(),
  /** Hex hash of the last ledger row covered. */
  chainHead: z.string().optional(),
  /** True when the day holds demo rows (their money is in demoTotals, never in totals). */
  demo: z.boolean(),
  /** Paper the report prints on (the printer settings when it was made). */
  paperWidth: z.union([z.literal(58), z.literal(80)]),
});

export const ReportArgsSchema = z.strictObject({ businessDate: businessDate.optional() }).optional();
export const VoidArgsSchema = z.strictObject({
  transactionId,
  /** Why the sale is voided (kept in the ledger row); default "voided by manager". */
  reason: shortText(200).optional(),
});
export const ExportArgsSchema = z.strictObject({ businessDate: businessDate.optional() }).optional();

// Refunds (src-main/app/refunds.ts; refusal codes in src-main/domain/refunds.ts)
export const RefundRefusalSchema = z.enum(REFUND_REFUSALS);

/** A scanned or typed receipt transaction id, or a receipt's QR text holding one. */
export const FindSaleArgsSchema = z.strictObject({ text: z.string().trim().min(1).max(2000) });

export const RefundableSaleSchema = z.object({
  transactionId,
  businessDate,
  time: epochMs,
  status: z.enum(['approved', 'declined']),
  amount: minorAmount,
  currency: currencyCode,
  minorUnits: z.int().min(0).max(4),
  maskedAccount: z.string().optional(),
  demo: z.boolean(),
  voided: z.boolean(),
  /** What its refunds add up to so far, and what is left (0 for a declined or voided sale). */
  refunded: minorAmount,
  remainder: minorAmount,
  refunds: z.array(z.object({ transactionId, amount: minorAmount, businessDate, authorisedBy: z.enum(['manager', 'cashier']) })),
});

export const FindSaleResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), sale: RefundableSaleSchema }),
  z.object({ ok: z.literal(false), reason: RefundRefusalSchema, detail: z.string() }),
]);

export const RefundArgsSchema = z.strictObject({
  transactionId,
  /** Minor units of the sale's currency, at most its remainder. */
  amount: z.int().min(1).max(MAX_AMOUNT_MINOR),
  reason: shortText(200).optional(),
  /** cashierRefund only: the manager PIN, for more than the cashier allowance. */
  pin: pin.optional(),
  /** Ask the customer to tap the phone, so the receipt shows the account as a verified fact. */
  tap: z.boolean().default(false),
});

export const RefundResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), receipt: ReceiptSchema }),
  z.object({ ok: z.literal(false), reason: RefundRefusalSchema, detail: z.string() }),
]);

/**
 * What kind of problem verify-export found: verify-export's own codes (one list, in
 * src-main/export/verify-problems.ts); the screen words each in the interface language.
 */
export const VERIFICATION_PROBLEM_CODES = VERIFY_PROBLEM_CODES;
export const VerificationProblemCodeSchema = z.enum(VERIFICATION_PROBLEM_CODES);

/** verify-export's result as figures and coded problems (src-main/ipc/verification-view.ts). */
export const VerificationSchema = z.object({
  ok: z.boolean(),
  rows: z.int().nonnegative(),
  /** Sales and voids checked. */
  transactions: z.int().nonnegative(),
  approvalsVerified: z.int().nonnegative(),
  licenses: z.int().nonnegative(),
  /** Number of problems found (`problems` may hold fewer). */
  problemCount: z.int().nonnegative(),
  /** Fingerprint of the terminal key that signed the manifest (for reading aloud to settlement). */
  terminalKeyFingerprint: z.string().optional(),
  /** True when the signer was checked to be this terminal's key. */
  terminalKeyPinned: z.boolean(),
  /** One entry per problem (empty when ok): its code, and verify-export's line (technical, English). */
  problems: z.array(z.object({ code: VerificationProblemCodeSchema, detail: z.string() })),
});

export const ExportResultSchema = z.discriminatedUnion('cancelled', [
  z.object({ cancelled: z.literal(true) }),
  z.object({
    cancelled: z.literal(false),
    businessDate,
    folder: z.string(),
    /** Absolute paths of the files written. */
    files: z.array(z.string()),
    verification: VerificationSchema,
  }),
]);

/**
 * How "Send to settlement" ended; `not_configured` when no settlement address is set, `day_open`
 * when the business day is not closed yet (only closed days are sent).
 */
export const SETTLEMENT_OUTCOMES = ['stored', 'already_held', 'refused', 'unreachable', 'not_configured', 'day_open'] as const;
/** What became of the signed revocation list in the service's answer. */
export const SETTLEMENT_REVOCATION_OUTCOMES = ['none', 'imported', 'not_newer', 'refused'] as const;

export const SettlementSendResultSchema = z.object({
  outcome: z.enum(SETTLEMENT_OUTCOMES),
  businessDate,
  /** The address the day went to ('' when none is set). */
  address: z.string(),
  /** stored / already_held: rows the service holds for the day, findings this upload raised. */
  rows: z.int().nonnegative().optional(),
  findings: z.int().nonnegative().optional(),
  /**
   * refused: the service's stable code (docs/settlement.md); unreachable: network, timeout or
   * not_settlement (the address answers, but not as a settlement service).
   */
  code: z.string().optional(),
  /** The service's or the network's own words (English, technical). */
  message: z.string().optional(),
  /** refused with VERIFICATION_FAILED: verify-export's coded problems, as the service found them. */
  problems: z.array(z.object({ code: z.string(), detail: z.string() })).optional(),
  revocations: z.object({
    outcome: z.enum(SETTLEMENT_REVOCATION_OUTCOMES),
    licenseSerials: z.int().nonnegative().optional(),
    authorityKids: z.int().nonnegative().optional(),
    issuedAt: epochMs.optional(),
    /** refused: why the terminal did not take the list. */
    message: z.string().optional(),
  }),
});

// ---------------------------------------------------------------------------------------------
// Trust store and revocation list
// ---------------------------------------------------------------------------------------------

/** Without `text`, main opens the platform's file dialog. */
export const ImportDocumentArgsSchema = z.strictObject({ text: pastedDocument.optional() }).optional();

export const TrustKeySchema = z.object({
  kid: z.string(),
  /** SHA-256 of the public key, upper-case hex in groups of four, for reading aloud. */
  fingerprint: z.string(),
  algorithm: z.string(),
  label: z.string().optional(),
  notBefore: epochMs.optional(),
  notAfter: epochMs.optional(),
  addedAt: epochMs,
  retiredAt: epochMs.optional(),
  demo: z.boolean(),
  status: z.enum(['active', 'retired', 'revoked', 'expired', 'not-yet-valid']),
});

export const TrustKeyPreviewSchema = z.object({
  /** Opaque, single-use token naming the parsed key held by main until confirmed. */
  token: z.string(),
  kid: z.string(),
  fingerprint: z.string(),
  algorithm: z.string(),
  label: z.string().optional(),
  notBefore: epochMs.optional(),
  notAfter: epochMs.optional(),
  /** True when a key with this kid is already in the store. */
  alreadyPresent: z.boolean(),
});
export const TrustPreviewResultSchema = z.discriminatedUnion('cancelled', [
  z.object({ cancelled: z.literal(true) }),
  z.object({ cancelled: z.literal(false), preview: TrustKeyPreviewSchema }),
]);
export const ConfirmTrustKeyArgsSchema = z.strictObject({ token: z.string().min(1).max(128) });
export const RetireTrustKeyArgsSchema = z.strictObject({ kid: z.string().min(1).max(128) });

export const RevocationImportResultSchema = z.discriminatedUnion('cancelled', [
  z.object({ cancelled: z.literal(true) }),
  z.object({
    cancelled: z.literal(false),
    licenseSerials: z.int().nonnegative(),
    authorityKids: z.int().nonnegative(),
    issuedAt: epochMs.optional(),
  }),
]);

// ---------------------------------------------------------------------------------------------
// Receipts and printing
// ---------------------------------------------------------------------------------------------

/** The receipt exactly as the screen laid it out (src-renderer/lib/receipt.ts), one string per line. */
export const PrintArgsSchema = z.strictObject({
  transactionId,
  lines: z.array(z.string().max(64)).min(1).max(400),
  paperWidth: z.union([z.literal(58), z.literal(80)]),
});
/** An X or Z report exactly as the screen laid it out (src-renderer/lib/report.ts). */
export const PrintReportArgsSchema = z
  .strictObject({
    kind: z.enum(['X', 'Z']),
    businessDate,
    /** The Z report's number; absent on an X report. */
    zNumber: z.int().positive().optional(),
    lines: z.array(z.string().max(64)).min(1).max(400),
    paperWidth: z.union([z.literal(58), z.literal(80)]),
  })
  .refine((a) => (a.kind === 'Z') === (a.zNumber !== undefined), {
    message: 'a Z report has a Z number, an X report none',
    path: ['zNumber'],
  });
export const PrintResultSchema = z.object({
  printed: z.boolean(),
  /** Printer used, when known (silent printing). */
  deviceName: z.string().optional(),
  /** Why nothing was printed (dialog cancelled, no printer): a short technical note. */
  failure: z.string().optional(),
});

/**
 * The newest sale when the cashier never saw its decision (the app died between recording and
 * showing it): the checkout shows "Last payment: approved, 12.34, 10:42" until acknowledged.
 */
export const UnshownPaymentSchema = z.object({
  transactionId,
  outcome: z.enum(['approved', 'declined']),
  reason: ReasonCodeSchema.optional(),
  amount: z.int().positive(),
  currency: z.string().regex(/^[A-Z]{3}$/),
  minorUnits: z.int().nonnegative(),
  time: epochMs,
  demo: z.boolean(),
});

// Named types for the renderer.
export type LineItemInput = z.input<typeof LineItemSchema>;
export type StartPaymentArgs = z.input<typeof StartPaymentArgsSchema>;
export type PaymentSnapshot = z.output<typeof PaymentSnapshotSchema>;
export type DecisionView = z.output<typeof DecisionViewSchema>;
export type Receipt = z.output<typeof ReceiptSchema>;
export type PhoneScenario = z.output<typeof PhoneScenarioSchema>;
export type UnshownPayment = z.output<typeof UnshownPaymentSchema>;
export type CountryProfile = z.output<typeof CountryProfileSchema>;
export type Settings = z.output<typeof SettingsSchema>;
export type SettingsUpdate = z.input<typeof SettingsUpdateSchema>;
export type PrinterSettings = z.output<typeof PrinterSettingsSchema>;
export type ReaderChoice = z.output<typeof ReaderChoiceSchema>;
export type PrintArgs = z.input<typeof PrintArgsSchema>;
export type PrintReportArgs = z.input<typeof PrintReportArgsSchema>;
export type AppState = z.output<typeof AppStateSchema>;
export type DemoStatus = z.output<typeof DemoStatusSchema>;
export type BusinessDayChange = z.output<typeof BusinessDayChangeSchema>;
export type WizardCompleteArgs = z.input<typeof WizardCompleteArgsSchema>;
export type PinStatus = z.output<typeof PinStatusSchema>;
export type ManagerSession = z.output<typeof ManagerSessionSchema>;
export type UnlockResult = z.output<typeof UnlockResultSchema>;
export type LogEntry = z.output<typeof LogEntrySchema>;
export type LogFilter = z.input<typeof LogFilterSchema>;
export type LogPage = z.output<typeof LogPageSchema>;
export type Report = z.output<typeof ReportSchema>;
export type Verification = z.output<typeof VerificationSchema>;
export type VerificationProblemCode = z.output<typeof VerificationProblemCodeSchema>;
export type ExportResult = z.output<typeof ExportResultSchema>;
export type SettlementSendResult = z.output<typeof SettlementSendResultSchema>;
export type TrustKey = z.output<typeof TrustKeySchema>;
export type TrustKeyPreview = z.output<typeof TrustKeyPreviewSchema>;
export type TrustPreviewResult = z.output<typeof TrustPreviewResultSchema>;
export type RevocationImportResult = z.output<typeof RevocationImportResultSchema>;
export type PrintResult = z.output<typeof PrintResultSchema>;
export type ReaderStatusView = z.output<typeof ReaderStatusSchema>;

// The contract's schemas describe the shared domain types exactly (checked at compile time).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const domainTypesMatch: [
  Same<z.output<typeof LineItemSchema>, LineItem>,
  Same<z.output<typeof PaymentStageSchema>, PaymentStage>,
  Same<z.output<typeof ReaderStatusSchema>, ReaderStatus>,
] = [true, true, true];
void domainTypesMatch;
export type RefundRefusalCode = z.output<typeof RefundRefusalSchema>;
export type RefundableSale = z.output<typeof RefundableSaleSchema>;
export type FindSaleResult = z.output<typeof FindSaleResultSchema>;
export type RefundArgs = z.input<typeof RefundArgsSchema>;
export type RefundResult = z.output<typeof RefundResultSchema>;
