import { useEffect, useState } from 'react';
import type { ExportResult, SettlementSendResult, Verification as ExportVerification } from '../../../src-main/ipc/contract';
import { api } from '../../api';
import { DateField } from '../../components/DateField';
import { ErrorNote } from '../../components/ErrorNote';
import type { UiKey } from '../../i18n';
import { useI18n } from '../../i18n';
import { describeVerification } from '../../lib/verification';
import { useRequestError } from '../../hooks/use-request-error';

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

const REFUSAL_KEYS: Record<string, UiKey> = {
  UNKNOWN_TERMINAL_KEY: 'export.refused.UNKNOWN_TERMINAL_KEY',
  RETIRED_TERMINAL_KEY: 'export.refused.RETIRED_TERMINAL_KEY',
  MERCHANT_MISMATCH: 'export.refused.MERCHANT_MISMATCH',
  VERIFICATION_FAILED: 'export.refused.VERIFICATION_FAILED',
  DAY_CONFLICT: 'export.refused.DAY_CONFLICT',
  BAD_EXPORT: 'export.refused.BAD_EXPORT',
  PAYLOAD_TOO_LARGE: 'export.refused.PAYLOAD_TOO_LARGE',
  DATABASE_UNAVAILABLE: 'export.refused.DATABASE_UNAVAILABLE',
};

const UNREACHABLE_KEYS: Record<string, UiKey> = {
  network: 'export.unreachable.network',
  timeout: 'export.unreachable.timeout',
  not_settlement: 'export.unreachable.not_settlement',
};

/** What the settlement service answered (or why it was not reached), in the interface language. */
function SendResult({ result }: { result: SettlementSendResult }) {
  const { t } = useI18n();
  const ok = result.outcome === 'stored' || result.outcome === 'already_held';
  const tone = ok ? 'ok' : result.outcome === 'refused' ? 'bad' : 'warn';
  const refusal = result.code ? REFUSAL_KEYS[result.code] : undefined;
  const unreachable = result.code ? UNREACHABLE_KEYS[result.code] : undefined;
  const revocations = result.revocations;
  return (
    <section className={`banner ${tone}`} data-testid="settlement-result" data-outcome={result.outcome} data-code={result.code ?? ''}>
      <strong data-testid="settlement-verdict">
        {t(`export.sent.${result.outcome}`, { date: result.businessDate, rows: result.rows ?? 0 })}
      </strong>
      {result.outcome === 'stored' && (result.findings ?? 0) > 0 && (
        <div data-testid="settlement-findings">{t('export.sentFindings', { n: result.findings ?? 0 })}</div>
      )}
      {result.outcome === 'refused' && (
        <div data-testid="settlement-reason">
          {refusal ? t(refusal) : t('export.refused.other', { message: result.message ?? '' })}{' '}
          <span className="field-help">{t('export.sentCode', { code: result.code ?? '' })}</span>
        </div>
      )}
      {result.outcome === 'unreachable' && unreachable && (
        <div data-testid="settlement-reason">{t(unreachable, { address: result.address })}</div>
      )}
      {result.message && result.outcome !== 'not_configured' && (
        <details>
          <summary className="field-help">{t('export.detail')}</summary>
          <code style={{ wordBreak: 'break-all', fontSize: 12 }}>{result.message}</code>
          {(result.problems ?? []).map((problem, i) => (
            <div key={i} data-testid="settlement-problem" data-code={problem.code}>
              <code style={{ wordBreak: 'break-all', fontSize: 12 }}>{problem.detail}</code>
            </div>
          ))}
        </details>
      )}
      {revocations.outcome !== 'none' && (
        <div data-testid="settlement-revocations" data-outcome={revocations.outcome}>
          {t(`export.revocations.${revocations.outcome}`, {
            serials: revocations.licenseSerials ?? 0,
            kids: revocations.authorityKids ?? 0,
          })}
        </div>
      )}
    </section>
  );
}

/** Export one business day; main asks for the folder in a native dialog and verifies the files. */
export function ExportTab() {
  const { t } = useI18n();
  const [date, setDate] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ExportResult | null>(null);
  const { error, setError, fail } = useRequestError();
  const [address, setAddress] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [sent, setSent] = useState<SettlementSendResult | null>(null);

  useEffect(() => {
    api()
      .getSettings()
      .then((s) => setAddress(s.settlementAddress))
      .catch(fail);
  }, [fail]);

  const send = () => {
    setSending(true);
    setError(null);
    setSent(null);
    api()
      .sendToSettlement(date ? { businessDate: date } : undefined)
      .then(setSent)
      .catch(fail)
      .finally(() => setSending(false));
  };

  const run = () => {
    setBusy(true);
    setError(null);
    setResult(null);
    api()
      .exportDay(date ? { businessDate: date } : undefined)
      .then(setResult)
      .catch(fail)
      .finally(() => setBusy(false));
  };

  return (
    <div className="center-col" data-testid="export-tab">
      <p>{t('export.help')}</p>
      <div className="row">
        <label>
          {t('export.date')} <DateField testId="export-date" value={date} onChange={setDate} />
        </label>
        <span className="field-help">{t('export.dateHelp')}</span>
        <span className="grow" />
        <button type="button" className="primary" data-testid="export-button" disabled={busy} onClick={run}>
          {busy ? t('export.running') : t('export.run')}
        </button>
      </div>
      <div className="row" data-testid="settlement-send">
        <button type="button" data-testid="settlement-send-button" disabled={sending || busy || !address} onClick={send}>
          {sending ? t('export.sending') : t('export.send')}
        </button>
        <span className="field-help" data-testid="settlement-address-note">
          {address ? t('export.sendHelp', { address }) : address === '' ? t('export.sendNoAddress') : ''}
        </span>
      </div>
      {sent && <SendResult result={sent} />}
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
