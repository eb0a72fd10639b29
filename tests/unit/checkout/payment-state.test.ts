// The payment state machine on its own: no reader, no clock, no ledger.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Decision, PaymentOrder } from '../../../src-main/domain/payment';
import {
  isInProgress,
  snapshotOf,
  transition,
  waitingForTap,
  type PaymentInput,
  type PaymentState,
} from '../../../src-main/checkout/payment-state';

type Card = { id: string };
const phone: Card = { id: 'phone' };
const other: Card = { id: 'other' };
const order: PaymentOrder = { transactionId: 'aa'.repeat(16), amount: 1234, currency: 'USD', merchantId: 'M-1', terminalId: 'T-1' };
const approved: Decision = { outcome: 'approved', facts: {} };
const cancelled: Decision = { outcome: 'declined', reason: 'cancelled', detail: 'cancelled by the cashier', facts: {} };
const recorded = { seq: 7, businessDate: '2026-12-03', recordedAt: 1999 };

function run(...inputs: PaymentInput<Card>[]): PaymentState<Card> {
  return inputs.reduce<PaymentState<Card>>((state, input) => transition(state, input), waitingForTap(1000));
}

describe('payment state transitions', () => {
  it('starts waiting for a tap with its deadline', () => {
    expect(waitingForTap(1000)).toEqual({ kind: 'waiting', stage: 'present-phone', waitingDeadline: 1000 });
  });

  it('a refused tap leaves a notice and keeps the deadline; a retry brings a new one', () => {
    expect(run({ type: 'notice', reason: 'not_payment_phone', stage: 'present-phone' })).toEqual({
      kind: 'waiting',
      stage: 'present-phone',
      waitingDeadline: 1000,
      notice: 'not_payment_phone',
    });
    const retried = run(
      { type: 'exchange-started', card: phone },
      { type: 'notice', reason: 'see_phone', stage: 'see-phone', waitingDeadline: 5000 },
    );
    expect(retried).toEqual({ kind: 'waiting', stage: 'see-phone', waitingDeadline: 5000, notice: 'see_phone' });
  });

  it('an exchange clears the notice; a notice without a new deadline cannot end it', () => {
    const exchanging = run({ type: 'notice', reason: 'multiple_cards', stage: 'present-phone' }, { type: 'exchange-started', card: phone });
    expect(exchanging).toEqual({ kind: 'exchanging', stage: 'processing', card: phone });
    expect(transition(exchanging, { type: 'notice', reason: 'multiple_cards', stage: 'present-phone' })).toBe(exchanging);
    expect(transition(exchanging, { type: 'exchange-started', card: other })).toBe(exchanging);
  });

  it('the first abort reason stands', () => {
    const state = run(
      { type: 'exchange-started', card: phone },
      { type: 'abort-requested', reason: 'cancelled' },
      { type: 'abort-requested', reason: 'multiple_cards' },
    );
    expect(state).toMatchObject({ kind: 'exchanging', abortReason: 'cancelled' });
    expect(run({ type: 'abort-requested', reason: 'cancelled' })).toEqual(waitingForTap(1000));
  });

  it('decided once: a later decision, notice or tap changes nothing', () => {
    const decided = run(
      { type: 'exchange-started', card: phone },
      { type: 'decided', stage: 'approved', decision: approved, recorded, at: 2000 },
    );
    expect(decided).toEqual({ kind: 'decided', stage: 'approved', decision: approved, recorded, decidedAt: 2000, finished: false });
    for (const input of [
      { type: 'decided', stage: 'cancelled', decision: cancelled, at: 3000 },
      { type: 'notice', reason: 'see_phone', stage: 'see-phone', waitingDeadline: 9000 },
      { type: 'exchange-started', card: other },
      { type: 'abort-requested', reason: 'cancelled' },
    ] satisfies PaymentInput<Card>[]) {
      expect(transition(decided, input)).toBe(decided);
    }
  });

  it('a sale cancelled after a refused tap keeps that notice', () => {
    const state = run(
      { type: 'notice', reason: 'not_payment_phone', stage: 'present-phone' },
      { type: 'decided', stage: 'cancelled', decision: cancelled, at: 1500 },
    );
    expect(state).toMatchObject({ kind: 'decided', stage: 'cancelled', notice: 'not_payment_phone', finished: false });
  });

  it('waits for the phone to leave, then finishes once', () => {
    const decided = run({ type: 'exchange-started', card: phone }, { type: 'decided', stage: 'declined', decision: cancelled, at: 2000 });
    const removing = transition(decided, { type: 'phone-still-present' });
    expect(removing).toMatchObject({ stage: 'remove-phone', finished: false });
    const finished = transition(removing, { type: 'finished' });
    expect(finished).toMatchObject({ stage: 'remove-phone', finished: true });
    expect(transition(finished, { type: 'finished' })).toBe(finished);
    expect(transition(finished, { type: 'phone-still-present' })).toBe(finished);
    expect(run({ type: 'finished' })).toEqual(waitingForTap(1000));
  });
});

describe('payment snapshots', () => {
  it('show the deadline only while waiting and the decision only once decided', () => {
    expect(snapshotOf(order, 10, run())).toEqual({
      stage: 'present-phone',
      order,
      startedAt: 10,
      inProgress: true,
      finished: false,
      waitingDeadline: 1000,
    });
    expect(snapshotOf(order, 10, run({ type: 'exchange-started', card: phone }))).toEqual({
      stage: 'processing',
      order,
      startedAt: 10,
      inProgress: true,
      finished: false,
    });
    const decided = run(
      { type: 'exchange-started', card: phone },
      { type: 'decided', stage: 'approved', decision: approved, recorded, at: 2000 },
    );
    expect(snapshotOf(order, 10, decided)).toEqual({
      stage: 'approved',
      order,
      startedAt: 10,
      inProgress: false,
      finished: false,
      decision: approved,
      recorded,
      decidedAt: 2000,
    });
  });
});

const inputs: fc.Arbitrary<PaymentInput<Card>> = fc.oneof(
  fc
    .record({
      type: fc.constant('notice' as const),
      reason: fc.constantFrom('see_phone' as const, 'not_payment_phone' as const, 'multiple_cards' as const),
      stage: fc.constantFrom('present-phone' as const, 'see-phone' as const),
      waitingDeadline: fc.option(fc.nat(), { nil: undefined }),
    })
    .map(({ waitingDeadline, ...rest }) => (waitingDeadline === undefined ? rest : { ...rest, waitingDeadline })),
  fc.constantFrom(phone, other).map((card) => ({ type: 'exchange-started' as const, card })),
  fc.constantFrom('cancelled' as const, 'multiple_cards' as const).map((reason) => ({ type: 'abort-requested' as const, reason })),
  fc.record({
    type: fc.constant('decided' as const),
    stage: fc.constantFrom('approved' as const, 'declined' as const, 'cancelled' as const, 'timed-out' as const),
    decision: fc.constantFrom(approved, cancelled),
    at: fc.nat(),
  }),
  fc.constant({ type: 'phone-still-present' as const }),
  fc.constant({ type: 'finished' as const }),
);

describe('payment state invariants over any sequence of inputs', () => {
  it('the first decision is final, finished implies decided, and the snapshot agrees', () => {
    fc.assert(
      fc.property(fc.array(inputs, { maxLength: 12 }), (sequence) => {
        let state: PaymentState<Card> = waitingForTap(1000);
        let firstDecision: Decision | undefined;
        for (const input of sequence) {
          state = transition(state, input);
          if (state.kind === 'decided') firstDecision ??= state.decision;
          if (firstDecision) expect(state.kind === 'decided' && state.decision).toBe(firstDecision);
          const snapshot = snapshotOf(order, 0, state);
          expect(snapshot.inProgress).toBe(isInProgress(state));
          expect(snapshot.inProgress).toBe(snapshot.decision === undefined);
          if (snapshot.finished) expect(snapshot.decision).toBeDefined();
          expect(snapshot.waitingDeadline !== undefined).toBe(state.kind === 'waiting');
        }
      }),
    );
  });
});
