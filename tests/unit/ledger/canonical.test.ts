import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalRow, canonicalRowCborg, rowHash } from '../../../src-main/ledger/canonical';
import type { UnhashedRow } from '../../../src-main/ledger/row';

// The direct encoder must give cborg's bytes for every row, including the ones it hands to cborg.
const text = fc.oneof(
  { weight: 20, arbitrary: fc.string() },
  { weight: 20, arbitrary: fc.string({ unit: 'grapheme', maxLength: 300 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 10 }) }, // lone surrogates: cborg's path
);
const integer = fc.oneof(
  fc.integer({ min: -30, max: 30 }),
  fc.integer(),
  fc.maxSafeInteger(),
  fc.constantFrom(23, 24, 255, 256, 65535, 65536, 2 ** 32 - 1, 2 ** 32, -24, -25, -256, -257, -65537, -(2 ** 32) - 1, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, -0),
);
const unusualNumber = fc.constantFrom(0.5, 2 ** 53, -(2 ** 60), Number.NaN, Infinity);
const optText = fc.option(text, { nil: null });
const optInt = fc.option(fc.oneof({ weight: 40, arbitrary: integer }, { weight: 1, arbitrary: unusualNumber }), { nil: null });
const optBytes = fc.option(
  fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.constantFrom(new Uint8Array(70_000).fill(9), Buffer.alloc(256, 1))),
  { nil: null },
);

const row: fc.Arbitrary<UnhashedRow> = fc.record({
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
  items: fc.array(fc.record({ description: text, quantity: integer, unitPrice: integer }), { maxLength: 30 }),
  paymentRequest: optBytes,
  paymentResponse: optBytes,
  license: optBytes,
  deductionRequest: optBytes,
  authorization: optBytes,
  paymentAuthorization: optBytes,
  prevHash: fc.uint8Array({ minLength: 32, maxLength: 32 }),
}) as fc.Arbitrary<UnhashedRow>;

describe('canonical row encoding', () => {
  it('gets the text head right at every length boundary, in ASCII and in multi-byte text', () => {
    const sample = fc.sample(row, { numRuns: 1, seed: 7 })[0] as UnhashedRow;
    for (const unit of ['a', 'é', '茶', '😀']) {
      for (const bytes of [0, 1, 22, 23, 24, 25, 254, 255, 256, 257, 21_845, 65_534, 65_535, 65_536, 70_000]) {
        const text = unit.repeat(Math.ceil(bytes / Buffer.byteLength(unit)));
        const r = { ...sample, note: text, detail: text.slice(0, 5) };
        expect(Buffer.from(canonicalRow(r)).toString('hex')).toBe(Buffer.from(canonicalRowCborg(r)).toString('hex'));
      }
    }
  });

  it('writes exactly the bytes cborg writes, and hashes them', () => {
    fc.assert(
      fc.property(row, (r) => {
        const reference = canonicalRowCborg(r);
        expect(Buffer.from(canonicalRow(r)).toString('hex')).toBe(Buffer.from(reference).toString('hex'));
        const expected = createHash('sha256').update(r.prevHash).update(reference).digest('hex');
        expect(Buffer.from(rowHash(r)).toString('hex')).toBe(expected);
      }),
      { numRuns: 400 },
    );
  });

  it('returns a copy, not the reused buffer', () => {
    fc.assert(
      fc.property(row, row, (a, b) => {
        const first = canonicalRow(a);
        const copy = Buffer.from(first).toString('hex');
        canonicalRow(b);
        expect(Buffer.from(first).toString('hex')).toBe(copy);
      }),
      { numRuns: 50 },
    );
  });
});
