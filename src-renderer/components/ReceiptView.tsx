import QRCode from 'qrcode';
import type { ReactNode } from 'react';
import type { PrintResult, Receipt } from '../../src-main/ipc/contract';
import { api } from '../api';
import type { Translator } from '../i18n';
import { useI18n } from '../i18n';
import type { ReceiptLabels } from '../lib/receipt';
import { columnsFor, layoutReceipt } from '../lib/receipt';
import { charWidth } from '../lib/text-width';

export function receiptLabels({ t }: Translator): ReceiptLabels {
  return {
    merchantId: t('receipt.merchantId'),
    terminal: t('receipt.terminal'),
    time: t('receipt.time'),
    transaction: t('receipt.transaction'),
    total: t('receipt.total'),
    account: t('receipt.account'),
    license: t('receipt.license'),
    counter: t('receipt.counter'),
    approved: t('receipt.approved'),
    declined: t('receipt.declined'),
    voided: t('receipt.voided'),
    voidOf: t('receipt.voidOf'),
    refunded: t('receipt.refunded'),
    refundOf: t('receipt.refundOf'),
    originalTime: t('receipt.originalTime'),
    originalAmount: t('receipt.originalAmount'),
    refundAmount: t('receipt.refundAmount'),
    remainder: t('receipt.remainder'),
    accountVerified: t('receipt.accountVerified'),
    authorisedBy: t('receipt.authorisedBy'),
    manager: t('receipt.manager'),
    cashier: t('receipt.cashier'),
    reason: t('receipt.reason'),
    demo: t('receipt.demo'),
    reprint: t('receipt.reprint'),
    item: t('receipt.item'),
    thanks: t('receipt.thanks'),
  };
}

export function receiptLines(receipt: Receipt, i18n: Translator, reprint = false): string[] {
  return layoutReceipt(receipt, receiptLabels(i18n), {
    width: columnsFor(receipt.paperWidth),
    reasonText: receipt.reason ? i18n.reason(receipt.reason).message : undefined,
    reprint,
  });
}

/** Main prints exactly the lines the screen shows (same layout function, same language). */
export function printReceipt(receipt: Receipt, i18n: Translator, reprint = false): Promise<PrintResult> {
  return api().printReceipt({
    transactionId: receipt.transactionId,
    lines: receiptLines(receipt, i18n, reprint),
    paperWidth: receipt.paperWidth,
  });
}

/**
 * One receipt line on screen. A printer gives each wide (CJK) character two columns; a screen
 * font does not, so wide characters get a box exactly two columns (2ch) wide.
 */
function ReceiptLine({ line }: { line: string }) {
  const parts: ReactNode[] = [];
  let narrow = '';
  let key = 0;
  for (const ch of line) {
    if (charWidth(ch) === 2) {
      if (narrow) parts.push(narrow);
      narrow = '';
      parts.push(
        <span className="wide" key={key++}>
          {ch}
        </span>,
      );
    } else narrow += ch;
  }
  if (narrow) parts.push(narrow);
  return <>{parts}</>;
}

/** Printer lines on screen, column for column (receipts, reports). */
export function PaperLines({ lines, label, testId }: { lines: readonly string[]; label: string; testId: string }) {
  return (
    <pre className="receipt" data-testid={testId} aria-label={label}>
      {lines.map((line, i) => (
        <div key={i}>
          <ReceiptLine line={line} />
          {'\n'}
        </div>
      ))}
    </pre>
  );
}

/** The receipt's signed code as a QR code: one SVG path of dark modules, drawn from the text alone. */
function ReceiptQr({ code, label }: { code: string; label: string }) {
  const { modules } = QRCode.create(code, { errorCorrectionLevel: 'M' });
  const quiet = 4;
  let path = '';
  for (let y = 0; y < modules.size; y++) {
    for (let x = 0; x < modules.size; x++) if (modules.get(x, y)) path += `M${x + quiet} ${y + quiet}h1v1h-1z`;
  }
  const side = modules.size + 2 * quiet;
  return (
    <svg
      className="receipt-qr"
      data-testid="receipt-qr"
      data-code={code}
      viewBox={`0 0 ${side} ${side}`}
      role="img"
      aria-label={label}
      shapeRendering="crispEdges"
    >
      <rect width={side} height={side} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}

/** The receipt exactly as the layout function lays it out for the configured paper, with its signed code. */
export function ReceiptView({ receipt, reprint }: { receipt: Receipt; reprint?: boolean }) {
  const i18n = useI18n();
  return (
    <div
      className="receipt-wrap"
      data-testid="receipt"
      data-transaction-id={receipt.transactionId}
      data-paper-width={receipt.paperWidth}
      data-status={receipt.status}
    >
      <PaperLines lines={receiptLines(receipt, i18n, reprint)} label={i18n.t('receipt.title')} testId="receipt-lines" />
      {receipt.code ? <ReceiptQr code={receipt.code} label={i18n.t('receipt.qr')} /> : null}
    </div>
  );
}
