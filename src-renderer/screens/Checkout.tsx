// The cashier's screen: type the amount, Enter charges, Esc cancels. Main owns the payment;
// this screen only shows the snapshot main sends and re-attaches to it after a reload.
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import type { KeyboardEvent as ReactKeyboardEvent } from 'react';
import type { DecisionView, PaymentSnapshot, Receipt, UnshownPayment } from '../../src-main/ipc/contract';
import { api, toUiError } from '../api';
import { useRequestError } from '../hooks/use-request-error';
import { DemoPanel } from '../components/DemoPanel';
import { ErrorNote } from '../components/ErrorNote';
import { Kbd } from '../components/Kbd';
import type { PadKey } from '../components/Keypad';
import { Keypad } from '../components/Keypad';
import { printReceipt } from '../components/ReceiptView';
import { useApp } from '../context';
import { useI18n } from '../i18n';
import { playCue, primeAudio } from '../sounds';
import { DESCRIPTION_MAX, MAX_AMOUNT_MINOR as MAX_AMOUNT } from '../../src-main/ipc/constants';
import { attachOnLoad, canTryAgain, follow, isInProgress } from '../lib/payment-view';
import { emptySale, lineTotal, saleOrder, saleReducer, saleTotal } from '../lib/sale';
import { formatTime } from '../lib/time';
import { padKeyAction, paymentKeyAction, saleKeyAction, type PaymentKeyAction, type SaleKeyAction } from '../lib/checkout-keys';
import { useWindowKeydown } from '../hooks/use-window-keydown';
import { CashierRefundDialog } from './CashierRefundDialog';
import { PaymentPanel } from './PaymentPanel';

function isEditable(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

export function Checkout({ onManager }: { onManager: () => void }) {
  const { app, money } = useApp();
  const i18n = useI18n();
  const { t, language } = i18n;
  const [sale, dispatch] = useReducer(saleReducer, emptySale);
  // A payment recorded but never on the screen (the app died in between): shown until acknowledged.
  const [lastUnshown, setUnshown] = useState<UnshownPayment | null>(null);
  const [payment, setPayment] = useState<PaymentSnapshot | null>(null);
  const [starting, setStarting] = useState(false);
  const { error, setError, fail } = useRequestError();
  const [printNote, setPrintNote] = useState<{ ok: boolean; text: string } | null>(null);
  const [refunding, setRefunding] = useState(false);
  const startingRef = useRef(false);
  const sounded = useRef(new Set<string>());
  // Payments the cashier has left: a late stage event (remove-phone) must not bring them back.
  const dismissed = useRef(new Set<string>());
  const amountRef = useRef<HTMLDivElement>(null);
  const describeRef = useRef<HTMLInputElement>(null);

  const focusAmount = useCallback(() => amountRef.current?.focus(), []);

  const announce = useCallback((decision: DecisionView | undefined) => {
    if (!decision || sounded.current.has(decision.transactionId)) return;
    sounded.current.add(decision.transactionId);
    playCue(decision.outcome === 'approved' ? 'approved' : 'declined');
  }, []);

  // Re-attach to a payment main is still running (reload, renderer crash), then follow events.
  useEffect(() => {
    let live = true;
    const cashier = api();
    cashier
      .currentPayment()
      .then((current) => {
        const snapshot = attachOnLoad(current);
        if (!live || !snapshot) return;
        if (snapshot.decision) sounded.current.add(snapshot.decision.transactionId);
        setPayment((prev) => prev ?? snapshot);
      })
      .catch((e: unknown) => live && fail(e));
    const offStage = cashier.onPaymentStage((snapshot) => {
      setPayment((prev) => follow(prev, snapshot, dismissed.current));
      announce(snapshot.decision);
    });
    const offDecision = cashier.onDecision((decision) => {
      setPayment((prev) => (prev && prev.transactionId === decision.transactionId ? { ...prev, decision } : prev));
      announce(decision);
    });
    return () => {
      live = false;
      offStage();
      offDecision();
    };
  }, [announce, fail]);

  useEffect(() => {
    let live = true;
    api()
      .unshownPayment()
      .then((last) => live && setUnshown(last))
      .catch((e: unknown) => live && fail(e));
    return () => {
      live = false;
    };
  }, [fail]);

  // A decision on the screen has been seen: it is no longer the "Last payment" after a restart.
  const shownId = payment?.decision?.transactionId;
  const unshown = lastUnshown && lastUnshown.transactionId !== shownId ? lastUnshown : null;
  useEffect(() => {
    if (shownId === undefined) return;
    api().paymentShown({ transactionId: shownId }).catch(fail);
  }, [shownId, fail]);

  const acknowledgeUnshown = useCallback(() => {
    if (unshown) api().paymentShown({ transactionId: unshown.transactionId }).catch(fail);
    setUnshown(null);
    focusAmount();
  }, [unshown, focusAmount, fail]);

  // Back on the amount whenever the sale is on screen, so the cashier never reaches for the mouse.
  const onSale = payment === null && !refunding;
  useEffect(() => {
    if (onSale) focusAmount();
  }, [onSale, focusAmount]);

  const inProgress = isInProgress(payment);
  const total = saleTotal(sale);
  const tooLarge = total > MAX_AMOUNT;

  const charge = useCallback(async () => {
    // The ref closes the gap between two key presses in the same frame; main refuses a
    // second start anyway (payment_in_progress).
    if (startingRef.current || inProgress) return;
    const order = saleOrder(sale, (index) => t('sale.itemN', { n: index + 1 }));
    if (order.amount <= 0 || order.amount > MAX_AMOUNT) return;
    startingRef.current = true;
    // A new sale means the cashier has seen the "Last payment" note above it.
    if (unshown) acknowledgeUnshown();
    primeAudio();
    setStarting(true);
    setError(null);
    setPrintNote(null);
    try {
      const snapshot = await api().startPayment(order);
      setPayment((prev) => (prev && prev.transactionId === snapshot.transactionId ? prev : follow(prev, snapshot, dismissed.current)));
    } catch (e) {
      const failure = toUiError(e);
      if (failure.code === 'payment_in_progress') {
        const current = await api()
          .currentPayment()
          .catch(() => null);
        if (current && !current.finished) setPayment(current);
      } else {
        setError(failure);
      }
    } finally {
      startingRef.current = false;
      setStarting(false);
    }
  }, [inProgress, sale, t, unshown, acknowledgeUnshown, setError]);

  const cancel = useCallback(() => {
    setError(null);
    api()
      .cancelPayment()
      .then((snapshot) => {
        if (snapshot) setPayment((prev) => follow(prev, snapshot, dismissed.current));
      })
      .catch(fail);
  }, [fail, setError]);

  /** Leaves the result: an approved sale is done, a declined one stays rung up for another try. */
  const dismiss = useCallback(() => {
    if (payment) dismissed.current.add(payment.transactionId);
    if (payment?.decision?.outcome === 'approved') dispatch({ type: 'clear' });
    setPayment(null);
    setPrintNote(null);
    focusAmount();
  }, [payment, focusAmount]);

  /** Clears the sale whatever the decision was (the cashier gives up on a declined sale). */
  const newSale = useCallback(() => {
    if (payment) dismissed.current.add(payment.transactionId);
    dispatch({ type: 'clear' });
    setPayment(null);
    setPrintNote(null);
    focusAmount();
  }, [payment, focusAmount]);

  /** Prints a decision's receipt, or without one reprints the last receipt main recorded. */
  const print = useCallback(
    (receipt?: Receipt) => {
      setPrintNote(null);
      const request = receipt
        ? printReceipt(receipt, i18n)
        : api()
            .lastReceipt()
            .then((last) => (last ? printReceipt(last, i18n, true) : null));
      request
        .then((result) => {
          if (!result) setPrintNote({ ok: false, text: t('receipt.noneYet') });
          else if (result.printed) setPrintNote({ ok: true, text: t('receipt.printed') });
          else setPrintNote({ ok: false, text: t('receipt.notPrinted', { why: result.failure ?? '' }) });
        })
        .catch(fail);
    },
    [i18n, t, fail],
  );

  /** What a sale key does, from the keyboard or the on-screen keypad (lib/checkout-keys.ts). */
  const performSaleKey = (action: SaleKeyAction, repeat = false): void => {
    switch (action.type) {
      case 'digits':
        dispatch({ type: 'digits', digits: action.digits });
        return;
      case 'backspace':
        dispatch({ type: 'backspace' });
        return;
      case 'charge':
        if (!repeat) void charge();
        return;
      case 'clear':
        dispatch({ type: sale.entry > 0 || sale.quantity > 1 ? 'clear-entry' : 'clear' });
        return;
      case 'multiply':
        dispatch({ type: 'multiply' });
        return;
      case 'add-item':
        dispatch({ type: 'add-item' });
        return;
      case 'remove-last-item':
        dispatch({ type: 'remove-item', index: sale.items.length - 1 });
        return;
      case 'describe':
        describeRef.current?.focus();
        return;
      case 'print-last':
        print();
        return;
      case 'refund':
        setRefunding(true);
        return;
    }
  };

  const padKey = (key: PadKey) => {
    if (!payment) performSaleKey(padKeyAction(key));
  };

  const performPaymentKey = (current: PaymentSnapshot, action: PaymentKeyAction, repeat: boolean): boolean => {
    switch (action.type) {
      case 'cancel-or-dismiss':
        if (inProgress) cancel();
        else if (current.decision || current.stage === 'timed-out') dismiss();
        return true;
      case 'confirm':
        if (inProgress || repeat) return true;
        if (canTryAgain(current)) void charge();
        else dismiss();
        return true;
      case 'next-sale':
        // A fast cashier starts typing the next sale over the approval.
        if (current.decision?.outcome !== 'approved' || inProgress) return false;
        dismiss();
        dispatch({ type: 'clear' });
        dispatch({ type: 'digits', digits: action.digit });
        return true;
      case 'print':
        if (current.decision?.receipt.seq === undefined) return false;
        print(current.decision.receipt);
        return true;
    }
  };

  useWindowKeydown((event) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === 'F9') {
      event.preventDefault();
      onManager();
      return;
    }
    // The refund dialog has the keyboard (its own Esc closes it).
    if (refunding || isEditable(event.target)) return;
    if (payment) {
      const action = paymentKeyAction(event.key);
      if (action && performPaymentKey(payment, action, event.repeat)) event.preventDefault();
      return;
    }
    const action = saleKeyAction(event.key);
    if (!action) return;
    event.preventDefault();
    performSaleKey(action, event.repeat);
  });

  const onDescribeKey = (event: ReactKeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter' || event.key === 'Escape' || event.key === 'Tab') {
      event.preventDefault();
      focusAmount();
    }
  };

  if (payment) {
    return (
      <main className="checkout" data-testid="checkout" data-phase="payment">
        <PaymentPanel
          payment={payment}
          onCancel={cancel}
          onDismiss={dismiss}
          onNewSale={newSale}
          onTryAgain={canTryAgain(payment) ? () => void charge() : undefined}
          onPrint={print}
          printNote={printNote}
          error={error}
          fullWidth={!app.demo}
        />
        {app.demo && (
          <aside className="side">
            <DemoPanel />
          </aside>
        )}
      </main>
    );
  }

  const itemised = sale.items.length > 0 || sale.quantity > 1;
  return (
    <main className="checkout" data-testid="checkout" data-phase="entry">
      <section className="sale">
        {unshown && (
          <div
            className={`banner ${unshown.outcome === 'approved' ? 'ok' : 'bad'}`}
            role="status"
            data-testid="last-payment"
            data-transaction-id={unshown.transactionId}
            data-outcome={unshown.outcome}
          >
            <div>
              <strong>
                {t('lastPayment.text', {
                  outcome: t(unshown.outcome === 'approved' ? 'lastPayment.approved' : 'lastPayment.declined'),
                  amount: money(unshown.amount, unshown.currency),
                  time: formatTime(unshown.time, language, app.country?.timeZone),
                })}
              </strong>
              {unshown.reason && <span> {i18n.reason(unshown.reason).message}</span>}
              <div>{t(unshown.outcome === 'approved' ? 'lastPayment.approvedNote' : 'lastPayment.declinedNote')}</div>
            </div>
            <button type="button" data-testid="last-payment-ok" onClick={acknowledgeUnshown}>
              {t('lastPayment.ok')}
            </button>
          </div>
        )}
        <div className="amount-card">
          <div className="amount-label" id="amount-label">
            {itemised ? t('sale.total') : t('sale.amount')}
          </div>
          <div
            ref={amountRef}
            className={`amount-display${total === 0 ? ' zero' : ''}`}
            data-testid="amount-display"
            data-amount={total}
            tabIndex={0}
            role="textbox"
            aria-readonly="false"
            aria-labelledby="amount-label"
            aria-live="polite"
          >
            {money(total)}
          </div>
          {(itemised || sale.description) && (
            <div className="amount-entry" data-testid="entry-line">
              <span>{sale.description || t('sale.itemN', { n: sale.items.length + 1 })}</span>
              <span>
                {sale.quantity > 1 ? `${sale.quantity} × ` : ''}
                {money(sale.entry)}
              </span>
            </div>
          )}
          {sale.capped && (
            <div className="error-text" data-testid="amount-capped" role="status">
              {t('sale.capped', { max: money(MAX_AMOUNT) })}
            </div>
          )}
          {tooLarge && (
            <div className="error-text" data-testid="amount-too-large">
              {t('sale.tooLarge', { max: money(MAX_AMOUNT) })}
            </div>
          )}
        </div>

        <div className="describe">
          <label className="visually-hidden" htmlFor="describe">
            {t('sale.describe')}
          </label>
          <input
            id="describe"
            ref={describeRef}
            data-testid="item-description"
            placeholder={t('sale.describePlaceholder')}
            value={sale.description}
            maxLength={DESCRIPTION_MAX}
            onChange={(e) => dispatch({ type: 'describe', description: e.target.value })}
            onKeyDown={onDescribeKey}
          />
          <button
            type="button"
            data-testid="add-item"
            disabled={sale.entry <= 0}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => dispatch({ type: 'add-item' })}
          >
            {t('sale.addItem')}
            <Kbd k="plus" />
          </button>
        </div>

        <div className="items" data-testid="line-items">
          {sale.items.length === 0 ? (
            <div className="empty">{t('sale.noItems')}</div>
          ) : (
            <table>
              <thead>
                <tr>
                  <th>{t('sale.description')}</th>
                  <th className="num">{t('sale.quantity')}</th>
                  <th className="num">{t('sale.unitPrice')}</th>
                  <th className="num">{t('sale.lineTotal')}</th>
                  <th>
                    <span className="visually-hidden">{t('sale.remove')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {sale.items.map((item, index) => (
                  <tr key={index} data-testid="line-item">
                    <td>{item.description || t('sale.itemN', { n: index + 1 })}</td>
                    <td className="num">{item.quantity}</td>
                    <td className="num">{money(item.unitPrice)}</td>
                    <td className="num">{money(lineTotal(item))}</td>
                    <td>
                      <button
                        type="button"
                        className="link"
                        data-testid="remove-item"
                        aria-label={t('sale.removeItem', { n: index + 1 })}
                        onMouseDown={(e) => e.preventDefault()}
                        onClick={() => dispatch({ type: 'remove-item', index })}
                      >
                        ✕
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>

        <div className="hints" data-testid="key-hints">
          <span>
            <Kbd k="enter" /> {t('hint.charge')}
          </span>
          <span>
            <Kbd k="esc" /> {t('hint.clear')}
          </span>
          <span>
            <Kbd k="times" /> {t('hint.quantity')}
          </span>
          <span>
            <Kbd k="plus" /> {t('hint.addItem')}
          </span>
          <span>
            <Kbd k="del" /> {t('hint.removeItem')}
          </span>
          <span>
            <Kbd k="f2" /> {t('hint.describe')}
          </span>
          <span>
            <Kbd k="f8" /> {t('hint.reprint')}
          </span>
          <span>
            <Kbd k="f4" /> {t('hint.refund')}
          </span>
          <span>
            <Kbd k="f9" /> {t('hint.manager')}
          </span>
        </div>
        <ErrorNote error={error} testId="checkout-error" />
        {printNote && (
          <div className={printNote.ok ? 'ok-text' : 'error-text'} data-testid="print-result">
            {printNote.text}
          </div>
        )}
      </section>

      <aside className="side">
        <Keypad
          onKey={padKey}
          chargeLabel={t('sale.charge', { amount: money(total) })}
          // A damaged ledger refuses every payment (the banner above says why); Enter still asks main and shows its refusal.
          chargeDisabled={total <= 0 || tooLarge || starting || app.ledgerDamaged !== undefined}
          disabled={starting}
        />
        <div className="actions-row">
          <button type="button" data-testid="reprint-last" onMouseDown={(e) => e.preventDefault()} onClick={() => print()}>
            {t('receipt.reprintLast')}
            <Kbd k="f8" />
          </button>
          <button type="button" data-testid="open-refund" onMouseDown={(e) => e.preventDefault()} onClick={() => setRefunding(true)}>
            {t('cashierRefund.open')}
            <Kbd k="f4" />
          </button>
        </div>
        {app.demo && <DemoPanel />}
      </aside>
      {refunding && <CashierRefundDialog onClose={() => setRefunding(false)} />}
    </main>
  );
}
