// A till's own reference for a payment (`charge --ref`), turned into the payment's transaction
// id. The id is derived from the ledger's id and the reference, so asking again with the same
// reference after a crash names the same ledger row: the ledger's idempotent `record` and a
// look-up by id answer "was it recorded, and how" without a second payment and without storing
// the reference anywhere (docs/readers.md, "Headless charge").
import { createHash } from 'node:crypto';
import { z } from 'zod';

export const PaymentReferenceSchema = z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, 'a reference is 1 to 64 letters, digits and . _ : -');

/** The transaction id of the payment made under `reference` on the ledger `ledgerId` (32 lowercase hex). */
export function transactionIdForReference(ledgerId: string, reference: string): string {
  return createHash('sha256').update(`nfc-cashier/payment-reference/1\n${ledgerId}\n${reference}`, 'utf8').digest('hex').slice(0, 32);
}
