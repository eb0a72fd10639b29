import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileLogger } from '../../../src-main/app/logger';
import { manualClock, tempDataDir } from './helpers';

let data: ReturnType<typeof tempDataDir>;
beforeEach(() => {
  data = tempDataDir();
});
afterEach(() => data.cleanup());

describe('rotating logger', () => {
  it('writes JSON lines with time, level, component and fields', () => {
    const clock = manualClock();
    const logger = createFileLogger({ directory: join(data.dir, 'logs'), clock: clock.now });
    logger.child('reader').info('reader.status', { state: 'ready' });
    logger.debug('dropped below the level');
    logger.close();
    const lines = readFileSync(logger.currentFile, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toEqual({
      t: '2026-01-15T10:00:00.000Z',
      level: 'info',
      component: 'reader',
      event: 'reader.status',
      state: 'ready',
    });
  });

  it('never writes PINs, private keys or raw protocol bytes', () => {
    const logger = createFileLogger({ directory: data.dir });
    logger.warn('leak attempt', {
      pin: '2468',
      newPin: '1357',
      privateKey: 'secretkeymaterial',
      nested: { d: 'scalar', license: new Uint8Array([1, 2, 3]), authorization: 'cose' },
      amount: 1234,
    });
    logger.close();
    const text = readFileSync(logger.currentFile, 'utf8');
    for (const secret of ['2468', '1357', 'secretkeymaterial', 'scalar', '"cose"']) expect(text).not.toContain(secret);
    expect(JSON.parse(text)).toMatchObject({ amount: 1234, nested: { license: '[3 bytes]' } });
  });

  it('rotates by size and keeps a fixed number of files', () => {
    const logger = createFileLogger({ directory: data.dir, maxBytes: 400, maxFiles: 3 });
    for (let i = 0; i < 100; i += 1) logger.info('line', { i, pad: 'x'.repeat(40) });
    logger.close();
    const files = readdirSync(data.dir).sort();
    expect(files).toEqual(['cashier.1.log', 'cashier.2.log', 'cashier.log']);
    for (const f of files) expect(readFileSync(join(data.dir, f)).length).toBeLessThanOrEqual(400);
    const last = readFileSync(join(data.dir, 'cashier.log'), 'utf8').trim().split('\n').pop()!;
    expect(JSON.parse(last)).toMatchObject({ i: 99 });
    const older = readFileSync(join(data.dir, 'cashier.1.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { i: number }).i);
    const newer = readFileSync(join(data.dir, 'cashier.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { i: number }).i);
    expect(older[older.length - 1]! + 1).toBe(newer[0]);
  });
});
