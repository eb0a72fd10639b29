import { useState } from 'react';
import type { ExportResult } from '../../../src-main/ipc/contract';
import type { UiError } from '../../api';
import { api, toUiError } from '../../api';
import { ErrorNote } from '../../components/ErrorNote';
import { useI18n } from '../../i18n';

/** Export one business day; main asks for the folder in a native dialog and verifies the files. */
export function ExportTab() {
  const { t } = useI18n();
  const [date, setDate] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ExportResult | null>(null);
  const [error, setError] = useState<UiError | null>(null);

  const run = () => {
    setBusy(true);
    setError(null);
    setResult(null);
    api()
      .exportDay(date ? { businessDate: date } : undefined)
      .then(setResult)
      .catch((e: unknown) => setError(toUiError(e)))
      .finally(() => setBusy(false));
  };

  return (
    <div className="center-col" data-testid="export-tab">
      <p>{t('export.help')}</p>
      <div className="row">
        <label>
          {t('export.date')}{' '}
          <input type="date" data-testid="export-date" value={date} onChange={(e) => setDate(e.target.value)} />
        </label>
        <span className="field-help">{t('export.dateHelp')}</span>
        <span className="grow" />
        <button type="button" className="primary" data-testid="export-button" disabled={busy} onClick={run}>
          {busy ? t('export.running') : t('export.run')}
        </button>
      </div>
      <ErrorNote error={error} testId="export-error" />
      {result?.cancelled && (
        <div className="banner warn" data-testid="export-cancelled">
          {t('export.cancelled')}
        </div>
      )}
      {result && !result.cancelled && (
        <section className="panel" data-testid="export-result" data-ok={result.verification.ok}>
          <h2>{t('export.done', { date: result.businessDate })}</h2>
          <div className="form" style={{ alignItems: 'start' }}>
            <label>{t('export.folder')}</label>
            <code data-testid="export-folder" style={{ wordBreak: 'break-all' }}>
              {result.folder}
            </code>
            <label>{t('export.files')}</label>
            <ul data-testid="export-files" style={{ margin: 0, paddingLeft: 18 }}>
              {result.files.map((file) => (
                <li key={file} title={file}>
                  <code style={{ wordBreak: 'break-all' }}>{file.split(/[\\/]/).pop()}</code>
                </li>
              ))}
            </ul>
            <label>{t('export.verification')}</label>
            <div data-testid="export-verification" data-ok={result.verification.ok}>
              {result.verification.ok ? (
                <span className="ok-text">{t('export.verified', { n: result.verification.transactions })}</span>
              ) : (
                <span className="error-text">{t('export.notVerified')}</span>
              )}
              <div className="field-help">{result.verification.summary}</div>
              {result.verification.problems.length > 0 && (
                <ul data-testid="export-problems">
                  {result.verification.problems.map((problem, i) => (
                    <li key={i}>{problem}</li>
                  ))}
                </ul>
              )}
            </div>
          </div>
        </section>
      )}
    </div>
  );
}
