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
import type { AttemptRecorder, Clock, Decision, PaymentOrder, RandomSource, RecordedAttempt, SessionResult } from '../domain/payment';
import type { ReasonCode } from '../domain/reasons';
import type { PresentedCard, ReaderService } from '../reader/reader-service';
import type { CardChannel } from '../transport/channel';
import {
  isInProgress,
  snapshotOf,
  transition,
  waitingForTap,
  type DecidedStage,
  type PaymentInput,
  type PaymentState,
} from './payment-state';
import { newTransactionId } from '../session/terminal-session';
import {
  StartPaymentError,
  type CheckoutSettings,
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

function declined(reason: ReasonCode, detail: string, facts: Decision['facts'] = {}): Decision {
  return { outcome: 'declined', reason, detail, facts };
}

/** One sale: its order, its state (payment-state.ts) and the effects' handles around it. */
interface Payment {
  readonly order: PaymentOrder;
  readonly startedAt: number;
  state: PaymentState<PresentedCard>;
  waitTimer?: NodeJS.Timeout;
  /** Stops the running exchange. */
  abort?: AbortController;
  readonly settle: (snapshot: PaymentSnapshot) => void;
  readonly settled: Promise<PaymentSnapshot>;
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
    if (this.payment && isInProgress(this.payment.state)) {
      throw new StartPaymentError('payment_in_progress', 'a payment is already in progress');
    }
    // Refused before the phone signs anything: its authorization could never be recorded.
    const fault = this.options.recorder.writeFault();
    if (fault) throw new StartPaymentError('ledger_damaged', `no payment can be recorded: ${fault.message}`);
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
      transactionId: request.transactionId ?? newTransactionId(this.options.random),
      amount: request.amount,
      currency,
      merchantId: settings.merchantId,
      terminalId: settings.terminalId,
      ...(request.items ? { items: request.items.map((item) => ({ ...item })) } : {}),
      ...(settings.demo ? { demo: true } : {}),
    };
    let settle!: (snapshot: PaymentSnapshot) => void;
    const settled = new Promise<PaymentSnapshot>((resolve) => (settle = resolve));
    const startedAt = this.options.clock();
    // The deadline is set first, so the 'present-phone' event's snapshot already carries it.
    const payment: Payment = { order, startedAt, state: waitingForTap(this.armWaitTimer()), settle, settled };
    this.payment = payment;
    this.startWaitTimer(payment);
    this.emitStage(payment);
    // A phone already lying on the reader that never paid counts as a tap.
    queueMicrotask(() => {
      const waiting = this.options.reader.presentCards().filter((card) => !this.usedCards.has(card));
      const first = waiting[0];
      if (first && this.payment === payment && payment.state.kind === 'waiting') this.cardArrived(first);
    });
    return order.transactionId;
  }

  cancel(): boolean {
    const payment = this.payment;
    if (!payment || !isInProgress(payment.state)) return false;
    if (payment.state.kind === 'exchanging') {
      this.apply(payment, { type: 'abort-requested', reason: 'cancelled' });
      payment.abort?.abort(new Error('cancelled by the cashier'));
      return true;
    }
    this.decideWithoutPhone(payment, 'cancelled', declined('cancelled', 'cancelled by the cashier before a phone was tapped'));
    return true;
  }

  snapshot(): PaymentSnapshot {
    const payment = this.payment;
    if (!payment) return { stage: 'idle', inProgress: false, finished: false };
    return this.snapshotOfPayment(payment);
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

  /** A new waiting deadline from now. */
  private armWaitTimer(): number {
    return this.options.clock() + this.options.settings().waitTimeoutMs;
  }

  /** (Re)starts the waiting timeout of a payment that waits for a tap. */
  private startWaitTimer(payment: Payment): void {
    clearTimeout(payment.waitTimer);
    if (payment.state.kind !== 'waiting') return;
    const waitMs = this.options.settings().waitTimeoutMs;
    payment.waitTimer = setTimeout(() => {
      if (this.payment !== payment || payment.state.kind !== 'waiting') return;
      this.decideWithoutPhone(payment, 'timed-out', declined('wait_timeout', `no phone was tapped within ${Math.round(waitMs / 1000)} s`));
    }, waitMs);
  }

  private cardArrived(card: PresentedCard): void {
    const payment = this.payment;
    if (!payment || !isInProgress(payment.state) || this.usedCards.has(card)) return;
    if (payment.state.kind === 'exchanging') {
      // A second card while the exchange runs: the phone that pays is no longer certain.
      if (card !== payment.state.card && payment.abort && !payment.abort.signal.aborted) {
        this.apply(payment, { type: 'abort-requested', reason: 'multiple_cards' });
        payment.abort.abort(new Error('a second card entered the field'));
      }
      this.usedCards.add(card);
      return;
    }
    const others = this.options.reader.presentCards().filter((other) => other !== card && other.present());
    if (others.length > 0) {
      for (const other of [card, ...others]) this.refuse(other);
      this.notice(payment, { type: 'notice', reason: 'multiple_cards', stage: 'present-phone' });
      return;
    }
    if (card.kind !== 'iso-dep') {
      this.refuse(card);
      this.notice(payment, { type: 'notice', reason: 'not_payment_phone', stage: 'present-phone' });
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
    clearTimeout(payment.waitTimer);
    payment.abort = new AbortController();
    card.begin();
    this.apply(payment, { type: 'exchange-started', card });
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
    const abortReason = payment.state.kind === 'exchanging' ? payment.state.abortReason : undefined;
    payment.abort = undefined;
    if (abortReason !== undefined && result.decision.outcome === 'declined') {
      const detail = abortReason === 'cancelled' ? 'cancelled by the cashier during the exchange' : 'a second card entered the field';
      result = { ...result, decision: declined(abortReason, detail, result.decision.facts) };
    }
    const decision = result.decision;
    if (decision.outcome === 'declined' && RETRY_REASONS.has(decision.reason) && abortReason === undefined) {
      card.finish();
      // Waiting again (with a new deadline and its timer) before announcing: a listener may
      // cancel the sale from inside the notice.
      const stage = decision.reason === 'see_phone' ? 'see-phone' : 'present-phone';
      this.notice(payment, { type: 'notice', reason: decision.reason, stage, waitingDeadline: this.armWaitTimer() });
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
    const at = this.options.clock();
    const stage = result.decision.outcome === 'approved' ? 'approved' : 'declined';
    this.apply(payment, { type: 'decided', stage, decision: result.decision, ...(recorded ? { recorded } : {}), at });
    this.emit({
      type: 'decision',
      transactionId: payment.order.transactionId,
      decision: result.decision,
      result,
      ...(recorded ? { recorded } : {}),
      at,
    });
    card.finish();
    void this.options.reader.feedback(result.decision.outcome, card).catch(() => undefined);
    payment.settle(this.snapshotOfPayment(payment));
    if (card.present()) {
      this.apply(payment, { type: 'phone-still-present' });
      void card.gone.then(() => this.finish(payment));
    } else {
      this.finish(payment);
    }
  }

  private decideWithoutPhone(payment: Payment, stage: DecidedStage, decision: Decision): void {
    clearTimeout(payment.waitTimer);
    const at = this.options.clock();
    this.apply(payment, { type: 'decided', stage, decision, at });
    this.emit({ type: 'decision', transactionId: payment.order.transactionId, decision, at });
    payment.settle(this.snapshotOfPayment(payment));
    this.finish(payment);
  }

  private finish(payment: Payment): void {
    if (payment.state.kind !== 'decided' || payment.state.finished) return;
    this.apply(payment, { type: 'finished' });
    this.emit({ type: 'finished', transactionId: payment.order.transactionId, at: this.options.clock() });
  }

  /** The sale waits for another tap, with the notice's stage and reason announced. */
  private notice(payment: Payment, input: Extract<PaymentInput<PresentedCard>, { type: 'notice' }>): void {
    this.apply(payment, input);
    // A new deadline comes with a new timer; a tap refused while waiting keeps both.
    if (input.waitingDeadline !== undefined) this.startWaitTimer(payment);
    // A listener may have cancelled the sale from the stage event.
    if (!isInProgress(payment.state)) return;
    this.emit({ type: 'notice', transactionId: payment.order.transactionId, reason: input.reason, at: this.options.clock() });
  }

  /** Moves the payment to its next state; a change of stage is announced. */
  private apply(payment: Payment, input: PaymentInput<PresentedCard>): void {
    const before = payment.state.stage;
    payment.state = transition(payment.state, input);
    if (payment.state.stage !== before) this.emitStage(payment);
  }

  private emitStage(payment: Payment): void {
    this.emit({ type: 'stage', transactionId: payment.order.transactionId, stage: payment.state.stage, at: this.options.clock() });
  }

  private snapshotOfPayment(payment: Payment): PaymentSnapshot {
    return snapshotOf(payment.order, payment.startedAt, payment.state);
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
