import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_AMOUNT_DIGITS, backspace, formatMoney, toDecimalString, typeDigit, typeDigits } from '../../../src-renderer/lib/money';

const nbsp = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('keypad amount entry (integer minor units)', () => {
  it('typing 1, 2, 3, 4 builds 1234 minor units', () => {
    expect(typeDigits(0, '1234')).toBe(1234);
    expect(typeDigit(typeDigit(typeDigit(typeDigit(0, 1), 2), 3), 4)).toBe(1234);
  });

  it('shows 12.34 for two minor units and 1,234 for JPY', () => {
    expect(formatMoney(typeDigits(0, '1234'), { locale: 'en-US', currency: 'USD', minorUnits: 2 })).toBe('$12.34');
    expect(formatMoney(typeDigits(0, '1234'), { locale: 'ja-JP', currency: 'JPY', minorUnits: 0 })).toBe('￥1,234');
    expect(formatMoney(typeDigits(0, '1234'), { locale: 'zh-CN', currency: 'CNY', minorUnits: 2 })).toBe('¥12.34');
    expect(nbsp(formatMoney(123456, { locale: 'de-DE', currency: 'EUR', minorUnits: 2 }))).toBe('1.234,56 €');
  });

  it('leading zeros do not count and 0 shows as zero', () => {
    expect(typeDigits(0, '0007')).toBe(7);
    expect(formatMoney(7, { locale: 'en-US', currency: 'USD', minorUnits: 2 })).toBe('$0.07');
    expect(formatMoney(0, { locale: 'en-US', currency: 'USD', minorUnits: 2 })).toBe('$0.00');
  });

  it('Backspace drops the last digit, down to zero', () => {
    expect(backspace(1234)).toBe(123);
    expect(backspace(7)).toBe(0);
    expect(backspace(0)).toBe(0);
  });

  it('ignores anything but a digit and stops at the largest amount', () => {
    expect(typeDigit(12, 10)).toBe(12);
    expect(typeDigit(12, -1)).toBe(12);
    expect(typeDigits(5, 'a.b')).toBe(5);
    const full = typeDigits(0, '9'.repeat(MAX_AMOUNT_DIGITS));
    expect(full).toBe(99_999_999_999);
    expect(typeDigit(full, 9)).toBe(full);
  });

  it('formats exactly (no binary rounding) for every typed amount', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{1,11}$/), (digits) => {
        const minor = typeDigits(0, digits);
        expect(Number.isSafeInteger(minor)).toBe(true);
        const text = formatMoney(minor, { locale: 'en-US', currency: 'USD', minorUnits: 2 });
        expect(text.replace(/[$,]/g, '')).toBe(toDecimalString(minor, 2));
      }),
    );
  });
});

describe('toDecimalString', () => {
  it('writes minor units as exact decimals', () => {
    expect(toDecimalString(5, 2)).toBe('0.05');
    expect(toDecimalString(1234, 0)).toBe('1234');
    expect(toDecimalString(-150, 2)).toBe('-1.50');
    expect(() => toDecimalString(0.5, 2)).toThrow(RangeError);
  });
});
