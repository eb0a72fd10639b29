import { useCallback, useEffect, useState } from 'react';
import type { LogEntry, LogFilter, LogPage, Receipt } from '../../../src-main/ipc/contract';
import type { ReasonCode } from '../../../src-main/domain/reasons';
import { REASON_CODES } from '../../../src-main/domain/reasons';
import { api } from '../../api';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DateField } from '../../components/DateField';
import { ErrorNote } from '../../components/ErrorNote';
import { ReceiptDialog } from '../../components/ReceiptDialog';
import { printReceipt } from '../../components/ReceiptView';
import { useApp } from '../../context';
import { useI18n } from '../../i18n';
import { formatTime } from '../../lib/time';
import { useRequestError } from '../../hooks/use-request-error';

type StatusFilter = '' | 'approved' | 'declined' | 'voided' | 'refunded';

const PAGE_SIZE = 100;

function StatusTag({ status }: { status: LogEntry['status'] }) {
  const { t } = useI18n();
  const mark = status === 'approved' ? '✔' : status === 'declined' ? '✖' : status === 'refunded' ? '↩' : '↺';
  return (
    <span className="status-tag" data-status={status}>
      <span aria-hidden="true">{mark}</span>
      {t(`status.${status}`)}
    </span>
  );
}

/** A declined phone's account whose license did not verify: shown, but as its claim. */
function ClaimedAccount({ entry }: { entry: LogEntry }) {
  const { t } = useI18n();
  return (
    <span data-testid="log-account-claimed" title={t('log.claimedHelp', { serial: entry.licenseSerial ?? '' })}>
      <span style={{ fontStyle: 'italic' }}>{entry.maskedAccount ?? entry.licenseSerial}</span>
      <span className="field-help" style={{ display: 'block', fontFamily: 'var(--font)' }}>
        {t('log.claimed')}
      </span>
    </span>
  );
}

export function LogTab({ onRefund }: { onRefund?: (transactionId: string) => void } = {}) {
  const { app, money } = useApp();
  const i18n = useI18n();
  const { t, language } = i18n;
  const [status, setStatus] = useState<StatusFilter>('');
  const [reason, setReason] = useState<ReasonCode | ''>('');
  const [search, setSearch] = useState('');
  const [date, setDate] = useState('');
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<LogPage | null>(null);
  const { error, setError, fail } = useRequestError();
  const [voiding, setVoiding] = useState<LogEntry | null>(null);
  const [voidReason, setVoidReason] = useState('');
  const [voidPrint, setVoidPrint] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [voided, setVoided] = useState<LogEntry | null>(null);
  const [receipt, setReceipt] = useState<Receipt | null>(null);

  const showReceipt = (entry: LogEntry) => {
    api().getReceipt({ transactionId: entry.transactionId }).then(setReceipt).catch(fail);
  };

  const load = useCallback(() => {
    const filter: LogFilter = {};
    if (status) filter.status = status;
    if (reason) filter.reason = reason;
    if (search.trim()) filter.search = search.trim();
    if (date) filter.businessDate = date;
    filter.limit = PAGE_SIZE;
    filter.offset = offset;
    api()
      .listLog(filter)
      .then((result) => {
        setPage(result);
        setError(null);
      })
      .catch(fail);
  }, [status, reason, search, date, offset, fail, setError]);

  /** A changed filter starts again at the first page. */
  const filtered =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      set(value);
      setOffset(0);
    };

  useEffect(() => {
    load();
  }, [load]);

  const confirmVoid = () => {
    if (!voiding) return;
    setBusy(true);
    const why = voidReason.trim().slice(0, 200);
    api()
      .voidTransaction({ transactionId: voiding.transactionId, ...(why ? { reason: why } : {}) })
      .then((row) => {
        setVoided(row);
        setVoiding(null);
        load();
      })
      .catch((e: unknown) => {
        setVoiding(null);
        fail(e);
      })
      .finally(() => setBusy(false));
  };

  /** The void's own receipt, printed for the first time: not a reprint. */
  const printVoid = (entry: LogEntry) => {
    setVoidPrint(null);
    api()
      .getReceipt({ transactionId: entry.transactionId })
      .then((r) => printReceipt(r, i18n, false))
      .then((result) =>
        setVoidPrint(
          result.printed
            ? { ok: true, text: t('receipt.printed') }
            : { ok: false, text: t('receipt.notPrinted', { why: result.failure ?? '' }) },
        ),
      )
      .catch(fail);
  };

  const canVoid = (entry: LogEntry) =>
    entry.type === 'sale' && entry.status === 'approved' && !entry.voided && entry.businessDate === page?.businessDate && !date;

  return (
    <div className="center-col" style={{ maxWidth: 'none' }} data-testid="log-tab">
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          load();
        }}
      >
        <label>
          <span>{t('log.status')}</span>
          <select data-testid="log-filter-status" value={status} onChange={(e) => filtered(setStatus)(e.target.value as StatusFilter)}>
            <option value="">{t('log.all')}</option>
            <option value="approved">{t('status.approved')}</option>
            <option value="declined">{t('status.declined')}</option>
            <option value="voided">{t('status.voided')}</option>
            <option value="refunded">{t('status.refunded')}</option>
          </select>
        </label>
        <label>
          <span>{t('log.reason')}</span>
          <select data-testid="log-filter-reason" value={reason} onChange={(e) => filtered(setReason)(e.target.value as ReasonCode | '')}>
            <option value="">{t('log.all')}</option>
            {REASON_CODES.map((code) => (
              <option key={code} value={code}>
                {i18n.reason(code).message} ({code})
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('log.date')}</span>
          <DateField testId="log-filter-date" value={date} onChange={filtered(setDate)} />
        </label>
        <label>
          <span>{t('log.search')}</span>
          <input
            data-testid="log-filter-search"
            placeholder={t('log.searchPlaceholder')}
            value={search}
            onChange={(e) => filtered(setSearch)(e.target.value)}
          />
        </label>
        <button type="submit" data-testid="log-refresh">
          {t('common.refresh')}
        </button>
      </form>
      <ErrorNote error={error} testId="log-error" />
      {voided && (
        <div className="banner ok" role="status" data-testid="void-result">
          {t('log.voidDone', { id: voided.voidOf ?? voided.transactionId, amount: money(voided.amount, voided.currency) })}{' '}
          <button type="button" data-testid="void-print" onClick={() => printVoid(voided)}>
            {t('log.voidPrint')}
          </button>
          {voidPrint && (
            <span className={voidPrint.ok ? 'ok-text' : 'error-text'} data-testid="void-print-result">
              {voidPrint.text}
            </span>
          )}
        </div>
      )}
      {page && (
        <>
          <div className="row">
            <span className="field-help grow" data-testid="log-summary">
              {t('log.summary', {
                date: page.businessDate,
                from: page.entries.length === 0 ? 0 : offset + 1,
                to: offset + page.entries.length,
                total: page.total,
              })}
            </span>
            {page.total > PAGE_SIZE && (
              <>
                <button
                  type="button"
                  data-testid="log-previous"
                  disabled={offset === 0}
                  onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}
                >
                  {t('log.previous')}
                </button>
                <button
                  type="button"
                  data-testid="log-next"
                  disabled={offset + PAGE_SIZE >= page.total}
                  onClick={() => setOffset(offset + PAGE_SIZE)}
                >
                  {t('log.next')}
                </button>
              </>
            )}
          </div>
          <table className="data" data-testid="log-table">
            <thead>
              <tr>
                <th>{t('log.col.seq')}</th>
                <th>{t('log.col.time')}</th>
                <th>{t('log.col.transaction')}</th>
                <th>{t('log.col.status')}</th>
                <th>{t('log.col.reason')}</th>
                <th className="num">{t('log.col.amount')}</th>
                <th>{t('log.col.account')}</th>
                <th>{t('log.col.counter')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {page.entries.length === 0 && (
                <tr>
                  <td colSpan={9} data-testid="log-empty">
                    {t('log.empty')}
                  </td>
                </tr>
              )}
              {page.entries.map((entry) => (
                <tr
                  key={entry.seq}
                  data-testid="log-row"
                  data-transaction-id={entry.transactionId}
                  data-status={entry.status}
                  data-reason={entry.reason}
                  data-type={entry.type}
                >
                  <td className="num">{entry.seq}</td>
                  <td>{formatTime(entry.recordedAt, language, app.country?.timeZone)}</td>
                  <td className="mono" title={entry.transactionId}>
                    {entry.transactionId.slice(0, 12)}…{entry.type === 'void' && ` (${t('log.void')})`}
                    {entry.refundOf && <span className="field-help"> ({t('log.refundOf', { id: entry.refundOf.slice(0, 12) })})</span>}
                    {entry.demo && (
                      <span className="demo-badge" style={{ marginLeft: 6, fontSize: 11, padding: '0 4px' }}>
                        {t('app.demo')}
                      </span>
                    )}
                  </td>
                  <td>
                    <StatusTag status={entry.status} />
                    {entry.voided && <span className="field-help"> ({t('log.wasVoided')})</span>}
                    {entry.refunded !== undefined && (
                      <span className="field-help" data-testid="log-refunded">
                        {' '}
                        ({t('log.wasRefunded', { amount: money(entry.refunded, entry.currency) })})
                      </span>
                    )}
                  </td>
                  <td>
                    {entry.reason ? i18n.reason(entry.reason).message : ''}
                    {entry.voidReason && <span data-testid="log-void-reason">{t('log.voidReasonShown', { why: entry.voidReason })}</span>}
                  </td>
                  <td className="num">
                    {money(entry.type === 'void' || entry.type === 'refund' ? -entry.amount : entry.amount, entry.currency)}
                  </td>
                  <td className="mono" data-testid="log-account" data-verified={entry.licenseFactsVerified}>
                    {entry.licenseFactsVerified === false ? <ClaimedAccount entry={entry} /> : (entry.maskedAccount ?? '')}
                  </td>
                  <td className="num">{entry.appCounter ?? ''}</td>
                  <td>
                    <div className="row" style={{ gap: 6, flexWrap: 'wrap' }}>
                      <button type="button" data-testid="receipt-button" onClick={() => showReceipt(entry)}>
                        {t('log.receipt')}
                      </button>
                      {onRefund && entry.type === 'sale' && entry.status === 'approved' && !entry.voided && (
                        <button type="button" data-testid="refund-button" onClick={() => onRefund(entry.transactionId)}>
                          {t('refund.logAction')}
                        </button>
                      )}
                      {canVoid(entry) && entry.refunded === undefined && (
                        <button
                          type="button"
                          data-testid="void-button"
                          onClick={() => {
                            setVoidReason('');
                            setVoiding(entry);
                          }}
                        >
                          {t('log.voidAction')}
                        </button>
                      )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {receipt && <ReceiptDialog receipt={receipt} onClose={() => setReceipt(null)} />}
      {voiding && (
        <ConfirmDialog
          title={t('log.voidTitle')}
          confirmLabel={t('log.voidConfirm')}
          danger
          busy={busy}
          onConfirm={confirmVoid}
          onCancel={() => setVoiding(null)}
          testId="void"
        >
          <p>{t('log.voidQuestion', { amount: money(voiding.amount, voiding.currency), id: voiding.transactionId })}</p>
          <label htmlFor="void-reason">{t('log.voidReason')}</label>
          <input
            id="void-reason"
            data-testid="void-reason"
            maxLength={200}
            value={voidReason}
            onChange={(e) => setVoidReason(e.target.value)}
          />
        </ConfirmDialog>
      )}
    </div>
  );
}
