import { useCallback, useEffect, useState } from 'react';
import type { RevocationImportResult, TrustKey, TrustKeyPreview } from '../../../src-main/ipc/contract';
import { api } from '../../api';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorNote } from '../../components/ErrorNote';
import { TrustKeyImport } from '../../components/TrustKeyImport';
import { useApp } from '../../context';
import { useI18n } from '../../i18n';
import { formatDateTime } from '../../lib/time';
import { useRequestError } from '../../hooks/use-request-error';

/** Main's verdict on the key (retired, revoked by a list, outside its dates, active), never worked out here. */
function TrustState({ trustKey, when }: { trustKey: TrustKey; when: (ms: number | undefined) => string }) {
  const { t } = useI18n();
  switch (trustKey.status) {
    case 'retired':
      return (
        <span className="status-tag" data-status="voided" data-testid="trust-state">
          {t('trust.retiredAt', { time: when(trustKey.retiredAt) })}
        </span>
      );
    case 'revoked':
      return (
        <span className="status-tag" data-status="declined" data-testid="trust-state">
          ✖ {t('trust.revoked')}
        </span>
      );
    case 'expired':
      return (
        <span className="status-tag" data-status="declined" data-testid="trust-state">
          ✖ {t('trust.expired')}
        </span>
      );
    case 'not-yet-valid':
      return (
        <span className="status-tag" data-status="cancelled" data-testid="trust-state">
          {t('trust.notYetValid')}
        </span>
      );
    case 'active':
      return (
        <span className="status-tag" data-status="approved" data-testid="trust-state">
          ✔ {t('trust.active')}
        </span>
      );
  }
}

export function TrustTab() {
  const { app } = useApp();
  const { t, language } = useI18n();
  const [keys, setKeys] = useState<TrustKey[]>([]);
  const { error, setError, fail } = useRequestError();
  const [added, setAdded] = useState<TrustKey | null>(null);
  const [retiring, setRetiring] = useState<TrustKey | null>(null);
  const [crlText, setCrlText] = useState('');
  const [crl, setCrl] = useState<RevocationImportResult | null>(null);
  const tz = app.country?.timeZone;
  const when = (ms: number | undefined) => (ms === undefined ? '—' : formatDateTime(ms, language, tz));

  const load = useCallback(() => {
    api().listTrustKeys().then(setKeys).catch(fail);
  }, [fail]);
  useEffect(load, [load]);

  const accept = (preview: TrustKeyPreview) => {
    setError(null);
    api()
      .confirmTrustKey({ token: preview.token })
      .then((key) => {
        setAdded(key);
        load();
      })
      .catch(fail);
  };

  const retire = () => {
    if (!retiring) return;
    api()
      .retireTrustKey({ kid: retiring.kid })
      .then(load)
      .catch(fail)
      .finally(() => setRetiring(null));
  };

  const importCrl = (fromText: boolean) => {
    setError(null);
    setCrl(null);
    api()
      .importRevocationList(fromText ? { text: crlText } : undefined)
      .then((result) => {
        setCrl(result);
        // A list can revoke an authority key: the table shows it at once.
        load();
      })
      .catch(fail);
  };

  return (
    <div className="center-col" style={{ maxWidth: 1100 }} data-testid="trust-tab">
      <h2>{t('trust.keysTitle')}</h2>
      <table className="data" data-testid="trust-keys">
        <thead>
          <tr>
            <th>{t('trust.kid')}</th>
            <th>{t('trust.fingerprint')}</th>
            <th>{t('trust.algorithm')}</th>
            <th>{t('trust.validity')}</th>
            <th>{t('trust.added')}</th>
            <th>{t('trust.state')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {keys.length === 0 && (
            <tr>
              <td colSpan={7}>{t('trust.none')}</td>
            </tr>
          )}
          {keys.map((key) => (
            <tr
              key={key.kid}
              data-testid="trust-row"
              data-kid={key.kid}
              data-retired={key.retiredAt !== undefined}
              data-status={key.status}
            >
              <td className="mono">
                {key.kid}
                {key.label && <div className="field-help">{key.label}</div>}
              </td>
              <td className="mono" style={{ maxWidth: 260, wordBreak: 'break-all' }}>
                {key.fingerprint}
              </td>
              <td>{key.algorithm}</td>
              <td>
                {when(key.notBefore)} → {when(key.notAfter)}
              </td>
              <td>{when(key.addedAt)}</td>
              <td>
                <TrustState trustKey={key} when={when} />
                {key.demo && (
                  <span className="demo-badge" style={{ marginLeft: 6, fontSize: 11, padding: '0 4px' }}>
                    {t('app.demo')}
                  </span>
                )}
              </td>
              <td>
                {key.retiredAt === undefined && (
                  <button type="button" data-testid="trust-retire" onClick={() => setRetiring(key)}>
                    {t('trust.retire')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ErrorNote error={error} testId="trust-error" />
      {added && (
        <div className="banner ok" data-testid="trust-added">
          {t('trust.addedKey', { kid: added.kid })}
        </div>
      )}

      <section className="panel center-col" style={{ maxWidth: 'none' }}>
        <h2>{t('trust.importTitle')}</h2>
        <TrustKeyImport onAccept={accept} acceptLabel={t('trust.confirmAdd')} />
      </section>

      <section className="panel center-col" style={{ maxWidth: 'none' }} data-testid="revocation">
        <h2>{t('trust.crlTitle')}</h2>
        <p className="field-help">{t('trust.crlHelp')}</p>
        <textarea
          data-testid="crl-text"
          rows={4}
          value={crlText}
          onChange={(e) => setCrlText(e.target.value)}
          spellCheck={false}
          aria-label={t('trust.crlPaste')}
        />
        <div className="row">
          <button type="button" data-testid="crl-import-text" disabled={!crlText.trim()} onClick={() => importCrl(true)}>
            {t('trust.crlImportPasted')}
          </button>
          <button type="button" data-testid="crl-import-file" onClick={() => importCrl(false)}>
            {t('trust.chooseFile')}
          </button>
        </div>
        {crl && !crl.cancelled && (
          <div className="banner ok" data-testid="crl-result">
            {t('trust.crlImported', { serials: crl.licenseSerials, kids: crl.authorityKids })}
            {crl.issuedAt !== undefined && ` · ${t('trust.crlIssued', { time: when(crl.issuedAt) })}`}
          </div>
        )}
      </section>

      {retiring && (
        <ConfirmDialog
          title={t('trust.retireTitle')}
          confirmLabel={t('trust.retire')}
          danger
          onConfirm={retire}
          onCancel={() => setRetiring(null)}
          testId="retire"
        >
          <p>{t('trust.retireQuestion', { kid: retiring.kid })}</p>
          <div className="fingerprint">{retiring.fingerprint}</div>
        </ConfirmDialog>
      )}
    </div>
  );
}
