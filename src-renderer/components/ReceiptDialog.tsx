import { useEffect, useRef, useState } from 'react';
import type { Receipt } from '../../src-main/ipc/contract';
import { useI18n } from '../i18n';
import { ErrorNote } from './ErrorNote';
import { ReceiptView, printReceipt } from './ReceiptView';
import { useRequestError } from '../hooks/use-request-error';

/** A recorded receipt (manager log), marked as a reprint when printed again. */
export function ReceiptDialog({ receipt, onClose }: { receipt: Receipt; onClose: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const { error, setError, fail } = useRequestError();
  const closeRef = useRef<HTMLButtonElement>(null);
  const latestClose = useRef(onClose);
  useEffect(() => {
    latestClose.current = onClose;
  }, [onClose]);
  useEffect(() => {
    closeRef.current?.focus();
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

  const print = () => {
    setNote(null);
    setError(null);
    printReceipt(receipt, i18n, true)
      .then((result) =>
        setNote(
          result.printed
            ? { ok: true, text: t('receipt.printed') }
            : { ok: false, text: t('receipt.notPrinted', { why: result.failure ?? '' }) },
        ),
      )
      .catch(fail);
  };

  return (
    <div className="dialog-backdrop">
      <div className="dialog receipt-dialog" role="dialog" aria-modal="true" aria-label={t('receipt.title')} data-testid="receipt-dialog">
        <ReceiptView receipt={receipt} reprint />
        {note && (
          <div className={note.ok ? 'ok-text' : 'error-text'} data-testid="print-result">
            {note.text}
          </div>
        )}
        <ErrorNote error={error} testId="receipt-dialog-error" />
        <div className="buttons">
          <button type="button" ref={closeRef} data-testid="receipt-dialog-close" onClick={onClose}>
            {t('common.close')}
          </button>
          <button type="button" className="primary" data-testid="receipt-dialog-print" onClick={print}>
            {t('receipt.printCopy')}
          </button>
        </div>
      </div>
    </div>
  );
}
