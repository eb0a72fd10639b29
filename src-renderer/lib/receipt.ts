// Lays a receipt out as monospaced text lines for 58 mm (32 columns) and 80 mm (42-48 columns)
// paper. Pure: the screen shows exactly these lines, and so can a printer.
import type { Receipt } from '../../src-main/ipc/contract';
import { formatMoney } from './money';
import { center, padStart, textWidth, wrapText } from './text-width';

export type ReceiptWidth = 32 | 42 | 48;
export const RECEIPT_WIDTHS: readonly ReceiptWidth[] = [32, 42, 48];

/** The receipt fields this layout prints (the contract's Receipt satisfies it). */
export type ReceiptData = Pick<
  Receipt,
  | 'transactionId'
  | 'kind'
  | 'status'
  | 'reason'
  | 'merchantId'
  | 'merchantName'
  | 'terminalId'
  | 'time'
  | 'timeZone'
  | 'locale'
  | 'amount'
  | 'currency'
  | 'minorUnits'
  | 'items'
  | 'maskedAccount'
  | 'licenseSerial'
  | 'appCounter'
  | 'voidOf'
  | 'refund'
  | 'demo'
>;

/** Every word a receipt prints, in the terminal's language. */
export interface ReceiptLabels {
  merchantId: string;
  terminal: string;
  time: string;
  transaction: string;
  total: string;
  account: string;
  license: string;
  counter: string;
  approved: string;
  declined: string;
  voided: string;
  voidOf: string;
  refunded: string;
  refundOf: string;
  originalTime: string;
  originalAmount: string;
  refundAmount: string;
  remainder: string;
  accountVerified: string;
  authorisedBy: string;
  manager: string;
  cashier: string;
  reason: string;
  demo: string;
  reprint: string;
  item: string;
  thanks: string;
}

export interface ReceiptOptions {
  width: ReceiptWidth;
  /** Cashier message of the decline reason, already translated. */
  reasonText?: string;
  /** Printed again (reprint button, manager). */
  reprint?: boolean;
}

/** Columns per paper: 58 mm rolls print 32, 80 mm rolls 48 (42 with some printers' larger font). */
export function columnsFor(paperWidth: 58 | 80): ReceiptWidth {
  return paperWidth === 58 ? 32 : 48;
}

/** Printers lack the (narrow) no-break spaces Intl puts between amount and symbol. */
export function printable(text: string): string {
  return text.replace(/[\u00a0\u202f\u2009]/g, ' ');
}

/** ISO order (2026-11-23 14:05:09) reads the same in every language and sorts on paper. */
export function formatReceiptTime(time: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(time);
  const get = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')}`;
}

/** "Label      value" on one line, or the label then the value right-aligned when too long. */
function field(label: string, value: string, width: number): string[] {
  if (textWidth(label) + 1 + textWidth(value) <= width) return [label + padStart(value, width - textWidth(label))];
  return [label, ...wrapText(value, width).map((line) => padStart(line, width))];
}

export function layoutReceipt(data: ReceiptData, labels: ReceiptLabels, options: ReceiptOptions): string[] {
  const { width } = options;
  const moneyFormat = { locale: data.locale, currency: data.currency, minorUnits: data.minorUnits };
  const money = (minor: number): string => printable(formatMoney(minor, moneyFormat));
  const rule = (ch: string): string => ch.repeat(width);
  const banner = (text: string): string => center(`*** ${text} ***`, width);
  const lines: string[] = [];

  if (data.demo) lines.push(banner(labels.demo));
  for (const line of wrapText(data.merchantName, width)) lines.push(center(line, width));
  if (options.reprint) lines.push(center(`(${labels.reprint})`, width));
  lines.push(rule('-'));
  lines.push(...field(labels.merchantId, data.merchantId, width));
  lines.push(...field(labels.terminal, data.terminalId, width));
  lines.push(...field(labels.time, formatReceiptTime(data.time, data.timeZone), width));
  lines.push(...field(labels.transaction, data.transactionId, width));
  if (data.voidOf) lines.push(...field(labels.voidOf, data.voidOf, width));
  const refund = data.refund;
  if (refund) {
    lines.push(rule('-'));
    lines.push(...field(labels.refundOf, refund.original.transactionId, width));
    lines.push(...field(labels.originalTime, formatReceiptTime(refund.original.time, data.timeZone), width));
    lines.push(...field(labels.originalAmount, money(refund.original.amount), width));
  }

  if (data.items && data.items.length > 0) {
    lines.push(rule('-'));
    data.items.forEach((item, index) => {
      const description = item.description.trim() || `${labels.item} ${index + 1}`;
      lines.push(...wrapText(description, width));
      const detail = `  ${item.quantity} x ${money(item.unitPrice)}`;
      lines.push(...field(detail, money(item.quantity * item.unitPrice), width));
    });
  }

  lines.push(rule('-'));
  const total = data.kind === 'void' || data.kind === 'refund' ? -data.amount : data.amount;
  lines.push(...field(refund ? labels.refundAmount : labels.total, money(total), width));
  if (refund) lines.push(...field(labels.remainder, money(refund.remainder), width));
  if (data.maskedAccount) lines.push(...field(labels.account, data.maskedAccount, width));
  if (refund?.accountVerifiedByTap) lines.push(padStart(`(${labels.accountVerified})`, width));
  if (data.licenseSerial) lines.push(...field(labels.license, data.licenseSerial, width));
  if (data.appCounter !== undefined) lines.push(...field(labels.counter, String(data.appCounter), width));
  lines.push(rule('='));

  if (refund) {
    if (refund.reason) lines.push(...field(`${labels.reason}:`, refund.reason, width));
    lines.push(...field(labels.authorisedBy, refund.authorisedBy === 'cashier' ? labels.cashier : labels.manager, width));
    lines.push(rule('='));
  }
  const status = { approved: labels.approved, declined: labels.declined, voided: labels.voided, refunded: labels.refunded }[data.status];
  lines.push(banner(status));
  if (data.status === 'declined' && (options.reasonText || data.reason)) {
    lines.push(`${labels.reason}:`);
    if (options.reasonText) lines.push(...wrapText(options.reasonText, width));
    if (data.reason) lines.push(padStart(`[${data.reason}]`, width));
  }
  lines.push(rule('='));
  if (data.status === 'approved' && data.kind === 'sale') lines.push(center(labels.thanks, width));
  if (data.demo) lines.push(banner(labels.demo));

  return lines.map((line) => line.replace(/\s+$/, ''));
}
