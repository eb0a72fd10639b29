// Smoke test of bench figure S6 on tiny sizes: real terminals' days uploaded over HTTP at once,
// every one stored, and a well-formed figure. No timing is asserted.
import { describe, expect, it } from 'vitest';
import { isWellFormed } from '../../../scripts/bench/figures';
import { measureUploads, uploadFigure } from '../../../scripts/bench/settlement-http';

describe('bench S6: terminals uploading at once over HTTP', () => {
  it('stores every upload and yields a well-formed figure', async () => {
    const measured = await measureUploads({ terminals: 3, attemptsPerDay: 3 }, () => undefined);
    expect(measured.refused).toEqual([]);
    expect(measured.stored).toBe(3);
    expect(measured.rowsPerDay).toBe(4);
    const figure = uploadFigure(measured);
    expect(isWellFormed(figure), JSON.stringify(figure)).toBe(true);
    expect(figure.id).toBe('S6');
  }, 180_000);
});
