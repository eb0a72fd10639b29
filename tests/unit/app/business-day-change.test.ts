// The preview of a country / time zone / day-start change against a real ledger: what it says
// the next sale's business date will be is what the ledger then records.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { previewBusinessDayChange } from '../../../src-main/app/business-day-change';
import { createTerminal, type Terminal } from '../../../src-main/app/terminal';
import { manualClock, tempDataDir } from './helpers';

const pinKdf = { N: 2 ** 14, r: 8, p: 1, keyLength: 32 };
let data: ReturnType<typeof tempDataDir>;
let terminal: Terminal;
// 20:00 UTC: 15:00 in New York (business day 15 January), 04:00 on the 16th in Shanghai (past its 04:00 start).
const clock = manualClock(Date.UTC(2026, 0, 15, 20, 0, 0));

async function setUp(country: string): Promise<void> {
  terminal = await createTerminal({ dataDir: data.dir, readerKind: 'stub', pinKdf, env: {}, clock: clock.now });
  await terminal.firstRun({ country, merchantId: 'M-1', merchantName: 'Shop', terminalId: 'T-1', pin: '2468', trust: 'demo' });
}

/** One approved demo sale; resolves with the business date the ledger gave it. */
async function sale(): Promise<string> {
  terminal.payments.start({ amount: 100 });
  terminal.phone?.tap('approve');
  const settled = await terminal.payments.settled();
  terminal.phone?.remove();
  expect(settled.decision?.outcome).toBe('approved');
  const row = terminal.ledger.getAttempt(settled.order?.transactionId ?? '');
  return row?.businessDate ?? '';
}

beforeEach(() => {
  data = tempDataDir();
  clock.set(Date.UTC(2026, 0, 15, 20, 0, 0));
});
afterEach(async () => {
  await terminal.close();
  data.cleanup();
});

describe('business-day change preview', () => {
  it('a move east mid-day: later sales go to the next business date, the open day keeps its sales', async () => {
    await setUp('US');
    expect(await sale()).toBe('2026-01-15');
    const preview = previewBusinessDayChange(terminal, { country: 'CN' });
    expect(preview).toEqual({
      now: clock.now(),
      current: { businessDate: '2026-01-15', timeZone: 'America/New_York', cutoffHour: 4, currency: 'USD' },
      next: { businessDate: '2026-01-16', timeZone: 'Asia/Shanghai', cutoffHour: 4, currency: 'CNY' },
      openDayTransactions: 1,
      changes: ['timeZone', 'currency', 'businessDate'],
    });
    // Nothing was saved by the preview.
    expect(terminal.settings.get().country).toBe('US');
    terminal.settings.update({ country: 'CN' });
    expect(await sale()).toBe(preview.next.businessDate);
  });

  it('a move west mid-day: the open business day goes on (never back to an earlier date)', async () => {
    clock.set(Date.UTC(2026, 0, 16, 1, 0, 0)); // 09:00 on the 16th in Shanghai, 20:00 on the 15th in New York
    await setUp('CN');
    expect(await sale()).toBe('2026-01-16');
    const preview = previewBusinessDayChange(terminal, { country: 'US' });
    expect(preview.current.businessDate).toBe('2026-01-16');
    expect(preview.next.businessDate).toBe('2026-01-16');
    expect(preview.changes).toEqual(['timeZone', 'currency']);
    terminal.settings.update({ country: 'US' });
    expect(await sale()).toBe('2026-01-16');
  });

  it('a later day start, a currency override, and nothing to warn about', async () => {
    await setUp('US');
    // Starting the day at 16:00 makes 15:00 belong to the 14th, but a new sale never goes back before the open day.
    const later = previewBusinessDayChange(terminal, { overrides: { cutoffHour: 16 } });
    expect(later.changes).toEqual(['cutoffHour', 'businessDate']);
    expect(later.next).toMatchObject({ businessDate: '2026-01-14', cutoffHour: 16 });
    expect(await sale()).toBe('2026-01-15');
    expect(previewBusinessDayChange(terminal, { overrides: { cutoffHour: 16 } }).next.businessDate).toBe('2026-01-15');
    expect(previewBusinessDayChange(terminal, { overrides: { currency: 'CAD' } }).changes).toEqual(['currency']);
    expect(previewBusinessDayChange(terminal, { country: 'US' }).changes).toEqual([]);
    expect(previewBusinessDayChange(terminal, {}).changes).toEqual([]);
  });

  it('refuses an unknown country or time zone', async () => {
    await setUp('US');
    expect(() => previewBusinessDayChange(terminal, { country: 'XX' })).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(() => previewBusinessDayChange(terminal, { overrides: { timeZone: 'Mars/Olympus' } })).toThrow(
      expect.objectContaining({ code: 'invalid_argument' }),
    );
  });
});
