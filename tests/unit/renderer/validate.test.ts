import { describe, expect, it } from 'vitest';
import {
  checkMerchantId,
  checkMerchantName,
  checkPinPair,
  checkSettlementAddress,
  checkTerminalId,
} from '../../../src-renderer/lib/validate';
import { charWidth, textWidth } from '../../../src-renderer/lib/text-width';

describe('form checks before a request is sent', () => {
  it('ids: letters, digits, . _ -, starting with a letter or digit, 1-32 long', () => {
    expect(checkMerchantId('M-1001')).toBeNull();
    expect(checkTerminalId(' T01 ')).toBeNull();
    expect(checkMerchantId('Corner Store')).toBe('validate.merchantId');
    expect(checkTerminalId('-T')).toBe('validate.terminalId');
    expect(checkTerminalId('')).toBe('validate.terminalId');
    expect(checkTerminalId('a'.repeat(33))).toBe('validate.terminalId');
  });

  it('merchant name: 1-64 characters after trimming', () => {
    expect(checkMerchantName('街角便利店')).toBeNull();
    expect(checkMerchantName('   ')).toBe('validate.merchantName');
    expect(checkMerchantName('x'.repeat(65))).toBe('validate.merchantName');
  });

  it('PIN: 4-12 digits, typed the same twice', () => {
    expect(checkPinPair('2468', '2468')).toBeNull();
    expect(checkPinPair('246', '246')).toBe('validate.pinFormat');
    expect(checkPinPair('24a8', '24a8')).toBe('validate.pinFormat');
    expect(checkPinPair('1234567890123', '1234567890123')).toBe('validate.pinFormat');
    expect(checkPinPair('2468', '2469')).toBe('validate.pinMismatch');
  });
});

describe('settlement address', () => {
  it('empty (none) or http(s) without credentials, query or fragment; the same rule as main', async () => {
    const { SettlementAddressSchema } = await import('../../../src-main/app/settings');
    const cases: [string, boolean][] = [
      ['', true],
      ['  ', true],
      ['https://settlement.example:8443', true],
      ['http://127.0.0.1:4000/desk', true],
      ['ftp://settlement.example', false],
      ['https://user:secret@settlement.example', false],
      ['https://settlement.example/?a=1', false],
      ['https://settlement.example/#x', false],
      ['settlement.example', false],
      [`https://${'a'.repeat(200)}.example`, false],
    ];
    for (const [address, ok] of cases) {
      expect(checkSettlementAddress(address), address).toBe(ok ? null : 'validate.settlementAddress');
      expect(SettlementAddressSchema.safeParse(address).success, `main: ${address}`).toBe(ok);
    }
  });
});

describe('column widths', () => {
  it('counts CJK and full-width forms as two columns, combining marks as none', () => {
    expect(charWidth('a')).toBe(1);
    expect(charWidth('汉')).toBe(2);
    expect(charWidth('￥')).toBe(2);
    expect(charWidth('\u0301')).toBe(0);
    expect(textWidth('合计 ¥1')).toBe(7);
  });
});
