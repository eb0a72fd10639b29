// One payment exchange over a card channel: SELECT, payment request, license check,
// deduction request with a fresh nonce, authorization check. Never throws for anything the
// phone or the link does: every ending is a SessionResult with the raw bytes of each message.
import type { ExchangeBytes, PaymentFacts, PaymentOrder, RandomSource, SessionResult } from '../domain/payment';
import type { ReasonCode } from '../domain/reasons';
import type { CardChannel } from '../transport/channel';
import { TerminalLink } from '../transport/terminal-link';
import { ProtocolError } from '../domain/protocol-error';
import { wrapRequest } from '../protocol/envelope';
import { snepDeclaredSize } from '../protocol/snep';
import { NONCE_BYTES, TRANSACTION_ID_BYTES, encodeDeductionRequest, encodePaymentRequest } from '../protocol/messages';
import { transcriptHash } from '../protocol/transcript';
import { toHex } from '../domain/bytes';
import { CURRENCY_PATTERN, TEXT64_PATTERN } from '../protocol/fields';
import { checkPaymentAuthorization, checkPaymentResponse, type VerificationContext } from '../verification/pipeline';

export const DEFAULT_STEP_TIMEOUT_MS = 2000;

export type SessionStep = 'select' | 'payment-request' | 'deduction-request' | 'verify';

export interface TerminalSessionOptions {
  channel: CardChannel;
  order: PaymentOrder;
  verification: VerificationContext;
  random: RandomSource;
  /** Bound on each APDU round trip (default 2 s). */
  stepTimeoutMs?: number;
  /** Cashier cancel: the session ends with reason `cancelled`. */
  signal?: AbortSignal;
  /** Progress for the UI ("Processing"). */
  onStep?: (step: SessionStep) => void;
}

export function newTransactionId(random: RandomSource): string {
  return toHex(random(TRANSACTION_ID_BYTES));
}

export function assertValidOrder(order: PaymentOrder): void {
  const problems: string[] = [];
  if (!/^[0-9a-f]{32}$/.test(order.transactionId)) problems.push('transactionId must be 32 lowercase hex characters');
  if (!Number.isSafeInteger(order.amount) || order.amount < 1) problems.push('amount must be a positive integer of minor units');
  if (!CURRENCY_PATTERN.test(order.currency)) problems.push('currency must be an ISO 4217 alpha code');
  for (const [name, value] of [
    ['merchantId', order.merchantId],
    ['terminalId', order.terminalId],
  ] as const) {
    if (!TEXT64_PATTERN.test(value)) problems.push(`${name} must be 1-64 printable characters`);
  }
  if (problems.length > 0) throw new TypeError(`invalid payment order: ${problems.join('; ')}`);
}

/**
 * Runs one payment. Resolves with a SessionResult for every phone or link behaviour;
 * rejects only for an invalid PaymentOrder (a programming error, checked before any APDU).
 */
export async function runTerminalSession(options: TerminalSessionOptions): Promise<SessionResult> {
  const { channel, order, verification, random, signal, onStep } = options;
  assertValidOrder(order);
  const clock = verification.clock;
  const startedAt = clock();
  const link = new TerminalLink(channel, { stepTimeoutMs: options.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS, signal });
  const exchange: ExchangeBytes = {};
  let facts: PaymentFacts = {};

  const finish = (decision: SessionResult['decision']): SessionResult => ({
    order,
    decision,
    exchange,
    startedAt,
    finishedAt: clock(),
    apduCount: link.apduCount,
  });
  const decline = (reason: ReasonCode, detail: string) => finish({ outcome: 'declined', reason, detail, facts });

  try {
    onStep?.('select');
    await link.select();

    onStep?.('payment-request');
    const requestPayload = encodePaymentRequest(order);
    exchange.paymentRequest = wrapRequest(requestPayload);
    exchange.paymentResponse = await link.exchange(exchange.paymentRequest, snepDeclaredSize);

    onStep?.('verify');
    const first = checkPaymentResponse(order, exchange.paymentResponse, verification);
    facts = first.facts;
    if (!first.ok) return decline(first.reason, first.detail);
    const { license, payload: responsePayload } = first.value;
    exchange.license = license.bytes;

    onStep?.('deduction-request');
    const nonce = random(NONCE_BYTES);
    const deductionPayload = encodeDeductionRequest({
      transactionId: order.transactionId,
      amount: order.amount,
      currency: order.currency,
      nonce,
      licenseHash: license.hash,
    });
    exchange.deductionRequest = wrapRequest(deductionPayload);
    const reply = await link.exchange(exchange.deductionRequest, snepDeclaredSize);
    exchange.paymentAuthorization = reply;

    onStep?.('verify');
    if (signal?.aborted) return decline('cancelled', 'cancelled by the cashier');
    const second = checkPaymentAuthorization(
      { order, license, nonce, transcriptHash: transcriptHash(requestPayload, responsePayload, deductionPayload), message: reply },
      verification,
      facts,
    );
    facts = second.facts;
    if (!second.ok) return decline(second.reason, second.detail);
    exchange.authorization = second.value.bytes;
    return finish({ outcome: 'approved', facts });
  } catch (error) {
    if (error instanceof ProtocolError) return decline(error.reason, error.detail);
    return decline('reader_error', `internal error: ${error instanceof Error ? error.message : String(error)}`);
  }
}
