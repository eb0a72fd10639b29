// The cashier's refund, opened from the checkout (F4): the refund panel in a dialog that keeps
// its title and Close button on screen. Esc closes it and hands the keyboard back to the amount.
import { useEffect, useRef } from 'react';
import { Kbd } from '../components/Kbd';
import { useI18n } from '../i18n';
import { RefundPanel } from './RefundPanel';

export function CashierRefundDialog({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const latestClose = useRef(onClose);
  useEffect(() => {
    latestClose.current = onClose;
  }, [onClose]);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        event.stopPropagation();
        latestClose.current();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
  return (
    <div className="dialog-backdrop">
      <div
        className="dialog refund-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="cashier-refund-title"
        data-testid="cashier-refund"
      >
        <h2 id="cashier-refund-title">{t('cashierRefund.title')}</h2>
        <div className="dialog-body">
          <RefundPanel mode="cashier" />
        </div>
        <div className="buttons">
          <button type="button" data-testid="cashier-refund-close" onClick={onClose}>
            {t('common.close')}
            <Kbd k="esc" />
          </button>
        </div>
      </div>
    </div>
  );
}
