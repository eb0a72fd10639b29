// Lays an X or Z report out as monospaced text lines for the receipt printer: 58 mm (32
// columns) and 80 mm (42-48 columns) paper, like receipts (./receipt.ts). Pure: the screen
// shows exactly these lines and main prints them (printReport).
import type { Report } from '../../src-main/ipc/contract';
import { formatReceiptTime, printable, type ReceiptWidth } from './receipt';
import { center, padStart, textWidth, wrapText } from './text-width';

/** The report fields this layout prints (the contract's Report satisfies it). */
export type ReportData = Pick<
  Report,
  | 'kind'
  | 'businessDate'
  | 'terminalId'
  | 'merchantId'
  | 'zNumber'
  | 'generatedAt'
  | 'counts'
  | 'totals'
  | 'demoTotals'
  | 'declinesByReason'
  | 'firstTransactionAt'
  | 'lastTransactionAt'
  | 'chainHead'
  | 'demo'
>;

type ReasonCode = Report['declinesByReason'][number]['reason'];

/** Every word a report prints, in the terminal's language. */
export interface ReportLabels {
  /** "X REPORT" */
  xTitle: string;
  /** "Z REPORT {n}": already filled in by the caller for this report's number. */
  zTitle: string;
  businessDay: string;
  merchantId: string;
  terminal: string;
  printed: string;
  first: string;
  last: string;
  approved: string;
  declined: string;
  voided: string;
  voids: string;
  /** Count line of refund rows. */
  refunded: string;
  /** Money line of refunds in a currency's totals. */
  refunds: string;
  net: string;
  noSales: string;
  demo: string;
  demoTotals: string;
  declinesByReason: string;
  chainHead: string;
  end: string;
}

export interface ReportOptions {
  width: ReceiptWidth;
  /** Store name printed at the top. */
  merchantName: string;
  /** The store's time zone (times print in ISO order, like receipts). */
  timeZone: string;
  /** Money in a currency (as on screen; spaces printers lack are replaced). */
  money: (minor: number, currency: string) => string;
  /** Translated cashier message of a decline reason. */
  reasonText: (reason: ReasonCode) => string;
}

/** "Label      value" on one line, or the label then the value right-aligned when too long. */
function field(label: string, value: string, width: number): string[] {
  if (textWidth(label) + 1 + textWidth(value) <= width) return [label + padStart(value, width - textWidth(label))];
  return [...wrapText(label, width), ...wrapText(value, width).map((line) => padStart(line, width))];
}

export function layoutReport(report: ReportData, labels: ReportLabels, options: ReportOptions): string[] {
  const { width } = options;
  const rule = (ch: string): string => ch.repeat(width);
  const banner = (text: string): string => center(`*** ${text} ***`, width);
  const time = (ms: number): string => formatReceiptTime(ms, options.timeZone);
  const lines: string[] = [];

  const totals = (list: ReportData['totals']) => {
    if (list.length === 0) {
      lines.push(...wrapText(labels.noSales, width));
      return;
    }
    for (const t of list) {
      const money = (minor: number) => printable(options.money(minor, t.currency));
      lines.push(t.currency);
      lines.push(...field(`  ${labels.approved} (${t.approvedCount})`, money(t.approvedTotal), width));
      lines.push(...field(`  ${labels.voids} (${t.voidCount})`, money(-t.voidTotal), width));
      lines.push(...field(`  ${labels.refunds} (${t.refundCount})`, money(-t.refundTotal), width));
      lines.push(...field(`  ${labels.net}`, money(t.netTotal), width));
      lines.push(...field(`  ${labels.declined} (${t.declinedCount})`, money(t.declinedTotal), width));
    }
  };

  if (report.demo) lines.push(banner(labels.demo));
  for (const line of wrapText(options.merchantName, width)) lines.push(center(line, width));
  lines.push(center(report.kind === 'Z' ? labels.zTitle : labels.xTitle, width));
  lines.push(rule('-'));
  lines.push(...field(labels.businessDay, report.businessDate, width));
  lines.push(...field(labels.merchantId, report.merchantId, width));
  lines.push(...field(labels.terminal, report.terminalId, width));
  lines.push(...field(labels.printed, time(report.generatedAt), width));
  if (report.firstTransactionAt !== undefined) lines.push(...field(labels.first, time(report.firstTransactionAt), width));
  if (report.lastTransactionAt !== undefined) lines.push(...field(labels.last, time(report.lastTransactionAt), width));

  lines.push(rule('-'));
  lines.push(...field(labels.approved, String(report.counts.approved), width));
  lines.push(...field(labels.declined, String(report.counts.declined), width));
  lines.push(...field(labels.voided, String(report.counts.voided), width));
  lines.push(...field(labels.refunded, String(report.counts.refunded), width));

  lines.push(rule('='));
  totals(report.totals);
  if (report.demoTotals.length > 0) {
    lines.push(rule('-'));
    lines.push(banner(labels.demo));
    lines.push(...wrapText(labels.demoTotals, width));
    totals(report.demoTotals);
  }

  if (report.declinesByReason.length > 0) {
    lines.push(rule('-'));
    lines.push(...wrapText(labels.declinesByReason, width));
    for (const { reason, count } of report.declinesByReason) {
      lines.push(...field(options.reasonText(reason), String(count), width));
      lines.push(...wrapText(`[${reason}]`, width - 2).map((line) => `  ${line}`));
    }
  }

  if (report.chainHead) {
    lines.push(rule('-'));
    lines.push(labels.chainHead);
    lines.push(...wrapText(report.chainHead, width));
  }
  lines.push(rule('='));
  lines.push(banner(labels.end));
  if (report.demo) lines.push(banner(labels.demo));

  return lines.map((line) => line.replace(/\s+$/, ''));
}
