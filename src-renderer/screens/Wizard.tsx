// First run: country profile, merchant, terminal, manager PIN (twice), first trust-store key
// (or the demo authority in demo mode). Nothing is saved until the last step.
import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import type { AppState, CountryProfile, TrustKeyPreview } from '../../src-main/ipc/contract';
import { api } from '../api';
import { CountrySelect, countryName } from '../components/CountrySelect';
import { ErrorNote } from '../components/ErrorNote';
import { TrustKeyImport } from '../components/TrustKeyImport';
import { useApp } from '../context';
import type { Language, UiKey } from '../i18n';
import { LANGUAGE_LIST, useI18n } from '../i18n';
import { formatMoney } from '../lib/money';
import { checkMerchantId, checkMerchantName, checkPinPair, checkTerminalId } from '../lib/validate';
import { useRequestError } from '../hooks/use-request-error';

const STEPS = ['country', 'merchant', 'pin', 'trust', 'review'] as const;
type Step = (typeof STEPS)[number];
/** The field each of the wizard's own checks is about (aria-invalid, aria-describedby). */
const PROBLEM_FIELD: Partial<Record<UiKey, string>> = {
  'validate.country': 'wiz-country',
  'validate.merchantId': 'wiz-merchant-id',
  'validate.merchantName': 'wiz-merchant-name',
  'validate.terminalId': 'wiz-terminal-id',
  'validate.pinFormat': 'wiz-pin',
  'validate.pinWeak.one-digit': 'wiz-pin',
  'validate.pinWeak.sequence': 'wiz-pin',
  'validate.pinWeak.repeated-pair': 'wiz-pin',
  'validate.pinMismatch': 'wiz-pin-again',
};
const PROBLEM_ID = 'wizard-problem';

const STEP_LABELS: Record<Step, UiKey> = {
  country: 'wizard.step.country',
  merchant: 'wizard.step.merchant',
  pin: 'wizard.step.pin',
  trust: 'wizard.step.trust',
  review: 'wizard.step.review',
};

type TrustChoice = { kind: 'key'; preview: TrustKeyPreview } | { kind: 'demo' } | null;

/** The country of the system's locale (navigator.language, e.g. en-GB -> GB) when it has a profile. */
function systemCountry(list: CountryProfile[]): string | undefined {
  try {
    const region = new Intl.Locale(navigator.language).maximize().region;
    return list.find((c) => c.code === region)?.code;
  } catch {
    return undefined;
  }
}

/** Example ids offered in demo mode (the same as `npm start -- --demo`). */
const DEMO_IDS = { merchantId: 'DEMO-MERCHANT', merchantName: 'Demo Store', terminalId: 'DEMO-01' };

/** `onApp` receives main's new app state: after a language change and when setup completes. */
export function Wizard({ onApp }: { onApp: (app: AppState) => void }) {
  const { app } = useApp();
  const { t, language } = useI18n();
  const [step, setStep] = useState<Step>('country');
  const [countries, setCountries] = useState<CountryProfile[]>([]);
  const [countryCode, setCountryCode] = useState('');
  const [merchantId, setMerchantId] = useState('');
  const [merchantName, setMerchantName] = useState('');
  const [terminalId, setTerminalId] = useState('');
  const [pin, setPin] = useState('');
  const [pinAgain, setPinAgain] = useState('');
  const [trust, setTrust] = useState<TrustChoice>(null);
  const [problem, setProblem] = useState<UiKey | null>(null);
  const { error, setError, fail } = useRequestError();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api()
      .listCountries()
      .then((list) => {
        setCountries(list);
        setCountryCode((code) => code || (systemCountry(list) ?? list[0]?.code ?? ''));
      })
      .catch(fail);
  }, [fail]);

  const setLanguage = (next: Language) => {
    api().setLanguage({ language: next }).then(onApp).catch(fail);
  };

  const country = countries.find((c) => c.code === countryCode);
  const index = STEPS.indexOf(step);

  // Each step starts on its first control (never the page body), a field with a problem on itself.
  const stepRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    stepRef.current?.querySelector<HTMLElement>('input, select, textarea, button')?.focus();
  }, [step]);
  const problemField = problem ? PROBLEM_FIELD[problem] : undefined;
  const invalid = (id: string) => (problemField === id ? { 'aria-invalid': true, 'aria-describedby': PROBLEM_ID } : {});

  const check = (): UiKey | null => {
    switch (step) {
      case 'country':
        return country ? null : 'validate.country';
      case 'merchant':
        return checkMerchantId(merchantId) ?? checkMerchantName(merchantName) ?? checkTerminalId(terminalId);
      case 'pin':
        return checkPinPair(pin, pinAgain);
      case 'trust':
        return trust ? null : 'validate.trust';
      case 'review':
        return null;
    }
  };

  const finish = () => {
    if (!trust) return;
    setBusy(true);
    setError(null);
    api()
      .completeSetup({
        country: countryCode,
        merchantId: merchantId.trim(),
        merchantName: merchantName.trim(),
        terminalId: terminalId.trim(),
        pin,
        language,
        trustKey: trust.kind === 'demo' ? 'demo' : { token: trust.preview.token },
      })
      .then(onApp)
      .catch(fail)
      .finally(() => setBusy(false));
  };

  const next = (event: FormEvent) => {
    event.preventDefault();
    const found = check();
    setProblem(found);
    setError(null);
    if (found) {
      const field = PROBLEM_FIELD[found];
      if (field) document.getElementById(field)?.focus();
      return;
    }
    if (step === 'review') finish();
    else setStep(STEPS[index + 1] ?? 'review');
  };

  const back = () => {
    setProblem(null);
    setStep(STEPS[index - 1] ?? 'country');
  };

  return (
    <div className="page" data-testid="wizard" data-step={step}>
      <form className="center-col panel" onSubmit={next}>
        <h1>{t('wizard.title')}</h1>
        <ol className="steps" aria-label={t('wizard.progress')}>
          {STEPS.map((s, i) => (
            <li key={s} aria-current={s === step ? 'step' : undefined}>
              {i + 1}. {t(STEP_LABELS[s])}
            </li>
          ))}
        </ol>
        <div ref={stepRef} className="wizard-step">
          {step === 'country' && (
            <div className="form">
              <label htmlFor="wiz-language">{t('settings.language')}</label>
              <select
                id="wiz-language"
                data-testid="wizard-language"
                value={language}
                onChange={(e) => setLanguage(e.target.value as Language)}
              >
                {LANGUAGE_LIST.map((lang) => (
                  <option key={lang} value={lang}>
                    {t(`language.${lang}`)}
                  </option>
                ))}
              </select>
              <label htmlFor="wiz-country">{t('field.country')}</label>
              <CountrySelect id="wiz-country" testId="wizard-country" countries={countries} value={countryCode} onChange={setCountryCode} />
              {country && (
                <p className="full field-help" data-testid="wizard-country-sample">
                  {t('wizard.countrySample', {
                    amount: formatMoney(123456 * 10 ** Math.max(0, country.minorUnits - 2), country),
                    zone: country.timeZone,
                    hour: country.cutoffHour,
                  })}
                </p>
              )}
            </div>
          )}

          {step === 'merchant' && (
            <div className="form">
              <label htmlFor="wiz-merchant-id">{t('field.merchantId')}</label>
              <input
                id="wiz-merchant-id"
                data-testid="wizard-merchant-id"
                value={merchantId}
                onChange={(e) => setMerchantId(e.target.value)}
                {...invalid('wiz-merchant-id')}
              />
              <label htmlFor="wiz-merchant-name">{t('field.merchantName')}</label>
              <input
                id="wiz-merchant-name"
                data-testid="wizard-merchant-name"
                value={merchantName}
                onChange={(e) => setMerchantName(e.target.value)}
                {...invalid('wiz-merchant-name')}
              />
              <label htmlFor="wiz-terminal-id">{t('field.terminalId')}</label>
              <input
                id="wiz-terminal-id"
                data-testid="wizard-terminal-id"
                value={terminalId}
                onChange={(e) => setTerminalId(e.target.value)}
                {...invalid('wiz-terminal-id')}
              />
              <p className="full field-help">{t('wizard.idsHelp')}</p>
              {app.demo && (
                <div className="full row">
                  <button
                    type="button"
                    data-testid="wizard-demo-ids"
                    onClick={() => {
                      setMerchantId(DEMO_IDS.merchantId);
                      setMerchantName(DEMO_IDS.merchantName);
                      setTerminalId(DEMO_IDS.terminalId);
                    }}
                  >
                    {t('wizard.demoIds')}
                  </button>
                  <span className="field-help grow">{t('wizard.demoIdsHelp')}</span>
                </div>
              )}
            </div>
          )}

          {step === 'pin' && (
            <div className="form">
              <p className="full">{t('wizard.pinHelp')}</p>
              <label htmlFor="wiz-pin">{t('wizard.pin')}</label>
              <input
                id="wiz-pin"
                data-testid="wizard-pin"
                type="password"
                inputMode="numeric"
                autoComplete="off"
                value={pin}
                onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))}
                {...invalid('wiz-pin')}
              />
              <label htmlFor="wiz-pin-again">{t('wizard.pinAgain')}</label>
              <input
                id="wiz-pin-again"
                data-testid="wizard-pin-confirm"
                type="password"
                inputMode="numeric"
                autoComplete="off"
                value={pinAgain}
                onChange={(e) => setPinAgain(e.target.value.replace(/\D/g, ''))}
                {...invalid('wiz-pin-again')}
              />
            </div>
          )}

          {step === 'trust' && (
            <div className="center-col" style={{ maxWidth: 'none' }}>
              <p>{t('wizard.trustHelp')}</p>
              {trust && (
                <div className="banner ok" data-testid="wizard-trust-chosen">
                  {trust.kind === 'demo'
                    ? t('wizard.trustDemoChosen')
                    : t('wizard.trustKeyChosen', { kid: trust.preview.kid, fingerprint: trust.preview.fingerprint })}
                </div>
              )}
              {app.demo && (
                <button type="button" data-testid="wizard-trust-demo" onClick={() => setTrust({ kind: 'demo' })}>
                  {t('wizard.useDemoAuthority')}
                </button>
              )}
              <TrustKeyImport onAccept={(preview) => setTrust({ kind: 'key', preview })} acceptLabel={t('wizard.trustAccept')} />
            </div>
          )}

          {step === 'review' && (
            <dl className="form" data-testid="wizard-review">
              <dt>{t('field.country')}</dt>
              <dd>
                {countryName(countryCode, language)} · {country?.currency}
              </dd>
              <dt>{t('field.merchantId')}</dt>
              <dd>{merchantId}</dd>
              <dt>{t('field.merchantName')}</dt>
              <dd>{merchantName}</dd>
              <dt>{t('field.terminalId')}</dt>
              <dd>{terminalId}</dd>
              <dt>{t('wizard.step.trust')}</dt>
              <dd>{trust?.kind === 'demo' ? t('wizard.trustDemoChosen') : trust ? trust.preview.kid : ''}</dd>
            </dl>
          )}
        </div>
        {problem ? (
          <div className="error-text" role="alert" id={PROBLEM_ID} data-testid="wizard-error" data-problem={problem}>
            {t(problem)}
          </div>
        ) : (
          <ErrorNote error={error} testId="wizard-error" />
        )}
        <div className="row">
          {index > 0 && (
            <button type="button" data-testid="wizard-back" onClick={back} disabled={busy}>
              {t('common.back')}
            </button>
          )}
          <span className="grow" />
          <button type="submit" className="primary" data-testid={step === 'review' ? 'wizard-finish' : 'wizard-next'} disabled={busy}>
            {step === 'review' ? t('wizard.finish') : t('common.next')}
          </button>
        </div>
      </form>
    </div>
  );
}
