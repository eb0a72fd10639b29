// The verification pipeline: pure functions of the received bytes and the terminal's
// inputs (clock, skew, trust store, revocations, license history). Steps run in the
// order of docs/protocol.md "Verification order"; the first failure decides the reason.
import type { Clock, Decision, ExchangeBytes, LicenseHistory, PaymentFacts, PaymentOrder } from '../domain/payment';
import type { ReasonCode } from '../domain/reasons';
import { unwrapResponse } from '../protocol/envelope';
import { ProtocolError, fail } from '../domain/protocol-error';
import { parseAuthorizationMessage, parseDeductionRequest, parsePaymentResponse, type OrderFields } from '../protocol/messages';
import { parseSnepGet } from '../protocol/snep';
import { parseNdef } from '../protocol/ndef';
import { transcriptHash } from '../protocol/transcript';
import type { AuthorizationContent } from '../protocol/authorization-payload';
import type { SignatureVerifier } from '../protocol/signature';
import { checkBinding, checkCounter, checkOfflineLimit, verifyAuthorizationSignature } from './authorization';
import { licenseFacts, readLicense, verifyLicense, type VerifiedLicense } from './license';
import { licenseIdentity } from './license-identity';
import type { RevocationList } from './revocation';
import type { TrustStore } from './trust-store';

export interface VerificationContext {
  clock: Clock;
  /** Normally CLOCK_SKEW_MS (verification/license.ts). */
  clockSkewMs: number;
  verifier: SignatureVerifier;
  trustStore: TrustStore;
  revocations: RevocationList;
  history: LicenseHistory;
}

/** History of a terminal that never saw the license: for re-verifying exports. */
export const EMPTY_HISTORY: LicenseHistory = { lastCounter: () => undefined, spentOffline: () => 0 };

export type Verdict<T> =
  { ok: true; value: T; facts: PaymentFacts } | { ok: false; reason: ReasonCode; detail: string; facts: PaymentFacts };

export interface AcceptedLicense {
  /** CBOR payload of the payment response, for the transcript. */
  payload: Uint8Array;
  license: VerifiedLicense;
}

/** Phase 1: the payment response and its license, before the deduction request is sent. */
export function checkPaymentResponse(order: OrderFields, message: Uint8Array, context: VerificationContext): Verdict<AcceptedLicense> {
  let facts: PaymentFacts = {};
  try {
    const payload = unwrapResponse(message);
    const { license: bytes } = parsePaymentResponse(payload);
    const read = readLicense(bytes);
    facts = licenseFacts(read.content, read.kid, context.trustStore);
    const license = verifyLicense(
      bytes,
      {
        trustStore: context.trustStore,
        revocations: context.revocations,
        now: context.clock(),
        clockSkewMs: context.clockSkewMs,
        verifier: context.verifier,
      },
      () => {
        facts = { ...facts, licenseVerified: true };
      },
    );
    if (license.content.currency !== order.currency) {
      fail('currency_not_licensed', `license is for ${license.content.currency}, order is ${order.currency}`);
    }
    return { ok: true, value: { payload, license }, facts };
  } catch (error) {
    return declined(error, facts);
  }
}

export interface AuthorizationInput {
  order: OrderFields;
  license: VerifiedLicense;
  nonce: Uint8Array;
  transcriptHash: Uint8Array;
  /** The fourth message (SNEP response) as received. */
  message: Uint8Array;
}

export interface AcceptedAuthorization {
  /** COSE_Sign1 authorization bytes exactly as received. */
  bytes: Uint8Array;
  content: AuthorizationContent;
}

/** Phase 2: the payment authorization against everything the terminal sent. */
export function checkPaymentAuthorization(
  input: AuthorizationInput,
  context: VerificationContext,
  baseFacts: PaymentFacts = {},
): Verdict<AcceptedAuthorization> {
  let facts = baseFacts;
  try {
    const { authorization: bytes } = parseAuthorizationMessage(unwrapResponse(input.message));
    const value = checkAuthorizationBytes(bytes, input, context, (content) => {
      facts = { ...facts, appCounter: content.counter };
    });
    return { ok: true, value, facts };
  } catch (error) {
    return declined(error, facts);
  }
}

function checkAuthorizationBytes(
  bytes: Uint8Array,
  input: Omit<AuthorizationInput, 'message'>,
  context: VerificationContext,
  onSigned: (content: AuthorizationContent) => void,
): AcceptedAuthorization {
  const content = verifyAuthorizationSignature(bytes, input.license.content.appPublicKey, context.verifier);
  onSigned(content);
  checkBinding(content, {
    order: input.order,
    nonce: input.nonce,
    licenseHash: input.license.hash,
    transcriptHash: input.transcriptHash,
  });
  const identity = licenseIdentity(input.license);
  checkCounter(content.counter, identity, context.history);
  checkOfflineLimit(content.amount, identity, input.license.content, context.history);
  return { bytes, content };
}

/**
 * Re-verifies a recorded exchange from its raw bytes (settlement, verify-export): the
 * license at `context.clock()`, then the authorization against the request payloads
 * recorded, recomputing nonce and transcript from them.
 */
export function verifyExchange(order: PaymentOrder, exchange: ExchangeBytes, context: VerificationContext): Decision {
  const { paymentRequest, paymentResponse, deductionRequest, authorization } = exchange;
  if (!paymentRequest || !paymentResponse || !deductionRequest || !authorization) {
    return { outcome: 'declined', reason: 'malformed_message', detail: 'exchange is incomplete', facts: {} };
  }
  const first = checkPaymentResponse(order, paymentResponse, context);
  if (!first.ok) return { outcome: 'declined', reason: first.reason, detail: first.detail, facts: first.facts };
  let facts = first.facts;
  try {
    const requestPayload = parseNdef(parseSnepGet(paymentRequest).ndef);
    const deductionPayload = parseNdef(parseSnepGet(deductionRequest).ndef);
    const { nonce } = parseDeductionRequest(deductionPayload);
    const accepted = checkAuthorizationBytes(
      authorization,
      {
        order,
        license: first.value.license,
        nonce,
        transcriptHash: transcriptHash(requestPayload, first.value.payload, deductionPayload),
      },
      context,
      (content) => {
        facts = { ...facts, appCounter: content.counter };
      },
    );
    return { outcome: 'approved', facts: { ...facts, appCounter: accepted.content.counter } };
  } catch (error) {
    const verdict = declined(error, facts);
    return { outcome: 'declined', reason: verdict.reason, detail: verdict.detail, facts };
  }
}

function declined(error: unknown, facts: PaymentFacts): { ok: false; reason: ReasonCode; detail: string; facts: PaymentFacts } {
  if (error instanceof ProtocolError) return { ok: false, reason: error.reason, detail: error.detail, facts };
  throw error;
}
