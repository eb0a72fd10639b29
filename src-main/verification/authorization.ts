// Verifies a payment authorization: signature with the licensed app key (ES256, raw r||s,
// high-S accepted), then each bound field, then the app counter and the offline limit.
import type { LicenseHistory, LicenseIdentity } from '../domain/payment';
import type { ReasonCode } from '../domain/reasons';
import { bytesEqual, toHex } from '../domain/bytes';
import { parseCoseSign1, sigStructure } from '../protocol/cose';
import { fail } from '../domain/protocol-error';
import { parseAuthorizationContent, type AuthorizationContent } from '../protocol/authorization-payload';
import { COSE_ALGORITHMS, looksLikeDer, type SignatureVerifier } from '../protocol/signature';
import { MAX_MESSAGE_BYTES } from '../domain/limits';
import type { OrderFields } from '../protocol/messages';
import type { LicenseContent } from '../protocol/license-payload';

/** Parses and checks the signature; returns the signed content. Throws ProtocolError. */
export function verifyAuthorizationSignature(
  bytes: Uint8Array,
  appPublicKey: Uint8Array,
  verifier: SignatureVerifier,
): AuthorizationContent {
  if (bytes.length > MAX_MESSAGE_BYTES) fail('message_too_large', `authorization of ${bytes.length} bytes`);
  const cose = parseCoseSign1(bytes, 'authorization');
  const content = parseAuthorizationContent(cose.payload);
  if (cose.alg !== COSE_ALGORITHMS.ES256) fail('unsupported_algorithm', `authorization algorithm ${cose.alg} is not ES256 (-7)`);
  if (looksLikeDer(cose.signature)) fail('signature_der_encoded', 'authorization signature is DER, not raw r||s');
  if (!verifier.verify('ES256', appPublicKey, sigStructure(cose.protectedBytes, cose.payload), cose.signature, false)) {
    fail('authorization_signature_invalid', 'authorization signature does not verify with the licensed app key');
  }
  return content;
}

/** What the terminal sent, which the authorization must repeat exactly. */
export interface ExpectedBinding {
  order: OrderFields;
  nonce: Uint8Array;
  licenseHash: Uint8Array;
  transcriptHash: Uint8Array;
}

/** One field the authorization signs: its decline reason, its name in a list, and the check. */
interface BindingRule {
  reason: ReasonCode;
  field: string;
  differs: (content: AuthorizationContent, expected: ExpectedBinding) => boolean;
  detail: (content: AuthorizationContent, expected: ExpectedBinding) => string;
}

const BINDING_RULES: readonly BindingRule[] = [
  {
    reason: 'transaction_mismatch',
    field: 'transaction id',
    differs: (c, e) => c.transactionId !== e.order.transactionId,
    detail: (c, e) => `signed transaction ${c.transactionId}, expected ${e.order.transactionId}`,
  },
  {
    reason: 'amount_mismatch',
    field: 'amount',
    differs: (c, e) => c.amount !== e.order.amount,
    detail: (c, e) => `signed amount ${c.amount}, expected ${e.order.amount}`,
  },
  {
    reason: 'currency_mismatch',
    field: 'currency',
    differs: (c, e) => c.currency !== e.order.currency,
    detail: (c, e) => `signed currency ${c.currency}, expected ${e.order.currency}`,
  },
  {
    reason: 'merchant_mismatch',
    field: 'merchant',
    differs: (c, e) => c.merchantId !== e.order.merchantId,
    detail: (c, e) => `signed merchant ${c.merchantId}, expected ${e.order.merchantId}`,
  },
  {
    reason: 'terminal_mismatch',
    field: 'terminal',
    differs: (c, e) => c.terminalId !== e.order.terminalId,
    detail: (c, e) => `signed terminal ${c.terminalId}, expected ${e.order.terminalId}`,
  },
  {
    reason: 'nonce_mismatch',
    field: 'nonce',
    differs: (c, e) => !bytesEqual(c.nonce, e.nonce),
    detail: (c) => `signed nonce ${toHex(c.nonce)} is not the one sent`,
  },
  {
    reason: 'license_hash_mismatch',
    field: 'license hash',
    differs: (c, e) => !bytesEqual(c.licenseHash, e.licenseHash),
    detail: () => 'signed license hash is not the presented license',
  },
  {
    reason: 'transcript_mismatch',
    field: 'transcript hash',
    differs: (c, e) => !bytesEqual(c.transcriptHash, e.transcriptHash),
    detail: () => 'signed transcript hash differs from the exchange',
  },
];

export interface BindingMismatch {
  reason: ReasonCode;
  /** The field's name for a list ("amount", "nonce", ...). */
  field: string;
  detail: string;
}

/** Every bound field the authorization signs differently, in the order checkBinding checks them. */
export function bindingMismatches(content: AuthorizationContent, expected: ExpectedBinding): BindingMismatch[] {
  return BINDING_RULES.filter((rule) => rule.differs(content, expected)).map((rule) => ({
    reason: rule.reason,
    field: rule.field,
    detail: rule.detail(content, expected),
  }));
}

/** Throws ProtocolError with the first bound field that differs. */
export function checkBinding(content: AuthorizationContent, expected: ExpectedBinding): void {
  const [first] = bindingMismatches(content, expected);
  if (first) fail(first.reason, first.detail);
}

/** The last counter a phone may sign under one license: the protocol's integer bound, 2^53 - 1. */
export const MAX_APP_COUNTER = Number.MAX_SAFE_INTEGER;
/** How far past the last counter this terminal saw for a license (0 when unseen) the next may be. */
export const MAX_COUNTER_STEP = 2 ** 32;

/**
 * The counter must grow past anything this terminal saw for the license, by at most
 * MAX_COUNTER_STEP: a phone that jumps towards 2^53 - 1 by mistake is declined without the jump
 * being recorded, so it cannot use up its own license here (docs/protocol.md §9, step 11).
 */
export function checkCounter(counter: number, license: LicenseIdentity, history: LicenseHistory): void {
  const last = history.lastCounter(license) ?? 0;
  if (last >= MAX_APP_COUNTER) {
    fail('counter_out_of_range', `${describeLicense(license)} has used its last counter here (2^53 - 1); the phone needs a new license`);
  }
  // Written so that a history answer that is not a number (NaN) declines instead of approving.
  if (!(counter > last)) fail('counter_replayed', `app counter ${counter} not above ${last} already seen for ${describeLicense(license)}`);
  if (!(counter - last <= MAX_COUNTER_STEP)) {
    fail('counter_out_of_range', `app counter ${counter} is more than 2^32 past ${last}, the last seen for ${describeLicense(license)}`);
  }
}

export function checkOfflineLimit(amount: number, identity: LicenseIdentity, license: LicenseContent, history: LicenseHistory): void {
  const spent = history.spentOffline(identity, license.currency);
  // Subtraction stays exact for safe integers, and NaN from a broken history declines.
  if (!(amount <= license.offlineLimit - spent)) {
    fail('offline_limit_exceeded', `${amount} + ${spent} already spent exceeds offline limit ${license.offlineLimit} ${license.currency}`);
  }
}

function describeLicense(license: LicenseIdentity): string {
  return `license ${license.serial} of ${license.authorityId}`;
}
