// A refund, in the manager area or at the checkout: find the sale by its receipt's transaction id
// or QR text (scanned, typed, or from the day log), see what is left to refund, refund all or part
// of it, optionally with the customer's tap, and print the refund receipt. Who may refund is
// main's rule (src-main/app/refunds.ts): the manager's session, or at the checkout the cashier
// allowance and above it the manager PIN typed here. A refusal comes back as a stable code, shown
// in the interface language.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { FindSaleResult, Receipt, RefundableSale, RefundRefusalCode } from '../../src-main/ipc/contract';
import { PIN_MAX_LENGTH } from '../../src-main/ipc/constants';
import { api } from '../api';
import { useRequestError } from '../hooks/use-request-error';
import { DemoPanel } from '../components/DemoPanel';
import { ErrorNote } from '../components/ErrorNote';
import { ReceiptView, printReceipt } from '../components/ReceiptView';
import { useApp } from '../context';
import { useI18n } from '../i18n';
import { toDecimalString } from '../lib/money';
import { formatDateTime } from '../lib/time';

/** Who is refunding: the manager (the session authorises) or the cashier (allowance, else the PIN). */
export type RefundMode = 'manager' | 'cashier';

/** Refusals that a (new) manager PIN answers at the checkout. */
const PIN_REFUSALS: ReadonlySet<RefundRefusalCode> = new Set(['pin_required', 'over_cashier_limit', 'wrong_pin']);

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

export function RefundPanel({ mode, initialTransactionId }: { mode: RefundMode; initialTransactionId?: string }) {
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
  const { error, setError, fail } = useRequestError();
  const [pin, setPin] = useState('');
  /** The cashier allowance in minor units (checkout only; null until read). */
  const [limit, setLimit] = useState<number | null>(null);
  const amountRef = useRef<HTMLInputElement>(null);
  const printRef = useRef<HTMLButtonElement>(null);

  // Refunded: the receipt comes into view and Enter prints it.
  useEffect(() => {
    if (!receipt) return;
    printRef.current?.scrollIntoView({ block: 'nearest' });
    printRef.current?.focus();
  }, [receipt]);

  useEffect(() => {
    if (mode !== 'cashier') return;
    api()
      .getSettings()
      .then((settings) => setLimit(settings.cashierRefundLimit))
      .catch(fail);
  }, [mode, fail]);

  const show = useCallback((found: FindSaleResult) => {
    if (!found.ok) {
      setSale(null);
      setRefusal(found.reason);
      return;
    }
    setSale(found.sale);
    setAmount(toDecimalString(found.sale.remainder, found.sale.minorUnits));
  }, []);

  // Each lookup the cashier asks for ends with the keyboard on the amount, ready to type over.
  const [lookups, setLookups] = useState(0);
  useEffect(() => {
    if (lookups === 0) return;
    amountRef.current?.focus();
    amountRef.current?.select();
  }, [lookups]);

  const find = (query: string) => {
    setBusy(true);
    setError(null);
    setRefusal(null);
    setReceipt(null);
    setPrinted(null);
    api()
      .findSaleForRefund({ text: query })
      .then((found) => {
        show(found);
        if (found.ok) setLookups((n) => n + 1);
      })
      .catch(fail)
      .finally(() => setBusy(false));
  };

  // Opened from the day log: the sale is looked up once, by itself.
  useEffect(() => {
    if (!initialTransactionId) return;
    api().findSaleForRefund({ text: initialTransactionId }).then(show).catch(fail);
  }, [initialTransactionId, show, fail]);

  const minor = sale ? minorFromText(amount, sale.minorUnits) : undefined;
  const refundable = sale !== null && sale.status === 'approved' && !sale.voided && sale.remainder > 0;
  // At the checkout the PIN field shows when the amount is over the allowance, or main asked for it.
  const pinAsked = refusal !== null && PIN_REFUSALS.has(refusal);
  const needsPin = mode === 'cashier' && (pinAsked || (limit !== null && (limit <= 0 || (minor !== undefined && minor > limit))));

  const submit = () => {
    if (!sale || minor === undefined) return;
    setBusy(true);
    setError(null);
    setRefusal(null);
    const args = {
      transactionId: sale.transactionId,
      amount: minor,
      ...(reason.trim() ? { reason: reason.trim().slice(0, 200) } : {}),
      tap,
    };
    const request = mode === 'manager' ? api().refundSale(args) : api().cashierRefund({ ...args, ...(needsPin && pin ? { pin } : {}) });
    request
      .then((result) => {
        // A PIN is used once: typed again for the next refund.
        setPin('');
        if (!result.ok) {
          setRefusal(result.reason);
          return;
        }
        setReceipt(result.receipt);
        // The next refund asks again for its reason and whether the customer taps.
        setReason('');
        setTap(false);
        // The sale as the ledger now has it: its refunds and what is left.
        return api().findSaleForRefund({ text: sale.transactionId }).then(show);
      })
      .catch(fail)
      .finally(() => setBusy(false));
  };

  const zone = app.country?.timeZone;
  return (
    <div className="stack" data-testid={mode === 'manager' ? 'refund-tab' : 'refund-panel'}>
      <p className="field-help">{t(mode === 'manager' ? 'refund.help' : 'cashierRefund.help')}</p>
      {mode === 'cashier' && limit !== null && (
        <p className="field-help" data-testid="refund-allowance">
          {limit > 0 ? t('cashierRefund.allowance', { limit: money(limit) }) : t('cashierRefund.noAllowance')}
        </p>
      )}
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
            ref={amountRef}
            data-testid="refund-amount"
            inputMode="decimal"
            value={amount}
            aria-invalid={minor === undefined}
            onChange={(e) => setAmount(e.target.value)}
          />
          <label htmlFor="refund-reason">{t('refund.reason')}</label>
          <input
            id="refund-reason"
            data-testid="refund-reason"
            maxLength={200}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
          <label htmlFor="refund-tap">{t('refund.tap')}</label>
          <input
            id="refund-tap"
            data-testid="refund-tap"
            type="checkbox"
            style={{ justifySelf: 'start' }}
            checked={tap}
            onChange={(e) => setTap(e.target.checked)}
          />
          {needsPin && (
            <>
              <label htmlFor="refund-pin">{t('cashierRefund.pin')}</label>
              <input
                id="refund-pin"
                data-testid="refund-pin"
                type="password"
                inputMode="numeric"
                autoComplete="off"
                maxLength={PIN_MAX_LENGTH}
                value={pin}
                aria-describedby="refund-pin-help"
                onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))}
              />
              <p id="refund-pin-help" className="field-help full">
                {t('cashierRefund.pinHelp')}
              </p>
            </>
          )}
          <div className="full row">
            <button
              type="submit"
              className="primary"
              data-testid="refund-submit"
              disabled={busy || minor === undefined || (needsPin && pin.length === 0)}
            >
              {minor === undefined ? t('refund.submitNoAmount') : t('refund.submit', { amount: money(minor, sale.currency) })}
            </button>
            {busy && tap && (
              <span className="field-help" role="status" data-testid="refund-waiting-tap">
                {t('refund.waitingTap')}
              </span>
            )}
          </div>
          {/* Demo mode: the simulated phone is tapped from here (the checkout's is behind the dialog). */}
          {busy && tap && app.demo && (
            <div className="full">
              <DemoPanel />
            </div>
          )}
        </form>
      )}
      {refusal && <Refusal reason={refusal} />}
      {receipt && (
        <div className="stack" data-testid="refund-done">
          <div className="banner ok" role="status">
            {t('refund.done', {
              amount: money(receipt.amount, receipt.currency),
              remainder: money(receipt.refund?.remainder ?? 0, receipt.currency),
            })}
          </div>
          <ReceiptView receipt={receipt} />
          <div className="row">
            <button
              type="button"
              ref={printRef}
              data-testid="refund-print"
              onClick={() => {
                printReceipt(receipt, i18n)
                  .then((result) =>
                    setPrinted(result.printed ? t('receipt.printed') : t('receipt.notPrinted', { why: result.failure ?? '' })),
                  )
                  .catch(fail);
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
