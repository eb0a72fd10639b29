// Ledger rows for property tests: every field in its stored type, plus what a row can hold only
// when something went wrong (lone surrogates, numbers that are not safe integers, 70 KB blobs),
// which the fast paths must hand on or render exactly like their references.
import fc from 'fast-check';
import type { LedgerRow, UnhashedRow } from '../../../src-main/ledger/row';

const text = fc.oneof(
  { weight: 20, arbitrary: fc.string() },
  { weight: 20, arbitrary: fc.string({ unit: 'grapheme', maxLength: 300 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 10 }) }, // lone surrogates: cborg's path
);
const integer = fc.oneof(
  fc.integer({ min: -30, max: 30 }),
  fc.integer(),
  fc.maxSafeInteger(),
  fc.constantFrom(
    23,
    24,
    255,
    256,
    65535,
    65536,
    2 ** 32 - 1,
    2 ** 32,
    -24,
    -25,
    -256,
    -257,
    -65537,
    -(2 ** 32) - 1,
    Number.MAX_SAFE_INTEGER,
    Number.MIN_SAFE_INTEGER,
    -0,
  ),
);
const unusualNumber = fc.constantFrom(0.5, 2 ** 53, -(2 ** 60), Number.NaN, Infinity);
const optText = fc.option(text, { nil: null });
const optInt = fc.option(fc.oneof({ weight: 40, arbitrary: integer }, { weight: 1, arbitrary: unusualNumber }), { nil: null });
const optBytes = fc.option(
  fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.constantFrom(new Uint8Array(70_000).fill(9), Buffer.alloc(256, 1))),
  { nil: null },
);

export const unhashedRow: fc.Arbitrary<UnhashedRow> = fc.record({
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
  authorityId: optText,
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
});

export const ledgerRow: fc.Arbitrary<LedgerRow> = fc
  .tuple(unhashedRow, fc.uint8Array({ minLength: 32, maxLength: 32 }))
  .map(([row, hash]) => ({ ...row, hash }));
