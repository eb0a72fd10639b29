// IngestSlots: at most `size` pieces of work at once, the rest in arrival order; a failed one frees its slot.
import { describe, expect, it } from 'vitest';
import { IngestSlots } from '../../../src-settlement/http/ingest-slots';

function gate(): { promise: Promise<void>; open: () => void } {
  let open = () => undefined as void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('IngestSlots', () => {
  it('runs at most two at once and starts the waiting ones in arrival order', async () => {
    const slots = new IngestSlots(2);
    const gates = [gate(), gate(), gate(), gate()];
    const started: number[] = [];
    let running = 0;
    let most = 0;
    const runs = gates.map((g, i) =>
      slots.run(async () => {
        started.push(i);
        running += 1;
        most = Math.max(most, running);
        await g.promise;
        running -= 1;
        return i;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    gates[1]?.open();
    await runs[1];
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1, 2]);
    for (const g of gates) g.open();
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3]);
    expect(started).toEqual([0, 1, 2, 3]);
    expect(most).toBe(2);
  });

  it('a failed ingest frees its slot for the next', async () => {
    const slots = new IngestSlots(1);
    await expect(slots.run(async () => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    expect(await slots.run(async () => 'next')).toBe('next');
    expect(() => new IngestSlots(0)).toThrow(RangeError);
  });
});
