import { describe, expect, it } from 'vitest';
import { RECEIPT_WIDTHS, type ReceiptWidth } from '../../../src-renderer/lib/receipt';
import { layoutReport, type ReportData, type ReportLabels, type ReportOptions } from '../../../src-renderer/lib/report';
import { formatMoney } from '../../../src-renderer/lib/money';
import { textWidth } from '../../../src-renderer/lib/text-width';
import en from '../../../resources/i18n/en/ui.json';
import zh from '../../../resources/i18n/zh-CN/ui.json';
import enReasons from '../../../resources/i18n/en/reasons.json';
import zhReasons from '../../../resources/i18n/zh-CN/reasons.json';

type Catalog = Record<string, string>;

/** The labels the Reports tab passes, read from a catalog (a missing key fails the test). */
function labels(catalog: Catalog, zNumber?: number): ReportLabels {
  const pick = (key: string): string => {
    const text = catalog[key];
    if (text === undefined) throw new Error(`no ${key} in the catalog`);
    return text;
  };
  return {
    xTitle: pick('reportPaper.xTitle'),
    zTitle: pick('reportPaper.zTitle').replace('{n}', String(zNumber ?? '')),
    businessDay: pick('reportPaper.businessDay'),
    merchantId: pick('receipt.merchantId'),
    terminal: pick('receipt.terminal'),
    printed: pick('reportPaper.printed'),
    first: pick('reportPaper.first'),
    last: pick('reportPaper.last'),
    approved: pick('reportPaper.approved'),
    declined: pick('reportPaper.declined'),
    voided: pick('reportPaper.voided'),
    voids: pick('reportPaper.voids'),
    refunded: pick('reportPaper.refunded'),
    refunds: pick('reportPaper.refunds'),
    net: pick('reportPaper.net'),
    noSales: pick('reportPaper.noSales'),
    demo: pick('receipt.demo'),
    demoTotals: pick('reportPaper.demoTotals'),
    declinesByReason: pick('reportPaper.declines'),
    chainHead: pick('reportPaper.chainHead'),
    end: pick('reportPaper.end'),
  };
}

const DIGITS: Record<string, number> = { CNY: 2, USD: 2, JPY: 0, EUR: 2 };

function options(width: ReceiptWidth, reasons: Record<string, { message: string }>, merchantName = 'Corner Shop'): ReportOptions {
  return {
    width,
    merchantName,
    timeZone: 'Asia/Shanghai',
    money: (minor, currency) => formatMoney(minor, { locale: 'zh-CN', currency, minorUnits: DIGITS[currency] ?? 2 }),
    reasonText: (reason) => reasons[reason]?.message ?? reason,
  };
}

const totals = (currency: string, approvedTotal: number, voidTotal: number, declinedTotal: number) => ({
  currency,
  approvedCount: 3,
  approvedTotal,
  voidCount: voidTotal > 0 ? 1 : 0,
  voidTotal,
  refundCount: 0,
  refundTotal: 0,
  netTotal: approvedTotal - voidTotal,
  declinedCount: 2,
  declinedTotal,
});

const Z: ReportData = {
  kind: 'Z',
  businessDate: '2026-11-23',
  terminalId: 'T-01',
  merchantId: 'M-000123',
  zNumber: 7,
  generatedAt: Date.UTC(2026, 10, 23, 14, 0, 0),
  counts: { approved: 3, declined: 2, voided: 1, refunded: 0 },
  totals: [totals('CNY', 123_456, 2_000, 990)],
  demoTotals: [],
  declinesByReason: [
    { reason: 'license_expired', count: 1 },
    { reason: 'authorization_signature_invalid', count: 4 },
  ],
  firstTransactionAt: Date.UTC(2026, 10, 23, 1, 2, 3),
  lastTransactionAt: Date.UTC(2026, 10, 23, 13, 59, 0),
  chainHead: 'ab'.repeat(32),
  demo: false,
};

function checkWidth(lines: string[], width: number) {
  for (const line of lines) expect(textWidth(line), `"${line}"`).toBeLessThanOrEqual(width);
}

describe('report layout', () => {
  it.each(RECEIPT_WIDTHS)('fits every line in %i columns and prints every figure of a Z report', (width) => {
    const lines = layoutReport(Z, labels(en, 7), options(width, enReasons));
    checkWidth(lines, width);
    const text = lines.join('\n');
    expect(text).toContain('Corner Shop');
    expect(text).toContain('Z REPORT 7');
    expect(text).not.toContain('X REPORT');
    expect(text).toMatch(/Business day\s+2026-11-23/);
    expect(text).toMatch(/Merchant\s+M-000123/);
    expect(text).toMatch(/Terminal\s+T-01/);
    expect(text).toMatch(/Generated\s+2026-11-23 22:00:00/); // store time zone, not UTC
    expect(text).toMatch(/First\s+2026-11-23 09:02:03/);
    expect(text).toMatch(/Last\s+2026-11-23 21:59:00/);
    expect(text).toMatch(/^Approved\s+3$/m);
    expect(text).toMatch(/^Declined\s+2$/m);
    expect(text).toMatch(/^Voided\s+1$/m);
    expect(text).toMatch(/Approved \(3\)\s+¥1,234\.56/);
    expect(text).toMatch(/Voids \(1\)\s+-¥20\.00/);
    expect(text).toMatch(/NET\s+¥1,214\.56/);
    expect(text).toMatch(/Declined \(2\)\s+¥9\.90/);
    // Each reason: its message with the count at the right margin, then its code.
    for (const [reason, count] of [
      ['license_expired', '1'],
      ['authorization_signature_invalid', '4'],
    ] as const) {
      const code = lines.findIndex((l) => l.startsWith(`  [${reason.slice(0, 20)}`));
      expect(code, reason).toBeGreaterThan(0);
      expect(lines.slice(code).join('').replace(/\s/g, '')).toContain(`[${reason}]`);
      expect(lines[code - 1]?.endsWith(` ${count}`), lines[code - 1]).toBe(true);
      const message = enReasons[reason].message;
      expect(lines.slice(0, code).join(' ').replace(/\s+/g, ' ')).toContain(message.split(' ').slice(0, 3).join(' '));
    }
    expect(text.replace(/\s/g, '')).toContain('ab'.repeat(32));
    expect(lines[lines.length - 1]).toContain('*** END OF REPORT ***');
    expect(text).not.toContain('DEMO');
  });

  it('titles an X report without a number and says when there are no sales', () => {
    const x: ReportData = {
      ...Z,
      kind: 'X',
      zNumber: undefined,
      totals: [],
      declinesByReason: [],
      counts: { approved: 0, declined: 0, voided: 0, refunded: 0 },
    };
    const text = layoutReport(x, labels(en), options(32, enReasons)).join('\n');
    expect(text).toContain('X REPORT');
    expect(text).not.toContain('Z REPORT');
    expect(text).toContain('No real-money sales');
    expect(text).not.toContain('Declines by reason');
  });

  it('keeps demo money apart, marked DEMO at top and bottom', () => {
    const demo: ReportData = { ...Z, totals: [], demoTotals: [totals('USD', 1250, 0, 990)], demo: true };
    const lines = layoutReport(demo, labels(en, 7), options(48, enReasons));
    checkWidth(lines, 48);
    expect(lines[0]).toBe(`${' '.repeat(18)}*** DEMO ***`);
    expect(lines[lines.length - 1]).toContain('*** DEMO ***');
    const text = lines.join('\n');
    const noSales = text.indexOf('No real-money sales');
    const demoSection = text.indexOf('Demo payments (not money)');
    expect(noSales).toBeGreaterThan(-1);
    expect(demoSection).toBeGreaterThan(noSales);
    expect(text.slice(demoSection)).toMatch(/Approved \(3\)\s+US\$12\.50/);
  });

  it('prints several currencies, each with its own digits', () => {
    const text = layoutReport(
      { ...Z, totals: [totals('CNY', 1000, 0, 0), totals('JPY', 1234, 0, 0)] },
      labels(en, 7),
      options(32, enReasons),
    ).join('\n');
    expect(text).toMatch(/^CNY$/m);
    expect(text).toMatch(/^JPY$/m);
    expect(text).toMatch(/Approved \(3\)\s+JP¥1,234/);
  });

  it.each(RECEIPT_WIDTHS)('lays the Chinese report out in %i columns, CJK counting two', (width) => {
    const lines = layoutReport(Z, labels(zh, 7), options(width, zhReasons, '街角便利店（朝阳门店）欢迎光临本店购物'));
    checkWidth(lines, width);
    const text = lines.join('\n');
    expect(text).toContain('Z 报表 7');
    expect(text).toContain('营业日');
    expect(text).toContain('净额');
    expect(text).toContain('报表结束');
    expect(text.replace(/\n/g, '')).toContain(zhReasons.license_expired.message.replace(/\s/g, '').slice(0, 4));
    // A label and its value share the line, right-aligned to the last column.
    const day = lines.find((l) => l.startsWith('营业日'));
    expect(day && textWidth(day)).toBe(width);
  });

  it('prints with plain spaces only (no narrow no-break spaces printers lack)', () => {
    const eur: ReportOptions = {
      ...options(32, enReasons),
      money: (minor, currency) => formatMoney(minor, { locale: 'de-DE', currency, minorUnits: 2 }),
    };
    const text = layoutReport({ ...Z, totals: [totals('EUR', 123_456, 0, 0)] }, labels(en, 7), eur).join('\n');
    expect(text).toContain('1.234,56 €');
    expect(text).not.toMatch(/[\u00a0\u202f\u2009]/);
  });
});
