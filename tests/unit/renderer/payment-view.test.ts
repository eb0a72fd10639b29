import { describe, expect, it } from 'vitest';
import type { DecisionView, PaymentSnapshot } from '../../../src-main/ipc/contract';
import { attachOnLoad, canTryAgain, follow, isInProgress } from '../../../src-renderer/lib/payment-view';

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);

function snapshot(over: Partial<PaymentSnapshot> = {}): PaymentSnapshot {
  return { transactionId: A, amount: 1234, currency: 'CNY', stage: 'present-phone', startedAt: 1, finished: false, demo: true, ...over };
}

const decision = {
  transactionId: A,
  outcome: 'approved',
  amount: 1234,
  currency: 'CNY',
  decidedAt: 2,
  demo: true,
} as unknown as DecisionView;

describe('checkout follows the payment main owns', () => {
  it('is in progress while waiting, processing or see-phone, and not once decided', () => {
    expect(isInProgress(null)).toBe(false);
    expect(isInProgress(snapshot())).toBe(true);
    expect(isInProgress(snapshot({ stage: 'processing' }))).toBe(true);
    expect(isInProgress(snapshot({ stage: 'see-phone' }))).toBe(true);
    expect(isInProgress(snapshot({ stage: 'approved', decision }))).toBe(false);
    expect(isInProgress(snapshot({ stage: 'timed-out' }))).toBe(false);
  });

  it('re-attaches after a reload only to a payment that is not finished', () => {
    expect(attachOnLoad(null)).toBeNull();
    expect(attachOnLoad(snapshot({ stage: 'processing' }))?.stage).toBe('processing');
    expect(attachOnLoad(snapshot({ stage: 'remove-phone', decision }))?.decision).toBe(decision);
    expect(attachOnLoad(snapshot({ stage: 'approved', decision, finished: true }))).toBeNull();
    expect(attachOnLoad(snapshot({ stage: 'cancelled' }))).toBeNull();
  });

  it('goes back to the sale when the wait is cancelled', () => {
    expect(follow(snapshot(), snapshot({ stage: 'cancelled', finished: true }))).toBeNull();
  });

  it('keeps the decision when remove-phone arrives without it', () => {
    const shown = snapshot({ stage: 'approved', decision });
    const next = follow(shown, snapshot({ stage: 'remove-phone' }));
    expect(next?.stage).toBe('remove-phone');
    expect(next?.decision).toBe(decision);
  });

  it('does not bring back another finished payment, but follows a new one', () => {
    const shown = snapshot({ stage: 'approved', decision });
    expect(follow(shown, snapshot({ transactionId: B, stage: 'cancelled', finished: true }))).toBe(shown);
    expect(follow(null, snapshot({ transactionId: B, stage: 'approved', finished: true }))).toBeNull();
    expect(follow(null, snapshot({ transactionId: B }))?.transactionId).toBe(B);
  });

  it('does not bring back a payment the cashier dismissed before its remove-phone event', () => {
    const dismissed = new Set([A]);
    const late = snapshot({ stage: 'remove-phone', decision });
    expect(follow(null, late)).toBe(late);
    expect(follow(null, late, dismissed)).toBeNull();
    const next = snapshot({ transactionId: B });
    expect(follow(next, late, dismissed)).toBe(next);
  });
});

describe('try again', () => {
  const declined = (reason: string) =>
    snapshot({ stage: 'declined', decision: { ...decision, outcome: 'declined', reason } as unknown as DecisionView });

  it('offers the same sale again after a tap that can work next time', () => {
    for (const reason of ['card_removed', 'step_timeout', 'see_phone', 'multiple_cards', 'reader_error', 'wait_timeout']) {
      expect(canTryAgain(declined(reason)), reason).toBe(true);
    }
  });

  it('not after an approval, a cashier cancel or a refusal of the phone itself', () => {
    expect(canTryAgain(snapshot({ stage: 'approved', decision }))).toBe(false);
    expect(canTryAgain(declined('cancelled'))).toBe(false);
    expect(canTryAgain(declined('license_expired'))).toBe(false);
    expect(canTryAgain(declined('counter_replayed'))).toBe(false);
    expect(canTryAgain(snapshot())).toBe(false);
    expect(canTryAgain(null)).toBe(false);
  });
});
