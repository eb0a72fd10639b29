// Shared vocabulary of a payment, used from the session down to the screen.
// Pure types and tiny helpers only: no I/O, no Electron, no Node-only APIs.
import type { ReasonCode } from './reasons';

/** Milliseconds since the Unix epoch; passed in, never read from a global inside the core. */
export type Clock = () => number;
/** Cryptographically secure random bytes; passed in so tests can fix them. */
export type RandomSource = (length: number) => Uint8Array;

export interface LineItem {
  description: string;
  quantity: number; // positive integer
  unitPrice: number; // integer minor units
}

/** What the terminal asks the phone to pay. Amounts are integer minor units (cents, fen). */
export interface PaymentOrder {
  transactionId: string; // 32 lowercase hex characters (16 random bytes)
  amount: number;
  currency: string; // ISO 4217 alpha code, e.g. "CNY"
  merchantId: string;
  terminalId: string;
  items?: LineItem[];
  demo?: boolean;
}

/**
 * Facts the terminal learned from a verified (or partly verified) exchange. On a decline the
 * license facts may be only what the phone claims: `licenseVerified` tells which.
 */
export interface PaymentFacts {
  accountId?: string;
  licenseSerial?: string;
  authorityKid?: string;
  /** The authority of the trust-store key named by authorityKid (absent when the kid is unknown). */
  authorityId?: string;
  /** Present only once the authorization's signature verified with the licensed app key. */
  appCounter?: number;
  licenseNotBefore?: number; // epoch ms
  licenseNotAfter?: number; // epoch ms
  offlineLimit?: number; // minor units, in the license currency
  /**
   * Whether the license facts above (accountId, licenseSerial, authorityKid, the validity dates,
   * offlineLimit) are the credit authority's word: true once the license signature verified with
   * a trusted authority key that is not revoked, so also on declines after that step (expired or
   * revoked license, other currency, any authorization failure); false when they are only what
   * the phone's license claims (declined at or before the license signature). Absent when no
   * license was read. Always true on an approval.
   */
  licenseVerified?: boolean;
}

/** Raw bytes of every protocol message, as received/sent, kept for offline re-verification. */
export interface ExchangeBytes {
  paymentRequest?: Uint8Array;
  paymentResponse?: Uint8Array;
  license?: Uint8Array; // the COSE_Sign1 license exactly as carried in the response
  deductionRequest?: Uint8Array;
  authorization?: Uint8Array; // the COSE_Sign1 authorization exactly as received
  paymentAuthorization?: Uint8Array; // the fourth message (SNEP response carrying the authorization) as received
}

export type Decision =
  { outcome: 'approved'; facts: PaymentFacts } | { outcome: 'declined'; reason: ReasonCode; detail: string; facts: PaymentFacts };

export interface SessionResult {
  order: PaymentOrder;
  decision: Decision;
  exchange: ExchangeBytes;
  startedAt: number; // epoch ms, first APDU
  finishedAt: number; // epoch ms, decision made
  apduCount: number;
}

/**
 * A license is its issuing authority and its serial: serials are unique only per authority
 * (verification/license-identity.ts gives a verified license's identity).
 */
export interface LicenseIdentity {
  /** The credit authority's id, from the trust-store entry of the key that verified the license. */
  readonly authorityId: string;
  /** The license serial, unique within that authority only. */
  readonly serial: string;
}

/** Answers the pipeline's questions about what this terminal already saw of a license. */
export interface LicenseHistory {
  /** Highest app transaction counter recorded for this license (approved sales), or undefined. */
  lastCounter(license: LicenseIdentity): number | undefined;
  /** Sum of approved, not voided, amounts for this license in this currency (minor units). */
  spentOffline(license: LicenseIdentity, currency: string): number;
}

/** The reader's state as the cashier sees it. */
export type ReaderState =
  | 'no-service' // PC/SC daemon not running / not reachable
  | 'no-reader'
  | 'ready'
  | 'phone-detected'
  | 'processing'
  | 'remove-phone';

export interface ReaderStatus {
  state: ReaderState;
  readerName?: string;
  /** Reader kind behind the status: real PC/SC hardware or the in-process simulated phone. */
  kind: 'pcsc' | 'stub';
}

/** Steps of one payment as the checkout screen shows them (EMV-style message set). */
export type PaymentStage =
  'present-phone' | 'processing' | 'see-phone' | 'approved' | 'declined' | 'remove-phone' | 'cancelled' | 'timed-out'; // nobody tapped within the waiting timeout

/** Where the ledger placed an attempt once it was durably committed. */
export interface RecordedAttempt {
  seq: number; // ledger sequence number, strictly growing
  businessDate: string; // YYYY-MM-DD in the store's time zone and cut-off
  recordedAt: number; // epoch ms
}

/**
 * Durable store of attempts (implemented by the ledger). `record` returns only after the
 * row is committed; it throws when it cannot commit, and the caller then declines with
 * `cannot_record`. Recording the same transaction id twice returns the first row.
 */
export interface AttemptRecorder extends LicenseHistory {
  record(result: SessionResult): RecordedAttempt;
  /**
   * The outcome on record for a transaction id, or undefined when there is none. Asked after
   * `record` threw: a commit can reach the disk even though the call reported an error.
   */
  recordedOutcome(transactionId: string): Decision['outcome'] | undefined;
  /**
   * Why every `record` fails from now on (a damaged file found after it was opened), else
   * undefined: a payment is then refused before the phone is asked for anything.
   */
  writeFault(): Error | undefined;
}
