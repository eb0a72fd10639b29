// The state of one payment as a discriminated union, and its one pure transition function. The
// controller (payment-controller.ts) owns the effects around it (timers, the exchange, the
// ledger, events); every change of what a payment *is* goes through transition() here, so the
// rules "no tap after the decision", "a notice only while waiting" and "finished only once
// decided" hold by construction and are tested without a reader or a clock.
import type { Decision, PaymentOrder, RecordedAttempt } from '../domain/payment';
import type { ReasonCode } from '../domain/reasons';
import type { PaymentSnapshot } from './types';

/** Why a running exchange was stopped from outside. */
export type AbortReason = 'cancelled' | 'multiple_cards';

/** Stages a decided payment can show. */
export type DecidedStage = 'approved' | 'declined' | 'cancelled' | 'timed-out';

/** Waiting for a tap: the waiting timeout runs; a tap that did not count leaves a notice. */
export interface Waiting {
  readonly kind: 'waiting';
  readonly stage: 'present-phone' | 'see-phone';
  readonly waitingDeadline: number;
  readonly notice?: ReasonCode;
}

/** An exchange with one phone is running. `Card` is the reader's card handle. */
export interface Exchanging<Card> {
  readonly kind: 'exchanging';
  readonly stage: 'processing';
  readonly card: Card;
  /** Set when the cashier cancelled or a second card arrived; the first reason stands. */
  readonly abortReason?: AbortReason;
}

/** Decided (recorded when a phone was reached); then possibly waiting for the phone to leave. */
export interface Decided {
  readonly kind: 'decided';
  readonly stage: DecidedStage | 'remove-phone';
  readonly decision: Decision;
  readonly recorded?: RecordedAttempt;
  readonly decidedAt: number;
  /** The notice shown when the sale was decided without a phone (cancel or timeout after it). */
  readonly notice?: ReasonCode;
  /** Decided, and the phone (if one was used) has left the field. */
  readonly finished: boolean;
}

export type PaymentState<Card> = Waiting | Exchanging<Card> | Decided;

export type PaymentInput<Card> =
  /** A tap that did not count (or an exchange asking for another tap): the sale waits again. */
  | { readonly type: 'notice'; readonly reason: ReasonCode; readonly stage: Waiting['stage']; readonly waitingDeadline?: number }
  | { readonly type: 'exchange-started'; readonly card: Card }
  | { readonly type: 'abort-requested'; readonly reason: AbortReason }
  | {
      readonly type: 'decided';
      readonly stage: DecidedStage;
      readonly decision: Decision;
      readonly recorded?: RecordedAttempt;
      readonly at: number;
    }
  | { readonly type: 'phone-still-present' }
  | { readonly type: 'finished' };

export function waitingForTap(waitingDeadline: number): Waiting {
  return { kind: 'waiting', stage: 'present-phone', waitingDeadline };
}

export function isInProgress<Card>(state: PaymentState<Card>): state is Waiting | Exchanging<Card> {
  return state.kind !== 'decided';
}

/**
 * The next state. An input that does not apply to the state (a notice after the decision, a
 * second decision, finishing twice) leaves the state as it is: the controller's timers and
 * reader callbacks may race with a decision, and the decision must win.
 */
export function transition<Card>(state: PaymentState<Card>, input: PaymentInput<Card>): PaymentState<Card> {
  switch (input.type) {
    case 'notice': {
      if (state.kind === 'decided') return state;
      const waitingDeadline = input.waitingDeadline ?? (state.kind === 'waiting' ? state.waitingDeadline : undefined);
      if (waitingDeadline === undefined) return state;
      return { kind: 'waiting', stage: input.stage, waitingDeadline, notice: input.reason };
    }
    case 'exchange-started':
      return state.kind === 'waiting' ? { kind: 'exchanging', stage: 'processing', card: input.card } : state;
    case 'abort-requested':
      if (state.kind !== 'exchanging' || state.abortReason !== undefined) return state;
      return { ...state, abortReason: input.reason };
    case 'decided': {
      if (state.kind === 'decided') return state;
      const notice = state.kind === 'waiting' ? state.notice : undefined;
      return {
        kind: 'decided',
        stage: input.stage,
        decision: input.decision,
        ...(input.recorded ? { recorded: input.recorded } : {}),
        decidedAt: input.at,
        ...(notice ? { notice } : {}),
        finished: false,
      };
    }
    case 'phone-still-present':
      return state.kind === 'decided' && !state.finished ? { ...state, stage: 'remove-phone' } : state;
    case 'finished':
      return state.kind === 'decided' && !state.finished ? { ...state, finished: true } : state;
  }
}

/** What the screen and the command line see of a payment. */
export function snapshotOf<Card>(order: PaymentOrder, startedAt: number, state: PaymentState<Card>): PaymentSnapshot {
  const common = { stage: state.stage, order, startedAt };
  switch (state.kind) {
    case 'waiting':
      return {
        ...common,
        inProgress: true,
        finished: false,
        ...(state.notice ? { notice: state.notice } : {}),
        waitingDeadline: state.waitingDeadline,
      };
    case 'exchanging':
      return { ...common, inProgress: true, finished: false };
    case 'decided':
      return {
        ...common,
        inProgress: false,
        finished: state.finished,
        decision: state.decision,
        ...(state.recorded ? { recorded: state.recorded } : {}),
        ...(state.notice ? { notice: state.notice } : {}),
        decidedAt: state.decidedAt,
      };
  }
}
