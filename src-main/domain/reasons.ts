// Every way a payment can end other than approval has one stable code here. Codes are
// persisted in the ledger, exported to settlement and shown in the UI through
// resources/i18n/<lang>.json (keys `reason.<code>.message` and `reason.<code>.action`),
// so a code is never renamed or reused; add new ones at the end of their group.

export const REASON_CODES = [
  // Reader and link: the exchange could not run to its end.
  'card_removed', // phone left the field mid-exchange
  'step_timeout', // phone stopped answering within the per-step timeout
  'not_payment_phone', // tag is not ISO-DEP, or the payment AID is not there
  'see_phone', // phone refused until the user unlocks / confirms on the phone
  'multiple_cards', // more than one card in the field
  'reader_error', // PC/SC or reader failure during the exchange
  // Framing and encoding: the phone sent bytes we refuse to interpret.
  'message_too_large',
  'malformed_apdu',
  'malformed_snep',
  'snep_error', // phone answered with a SNEP error response code
  'malformed_ndef',
  'malformed_cbor',
  'malformed_message', // CBOR is fine but the message does not match its schema
  'malformed_cose',
  'unsupported_algorithm',
  'signature_der_encoded',
  // License (the credit authority's certificate of the app key).
  'unknown_authority',
  'authority_key_not_valid', // outside the authority key's validity window, or retired
  'authority_revoked',
  'license_signature_invalid',
  'license_not_yet_valid',
  'license_expired',
  'license_revoked',
  'app_key_invalid',
  'currency_not_licensed',
  // Authorization (the phone's signature over this payment).
  'authorization_signature_invalid',
  'transaction_mismatch',
  'amount_mismatch',
  'currency_mismatch',
  'merchant_mismatch',
  'terminal_mismatch',
  'nonce_mismatch',
  'license_hash_mismatch',
  'transcript_mismatch',
  'counter_replayed',
  'counter_out_of_range',
  'offline_limit_exceeded',
  // Terminal side.
  'cannot_record', // the ledger could not commit the attempt: never approve then
  'cancelled', // cashier cancelled during the exchange
  'wait_timeout', // nobody tapped a phone within the waiting timeout (never recorded)
] as const;

export type ReasonCode = (typeof REASON_CODES)[number];

const reasonSet: ReadonlySet<string> = new Set(REASON_CODES);

export function isReasonCode(value: unknown): value is ReasonCode {
  return typeof value === 'string' && reasonSet.has(value);
}
