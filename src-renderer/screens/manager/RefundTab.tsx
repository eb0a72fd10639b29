// Refunds in the manager area: find the sale by its receipt's transaction id (scanned, typed, or
// from the day log), see what is left to refund, refund all or part of it, optionally with the
// customer's tap, and print the refund receipt. The rules are main's (src-main/app/refunds.ts);
// a refusal comes back as a stable code, shown in the interface language.
import { useCallback, useEffect, useState } from 'react';
import type { FindSaleResult, Receipt, RefundableSale, RefundRefusalCode } from '../../../src-main/ipc/contract';
import type { UiError } from '../../api';
import { api, toUiError } from '../../api';
import { ErrorNote } from '../../components/ErrorNote';
import { ReceiptView, printReceipt } from '../../components/ReceiptView';
import { useApp } from '../../context';
import { useI18n } from '../../i18n';
import { toDecimalString } from '../../lib/money';
import { formatDateTime } from '../../lib/time';

/** Minor units from what the manager typed ("12.5", "12,50"), or undefined. */
export function minorFromText(text: string, minorUnits: number): number | undefined {
  const match = /^(\d{1,11})(?:[.,](\d+))?$/.exec(text.trim());
  if (!match) return undefined;
  const fraction = match[2] ?? '';
  if (fraction.length > minorUnits) return undefined;
  const minor = Number(match[1]) * 10 ** minorUnits + Number(fraction.padEnd(minorUnits, '0') || '0');
  return Number.isSafeInteger(minor) && minor > 0 ? minor : undefined;
}

function Refusal({ reason }: { reason: RefundRefusalCode }) {
  const { t } = useI18n();
  return (
    <div className="banner bad" role="alert" data-testid="refund-refused" data-reason={reason}>
      {t(`refundRefusal.${reason}`)}
    </div>
  );
}

export function RefundTab({ initialTransactionId }: { initialTransactionId?: string }) {
  const { app, money } = useApp();
  const i18n = useI18n();
  const { t, language } = i18n;
  const [text, setText] = useState(initialTransactionId ?? '');
  const [sale, setSale] = useState<RefundableSale | null>(null);
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [tap, setTap] = useState(false);
  const [refusal, setRefusal] = useState<RefundRefusalCode | null>(null);
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  const [busy, setBusy] = useState(false);
  const [printed, setPrinted] = useState<string | null>(null);
  const [error, setError] = useState<UiError | null>(null);

  const show = useCallback((found: FindSaleResult) => {
    if (!found.ok) {
      setSale(null);
      setRefusal(found.reason);
      return;
    }
    setSale(found.sale);
    setAmount(toDecimalString(found.sale.remainder, found.sale.minorUnits));
  }, []);

  const find = (query: string) => {
    setBusy(true);
    setError(null);
    setRefusal(null);
    setReceipt(null);
    setPrinted(null);
    api()
      .findSaleForRefund({ text: query })
      .then(show)
      .catch((e: unknown) => setError(toUiError(e)))
      .finally(() => setBusy(false));
  };

  // Opened from the day log: the sale is looked up once, by itself.
  useEffect(() => {
    if (!initialTransactionId) return;
    api()
      .findSaleForRefund({ text: initialTransactionId })
      .then(show)
      .catch((e: unknown) => setError(toUiError(e)));
  }, [initialTransactionId, show]);

  const minor = sale ? minorFromText(amount, sale.minorUnits) : undefined;
  const refundable = sale !== null && sale.status === 'approved' && !sale.voided && sale.remainder > 0;

  const submit = () => {
    if (!sale || minor === undefined) return;
    setBusy(true);
    setError(null);
    setRefusal(null);
    api()
      .refundSale({ transactionId: sale.transactionId, amount: minor, ...(reason.trim() ? { reason: reason.trim().slice(0, 200) } : {}), tap })
      .then((result) => {
        if (!result.ok) {
          setRefusal(result.reason);
          return;
        }
        setReceipt(result.receipt);
        setReason('');
        // The sale as the ledger now has it: its refunds and what is left.
        return api().findSaleForRefund({ text: sale.transactionId }).then(show);
      })
      .catch((e: unknown) => setError(toUiError(e)))
      .finally(() => setBusy(false));
  };

  const zone = app.country?.timeZone;
  return (
    <div className="stack" data-testid="refund-tab">
      <p className="field-help">{t('refund.help')}</p>
      <form
        className="row"
        onSubmit={(event) => {
          event.preventDefault();
          if (text.trim()) find(text);
        }}
      >
        <label htmlFor="refund-find">{t('refund.find')}</label>
        <input
          id="refund-find"
          data-testid="refund-find"
          className="mono"
          autoFocus
          value={text}
          placeholder={t('refund.findPlaceholder')}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit" data-testid="refund-find-button" disabled={busy || !text.trim()}>
          {t('refund.findButton')}
        </button>
      </form>
      {sale && (
        <table className="data" data-testid="refund-sale" data-remainder={sale.remainder}>
          <tbody>
            <tr>
              <th>{t('refund.sale')}</th>
              <td className="mono">{sale.transactionId}</td>
            </tr>
            <tr>
              <th>{t('refund.saleTime')}</th>
              <td>
                {formatDateTime(sale.time, language, zone)} ({t('refund.businessDay', { date: sale.businessDate })})
              </td>
            </tr>
            <tr>
              <th>{t('refund.saleAmount')}</th>
              <td>{money(sale.amount, sale.currency)}</td>
            </tr>
            {sale.maskedAccount && (
              <tr>
                <th>{t('receipt.account')}</th>
                <td className="mono">{sale.maskedAccount}</td>
              </tr>
            )}
            <tr>
              <th>{t('refund.refunded')}</th>
              <td data-testid="refund-refunded">
                {money(sale.refunded, sale.currency)} ({sale.refunds.length})
              </td>
            </tr>
            <tr>
              <th>{t('refund.remainder')}</th>
              <td data-testid="refund-remainder">
                <strong>{money(sale.remainder, sale.currency)}</strong>
              </td>
            </tr>
          </tbody>
        </table>
      )}
      {sale && sale.status !== 'approved' && <Refusal reason="not_approved" />}
      {sale && sale.voided && <Refusal reason="voided" />}
      {refundable && (
        <form
          className="form"
          data-testid="refund-form"
          onSubmit={(event) => {
            event.preventDefault();
            submit();
          }}
        >
          <label htmlFor="refund-amount">{t('refund.amount', { currency: sale.currency })}</label>
          <input
            id="refund-amount"
            data-testid="refund-amount"
            inputMode="decimal"
            value={amount}
            aria-invalid={minor === undefined}
            onChange={(e) => setAmount(e.target.value)}
          />
          <label htmlFor="refund-reason">{t('refund.reason')}</label>
          <input id="refund-reason" data-testid="refund-reason" maxLength={200} value={reason} onChange={(e) => setReason(e.target.value)} />
          <label htmlFor="refund-tap">{t('refund.tap')}</label>
          <input id="refund-tap" data-testid="refund-tap" type="checkbox" style={{ justifySelf: 'start', minHeight: 24 }} checked={tap} onChange={(e) => setTap(e.target.checked)} />
          <div className="full row">
            <button type="submit" className="primary" data-testid="refund-submit" disabled={busy || minor === undefined}>
              {minor === undefined ? t('refund.submitNoAmount') : t('refund.submit', { amount: money(minor, sale.currency) })}
            </button>
            {busy && tap && (
              <span className="field-help" role="status" data-testid="refund-waiting-tap">
                {t('refund.waitingTap')}
              </span>
            )}
          </div>
        </form>
      )}
      {refusal && <Refusal reason={refusal} />}
      {receipt && (
        <div className="stack" data-testid="refund-done">
          <div className="banner ok" role="status">
            {t('refund.done', { amount: money(receipt.amount, receipt.currency), remainder: money(receipt.refund?.remainder ?? 0, receipt.currency) })}
          </div>
          <ReceiptView receipt={receipt} />
          <div className="row">
            <button
              type="button"
              data-testid="refund-print"
              onClick={() => {
                printReceipt(receipt, i18n)
                  .then((result) => setPrinted(result.printed ? t('receipt.printed') : t('receipt.notPrinted', { why: result.failure ?? '' })))
                  .catch((e: unknown) => setError(toUiError(e)));
              }}
            >
              {t('receipt.print')}
            </button>
            {printed && <span className="field-help">{printed}</span>}
          </div>
        </div>
      )}
      <ErrorNote error={error} testId="refund-error" />
    </div>
  );
}
