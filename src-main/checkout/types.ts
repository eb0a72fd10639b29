// Public contract of the payment controller: what the app (IPC layer, checkout screen) and the
// `charge` command call. The implementation is payment-controller.ts.
import { CodedError } from '../domain/coded-error';
import type { Decision, LineItem, PaymentOrder, PaymentStage, RecordedAttempt, SessionResult } from '../domain/payment';
import type { ReasonCode } from '../domain/reasons';

/** Terminal settings read at the start of every payment (so a settings change applies to the next one). */
export interface CheckoutSettings {
  merchantId: string;
  terminalId: string;
  /** ISO 4217 alpha code used when start() gives none. */
  currency: string;
  /** How long "Present phone" waits for a tap; default 60 000 ms. */
  waitTimeoutMs: number;
  /** Bound on each APDU round trip of the exchange. */
  stepTimeoutMs: number;
  /** Demo mode: the order is marked demo (ledger row, receipt). */
  demo: boolean;
}

export interface StartPaymentRequest {
  /** Integer minor units (cents, fen), > 0. */
  amount: number;
  currency?: string;
  items?: LineItem[];
  /** The id to use (32 lowercase hex): a till's reference made into an id (payment-reference.ts); default a random one. */
  transactionId?: string;
}

/**
 * Where the current (or last) payment is. 'idle' only before the first payment.
 * A payment is in progress while stage is 'present-phone', 'processing' or 'see-phone'.
 */
export type CheckoutStage = PaymentStage | 'idle';

export interface PaymentSnapshot {
  stage: CheckoutStage;
  inProgress: boolean;
  order?: PaymentOrder;
  /** Set once the payment is decided. */
  decision?: Decision;
  /** Ledger placement of the decided attempt; absent when nothing was recorded (see docs/readers.md). */
  recorded?: RecordedAttempt;
  /**
   * Why the sale is still open after a tap that did not count (see_phone, not_payment_phone,
   * multiple_cards): the screen shows its cashier message while waiting for another tap.
   */
  notice?: ReasonCode;
  startedAt?: number; // epoch ms, start() called
  /** While waiting for a tap: when the waiting timeout ends (epoch ms). */
  waitingDeadline?: number;
  decidedAt?: number; // epoch ms
  /** Decided, and the phone (if one was used) has left the field. */
  finished: boolean;
}

export type PaymentEvent =
  | { type: 'stage'; transactionId: string; stage: PaymentStage; at: number }
  /** A tap that did not count; the sale stays open (stage 'see-phone' or 'present-phone'). */
  | { type: 'notice'; transactionId: string; reason: ReasonCode; at: number }
  /**
   * The final decision. 'approved' is emitted only after the ledger committed the row
   * (`recorded` is then always set). `result` is absent when no phone was ever reached
   * (cancelled or timed out while waiting).
   */
  | {
      type: 'decision';
      transactionId: string;
      decision: Decision;
      result?: SessionResult;
      recorded?: RecordedAttempt;
      at: number;
    }
  /** After the decision, the phone left the field (or none was used): the sale is fully over. */
  | { type: 'finished'; transactionId: string; at: number };

export type PaymentListener = (event: PaymentEvent) => void;

export type StartRefusal =
  | 'payment_in_progress'
  | 'invalid_amount'
  | 'invalid_currency'
  | 'invalid_items'
  | 'invalid_transaction_id'
  | 'closed'
  /** The ledger found its file damaged after opening: nothing can be recorded until a restart on a sound file. */
  | 'ledger_damaged';

/** start() refused: nothing was started, the current payment (if any) is untouched. */
export class StartPaymentError extends CodedError<StartRefusal> {
  override readonly name = 'StartPaymentError';
}

export interface PaymentController {
  /**
   * Starts a payment and returns its transaction id (32 lowercase hex). Throws StartPaymentError
   * when a payment is already in progress (a second Enter never starts a second payment) or the
   * request is invalid.
   */
  start(request: StartPaymentRequest): string;
  /**
   * Cancels the payment in progress: while waiting -> 'cancelled' (nothing recorded);
   * during the exchange -> the session is aborted and the attempt declined 'cancelled' (recorded).
   * Returns false when nothing was in progress.
   */
  cancel(): boolean;
  /** Current state, for a renderer that reloads and re-attaches. */
  snapshot(): PaymentSnapshot;
  /**
   * Subscribes to stage, notice and decision events; listener exceptions are swallowed. Every
   * change of snapshot() is announced by an event emitted after the change, so a listener that
   * reads snapshot() on each event has the settled state.
   */
  subscribe(listener: PaymentListener): () => void;
  /** Resolves once the payment in progress (if any) is decided; for the CLI and tests. */
  settled(): Promise<PaymentSnapshot>;
  /** Cancels what is in progress and detaches from the reader (does not close the reader). */
  close(): Promise<void>;
}
