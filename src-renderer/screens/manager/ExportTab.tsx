import { useState } from 'react';
import type { ExportResult, Verification as ExportVerification } from '../../../src-main/ipc/contract';
import type { UiError } from '../../api';
import { api, toUiError } from '../../api';
import { DateField } from '../../components/DateField';
import { ErrorNote } from '../../components/ErrorNote';
import { useI18n } from '../../i18n';
import { describeVerification } from '../../lib/verification';

/** verify-export's result on the files just written, in the interface language. */
function Verdict({ verification }: { verification: ExportVerification }) {
  const { t } = useI18n();
  const text = describeVerification(verification, t);
  return (
    <div data-testid="export-verification" data-ok={verification.ok} data-problems={verification.problemCount}>
      <span className={verification.ok ? 'ok-text' : 'error-text'} data-testid="export-verdict">
        {text.verdict}
      </span>
      <div className="field-help" data-testid="export-summary">
        {text.summary}
      </div>
      {text.signedBy && (
        <div className="field-help" data-testid="export-signed-by">
          {text.signedBy}
        </div>
      )}
      {text.problems.length > 0 && (
        <ul data-testid="export-problems">
          {text.problems.map((problem, i) => (
            <li key={i} data-testid="export-problem" data-code={problem.code}>
              {problem.title}
              <details>
                <summary className="field-help">{t('export.detail')}</summary>
                <code style={{ wordBreak: 'break-all', fontSize: 12 }}>{problem.detail}</code>
              </details>
            </li>
          ))}
        </ul>
      )}
      {text.more && <div className="field-help">{text.more}</div>}
    </div>
  );
}

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
          <DateField testId="export-date" value={date} onChange={setDate} />
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
            <Verdict verification={result.verification} />
          </div>
        </section>
      )}
    </div>
  );
}
