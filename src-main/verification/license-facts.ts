// Whether a stored decline's license facts (account, serial, authority kid, validity, limit)
// are the credit authority's word or only the phone's claim, from what the row keeps: its reason
// code, and whether the terminal sent the deduction request (the row keeps its bytes). The row
// does not keep `PaymentFacts.licenseVerified` (its format is hashed). Follows the order of
// docs/protocol.md §9 as license.ts, pipeline.ts and the terminal session run it.
import type { ReasonCode } from '../domain/reasons';

/**
 * Where a decline with this reason can happen against the license check:
 * - `verified`: only after the license signature verified with a trusted, unrevoked key;
 * - `unverified`: only before that (no license read yet, or one that did not verify);
 * - `either`: link, framing and terminal failures, which can end the exchange at any step
 *   (a phone removed before or after its license was checked).
 */
export type LicenseCheckPoint = 'verified' | 'unverified' | 'either';

// A Record, so a new reason code does not compile until it is placed here.
const CHECK_POINT: Record<ReasonCode, LicenseCheckPoint> = {
  card_removed: 'either',
  step_timeout: 'either',
  not_payment_phone: 'unverified', // answer to SELECT, before any license
  see_phone: 'either', // 6982 on any command
  multiple_cards: 'either',
  reader_error: 'either',
  // Framing: the payment response (license not verified) or the authorization (verified).
  message_too_large: 'either',
  malformed_apdu: 'either',
  malformed_snep: 'either',
  snep_error: 'either',
  malformed_ndef: 'either',
  malformed_cbor: 'either',
  malformed_message: 'either',
  malformed_cose: 'either',
  unsupported_algorithm: 'either',
  signature_der_encoded: 'either',
  // Steps 4-5, and a revoked authority key (which may be in other hands).
  unknown_authority: 'unverified',
  authority_key_not_valid: 'unverified',
  authority_revoked: 'unverified',
  license_signature_invalid: 'unverified',
  // Steps 6-8: the signature verified. An unrevoked key is assumed: license.ts checks the
  // authority's revocation after these, so a license both expired (or not yet valid, or
  // revoked) and signed by a revoked key declines with the earlier code, unverified.
  license_not_yet_valid: 'verified',
  license_expired: 'verified',
  license_revoked: 'verified',
  app_key_invalid: 'verified', // checked after the authority's revocation
  currency_not_licensed: 'verified',
  // Steps 9-12 run only on a license that passed steps 1-8.
  authorization_signature_invalid: 'verified',
  transaction_mismatch: 'verified',
  amount_mismatch: 'verified',
  currency_mismatch: 'verified',
  merchant_mismatch: 'verified',
  terminal_mismatch: 'verified',
  nonce_mismatch: 'verified',
  license_hash_mismatch: 'verified',
  transcript_mismatch: 'verified',
  counter_replayed: 'verified',
  counter_out_of_range: 'verified',
  offline_limit_exceeded: 'verified',
  cannot_record: 'either', // the ledger failed on a decision of any kind
  cancelled: 'either',
  wait_timeout: 'unverified', // no phone tapped
};

export function licenseCheckPoint(reason: ReasonCode): LicenseCheckPoint {
  return CHECK_POINT[reason];
}

/**
 * True when the decline had verified the license, so its facts may be shown as facts: every
 * decline with a `verified` reason, and one with an `either` reason after the terminal sent the
 * deduction request, which it sends only for a license that passed every license check.
 * False otherwise: the cautious answer.
 */
export function licenseFactsVerified(reason: ReasonCode, deductionRequestSent = false): boolean {
  const point = CHECK_POINT[reason];
  return point === 'verified' || (point === 'either' && deductionRequestSent);
}
