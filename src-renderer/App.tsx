// Loads the app state from main, then shows the first-run wizard, the checkout or the manager
// area. Language, demo mode and the country profile follow main's appState events.
import { useEffect, useMemo, useState } from 'react';
import type { AppState } from '../src-main/ipc/contract';
import type { ReaderStatus } from '../src-main/domain/payment';
import type { UiError } from './api';
import { api, hasCashierApi } from './api';
import { ErrorNote } from './components/ErrorNote';
import { ReaderStatusPill } from './components/ReaderStatusPill';
import { AppContext, appContextValue } from './context';
import type { Language } from './i18n';
import { I18nProvider, LANGUAGE_LIST, isLanguage, translator, useI18n } from './i18n';
import { Checkout } from './screens/Checkout';
import { Manager } from './screens/Manager';
import { Wizard } from './screens/Wizard';
import { Kbd } from './components/Kbd';
import { LedgerDamageBanner } from './components/LedgerDamageBanner';
import { useRequestError } from './hooks/use-request-error';

type View = 'checkout' | 'manager';

function LanguageSwitch({ onApp }: { onApp: (app: AppState) => void }) {
  const { t, language } = useI18n();
  const change = (next: Language) => {
    // Main saves the choice; the screen follows main's answer (and its appState event).
    api()
      .setLanguage({ language: next })
      .then(onApp)
      .catch(() => undefined);
  };
  return (
    <select
      className="language-switch"
      data-testid="language-switch"
      aria-label={t('settings.language')}
      value={language}
      onChange={(e) => {
        change(e.target.value as Language);
        // Hand the keyboard back to the screen (the amount field listens on the window).
        e.target.blur();
      }}
    >
      {LANGUAGE_LIST.map((lang) => (
        <option key={lang} value={lang}>
          {t(`language.${lang}`)}
        </option>
      ))}
    </select>
  );
}

function TopBar({
  app,
  reader,
  view,
  onToggle,
  onApp,
}: {
  app: AppState;
  reader: ReaderStatus | null;
  view: View;
  onToggle: () => void;
  onApp: (app: AppState) => void;
}) {
  const { t } = useI18n();
  return (
    <header className="topbar" data-testid="topbar">
      <span className="merchant" data-testid="merchant-name">
        {app.merchantName ?? t('app.name')}
      </span>
      {app.terminalId && (
        <span className="terminal" data-testid="terminal-id">
          {t('app.terminal', { id: app.terminalId })}
        </span>
      )}
      {/* Only once demo mode is chosen: during the first run nothing is decided yet. */}
      {app.demo && app.setupComplete && (
        <span className="demo-badge" data-testid="demo-badge" title={t('app.demoHelp')}>
          {t('app.demo')}
        </span>
      )}
      <span className="spacer" />
      <ReaderStatusPill status={reader} />
      <LanguageSwitch onApp={onApp} />
      {app.setupComplete && (
        <button
          type="button"
          data-testid={view === 'checkout' ? 'open-manager' : 'exit-manager'}
          onMouseDown={(e) => e.preventDefault()}
          onClick={onToggle}
        >
          {view === 'checkout' ? t('app.manager') : t('app.backToCheckout')}
          <Kbd k="f9" />
        </button>
      )}
    </header>
  );
}

function Fatal({ error }: { error: UiError | null }) {
  const { t } = useI18n();
  return (
    <div className="fatal panel" data-testid="fatal-screen">
      <h1>{t('app.noBridgeTitle')}</h1>
      <p>{error ? t('app.loadFailed') : t('app.noBridge')}</p>
      <ErrorNote error={error} testId="fatal-error" />
    </div>
  );
}

export function App() {
  const bridged = hasCashierApi();
  const [app, setApp] = useState<AppState | null>(null);
  const [reader, setReader] = useState<ReaderStatus | null>(null);
  const { error, fail } = useRequestError();
  const [view, setView] = useState<View>('checkout');

  useEffect(() => {
    if (!bridged) return;
    const cashier = api();
    cashier.appState().then(setApp).catch(fail);
    cashier
      .readerStatus()
      .then((status) => setReader((prev) => prev ?? status))
      .catch(() => undefined);
    const offApp = cashier.onAppState(setApp);
    const offReader = cashier.onReaderStatus(setReader);
    return () => {
      offApp();
      offReader();
    };
  }, [bridged, fail]);

  const language = app && isLanguage(app.language) ? app.language : 'en';
  const context = useMemo(() => (app ? appContextValue(app) : null), [app]);

  const merchantName = app?.merchantName;
  useEffect(() => {
    document.documentElement.lang = language;
    const appName = translator(language).t('app.name');
    document.title = merchantName ? `${merchantName} · ${appName}` : appName;
  }, [language, merchantName]);

  if (!bridged || (!app && error)) {
    return (
      <I18nProvider language="en">
        <Fatal error={error} />
      </I18nProvider>
    );
  }
  if (!app || !context) {
    return <div className="app" data-testid="loading" aria-busy="true" />;
  }

  return (
    <I18nProvider language={language}>
      <AppContext.Provider value={context}>
        <div className="app" data-testid="app" data-demo={app.demo} data-language={language}>
          <TopBar
            app={app}
            reader={reader}
            view={view}
            onApp={setApp}
            onToggle={() => setView(view === 'checkout' ? 'manager' : 'checkout')}
          />
          {app.setupComplete && app.ledgerDamaged !== undefined && <LedgerDamageBanner file={app.ledgerDamaged} />}
          {!app.setupComplete ? (
            <Wizard onApp={setApp} />
          ) : view === 'checkout' ? (
            <Checkout onManager={() => setView('manager')} />
          ) : (
            <Manager onExit={() => setView('checkout')} />
          )}
        </div>
      </AppContext.Provider>
    </I18nProvider>
  );
}
