// The customer's tap at a refund: SELECT and the payment request only. The phone answers with its
// license, which the terminal verifies exactly as for a sale (checkPaymentResponse); no deduction
// request is sent, so the phone authorises nothing and no money moves. The license makes the
// refunded account a verified fact of the refund (docs/protocol.md §9 "Refund tap").
import type { PaymentOrder } from '../domain/payment';
import type { TapOutcome } from '../app/refunds';
import type { PresentedCard, ReaderService } from '../reader/reader-service';
import type { CardChannel } from '../transport/channel';
import { TerminalLink } from '../transport/terminal-link';
import { ProtocolError } from '../domain/protocol-error';
import { wrapRequest } from '../protocol/envelope';
import { snepDeclaredSize } from '../protocol/snep';
import { encodePaymentRequest } from '../protocol/messages';
import { checkPaymentResponse, type VerificationContext } from '../verification/pipeline';
import { assertValidOrder, DEFAULT_STEP_TIMEOUT_MS } from './terminal-session';

export interface RefundTapOptions {
  channel: CardChannel;
  /** The refund as the phone sees it: the refund's own id, its amount and currency. */
  order: PaymentOrder;
  verification: VerificationContext;
  stepTimeoutMs?: number;
  signal?: AbortSignal;
}

/** Reads and verifies the tapped phone's license. Resolves (never rejects) for anything the phone or link does. */
export async function runRefundTap(options: RefundTapOptions): Promise<TapOutcome> {
  const { order, verification } = options;
  assertValidOrder(order);
  const link = new TerminalLink(options.channel, {
    stepTimeoutMs: options.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS,
    signal: options.signal,
  });
  try {
    await link.select();
    const paymentRequest = wrapRequest(encodePaymentRequest(order));
    const paymentResponse = await link.exchange(paymentRequest, snepDeclaredSize);
    const verdict = checkPaymentResponse(order, paymentResponse, verification);
    if (!verdict.ok) return { ok: false, detail: `${verdict.reason}: ${verdict.detail}` };
    const { accountId, licenseSerial, authorityKid } = verdict.facts;
    if (accountId === undefined || licenseSerial === undefined || authorityKid === undefined) {
      return { ok: false, detail: 'the license names no account, serial or authority key' };
    }
    return {
      ok: true,
      tap: { accountId, licenseSerial, authorityKid, paymentRequest, paymentResponse, license: verdict.value.license.bytes },
    };
  } catch (error) {
    if (error instanceof ProtocolError) return { ok: false, detail: `${error.reason}: ${error.detail}` };
    return { ok: false, detail: `reader_error: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** The first payment phone in the reader's field (one already there, or the next to arrive), or undefined after `timeoutMs`. */
export function waitForPhone(reader: ReaderService, timeoutMs: number, signal?: AbortSignal): Promise<PresentedCard | undefined> {
  const present = reader.presentCards().find((card) => card.present() && card.kind === 'iso-dep');
  if (present) return Promise.resolve(present);
  return new Promise((resolve) => {
    const done = (card: PresentedCard | undefined): void => {
      clearTimeout(timer);
      off();
      signal?.removeEventListener('abort', onAbort);
      resolve(card);
    };
    const onAbort = (): void => done(undefined);
    const timer = setTimeout(() => done(undefined), timeoutMs);
    const off = reader.onCard((card) => {
      if (card.kind === 'iso-dep') done(card);
    });
    signal?.addEventListener('abort', onAbort);
  });
}
