// What every screen needs to know about the terminal: the app state from main (setup done,
// demo, language, country profile) and money formatting in the profile's locale.
import { createContext, useContext } from 'react';
import type { AppState } from '../src-main/ipc/contract';
import type { MoneyFormat } from './lib/money';
import { formatMoney } from './lib/money';

export interface AppContextValue {
  app: AppState;
  /** Formats minor units in the terminal's currency (or `currency` with its default digits). */
  money: (minor: number, currency?: string) => string;
  moneyFormat: MoneyFormat;
}

export function moneyFormatOf(app: AppState): MoneyFormat {
  const country = app.country;
  return country
    ? { locale: country.locale, currency: country.currency, minorUnits: country.minorUnits }
    : { locale: app.language, currency: 'USD', minorUnits: 2 };
}

export function appContextValue(app: AppState): AppContextValue {
  const moneyFormat = moneyFormatOf(app);
  return {
    app,
    moneyFormat,
    money: (minor, currency) => {
      if (!currency || currency === moneyFormat.currency) return formatMoney(minor, moneyFormat);
      const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
      return formatMoney(minor, { locale: moneyFormat.locale, currency, minorUnits: digits });
    },
  };
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp outside AppContext');
  return value;
}
