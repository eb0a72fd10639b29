// Shown above the checkout and the manager area, for as long as the terminal runs, once main's
// check after the start found the ledger file damaged (AppState.ledgerDamaged). Main refuses
// every payment, void, refund and close from then on (refusal 'ledger_damaged'); this says why
// and what to do, so the cashier neither retries nor takes money some other way unrecorded.
import { useI18n } from '../i18n';

/** What support types on the terminal: a command, the same in every language. */
const CHECK_COMMAND = 'npm run cli -- ledger check';

export function LedgerDamageBanner({ file }: { file: string }) {
  const { t } = useI18n();
  return (
    <div className="banner bad ledger-damage" role="alert" data-testid="ledger-damaged" data-file={file}>
      <div className="ledger-damage-title">{t('ledgerDamaged.title')}</div>
      <div>{t('ledgerDamaged.text', { file })}</div>
      <div>
        {t('ledgerDamaged.action')} <code>{CHECK_COMMAND}</code> {t('ledgerDamaged.restore')}
      </div>
    </div>
  );
}
