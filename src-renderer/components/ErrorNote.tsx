import type { UiError } from '../api';
import type { UiKey } from '../i18n';
import { useI18n } from '../i18n';
import { refusalText } from '../lib/refusal';

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

/**
 * A failed request, with its real reason on screen: a refusal main explained with its reason
 * code is said in the interface language (lib/refusal.ts); anything else shows main's own words under the
 * translated meaning of its code. Main's exact line stays folded below for support.
 */
export function ErrorNote({ error, testId = 'error' }: { error: UiError | null; testId?: string }) {
  const { t } = useI18n();
  if (!error) return null;
  const key = (KNOWN.has(error.code) ? `error.${error.code}` : 'error.unknown') as UiKey;
  const refusal = refusalText(error.refusal);
  return (
    <div className="banner bad" role="alert" data-testid={testId} data-code={error.code} data-refusal={refusal?.key}>
      {refusal ? (
        <div data-testid={`${testId}-reason`}>{t(refusal.key, refusal.vars)}</div>
      ) : (
        <>
          <div>{t(key)}</div>
          {error.detail && <div data-testid={`${testId}-reason`}>{t('error.said', { why: error.detail })}</div>}
        </>
      )}
      {refusal && (
        <details>
          <summary>{t('error.detail')}</summary>
          <code>{error.detail}</code>
        </details>
      )}
    </div>
  );
}
