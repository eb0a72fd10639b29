import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_KDF, MAX_TRIES, PinError, openPinService } from '../../../src-main/app/pin';
import { manualClock, tempDataDir } from './helpers';

// The lowest cost the PIN file accepts: the lockout rules do not depend on the cost.
const FAST_KDF = { N: 2 ** 14, r: 8, p: 1, keyLength: 32 };

let data: ReturnType<typeof tempDataDir>;
beforeEach(() => {
  data = tempDataDir();
});
afterEach(() => data.cleanup());

async function wrongTimes(service: ReturnType<typeof openPinService>, n: number) {
  const results = [];
  for (let i = 0; i < n; i += 1) results.push(await service.verify('9999'));
  return results;
}

describe('manager PIN', () => {
  it('stores only a salted scrypt hash with strong parameters and checks it', async () => {
    const clock = manualClock();
    const pins = openPinService({ dataDir: data.dir, clock: clock.now });
    expect(await pins.verify('1234')).toEqual({ result: 'not-set' });
    await pins.setInitial('2468');
    await expect(pins.setInitial('1357')).rejects.toBeInstanceOf(PinError);

    const text = readFileSync(join(data.dir, 'pin.json'), 'utf8');
    expect(text).not.toContain('2468');
    const stored = JSON.parse(text) as { kdf: typeof DEFAULT_KDF & { name: string }; salt: string; hash: string };
    expect(stored.kdf).toMatchObject({ name: 'scrypt', N: DEFAULT_KDF.N, r: 8, p: 1 });
    expect(stored.kdf.N).toBeGreaterThanOrEqual(2 ** 17);
    expect(Buffer.from(stored.salt, 'base64').length).toBe(16);

    expect(await pins.verify('2468')).toEqual({ result: 'ok' });
    expect(await pins.verify('2469')).toEqual({ result: 'wrong', triesLeft: MAX_TRIES - 1 });
    expect(await pins.verify('not digits')).toEqual({ result: 'wrong', triesLeft: MAX_TRIES - 2 });

    // The same PIN set in another data folder gets another salt, hence another hash.
    const other = tempDataDir();
    try {
      const second = openPinService({ dataDir: other.dir });
      await second.setInitial('2468');
      const otherStored = JSON.parse(readFileSync(join(other.dir, 'pin.json'), 'utf8')) as { hash: string; salt: string };
      expect(otherStored.salt).not.toBe(stored.salt);
      expect(otherStored.hash).not.toBe(stored.hash);
    } finally {
      other.cleanup();
    }
  });

  it('locks after five wrong tries, for a time that doubles, and survives a restart', async () => {
    const clock = manualClock();
    let pins = openPinService({ dataDir: data.dir, clock: clock.now, kdf: FAST_KDF });
    await pins.setInitial('2468');

    const first = await wrongTimes(pins, MAX_TRIES);
    expect(first.slice(0, 4).map((r) => r)).toEqual([4, 3, 2, 1].map((triesLeft) => ({ result: 'wrong', triesLeft })));
    const t0 = clock.now();
    expect(first[4]).toEqual({ result: 'locked', until: t0 + 30_000 });
    // Locked: even the right PIN is refused without being checked.
    expect(await pins.verify('2468')).toEqual({ result: 'locked', until: t0 + 30_000 });

    // A restart does not lift the lock.
    pins = openPinService({ dataDir: data.dir, clock: clock.now, kdf: FAST_KDF });
    expect(pins.status()).toMatchObject({ set: true, triesLeft: 0, lockedUntil: t0 + 30_000 });
    expect(await pins.verify('2468')).toMatchObject({ result: 'locked' });

    clock.advance(30_000);
    expect(pins.status()).toMatchObject({ triesLeft: MAX_TRIES, lockedUntil: null });
    const second = await wrongTimes(pins, MAX_TRIES);
    expect(second[4]).toEqual({ result: 'locked', until: clock.now() + 60_000 });

    clock.advance(60_000);
    const third = await wrongTimes(pins, MAX_TRIES);
    expect(third[4]).toEqual({ result: 'locked', until: clock.now() + 120_000 });

    // The right PIN after the lock resets the growth.
    clock.advance(120_000);
    pins = openPinService({ dataDir: data.dir, clock: clock.now, kdf: FAST_KDF });
    expect(await pins.verify('2468')).toEqual({ result: 'ok' });
    const fourth = await wrongTimes(pins, MAX_TRIES);
    expect(fourth[4]).toEqual({ result: 'locked', until: clock.now() + 30_000 });
  }, 60_000);

  it('counts parallel tries one by one', async () => {
    const pins = openPinService({ dataDir: data.dir, clock: manualClock().now, kdf: FAST_KDF });
    await pins.setInitial('2468');
    const results = await Promise.all(Array.from({ length: 6 }, () => pins.verify('1111')));
    expect(results.filter((r) => r.result === 'wrong')).toHaveLength(4);
    expect(results.filter((r) => r.result === 'locked')).toHaveLength(2);
  }, 30_000);

  it('changes the PIN only with the current one', async () => {
    const clock = manualClock();
    const pins = openPinService({ dataDir: data.dir, clock: clock.now, kdf: FAST_KDF });
    await pins.setInitial('2468');
    expect(await pins.change('1111', '3579')).toEqual({ result: 'wrong', triesLeft: 4 });
    expect(await pins.change('2468', '12')).toMatchObject({ result: 'invalid' });
    expect(await pins.change('2468', '2468')).toMatchObject({ result: 'invalid' });
    expect(await pins.change('2468', '3579')).toEqual({ result: 'ok' });
    expect(await pins.verify('2468')).toMatchObject({ result: 'wrong' });
    expect(await pins.verify('3579')).toEqual({ result: 'ok' });
  }, 30_000);

  it('appends every attempt to the audit log with its time', async () => {
    const clock = manualClock();
    const pins = openPinService({ dataDir: data.dir, clock: clock.now, kdf: FAST_KDF });
    await pins.setInitial('2468');
    clock.advance(1000);
    await pins.verify('2468');
    clock.advance(1000);
    await wrongTimes(pins, MAX_TRIES);
    clock.advance(1000);
    await pins.verify('2468');
    const events = pins.audit().map((e) => [e.event, e.at - Date.UTC(2026, 0, 15, 10, 0, 0)]);
    expect(events).toEqual([
      ['set', 0],
      ['ok', 1000],
      ['wrong', 2000],
      ['wrong', 2000],
      ['wrong', 2000],
      ['wrong', 2000],
      ['lockout-started', 2000],
      ['locked', 3000],
    ]);
    const raw = readFileSync(join(data.dir, 'pin-audit.jsonl'), 'utf8');
    expect(raw).not.toContain('2468');
    expect(raw.trim().split('\n')).toHaveLength(8);
  }, 30_000);

  it('refuses a corrupt PIN file instead of treating the PIN as unset', () => {
    writeFileSync(join(data.dir, 'pin.json'), '{"version":1');
    expect(() => openPinService({ dataDir: data.dir })).toThrow(/PIN file .* not valid JSON/);
  });
});
