import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalRow, canonicalRowCborg, rowHash } from '../../../src-main/ledger/canonical';
import type { UnhashedRow } from '../../../src-main/ledger/row';
import { unhashedRow } from './arbitraries';

// The direct encoder must give cborg's bytes for every row, including the ones it hands to cborg.
const row = unhashedRow;

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
