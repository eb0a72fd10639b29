import { useState } from 'react';
import type { TrustKeyPreview } from '../../src-main/ipc/contract';
import { api } from '../api';
import { useApp } from '../context';
import { useI18n } from '../i18n';
import { formatDateTime } from '../lib/time';
import { ErrorNote } from './ErrorNote';
import { useRequestError } from '../hooks/use-request-error';

/**
 * Reads an authority key (pasted, or chosen in main's file dialog) and shows its fingerprint;
 * the manager compares it with the one the credit authority gave them before accepting it.
 */
export function TrustKeyImport({ onAccept, acceptLabel }: { onAccept: (preview: TrustKeyPreview) => void; acceptLabel: string }) {
  const { app } = useApp();
  const { t, language } = useI18n();
  const [text, setText] = useState('');
  const [preview, setPreview] = useState<TrustKeyPreview | null>(null);
  const { error, setError, fail } = useRequestError();

  const read = (fromText: boolean) => {
    setError(null);
    setPreview(null);
    api()
      .previewTrustKey(fromText ? { text } : undefined)
      .then((result) => {
        if (!result.cancelled) setPreview(result.preview);
      })
      .catch(fail);
  };

  const tz = app.country?.timeZone;
  return (
    <div className="center-col" style={{ maxWidth: 'none' }} data-testid="trust-import">
      <label htmlFor="trust-text">{t('trust.pasteLabel')}</label>
      <textarea
        id="trust-text"
        data-testid="trust-text"
        rows={5}
        value={text}
        onChange={(e) => setText(e.target.value)}
        spellCheck={false}
      />
      <div className="row">
        <button type="button" data-testid="trust-preview-text" disabled={!text.trim()} onClick={() => read(true)}>
          {t('trust.readPasted')}
        </button>
        <button type="button" data-testid="trust-preview-file" onClick={() => read(false)}>
          {t('trust.chooseFile')}
        </button>
      </div>
      <ErrorNote error={error} testId="trust-import-error" />
      {preview && (
        <section className="panel center-col" style={{ maxWidth: 'none' }} data-testid="trust-preview" data-kid={preview.kid}>
          <h2>{t('trust.checkTitle')}</h2>
          <p>{t('trust.checkHelp')}</p>
          <div className="fingerprint" data-testid="trust-preview-fingerprint">
            {preview.fingerprint}
          </div>
          <dl className="form">
            <dt>{t('trust.kid')}</dt>
            <dd className="mono">{preview.kid}</dd>
            <dt>{t('trust.algorithm')}</dt>
            <dd>{preview.algorithm}</dd>
            {preview.label && (
              <>
                <dt>{t('trust.label')}</dt>
                <dd>{preview.label}</dd>
              </>
            )}
            <dt>{t('trust.validity')}</dt>
            <dd>
              {preview.notBefore !== undefined ? formatDateTime(preview.notBefore, language, tz) : '—'} →{' '}
              {preview.notAfter !== undefined ? formatDateTime(preview.notAfter, language, tz) : '—'}
            </dd>
          </dl>
          {preview.alreadyPresent && (
            <div className="banner warn" data-testid="trust-already-present">
              {t('trust.alreadyPresent')}
            </div>
          )}
          <div className="row">
            <button type="button" onClick={() => setPreview(null)} data-testid="trust-discard">
              {t('trust.discard')}
            </button>
            <button
              type="button"
              className="primary"
              data-testid="trust-confirm"
              onClick={() => {
                onAccept(preview);
                setPreview(null);
                setText('');
              }}
            >
              {acceptLabel}
            </button>
          </div>
        </section>
      )}
    </div>
  );
}
