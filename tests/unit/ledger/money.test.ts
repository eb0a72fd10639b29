import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMinor, isCurrencyCode, minorUnits, parseMinor } from '../../../src-main/ledger/money';

describe('money: ISO 4217 minor units', () => {
  it('knows the exponents that are not 2', () => {
    expect(minorUnits('CNY')).toBe(2);
    expect(minorUnits('USD')).toBe(2);
    expect(minorUnits('JPY')).toBe(0);
    expect(minorUnits('KRW')).toBe(0);
    expect(minorUnits('KWD')).toBe(3);
    expect(minorUnits('CLF')).toBe(4);
    expect(() => minorUnits('XYZ')).toThrow(RangeError);
    expect(isCurrencyCode('cny')).toBe(false);
  });

  it('formats integer minor units as exact decimals', () => {
    expect(formatMinor(1234, 'CNY')).toBe('12.34');
    expect(formatMinor(5, 'USD')).toBe('0.05');
    expect(formatMinor(-5, 'USD')).toBe('-0.05');
    expect(formatMinor(500, 'JPY')).toBe('500');
    expect(formatMinor(1234, 'KWD')).toBe('1.234');
    expect(formatMinor(Number.MAX_SAFE_INTEGER, 'EUR')).toBe('90071992547409.91');
    expect(() => formatMinor(1.5, 'EUR')).toThrow(RangeError);
  });

  it('parses what it formats, for every safe integer and currency exponent', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), fc.constantFrom('CNY', 'JPY', 'KWD', 'CLF'), (amount, currency) => {
        expect(parseMinor(formatMinor(amount, currency), currency)).toBe(amount);
      }),
    );
    expect(() => parseMinor('1.234', 'CNY')).toThrow(/2 decimals/);
    expect(() => parseMinor('1e3', 'CNY')).toThrow(RangeError);
  });
});
