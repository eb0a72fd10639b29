// The request table and the events: for each request who may call it (access.ts says what
// each level means), the schema of its argument and of its result; for each event its payload;
// and the channel names main and the preload use. The renderer imports the types only.
import { z } from 'zod';
import type { Access } from './access';
import {
  AppStateSchema,
  BusinessDayChangeSchema,
  BusinessDayPreviewArgsSchema,
  businessDate,
  ChangePinArgsSchema,
  ConfirmTrustKeyArgsSchema,
  CountryProfileSchema,
  DecisionViewSchema,
  DemoStatusSchema,
  ExportArgsSchema,
  ExportResultSchema,
  FindSaleArgsSchema,
  FindSaleResultSchema,
  ImportDocumentArgsSchema,
  LanguageSchema,
  LogEntrySchema,
  LogFilterSchema,
  LogPageSchema,
  ManagerSessionSchema,
  noArgs,
  PaymentSnapshotSchema,
  PhoneScenarioSchema,
  PhoneTapArgsSchema,
  PinStatusSchema,
  PrintArgsSchema,
  PrintReportArgsSchema,
  PrintResultSchema,
  ReaderStatusSchema,
  ReceiptSchema,
  RefundArgsSchema,
  RefundResultSchema,
  ReportArgsSchema,
  ReportSchema,
  RetireTrustKeyArgsSchema,
  RevocationImportResultSchema,
  SettingsSchema,
  SettingsUpdateSchema,
  SettlementSendResultSchema,
  StartPaymentArgsSchema,
  transactionId,
  TrustKeySchema,
  TrustPreviewResultSchema,
  UnlockArgsSchema,
  UnlockResultSchema,
  UnshownPaymentSchema,
  VoidArgsSchema,
  WizardCompleteArgsSchema,
} from './schemas';

// ---------------------------------------------------------------------------------------------
// The request table
// ---------------------------------------------------------------------------------------------

function request<A extends z.ZodType, R extends z.ZodType>(access: Access, args: A, result: R) {
  return { access, args, result };
}

export const REQUESTS = {
  // App and first run
  appState: request('anyone', noArgs, AppStateSchema),
  listCountries: request('anyone', noArgs, z.array(CountryProfileSchema)),
  completeSetup: request('setup', WizardCompleteArgsSchema, AppStateSchema),
  setLanguage: request('anyone', z.strictObject({ language: LanguageSchema }), AppStateSchema),

  // Payment
  startPayment: request('anyone', StartPaymentArgsSchema, PaymentSnapshotSchema),
  cancelPayment: request('anyone', noArgs, PaymentSnapshotSchema.nullable()),
  currentPayment: request('anyone', noArgs, PaymentSnapshotSchema.nullable()),
  readerStatus: request('anyone', noArgs, ReaderStatusSchema),
  /** The newest sale if its decision was never on the screen (docs/ipc.md), else null. */
  unshownPayment: request('anyone', noArgs, UnshownPaymentSchema.nullable()),
  /** The decision of this payment is on the cashier's screen (or acknowledged as "Last payment"). */
  paymentShown: request('anyone', z.strictObject({ transactionId }), z.null()),

  // Simulated phone
  phoneScenarios: request('demo', noArgs, z.array(PhoneScenarioSchema)),
  phoneTap: request('demo', PhoneTapArgsSchema, z.null()),
  phoneRemove: request('demo', noArgs, z.null()),

  // Receipts
  lastReceipt: request('anyone', noArgs, ReceiptSchema.nullable()),
  getReceipt: request('manager', z.strictObject({ transactionId }), ReceiptSchema),
  printReceipt: request('anyone', PrintArgsSchema, PrintResultSchema),

  // PIN and manager session
  pinStatus: request('anyone', noArgs, PinStatusSchema),
  unlockManager: request('anyone', UnlockArgsSchema, UnlockResultSchema),
  lockManager: request('anyone', noArgs, ManagerSessionSchema),
  managerSession: request('anyone', noArgs, ManagerSessionSchema),
  changePin: request('manager', ChangePinArgsSchema, z.null()),

  // Settings
  getSettings: request('anyone', noArgs, SettingsSchema),
  updateSettings: request('manager', SettingsUpdateSchema, SettingsSchema),
  listReaders: request('manager', noArgs, z.array(z.string())),
  businessDayPreview: request('manager', BusinessDayPreviewArgsSchema, BusinessDayChangeSchema),
  demoStatus: request('manager', noArgs, DemoStatusSchema),
  leaveDemoMode: request('manager', noArgs, AppStateSchema),

  // Business day
  listLog: request('manager', LogFilterSchema, LogPageSchema),
  xReport: request('manager', ReportArgsSchema, ReportSchema),
  closeDay: request('manager', noArgs, ReportSchema),
  zReport: request('manager', z.strictObject({ businessDate }), ReportSchema),
  printReport: request('manager', PrintReportArgsSchema, PrintResultSchema),
  voidTransaction: request('manager', VoidArgsSchema, LogEntrySchema),
  findSaleForRefund: request('anyone', FindSaleArgsSchema, FindSaleResultSchema),
  /** In the manager area (the session is the authorisation). */
  refundSale: request('manager', RefundArgsSchema, RefundResultSchema),
  /** At the checkout: within the cashier allowance, or with the manager PIN given in `pin`. */
  cashierRefund: request('anyone', RefundArgsSchema, RefundResultSchema),
  exportDay: request('manager', ExportArgsSchema, ExportResultSchema),
  sendToSettlement: request('manager', ExportArgsSchema, SettlementSendResultSchema),

  // Trust store and revocation
  listTrustKeys: request('setup-or-manager', noArgs, z.array(TrustKeySchema)),
  previewTrustKey: request('setup-or-manager', ImportDocumentArgsSchema, TrustPreviewResultSchema),
  confirmTrustKey: request('manager', ConfirmTrustKeyArgsSchema, TrustKeySchema),
  retireTrustKey: request('manager', RetireTrustKeyArgsSchema, TrustKeySchema),
  importRevocationList: request('manager', ImportDocumentArgsSchema, RevocationImportResultSchema),
} as const;

export type RequestName = keyof typeof REQUESTS;
export const REQUEST_NAMES = Object.keys(REQUESTS) as RequestName[];
export type RequestArgs<N extends RequestName> = z.input<(typeof REQUESTS)[N]['args']>;
/** Arguments after validation (defaults applied). */
export type ParsedArgs<N extends RequestName> = z.output<(typeof REQUESTS)[N]['args']>;
export type RequestResult<N extends RequestName> = z.output<(typeof REQUESTS)[N]['result']>;

// ---------------------------------------------------------------------------------------------
// Events (main -> renderer)
// ---------------------------------------------------------------------------------------------

export const EVENTS = {
  /** Reader status changed (also sent once on subscription through `readerStatus()`). */
  readerStatus: ReaderStatusSchema,
  /** The payment in progress moved to a new stage (or finished). */
  paymentStage: PaymentSnapshotSchema,
  /** A payment was decided (approved or declined), after the ledger committed it. */
  decision: DecisionViewSchema,
  /** The manager session started, was locked or expired. */
  managerSession: ManagerSessionSchema,
  /** Settings or language changed (from any screen). */
  appState: AppStateSchema,
} as const;

export type EventName = keyof typeof EVENTS;
export const EVENT_NAMES = Object.keys(EVENTS) as EventName[];
export type EventPayload<N extends EventName> = z.output<(typeof EVENTS)[N]>;

// Channel names: used by main and the preload only, never handed to the renderer.
export function requestChannel(name: RequestName): string {
  return `cashier:${name}`;
}
export function eventChannel(name: EventName): string {
  return `cashier-event:${name}`;
}
