import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonLine, jsonRecord, parseJsonRecord } from '../../../src-main/export/records';
import type { LedgerRow } from '../../../src-main/ledger/row';

// jsonLine writes the JSONL record field by field; JSON.stringify(jsonRecord(row)) is its definition.
const text = fc.oneof(fc.string(), fc.string({ unit: 'grapheme', maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 8 }));
const optText = fc.option(text, { nil: null });
const integer = fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.constantFrom(0, -0, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER));
const optInt = fc.option(integer, { nil: null });
const bytes = fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b));
const optBytes = fc.option(bytes, { nil: null });
const hash = fc.uint8Array({ minLength: 32, maxLength: 32 });

const row: fc.Arbitrary<LedgerRow> = fc.record({
  seq: integer,
  kind: fc.constantFrom('sale', 'void', 'close'),
  businessDate: text,
  recordedAt: integer,
  localTime: text,
  terminalId: text,
  merchantId: text,
  transactionId: optText,
  status: fc.constantFrom('approved', 'declined', 'voided', 'closed'),
  reason: optText,
  detail: optText,
  amount: optInt,
  currency: optText,
  accountId: optText,
  licenseSerial: optText,
  authorityKid: optText,
  appCounter: optInt,
  startedAt: optInt,
  finishedAt: optInt,
  apduCount: optInt,
  demo: fc.boolean(),
  originalTransactionId: optText,
  note: optText,
  operator: optText,
  zNumber: optInt,
  report: optText,
  items: fc.array(fc.record({ description: text, quantity: integer, unitPrice: integer }), { maxLength: 5 }),
  paymentRequest: optBytes,
  paymentResponse: optBytes,
  license: optBytes,
  deductionRequest: optBytes,
  authorization: optBytes,
  paymentAuthorization: optBytes,
  prevHash: hash,
  hash,
}) as fc.Arbitrary<LedgerRow>;

describe('jsonLine', () => {
  it('is JSON.stringify(jsonRecord(row)) and a newline, for any row', () => {
    fc.assert(
      fc.property(row, (r) => {
        expect(jsonLine(r)).toBe(`${JSON.stringify(jsonRecord(r))}\n`);
      }),
      { numRuns: 1000 },
    );
  });

  it('parses back to the row', () => {
    fc.assert(
      fc.property(row, (r) => {
        const parsed = parseJsonRecord(jsonLine(r).slice(0, -1));
        // Compared as JSON text: JSON has no -0.
        expect(JSON.stringify(jsonRecord(parsed))).toBe(JSON.stringify(jsonRecord(r)));
      }),
      { numRuns: 300 },
    );
  });
});
