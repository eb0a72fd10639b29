// COPY's text format for one value, and a round trip of awkward values through PGlite's COPY.
import { describe, expect, it } from 'vitest';
import { openPglite } from '../../../src-settlement/db/pglite';
import { copyText } from '../../../src-settlement/db/port';

describe('copyText', () => {
  it('escapes only what COPY reads specially; null is \\N', () => {
    expect(copyText('plain "json" {x:1}')).toBe('plain "json" {x:1}');
    expect(copyText('a\tb\\c\nd\re')).toBe('a\\tb\\\\c\\nd\\re');
    expect(copyText('\\\\')).toBe('\\\\\\\\');
    expect([copyText(null), copyText(12), copyText(false)]).toEqual(['\\N', '12', 'false']);
  });

  it('what it writes, COPY reads back as the same text', async () => {
    const db = await openPglite('memory://');
    try {
      const values = ['plain', 'tab\there', 'back\\slash', 'new\nline\r\n', '{"note":"a\\"b\\\\c"}', '\\N', ''];
      await db.query('CREATE TABLE t (i int, v text)');
      await db.transaction((tx) =>
        tx.copyIn(
          'COPY t (i, v) FROM STDIN',
          (async function* () {
            yield values.map((v, i) => `${i}\t${copyText(v)}\n`).join('');
          })(),
        ),
      );
      expect((await db.query<{ v: string }>('SELECT v FROM t ORDER BY i')).map((r) => r.v)).toEqual(values);
    } finally {
      await db.close();
    }
  });
});
