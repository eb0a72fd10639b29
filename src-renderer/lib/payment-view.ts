// How the checkout screen follows the payment main owns: pure, so reload and event-order
// cases are unit-tested (tests/unit/renderer/payment-view.test.ts).
import type { PaymentSnapshot } from '../../src-main/ipc/contract';

const IN_PROGRESS: ReadonlySet<string> = new Set(['present-phone', 'processing', 'see-phone']);

/** A payment is in progress (Cancel shown, keys other than Esc ignored) until it is decided. */
export function isInProgress(payment: PaymentSnapshot | null): boolean {
  return payment !== null && !payment.decision && IN_PROGRESS.has(payment.stage);
}

/**
 * Which payment the screen shows after main reports `next`. A payment cancelled while waiting
 * leaves nothing to show (back to the sale, still rung up); a finished payment the screen was
 * not showing (reload after its end) is not brought back; a decision already shown stays even
 * if a later stage event (remove-phone) arrives without it; a payment the cashier already
 * dismissed is not brought back by its late events.
 */
export function follow(
  prev: PaymentSnapshot | null,
  next: PaymentSnapshot,
  dismissed: ReadonlySet<string> = new Set(),
): PaymentSnapshot | null {
  if (dismissed.has(next.transactionId)) return prev;
  const same = prev !== null && prev.transactionId === next.transactionId;
  if (!same && next.finished) return prev;
  if (next.stage === 'cancelled' && !next.decision) return same ? null : prev;
  if (same && prev.decision && !next.decision) return { ...next, decision: prev.decision };
  return next;
}

/** On load: re-attach to the payment main still runs; a finished one is not shown again. */
export function attachOnLoad(snapshot: PaymentSnapshot | null): PaymentSnapshot | null {
  if (!snapshot || snapshot.finished) return null;
  if (snapshot.stage === 'cancelled' && !snapshot.decision) return null;
  return snapshot;
}

/**
 * Declines where tapping the same phone again can succeed (EMV's "Try again"): the phone moved,
 * stalled, was locked, shared the field, or nobody tapped. Enter retries the same sale at once.
 */
const RETRYABLE: ReadonlySet<string> = new Set([
  'card_removed',
  'step_timeout',
  'multiple_cards',
  'reader_error',
  'see_phone',
  'wait_timeout',
]);

export function canTryAgain(payment: PaymentSnapshot | null): boolean {
  const decision = payment?.decision;
  return decision !== undefined && decision.outcome === 'declined' && decision.reason !== undefined && RETRYABLE.has(decision.reason);
}
