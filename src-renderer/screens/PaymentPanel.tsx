// The EMV-style message set: Present phone, Processing, See phone, Approved / Declined,
// Remove phone. Every state has its own icon shape, title and wording, not just a colour.
import { useEffect, useRef, useState } from 'react';
import { api } from '../api';
import type { PaymentSnapshot, Receipt } from '../../src-main/ipc/contract';
import type { UiError } from '../api';
import { ErrorNote } from '../components/ErrorNote';
import { ApprovedIcon, ClockIcon, DeclinedIcon, ProcessingIcon, RemoveIcon, TapIcon, UnlockIcon, WarningIcon } from '../components/Icons';
import { ReceiptView } from '../components/ReceiptView';
import { useApp } from '../context';
import { useI18n } from '../i18n';
import { Kbd } from '../components/Kbd';

function useSecondsLeft(deadline: number | undefined): number | undefined {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (deadline === undefined) return;
    const timer = window.setInterval(() => setNow(Date.now()), 250);
    return () => window.clearInterval(timer);
  }, [deadline]);
  return deadline === undefined ? undefined : Math.max(0, Math.ceil((deadline - now) / 1000));
}

/**
 * When the wait for a tap ends: main's deadline, or (for a snapshot sent before main armed its
 * timer) the start plus the configured waiting timeout.
 */
function useWaitingDeadline(payment: PaymentSnapshot, waiting: boolean): number | undefined {
  const [waitMs, setWaitMs] = useState<number | undefined>(undefined);
  const needsSettings = waiting && payment.waitingDeadline === undefined;
  useEffect(() => {
    if (!needsSettings) return;
    let live = true;
    api()
      .getSettings()
      .then((settings) => live && setWaitMs(settings.waitTimeoutMs))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [needsSettings]);
  if (!waiting) return undefined;
  return payment.waitingDeadline ?? (waitMs === undefined ? undefined : payment.startedAt + waitMs);
}

type Tone = 'busy' | 'ok' | 'bad' | 'warn';

export function PaymentPanel({
  payment,
  onCancel,
  onDismiss,
  onNewSale,
  onTryAgain,
  onPrint,
  printNote,
  error,
  fullWidth,
}: {
  payment: PaymentSnapshot;
  onCancel: () => void;
  onDismiss: () => void;
  onNewSale: () => void;
  /** Set for a decline where tapping again can work: the same sale is charged again. */
  onTryAgain?: () => void;
  onPrint: (receipt: Receipt) => void;
  printNote: { ok: boolean; text: string } | null;
  error: UiError | null;
  fullWidth: boolean;
}) {
  const { money } = useApp();
  const i18n = useI18n();
  const { t } = i18n;
  const decision = payment.decision;
  const waiting = !decision && payment.stage === 'present-phone';
  const secondsLeft = useSecondsLeft(useWaitingDeadline(payment, waiting));
  const phoneStillThere = payment.stage === 'remove-phone' && !payment.finished;

  let tone: Tone = 'busy';
  let Icon = TapIcon;
  let title = '';
  let detail = '';
  if (decision?.outcome === 'approved') {
    tone = 'ok';
    Icon = ApprovedIcon;
    title = t('stage.approved');
    detail = t('stage.approvedDetail');
  } else if (decision && payment.stage === 'cancelled') {
    // The cashier (or the customer at the phone) stopped it: not a refusal of the customer.
    tone = 'warn';
    Icon = DeclinedIcon;
    title = t('stage.cancelled');
  } else if (decision && payment.stage === 'timed-out') {
    tone = 'warn';
    Icon = ClockIcon;
    title = t('stage.timed-out');
    detail = t('stage.timedOutDetail');
  } else if (decision && onTryAgain) {
    tone = 'warn';
    Icon = WarningIcon;
    title = t('stage.tryAgain');
  } else if (decision) {
    tone = 'bad';
    Icon = DeclinedIcon;
    title = t('stage.declined');
  } else if (payment.stage === 'present-phone') {
    title = t('stage.present-phone');
    detail = t('stage.presentDetail');
  } else if (payment.stage === 'processing') {
    Icon = ProcessingIcon;
    title = t('stage.processing');
    detail = t('stage.processingDetail');
  } else if (payment.stage === 'see-phone') {
    tone = 'warn';
    Icon = UnlockIcon;
    title = t('stage.see-phone');
    detail = t('stage.seePhoneDetail');
  } else if (payment.stage === 'timed-out') {
    tone = 'warn';
    Icon = ClockIcon;
    title = t('stage.timed-out');
    detail = t('stage.timedOutDetail');
  } else if (payment.stage === 'remove-phone') {
    Icon = RemoveIcon;
    title = t('stage.remove-phone');
  } else {
    tone = 'warn';
    title = t('stage.cancelled');
  }

  const inProgress = !decision && ['present-phone', 'processing', 'see-phone'].includes(payment.stage);
  // A payment that ended before any tap (cancelled, nobody tapped) left no ledger row: no receipt.
  const receipt = decision && decision.receipt.seq !== undefined ? decision.receipt : undefined;
  const reason = decision?.reason ? i18n.reason(decision.reason) : undefined;
  // A tap that did not count (locked phone, not a payment phone, two cards): say why, keep waiting.
  const notice = !decision && payment.notice ? i18n.reason(payment.notice) : undefined;
  if (notice && payment.stage === 'see-phone') detail = '';

  // Where the EMV-style sequence is: present phone -> processing -> decision -> remove phone.
  const sequence = [
    t('stage.present-phone'),
    t('stage.processing'),
    decision ? title : `${t('stage.approved')} / ${t('stage.declined')}`,
    t('stage.remove-phone'),
  ];
  const step = decision ? (phoneStillThere ? 3 : 2) : payment.stage === 'processing' ? 1 : 0;

  const nextStep = phoneStillThere
    ? t('stage.remove-phone')
    : inProgress
      ? t('payment.cancelHint')
      : decision?.outcome === 'approved'
        ? t('payment.newSaleHint')
        : onTryAgain
          ? t('payment.tryAgainHint')
          : t('payment.backHint');
  const announcement = [title, notice?.message, reason?.message, reason?.action || nextStep].filter(Boolean).join('. ');

  // The keyboard stays on a control of this screen (never the page body): the action the cashier
  // takes next, moved whenever the state changes.
  const focusKey = `${payment.transactionId}:${inProgress ? 'running' : (decision?.outcome ?? payment.stage)}:${onTryAgain ? 'retry' : ''}`;
  const primaryRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    primaryRef.current?.focus();
  }, [focusKey]);

  return (
    <section
      className="payment-inline"
      style={fullWidth ? { gridColumn: '1 / -1' } : undefined}
      data-testid="payment-panel"
      data-outcome={decision?.outcome}
      data-transaction-id={payment.transactionId}
    >
      <div className={`payment-card${decision ? ' decided' : ''}`} data-tone={tone} data-testid="payment-stage" data-stage={payment.stage}>
        {/* What a screen reader says: the status line and what the cashier does next, nothing else. */}
        <div className="visually-hidden" role="status" aria-live="assertive" aria-atomic="true" data-testid="payment-announcement">
          {announcement}
        </div>
        <div className="payment-status">
          {payment.demo && (
            <span className="demo-badge" data-testid="payment-demo">
              {t('app.demo')}
            </span>
          )}
          <div className="payment-amount" data-testid="payment-amount" data-amount={payment.amount}>
            {money(payment.amount, payment.currency)}
          </div>
          <Icon className="stage-icon" />
          {decision ? (
            <div data-testid="decision" data-outcome={decision.outcome} data-reason={decision.reason}>
              <h2 className="stage-title" data-testid="decision-banner" data-outcome={decision.outcome} data-reason={decision.reason}>
                {title}
              </h2>
            </div>
          ) : (
            <h2 className="stage-title" data-testid="stage-title">
              {title}
            </h2>
          )}
          {detail && <p className="stage-detail">{detail}</p>}
          {(inProgress || decision) && (
            <ol className="steps sequence" data-testid="stage-sequence" data-step={step}>
              {sequence.map((label, i) => (
                <li key={i} aria-current={i === step ? 'step' : undefined}>
                  {label}
                </li>
              ))}
            </ol>
          )}
          {notice && (
            <div className="notice" data-testid="payment-notice" data-reason={payment.notice}>
              <div>{notice.message}</div>
              {notice.action && <div className="notice-action">{notice.action}</div>}
            </div>
          )}
          {waiting && secondsLeft !== undefined && (
            <div className="countdown" data-testid="waiting-countdown">
              {t('stage.waiting', { seconds: secondsLeft })}
            </div>
          )}
          {decision && reason && (
            <div className="decline-reason" data-testid="decline-reason" data-reason={decision.reason}>
              <div className="message" data-testid="decision-message">
                {reason.message}
              </div>
              {reason.action && <div className="action">{reason.action}</div>}
              <div className="code">{decision.reason}</div>
            </div>
          )}
          {decision?.outcome === 'approved' && decision.maskedAccount && (
            <div className="stage-detail" data-testid="approved-account">
              {t('receipt.account')}: {decision.maskedAccount}
            </div>
          )}
          {decision && phoneStillThere && (
            <div className="notice" data-testid="remove-phone">
              {t('stage.remove-phone')}
            </div>
          )}

          <div className="payment-buttons">
            {inProgress && (
              <span data-testid="cancel-button">
                <button
                  type="button"
                  className="danger"
                  data-testid="cancel-payment"
                  onClick={onCancel}
                  ref={inProgress ? primaryRef : undefined}
                >
                  {t('payment.cancel')}
                  <Kbd k="esc" />
                </button>
              </span>
            )}
            {!inProgress && onTryAgain && (
              <button type="button" className="primary" data-testid="try-again" onClick={onTryAgain} ref={primaryRef}>
                {t('payment.tryAgain')}
                <Kbd k="enter" />
              </button>
            )}
            {!inProgress && decision?.outcome === 'approved' && (
              <button type="button" className="primary" data-testid="new-sale-button" onClick={onNewSale} ref={primaryRef}>
                {t('payment.newSale')}
                <Kbd k="enter" />
              </button>
            )}
            {!inProgress && decision?.outcome !== 'approved' && (
              <button
                type="button"
                className={onTryAgain ? undefined : 'primary'}
                data-testid="back-to-sale"
                onClick={onDismiss}
                ref={onTryAgain ? undefined : primaryRef}
              >
                {t('payment.backToSale')}
                <Kbd k={onTryAgain ? 'esc' : 'enter'} />
              </button>
            )}
            {!inProgress && decision?.outcome !== 'approved' && (
              <button type="button" data-testid="new-sale-button" onClick={onNewSale}>
                {t('payment.newSale')}
              </button>
            )}
            {receipt && (
              <button type="button" data-testid="print-receipt" onClick={() => onPrint(receipt)}>
                {t('receipt.print')}
                <Kbd k="p" />
              </button>
            )}
          </div>
          {printNote && (
            <div className={printNote.ok ? 'ok-text' : 'error-text'} data-testid="print-result">
              {printNote.text}
            </div>
          )}
          <ErrorNote error={error} testId="payment-error" />
        </div>
        {receipt && <ReceiptView receipt={receipt} />}
      </div>
    </section>
  );
}
