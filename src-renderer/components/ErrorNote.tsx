import type { UiError } from '../api';
import type { UiKey } from '../i18n';
import { useI18n } from '../i18n';

const KNOWN: ReadonlySet<string> = new Set([
  'invalid_argument',
  'manager_session_required',
  'setup_required',
  'setup_done',
  'not_available',
  'payment_in_progress',
  'not_found',
  'conflict',
  'rejected',
  'internal',
]);

/** A failed request: the translated meaning of its code, and main's detail for the manager. */
export function ErrorNote({ error, testId = 'error' }: { error: UiError | null; testId?: string }) {
  const { t } = useI18n();
  if (!error) return null;
  const key = (KNOWN.has(error.code) ? `error.${error.code}` : 'error.unknown') as UiKey;
  return (
    <div className="banner bad" role="alert" data-testid={testId} data-code={error.code}>
      <div>{t(key)}</div>
      {error.detail && (
        <details>
          <summary>{t('error.detail')}</summary>
          <code>{error.detail}</code>
        </details>
      )}
    </div>
  );
}
