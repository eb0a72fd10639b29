import fc from 'fast-check';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { csvLine } from '../../../src-main/export/csv-writer';

// The export writes CSV by hand for speed; csv-stringify with its defaults is the reference, so
// exports stay byte for byte what earlier versions wrote and what verify-export re-creates.
const field = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.stringMatching(/^[",\r\n a-z]{0,12}$/),
  fc.constantFrom('', '"', '""', ',', '\r', '\n', '\r\n', ' lead', 'trail ', '=1+1', '茶, "green"'),
);

describe('csvLine', () => {
  it('writes what csv-stringify writes for any record', () => {
    fc.assert(
      fc.property(fc.array(field, { minLength: 1, maxLength: 25 }), (record) => {
        expect(csvLine(record)).toBe(stringify([record]));
      }),
      { numRuns: 2000 },
    );
  });

  it('quotes only fields with a quote, comma, CR or LF', () => {
    expect(csvLine(['a', 'b c', 'x,y', 'say "hi"', 'two\nlines', ''])).toBe('a,b c,"x,y","say ""hi""","two\nlines",\n');
  });
});
