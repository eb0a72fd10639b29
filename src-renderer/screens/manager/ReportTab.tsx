import { useState } from 'react';
import type { PrintResult, Report } from '../../../src-main/ipc/contract';
import { api } from '../../api';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DateField } from '../../components/DateField';
import { ErrorNote } from '../../components/ErrorNote';
import { PaperLines } from '../../components/ReceiptView';
import type { AppContextValue } from '../../context';
import { useApp } from '../../context';
import type { Translator } from '../../i18n';
import { useI18n } from '../../i18n';
import { columnsFor } from '../../lib/receipt';
import type { ReportLabels } from '../../lib/report';
import { layoutReport } from '../../lib/report';
import { formatDateTime } from '../../lib/time';
import { useRequestError } from '../../hooks/use-request-error';

export function reportLabels({ t }: Translator, report: Pick<Report, 'zNumber'>): ReportLabels {
  return {
    xTitle: t('reportPaper.xTitle'),
    zTitle: t('reportPaper.zTitle', { n: report.zNumber ?? '' }),
    businessDay: t('reportPaper.businessDay'),
    merchantId: t('receipt.merchantId'),
    terminal: t('receipt.terminal'),
    printed: t('reportPaper.printed'),
    first: t('reportPaper.first'),
    last: t('reportPaper.last'),
    approved: t('reportPaper.approved'),
    declined: t('reportPaper.declined'),
    voided: t('reportPaper.voided'),
    voids: t('reportPaper.voids'),
    refunded: t('reportPaper.refunded'),
    refunds: t('reportPaper.refunds'),
    net: t('reportPaper.net'),
    noSales: t('reportPaper.noSales'),
    demo: t('receipt.demo'),
    demoTotals: t('reportPaper.demoTotals'),
    declinesByReason: t('reportPaper.declines'),
    chainHead: t('reportPaper.chainHead'),
    end: t('reportPaper.end'),
  };
}

/** The report as the printer prints it, in the interface language, for the configured paper. */
export function reportLines(report: Report, i18n: Translator, { app, money }: AppContextValue): string[] {
  return layoutReport(report, reportLabels(i18n, report), {
    width: columnsFor(report.paperWidth),
    merchantName: app.merchantName ?? '',
    timeZone: app.country?.timeZone ?? 'UTC',
    money,
    reasonText: (reason) => i18n.reason(reason).message,
  });
}

type Totals = Report['totals'][number];

function TotalsTable({ rows, testId }: { rows: Totals[]; testId: string }) {
  const { money } = useApp();
  const { t } = useI18n();
  return (
    <table className="data" data-testid={testId}>
      <thead>
        <tr>
          <th>{t('report.currency')}</th>
          <th className="num">{t('report.approvedTotal')}</th>
          <th className="num">{t('report.voidTotal')}</th>
          <th className="num">{t('report.refundTotal')}</th>
          <th className="num">{t('report.netTotal')}</th>
          <th className="num">{t('report.declinedTotal')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 && (
          <tr>
            <td colSpan={6}>{t('report.noSales')}</td>
          </tr>
        )}
        {rows.map((row) => (
          <tr key={row.currency} data-testid="report-total-row" data-currency={row.currency} data-net={row.netTotal}>
            <td>{row.currency}</td>
            <td className="num">
              {money(row.approvedTotal, row.currency)} ({row.approvedCount})
            </td>
            <td className="num">
              {money(-row.voidTotal, row.currency)} ({row.voidCount})
            </td>
            <td className="num" data-testid="report-refund-total">
              {money(-row.refundTotal, row.currency)} ({row.refundCount})
            </td>
            <td className="num">
              <strong>{money(row.netTotal, row.currency)}</strong>
            </td>
            <td className="num">
              {money(row.declinedTotal, row.currency)} ({row.declinedCount})
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Sends the report's paper lines to the printer (the same lines "As printed" shows). */
function PrintReport({ report, lines }: { report: Report; lines: string[] }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<PrintResult | null>(null);
  const { error, setError, fail } = useRequestError();

  const print = () => {
    setBusy(true);
    setResult(null);
    setError(null);
    api()
      .printReport({
        kind: report.kind,
        businessDate: report.businessDate,
        ...(report.kind === 'Z' && report.zNumber !== undefined ? { zNumber: report.zNumber } : {}),
        lines,
        paperWidth: report.paperWidth,
      })
      .then(setResult)
      .catch(fail)
      .finally(() => setBusy(false));
  };

  return (
    <>
      <div className="row">
        <button type="button" className="primary" data-testid="report-print" disabled={busy} onClick={print}>
          {t('report.print')}
        </button>
        {result && (
          <span className={result.printed ? 'ok-text' : 'error-text'} data-testid="report-print-result" data-printed={result.printed}>
            {result.printed ? t('report.printed') : t('receipt.notPrinted', { why: result.failure ?? '' })}
          </span>
        )}
      </div>
      <ErrorNote error={error} testId="report-print-error" />
    </>
  );
}

function ReportView({ report }: { report: Report }) {
  const appContext = useApp();
  const { app } = appContext;
  const i18n = useI18n();
  const { t, language } = i18n;
  const tz = app.country?.timeZone;
  const lines = reportLines(report, i18n, appContext);
  return (
    <section
      className="center-col panel"
      style={{ maxWidth: 'none' }}
      data-testid="report"
      data-kind={report.kind}
      data-business-date={report.businessDate}
    >
      <h2>
        {report.kind === 'X' ? (
          t('report.xTitle', { date: report.businessDate })
        ) : (
          <span data-testid="report-z-number" data-z-number={report.zNumber}>
            {t('report.zTitle', { date: report.businessDate, n: report.zNumber ?? '' })}
          </span>
        )}
        {report.demo && (
          <span className="demo-badge" style={{ marginLeft: 12, fontSize: 14 }}>
            {t('app.demo')}
          </span>
        )}
      </h2>
      <div className="field-help">
        {t('report.generated', { time: formatDateTime(report.generatedAt, language, tz) })} ·{' '}
        {t('report.ids', { merchant: report.merchantId, terminal: report.terminalId })}
      </div>
      <PrintReport key={`${report.kind}-${report.generatedAt}`} report={report} lines={lines} />
      <div className="totals">
        <div className="tile">
          <div className="k">{t('report.approvedCount')}</div>
          <div className="v" data-testid="report-approved-count">
            {report.counts.approved}
          </div>
        </div>
        <div className="tile" data-testid="report-declined-count">
          <div className="k">{t('report.declinedCount')}</div>
          <div className="v">{report.counts.declined}</div>
        </div>
        <div className="tile" data-testid="report-voided-count">
          <div className="k">{t('report.voidedCount')}</div>
          <div className="v">{report.counts.voided}</div>
        </div>
        <div className="tile" data-testid="report-refunded-count">
          <div className="k">{t('report.refundedCount')}</div>
          <div className="v">{report.counts.refunded}</div>
        </div>
      </div>
      <TotalsTable rows={report.totals} testId="report-totals" />
      {report.demoTotals.length > 0 && (
        <>
          <h3>
            <span className="demo-badge" style={{ fontSize: 14 }}>
              {t('app.demo')}
            </span>{' '}
            {t('report.demoTotals')}
          </h3>
          <TotalsTable rows={report.demoTotals} testId="report-demo-totals" />
        </>
      )}
      {report.declinesByReason.length > 0 && (
        <table className="data" data-testid="report-declines">
          <thead>
            <tr>
              <th>{t('report.declineReason')}</th>
              <th className="num">{t('report.count')}</th>
            </tr>
          </thead>
          <tbody>
            {report.declinesByReason.map((row) => (
              <tr key={row.reason} data-reason={row.reason}>
                <td>
                  {i18n.reason(row.reason).message} <span className="field-help">({row.reason})</span>
                </td>
                <td className="num">{row.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <dl className="form">
        {report.firstTransactionAt !== undefined && (
          <>
            <dt>{t('report.first')}</dt>
            <dd>{formatDateTime(report.firstTransactionAt, language, tz)}</dd>
          </>
        )}
        {report.lastTransactionAt !== undefined && (
          <>
            <dt>{t('report.last')}</dt>
            <dd>{formatDateTime(report.lastTransactionAt, language, tz)}</dd>
          </>
        )}
        {report.chainHead && (
          <>
            <dt>{t('report.chainHead')}</dt>
            <dd className="mono" style={{ wordBreak: 'break-all', fontFamily: 'var(--mono)', fontSize: 13 }}>
              {report.chainHead}
            </dd>
          </>
        )}
      </dl>
      <details data-testid="report-paper" data-paper-width={report.paperWidth}>
        <summary>{t('report.paperPreview')}</summary>
        <div className="receipt-wrap">
          <PaperLines lines={lines} label={t('report.paperPreview')} testId="report-paper-lines" />
        </div>
      </details>
    </section>
  );
}

/** X: the running totals of the business day. Z: close the day (after a confirmation). */
export function ReportTab() {
  const { t } = useI18n();
  const [report, setReport] = useState<Report | null>(null);
  const { error, setError, fail } = useRequestError();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [closedDate, setClosedDate] = useState('');

  const run = (request: () => Promise<Report>) => {
    setBusy(true);
    setError(null);
    request()
      .then(setReport)
      .catch(fail)
      .finally(() => {
        setBusy(false);
        setConfirming(false);
      });
  };

  return (
    <div className="center-col" style={{ maxWidth: 'none' }} data-testid="reports-tab">
      <div className="row">
        <button type="button" className="primary" data-testid="x-report-button" disabled={busy} onClick={() => run(() => api().xReport())}>
          {t('report.xButton')}
        </button>
        <span className="field-help grow">{t('report.xHelp')}</span>
      </div>
      <div className="row">
        <button type="button" className="danger" data-testid="z-report-button" disabled={busy} onClick={() => setConfirming(true)}>
          {t('report.closeDay')}
        </button>
        <span className="field-help grow">{t('report.zHelp')}</span>
      </div>
      <div className="row">
        <label>
          {t('report.zAgain')}{' '}
          <DateField label={t('report.zAgainDate')} testId="z-report-date" value={closedDate} onChange={setClosedDate} />
        </label>
        <button
          type="button"
          data-testid="z-report-show"
          disabled={busy || !closedDate}
          onClick={() => run(() => api().zReport({ businessDate: closedDate }))}
        >
          {t('report.zAgainShow')}
        </button>
        <span className="field-help grow">{t('report.zAgainHelp')}</span>
      </div>
      <ErrorNote error={error} testId="report-error" />
      {report && <ReportView report={report} />}
      {confirming && (
        <ConfirmDialog
          title={t('report.closeTitle')}
          confirmLabel={t('report.closeConfirm')}
          danger
          busy={busy}
          onConfirm={() => run(() => api().closeDay())}
          onCancel={() => setConfirming(false)}
          testId="z"
        >
          <p>{t('report.closeQuestion')}</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
