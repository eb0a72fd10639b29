import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, businessDateOf, checkBusinessDaySettings, isBusinessDate, localIsoTime } from '../../../src-main/ledger/business-day';
import type { ChainHead } from '../../../src-main/ledger/writer';
import { openBusinessDate } from '../../../src-main/ledger/writer';

const shanghai = { timeZone: 'Asia/Shanghai', cutoffHour: 4 };

describe('business day', () => {
  it('local time carries the zone offset, also across daylight saving time', () => {
    expect(localIsoTime(Date.UTC(2026, 10, 23, 4, 0, 0, 7), 'Asia/Shanghai')).toBe('2026-11-23T12:00:00.007+08:00');
    expect(localIsoTime(Date.UTC(2026, 6, 1, 12), 'America/New_York')).toBe('2026-07-01T08:00:00.000-04:00');
    expect(localIsoTime(Date.UTC(2026, 0, 1, 12), 'America/New_York')).toBe('2026-01-01T07:00:00.000-05:00');
    expect(localIsoTime(Date.UTC(2026, 0, 1, 12), 'Asia/Kolkata')).toBe('2026-01-01T17:30:00.000+05:30');
  });

  it('instants before the cut-off hour belong to the previous business date', () => {
    expect(businessDateOf(Date.UTC(2026, 10, 23, 19, 59), shanghai)).toBe('2026-11-23'); // 03:59 on the 24th
    expect(businessDateOf(Date.UTC(2026, 10, 23, 20, 0), shanghai)).toBe('2026-11-24'); // 04:00
    expect(businessDateOf(Date.UTC(2026, 10, 23, 16, 0), { timeZone: 'Asia/Shanghai', cutoffHour: 0 })).toBe('2026-11-24');
  });

  it('rejects unknown zones and cut-off hours outside 0..23', () => {
    expect(() => checkBusinessDaySettings({ timeZone: 'Mars/Olympus', cutoffHour: 4 })).toThrow(RangeError);
    expect(() => checkBusinessDaySettings({ timeZone: 'UTC', cutoffHour: 24 })).toThrow(RangeError);
    expect(isBusinessDate('2026-02-30')).toBe(false);
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });

  it('the date a row gets never goes back, whatever the clock does, and always follows the last close', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }), { minLength: 1, maxLength: 50 }),
        fc.array(fc.boolean(), { minLength: 50, maxLength: 50 }),
        (clock, closes) => {
          let head: ChainHead = { seq: 0, hash: new Uint8Array(32), businessDate: null, lastClosedDate: null, lastZNumber: 0 };
          clock.forEach((now, i) => {
            const date = openBusinessDate(head, now, shanghai);
            if (head.businessDate !== null) expect(date >= head.businessDate).toBe(true);
            if (head.lastClosedDate !== null) expect(date > head.lastClosedDate).toBe(true);
            expect(date >= businessDateOf(now, shanghai)).toBe(true);
            head = { ...head, seq: head.seq + 1, businessDate: date };
            if (closes[i]) head = { ...head, lastClosedDate: date, lastZNumber: head.lastZNumber + 1 };
          });
        },
      ),
    );
  });
});
