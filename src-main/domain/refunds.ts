// Why a refund was refused: stable codes shared by the refund service, the IPC contract, the
// command line and the screens (resources/i18n/<lang>/ui.json "refundRefusal.<code>"). Pure.

export const REFUND_REFUSALS = [
  'not_found', // no sale with that transaction id
  'not_a_sale', // the id is a void's or a refund's
  'not_approved', // the sale was declined: no money was taken
  'voided', // the sale was voided: no money was taken
  'other_currency', // the refund is asked in another currency than the sale's
  'invalid_amount', // not a positive whole number of minor units
  'over_remainder', // more than the sale's earlier refunds left
  'pin_required', // needs the manager PIN (no cashier allowance, or none given)
  'wrong_pin',
  'pin_locked', // too many wrong PINs: locked for a while
  'over_cashier_limit', // a cashier may refund up to the allowance; more needs the manager PIN
  'tap_failed', // the customer's tap did not verify (the detail says why)
  'tap_other_account', // the phone tapped belongs to another account than the sale's
  'cannot_record', // the ledger could not record it (disk, lock): nothing was recorded
] as const;
export type RefundRefusal = (typeof REFUND_REFUSALS)[number];

/** Who authorised a refund (kept in the ledger row's operator). */
export type RefundAuthorisedBy = 'manager' | 'cashier';

/**
 * The transaction id in what a scanner or the cashier typed: the id itself, or the first
 * standalone 32-hex token of a receipt's QR text. Lower-cased; undefined when there is none.
 */
export function transactionIdIn(text: string): string | undefined {
  const match = /(?:^|[^0-9a-fA-F])([0-9a-fA-F]{32})(?![0-9a-fA-F])/.exec(text.trim());
  return match?.[1]?.toLowerCase();
}
