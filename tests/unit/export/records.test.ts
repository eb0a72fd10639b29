import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonLine, jsonRecord, parseJsonRecord } from '../../../src-main/export/records';
import { ledgerRow } from '../ledger/arbitraries';

// jsonLine writes the JSONL record field by field; JSON.stringify(jsonRecord(row)) is its definition.
const row = ledgerRow;

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
        // Only what the ledger stores: its integers are safe integers.
        const numbers = [r.seq, r.recordedAt, r.amount, r.appCounter, r.startedAt, r.finishedAt, r.apduCount, r.zNumber];
        fc.pre(
          numbers.every((n) => n === null || Number.isSafeInteger(n)) &&
            r.items.every((i) => Number.isSafeInteger(i.quantity) && Number.isSafeInteger(i.unitPrice)),
        );
        const parsed = parseJsonRecord(jsonLine(r).slice(0, -1));
        // Compared as JSON text: JSON has no -0.
        expect(JSON.stringify(jsonRecord(parsed))).toBe(JSON.stringify(jsonRecord(r)));
      }),
      { numRuns: 300 },
    );
  });
});
