// The payment controller: one sale at a time, from "Present phone" to the recorded decision.
// It owns the order of events the cashier sees and the rule that matters most: 'approved' is
// announced only after the ledger committed the attempt.
//
// Policies (docs/readers.md, "Payment stages"):
// - a phone already in the field when the sale starts is used if it never served a payment;
//   a phone that served one must leave and come back;
// - cancel or timeout while waiting: decided 'cancelled' / 'wait_timeout', nothing recorded
//   (no phone was reached);
// - a tap that did not count keeps the sale open with a notice: 'see_phone' (the phone asks to be
//   unlocked; stage 'see-phone', the waiting time starts again), 'not_payment_phone' (a tag
//   or a phone without the payment app), 'multiple_cards' (two in the field before the exchange);
// - every other outcome of an exchange is final and recorded, including cancel during the
//   exchange ('cancelled') and a second card during it ('multiple_cards');
// - when recording fails the attempt is declined 'cannot_record' and that decline is recorded
//   if the ledger can; approval is never announced for an unrecorded attempt.
import type {
  AttemptRecorder,
  Clock,
  Decision,
  PaymentOrder,
  PaymentStage,
  RandomSource,
  RecordedAttempt,
  SessionResult,
} from '../domain/payment';
import type { ReasonCode } from '../domain/reasons';
import type { PresentedCard, ReaderService } from '../reader/reader-service';
import type { CardChannel } from '../transport/channel';
import {
  StartPaymentError,
  type CheckoutSettings,
  type CheckoutStage,
  type PaymentController,
  type PaymentEvent,
  type PaymentListener,
  type PaymentSnapshot,
  type StartPaymentRequest,
} from './types';

/** Runs one exchange with a phone; resolves (never rejects) with the session's result. */
export type SessionRunner = (
  channel: CardChannel,
  order: PaymentOrder,
  options: { stepTimeoutMs: number; signal: AbortSignal },
) => Promise<SessionResult>;

export interface PaymentControllerOptions {
  reader: ReaderService;
  recorder: AttemptRecorder;
  /** The exchange and its verification (trust store, revocations, clock skew bound inside). */
  runSession: SessionRunner;
  clock: Clock;
  random: RandomSource;
  settings: () => CheckoutSettings;
  /** Diagnostics sink (the app's log). */
  log?: (message: string) => void;
}

/** Outcomes of an exchange that leave the sale open for another tap. */
const RETRY_REASONS: ReadonlySet<ReasonCode> = new Set(['see_phone', 'not_payment_phone']);

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function declined(reason: ReasonCode, detail: string, facts: Decision['facts'] = {}): Decision {
  return { outcome: 'declined', reason, detail, facts };
}

interface Payment {
  order: PaymentOrder;
  stage: PaymentStage;
  startedAt: number;
  waitingDeadline?: number;
  waitTimer?: NodeJS.Timeout;
  /** The card of the exchange running now. */
  card?: PresentedCard;
  abort?: AbortController;
  /** Why the running exchange was aborted, when it was. */
  abortReason?: 'cancelled' | 'multiple_cards';
  notice?: ReasonCode;
  decision?: Decision;
  recorded?: RecordedAttempt;
  decidedAt?: number;
  finished: boolean;
  settle: (snapshot: PaymentSnapshot) => void;
  settled: Promise<PaymentSnapshot>;
}

class Controller implements PaymentController {
  private readonly options: PaymentControllerOptions;
  private readonly listeners = new Set<PaymentListener>();
  /** Cards that already served a payment or a refused tap: they must leave and come back. */
  private readonly usedCards = new WeakSet<PresentedCard>();
  private payment: Payment | undefined;
  private closed = false;
  private readonly unsubscribeCards: () => void;

  constructor(options: PaymentControllerOptions) {
    this.options = options;
    this.unsubscribeCards = options.reader.onCard((card) => this.cardArrived(card));
  }

  start(request: StartPaymentRequest): string {
    if (this.closed) throw new StartPaymentError('closed', 'the payment controller is closed');
    if (this.payment && this.inProgress(this.payment)) {
      throw new StartPaymentError('payment_in_progress', 'a payment is already in progress');
    }
    const settings = this.options.settings();
    const currency = request.currency ?? settings.currency;
    if (!Number.isSafeInteger(request.amount) || request.amount <= 0) {
      throw new StartPaymentError('invalid_amount', 'the amount must be a positive whole number of minor units');
    }
    if (!/^[A-Z]{3}$/.test(currency)) {
      throw new StartPaymentError('invalid_currency', `not an ISO 4217 currency code: ${currency}`);
    }
    if (request.items !== undefined) {
      const valid = request.items.every(
        (item) =>
          Number.isSafeInteger(item.quantity) &&
          item.quantity > 0 &&
          Number.isSafeInteger(item.unitPrice) &&
          item.unitPrice >= 0 &&
          item.description.length > 0,
      );
      const total = request.items.reduce((sum, item) => sum + item.quantity * item.unitPrice, 0);
      if (!valid || total !== request.amount) {
        throw new StartPaymentError('invalid_items', 'the line items must be valid and add up to the amount');
      }
    }
    if (request.transactionId !== undefined && !/^[0-9a-f]{32}$/.test(request.transactionId)) {
      throw new StartPaymentError('invalid_transaction_id', 'a transaction id is 32 lowercase hex digits');
    }
    const order: PaymentOrder = {
      transactionId: request.transactionId ?? hex(this.options.random(16)),
      amount: request.amount,
      currency,
      merchantId: settings.merchantId,
      terminalId: settings.terminalId,
      ...(request.items ? { items: request.items.map((item) => ({ ...item })) } : {}),
      ...(settings.demo ? { demo: true } : {}),
    };
    let settle!: (snapshot: PaymentSnapshot) => void;
    const settled = new Promise<PaymentSnapshot>((resolve) => (settle = resolve));
    const payment: Payment = {
      order,
      stage: 'present-phone',
      startedAt: this.options.clock(),
      finished: false,
      settle,
      settled,
    };
    this.payment = payment;
    // Armed first, so the 'present-phone' event's snapshot already carries the deadline.
    this.armWaitTimer(payment);
    this.setStage(payment, 'present-phone');
    // A phone already lying on the reader that never paid counts as a tap.
    queueMicrotask(() => {
      const waiting = this.options.reader.presentCards().filter((card) => !this.usedCards.has(card));
      const first = waiting[0];
      if (first && this.payment === payment && !payment.card && !payment.decision) this.cardArrived(first);
    });
    return order.transactionId;
  }

  cancel(): boolean {
    const payment = this.payment;
    if (!payment || !this.inProgress(payment)) return false;
    if (payment.abort) {
      payment.abortReason ??= 'cancelled';
      payment.abort.abort(new Error('cancelled by the cashier'));
      return true;
    }
    this.decideWithoutPhone(payment, 'cancelled', declined('cancelled', 'cancelled by the cashier before a phone was tapped'));
    return true;
  }

  snapshot(): PaymentSnapshot {
    const payment = this.payment;
    if (!payment) return { stage: 'idle', inProgress: false, finished: false };
    return this.snapshotOf(payment);
  }

  subscribe(listener: PaymentListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  settled(): Promise<PaymentSnapshot> {
    return this.payment ? this.payment.settled : Promise.resolve(this.snapshot());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.cancel();
    const pending = this.payment?.settled;
    this.closed = true;
    this.unsubscribeCards();
    if (pending) await pending;
    this.listeners.clear();
  }

  private inProgress(payment: Payment): boolean {
    return payment.decision === undefined;
  }

  private snapshotOf(payment: Payment): PaymentSnapshot {
    const stage: CheckoutStage = payment.stage;
    return {
      stage,
      inProgress: this.inProgress(payment),
      order: payment.order,
      finished: payment.finished,
      startedAt: payment.startedAt,
      ...(payment.decision ? { decision: payment.decision } : {}),
      ...(payment.recorded ? { recorded: payment.recorded } : {}),
      ...(payment.notice ? { notice: payment.notice } : {}),
      ...(payment.waitingDeadline !== undefined && this.inProgress(payment) && !payment.card
        ? { waitingDeadline: payment.waitingDeadline }
        : {}),
      ...(payment.decidedAt !== undefined ? { decidedAt: payment.decidedAt } : {}),
    };
  }

  private armWaitTimer(payment: Payment): void {
    clearTimeout(payment.waitTimer);
    if (!this.inProgress(payment)) return;
    const waitMs = this.options.settings().waitTimeoutMs;
    payment.waitingDeadline = this.options.clock() + waitMs;
    payment.waitTimer = setTimeout(() => {
      if (this.payment !== payment || !this.inProgress(payment) || payment.card) return;
      this.decideWithoutPhone(
        payment,
        'timed-out',
        declined('wait_timeout', `no phone was tapped within ${Math.round(waitMs / 1000)} s`),
      );
    }, waitMs);
  }

  private cardArrived(card: PresentedCard): void {
    const payment = this.payment;
    if (!payment || !this.inProgress(payment) || this.usedCards.has(card)) return;
    if (payment.card) {
      // A second card while the exchange runs: the phone that pays is no longer certain.
      if (card !== payment.card && payment.abort && !payment.abort.signal.aborted) {
        payment.abortReason = 'multiple_cards';
        payment.abort.abort(new Error('a second card entered the field'));
      }
      this.usedCards.add(card);
      return;
    }
    const others = this.options.reader.presentCards().filter((other) => other !== card && other.present());
    if (others.length > 0) {
      for (const other of [card, ...others]) this.refuse(other);
      this.notice(payment, 'multiple_cards', 'present-phone');
      return;
    }
    if (card.kind !== 'iso-dep') {
      this.refuse(card);
      this.notice(payment, 'not_payment_phone', 'present-phone');
      return;
    }
    void this.runExchange(payment, card);
  }

  private refuse(card: PresentedCard): void {
    this.usedCards.add(card);
    card.finish();
  }

  private async runExchange(payment: Payment, card: PresentedCard): Promise<void> {
    this.usedCards.add(card);
    payment.card = card;
    payment.notice = undefined;
    payment.abort = new AbortController();
    card.begin();
    this.setStage(payment, 'processing');
    let result: SessionResult;
    try {
      result = await this.options.runSession(card.channel, payment.order, {
        stepTimeoutMs: this.options.settings().stepTimeoutMs,
        signal: payment.abort.signal,
      });
    } catch (error) {
      // The session promises never to throw; if it does, the reader is the likeliest cause.
      const detail = error instanceof Error ? error.message : String(error);
      const now = this.options.clock();
      result = {
        order: payment.order,
        decision: declined('reader_error', `session failed: ${detail}`),
        exchange: {},
        startedAt: now,
        finishedAt: now,
        apduCount: 0,
      };
    }
    const abortReason = payment.abortReason;
    payment.abort = undefined;
    payment.abortReason = undefined;
    if (abortReason !== undefined && result.decision.outcome === 'declined') {
      const detail =
        abortReason === 'cancelled' ? 'cancelled by the cashier during the exchange' : 'a second card entered the field';
      result = { ...result, decision: declined(abortReason, detail, result.decision.facts) };
    }
    const decision = result.decision;
    if (decision.outcome === 'declined' && RETRY_REASONS.has(decision.reason) && abortReason === undefined) {
      payment.card = undefined;
      card.finish();
      // Re-arm before announcing: a listener may cancel the sale from inside the notice.
      this.armWaitTimer(payment);
      this.notice(payment, decision.reason, decision.reason === 'see_phone' ? 'see-phone' : 'present-phone');
      return;
    }
    this.recordAndDecide(payment, card, result);
  }

  private recordAndDecide(payment: Payment, card: PresentedCard, session: SessionResult): void {
    let result = session;
    let recorded: RecordedAttempt | undefined;
    try {
      recorded = this.options.recorder.record(result);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      this.log(`recording ${result.order.transactionId} failed: ${detail}`);
      result = { ...result, decision: declined('cannot_record', `the ledger could not record: ${detail}`, result.decision.facts) };
      try {
        recorded = this.options.recorder.record(result);
        // The ledger is idempotent by transaction id: if the first commit reached the disk after
        // all, that row stands, and the screen must say what the ledger says.
        if (this.options.recorder.recordedOutcome(session.order.transactionId) === session.decision.outcome) result = session;
      } catch (again) {
        this.log(`recording the cannot_record decline failed too: ${again instanceof Error ? again.message : String(again)}`);
      }
    }
    clearTimeout(payment.waitTimer);
    payment.decision = result.decision;
    payment.recorded = recorded;
    payment.decidedAt = this.options.clock();
    payment.waitingDeadline = undefined;
    this.setStage(payment, result.decision.outcome === 'approved' ? 'approved' : 'declined');
    this.emit({
      type: 'decision',
      transactionId: payment.order.transactionId,
      decision: result.decision,
      result,
      ...(recorded ? { recorded } : {}),
      at: payment.decidedAt,
    });
    card.finish();
    void this.options.reader.feedback(result.decision.outcome, card).catch(() => undefined);
    payment.settle(this.snapshotOf(payment));
    if (card.present()) {
      this.setStage(payment, 'remove-phone');
      void card.gone.then(() => this.finish(payment));
    } else {
      this.finish(payment);
    }
  }

  private decideWithoutPhone(payment: Payment, stage: 'cancelled' | 'timed-out', decision: Decision): void {
    clearTimeout(payment.waitTimer);
    payment.decision = decision;
    payment.decidedAt = this.options.clock();
    payment.waitingDeadline = undefined;
    this.setStage(payment, stage);
    this.emit({ type: 'decision', transactionId: payment.order.transactionId, decision, at: payment.decidedAt });
    payment.settle(this.snapshotOf(payment));
    this.finish(payment);
  }

  private finish(payment: Payment): void {
    if (payment.finished) return;
    payment.finished = true;
    this.emit({ type: 'finished', transactionId: payment.order.transactionId, at: this.options.clock() });
  }

  private notice(payment: Payment, reason: ReasonCode, stage: PaymentStage): void {
    payment.notice = reason;
    if (stage !== payment.stage) this.setStage(payment, stage);
    // A listener may have cancelled the sale from the stage event.
    if (!this.inProgress(payment)) return;
    this.emit({ type: 'notice', transactionId: payment.order.transactionId, reason, at: this.options.clock() });
  }

  private setStage(payment: Payment, stage: PaymentStage): void {
    payment.stage = stage;
    this.emit({ type: 'stage', transactionId: payment.order.transactionId, stage, at: this.options.clock() });
  }

  private emit(event: PaymentEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.log(`payment listener failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  private log(message: string): void {
    try {
      this.options.log?.(message);
    } catch {
      // A failing log sink must not break a payment.
    }
  }
}

export function createPaymentController(options: PaymentControllerOptions): PaymentController {
  return new Controller(options);
}
