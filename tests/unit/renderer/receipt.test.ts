import { describe, expect, it } from 'vitest';
import type { ReceiptData, ReceiptLabels, ReceiptWidth } from '../../../src-renderer/lib/receipt';
import { RECEIPT_WIDTHS, columnsFor, formatReceiptTime, layoutReceipt } from '../../../src-renderer/lib/receipt';
import { textWidth, wrapText } from '../../../src-renderer/lib/text-width';
import en from '../../../resources/i18n/en/ui.json';
import zh from '../../../resources/i18n/zh-CN/ui.json';

type Catalog = Record<string, string>;
function labels(catalog: Catalog): ReceiptLabels {
  const pick = (key: string) => catalog[`receipt.${key}`] ?? key;
  return {
    merchantId: pick('merchantId'),
    terminal: pick('terminal'),
    time: pick('time'),
    transaction: pick('transaction'),
    total: pick('total'),
    account: pick('account'),
    license: pick('license'),
    counter: pick('counter'),
    approved: pick('approved'),
    declined: pick('declined'),
    voided: pick('voided'),
    voidOf: pick('voidOf'),
    refunded: pick('refunded'),
    refundOf: pick('refundOf'),
    originalTime: pick('originalTime'),
    originalAmount: pick('originalAmount'),
    refundAmount: pick('refundAmount'),
    remainder: pick('remainder'),
    accountVerified: pick('accountVerified'),
    authorisedBy: pick('authorisedBy'),
    manager: pick('manager'),
    cashier: pick('cashier'),
    reason: pick('reason'),
    demo: pick('demo'),
    reprint: pick('reprint'),
    item: pick('item'),
    thanks: pick('thanks'),
  };
}

const TXN = '0123456789abcdef0123456789abcdef';
const approved: ReceiptData = {
  transactionId: TXN,
  kind: 'sale',
  status: 'approved',
  merchantId: 'M-000123',
  merchantName: 'Corner Shop',
  terminalId: 'T01',
  time: Date.UTC(2026, 10, 23, 6, 5, 9),
  timeZone: 'Asia/Shanghai',
  locale: 'zh-CN',
  amount: 1234,
  currency: 'CNY',
  minorUnits: 2,
  maskedAccount: '****4321',
  licenseSerial: 'LIC-0042',
  appCounter: 17,
  demo: false,
};

function checkWidth(lines: string[], width: number) {
  for (const line of lines) expect(textWidth(line), `"${line}"`).toBeLessThanOrEqual(width);
}

describe('receipt layout', () => {
  it.each(RECEIPT_WIDTHS)('fits every line in %i columns and prints every field', (width: ReceiptWidth) => {
    const lines = layoutReceipt(approved, labels(en), { width });
    checkWidth(lines, width);
    const text = lines.join('\n');
    expect(text).toContain('Corner Shop');
    expect(text).toContain('M-000123');
    expect(text).toContain('T01');
    expect(text).toContain('2026-11-23 14:05:09'); // store time zone, not UTC
    expect(text.replace(/\s/g, '')).toContain(TXN); // may wrap at 32 columns
    expect(text).toContain('¥12.34');
    expect(text).toContain('****4321');
    expect(text).toContain('LIC-0042');
    expect(text).toMatch(/Counter\s+17/);
    expect(text).toContain('*** APPROVED ***');
    expect(text).not.toContain('DEMO');
  });

  it('puts label and value on one line when they fit, right-aligned', () => {
    const lines = layoutReceipt(approved, labels(en), { width: 48 });
    const total = lines.find((l) => l.startsWith('TOTAL'));
    expect(total).toBeDefined();
    expect(total?.length).toBe(48);
    expect(total?.endsWith('¥12.34')).toBe(true);
    expect(lines.some((l) => l.startsWith('Transaction') && l.endsWith(TXN))).toBe(true);
  });

  it('prints the decline reason and code, and no thanks, on a declined receipt', () => {
    const declined: ReceiptData = {
      ...approved,
      status: 'declined',
      reason: 'license_expired',
      maskedAccount: undefined,
      appCounter: undefined,
    };
    const lines = layoutReceipt(declined, labels(en), {
      width: 32,
      reasonText: 'The phone’s payment license has expired: ask for another payment method.',
    });
    checkWidth(lines, 32);
    const text = lines.join('\n');
    expect(text).toContain('*** DECLINED ***');
    expect(text).toContain('Reason:');
    expect(text).toContain('[license_expired]');
    expect(text.replace(/\n/g, ' ')).toContain('license has expired: ask for another payment method.');
    expect(text).not.toContain('Thank you');
    expect(text).not.toContain('Account');
  });

  it('marks demo receipts at the top and bottom, and reprints', () => {
    const lines = layoutReceipt({ ...approved, demo: true }, labels(en), { width: 42, reprint: true });
    expect(lines[0]).toContain('*** DEMO ***');
    expect(lines[lines.length - 1]).toContain('*** DEMO ***');
    expect(lines.join('\n')).toContain('(REPRINT)');
  });

  it('lists items with quantity, unit price and line total', () => {
    const lines = layoutReceipt(
      {
        ...approved,
        amount: 3 * 150 + 999,
        items: [
          { description: 'Green tea, large, with a very long description that wraps', quantity: 3, unitPrice: 150 },
          { description: 'Cake', quantity: 1, unitPrice: 999 },
        ],
      },
      labels(en),
      { width: 32 },
    );
    checkWidth(lines, 32);
    const text = lines.join('\n');
    expect(text).toMatch(/3 x ¥1\.50\s+¥4\.50/);
    expect(text).toMatch(/1 x ¥9\.99\s+¥9\.99/);
    expect(text).toMatch(/TOTAL\s+¥14\.49/);
  });

  it('formats JPY with no minor units and euros the German way, with printable spaces', () => {
    const jpy = layoutReceipt(
      { ...approved, currency: 'JPY', minorUnits: 0, locale: 'ja-JP', timeZone: 'Asia/Tokyo', amount: 1234 },
      labels(en),
      { width: 32 },
    ).join('\n');
    expect(jpy).toContain('￥1,234');
    expect(jpy).toContain('2026-11-23 15:05:09');
    const eur = layoutReceipt({ ...approved, currency: 'EUR', locale: 'de-DE', timeZone: 'Europe/Berlin', amount: 123456 }, labels(en), {
      width: 32,
    }).join('\n');
    expect(eur).toContain('1.234,56 €');
    expect(eur).not.toMatch(/[\u00a0\u202f]/);
  });

  it('counts Chinese characters as two columns', () => {
    const lines = layoutReceipt({ ...approved, merchantName: '街角便利店（朝阳门店）欢迎光临本店购物' }, labels(zh), { width: 32 });
    checkWidth(lines, 32);
    const text = lines.join('\n');
    expect(text).toContain('交易成功');
    expect(text).toContain('谢谢惠顾');
    const total = lines.find((l) => l.startsWith('合计'));
    expect(total && textWidth(total)).toBe(32);
  });

  it('prints a void as a negative amount naming the sale it cancels', () => {
    const text = layoutReceipt({ ...approved, kind: 'void', status: 'voided', transactionId: 'f'.repeat(32), voidOf: TXN }, labels(en), {
      width: 48,
    }).join('\n');
    expect(text).toContain('*** VOID ***');
    expect(text).toContain(`Voids   `);
    expect(text).toContain(TXN);
    expect(text).toMatch(/TOTAL\s+-¥12\.34/);
    expect(text).not.toContain('Thank you');
  });

  const refund: ReceiptData = {
    ...approved,
    kind: 'refund',
    status: 'refunded',
    transactionId: 'e'.repeat(32),
    amount: 300,
    appCounter: undefined,
    time: Date.UTC(2026, 10, 25, 2, 0, 0),
    refund: {
      original: { transactionId: TXN, businessDate: '2026-11-23', time: approved.time, amount: 1234 },
      remainder: 934,
      reason: 'one cup returned',
      authorisedBy: 'manager',
      accountVerifiedByTap: true,
    },
  };

  it.each(RECEIPT_WIDTHS)(
    'prints a refund in %i columns: the sale, its date and amount, the refund and the remainder (English)',
    (width: ReceiptWidth) => {
      const lines = layoutReceipt(refund, labels(en), { width });
      checkWidth(lines, width);
      const text = lines.join('\n');
      expect(text).toContain('*** REFUND ***');
      expect(text).toContain(TXN);
      expect(text).toContain('e'.repeat(32));
      expect(text).toMatch(/Sale time\s+2026-11-23 14:05:09/);
      expect(text).toMatch(/Sale amount\s+¥12\.34/);
      expect(text).toMatch(/REFUNDED\s+-¥3\.00/);
      expect(text).toMatch(/Still refundable\s+¥9\.34/);
      expect(text).toContain('(account verified by tap)');
      expect(text).toMatch(/Authorised by\s+Manager/);
      expect(text).toContain('one cup returned');
      expect(text).not.toContain('Thank you');
    },
  );

  it.each([32, 48] as const)('prints a refund in %i columns in Chinese, without the tap line when there was none', (width) => {
    const lines = layoutReceipt(
      { ...refund, refund: { ...refund.refund!, accountVerifiedByTap: false, authorisedBy: 'cashier' } },
      labels(zh),
      { width },
    );
    checkWidth(lines, width);
    const text = lines.join('\n');
    expect(text).toContain('*** 退款 ***');
    expect(text).toMatch(/原交易金额\s+¥12\.34/);
    expect(text).toMatch(/退款金额\s+-¥3\.00/);
    expect(text).toMatch(/剩余可退\s+¥9\.34/);
    expect(text).toMatch(/授权人\s+收银员/);
    expect(text).not.toContain('已碰卡核验账户');
  });

  it('maps paper to columns: 58 mm -> 32, 80 mm -> 48', () => {
    expect(columnsFor(58)).toBe(32);
    expect(columnsFor(80)).toBe(48);
  });

  it('writes time as ISO local time of the store', () => {
    expect(formatReceiptTime(Date.UTC(2026, 0, 1, 0, 0, 0), 'America/New_York')).toBe('2025-12-31 19:00:00');
  });
});

describe('wrapText', () => {
  it('breaks at spaces, and cuts words longer than the line', () => {
    expect(wrapText('aa bb cc', 5)).toEqual(['aa bb', 'cc']);
    expect(wrapText('abcdefgh', 3)).toEqual(['abc', 'def', 'gh']);
    expect(wrapText('中文字符', 5)).toEqual(['中文', '字符']);
  });
});
