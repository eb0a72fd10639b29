// Typed translation lookup. Keys are the keys of the English catalog, so a key that does not
// exist is a type error; tests/unit/renderer/i18n.test.ts checks that zh-CN has exactly the
// same keys and placeholders, and that every reason code has a message in both languages.
import { createContext, useContext } from 'react';
import type { ReactNode } from 'react';
import en from '../resources/i18n/en/ui.json';
import zhCN from '../resources/i18n/zh-CN/ui.json';
import { LANGUAGES, type Language } from '../src-main/ipc/constants';
import { interpolate } from './lib/interpolate';
import type { Vars } from './lib/interpolate';

export type UiKey = keyof typeof en;
export type { Language };
export const LANGUAGE_LIST: readonly Language[] = LANGUAGES;

const catalogs: Record<Language, Record<UiKey, string>> = { en, 'zh-CN': zhCN };

interface ReasonText {
  message: string;
  action: string;
}

// The reason catalogs belong to the protocol side; loaded by pattern so the two files can be
// edited on their own.
const reasonFiles = import.meta.glob<Record<string, ReasonText>>('../resources/i18n/*/reasons.json', {
  eager: true,
  import: 'default',
});

function reasonCatalog(language: Language): Record<string, ReasonText> {
  return reasonFiles[`../resources/i18n/${language}/reasons.json`] ?? {};
}

export interface Translator {
  language: Language;
  t: (key: UiKey, vars?: Vars) => string;
  /** Cashier message and action of a decline reason code; falls back to English, then the code. */
  reason: (code: string) => ReasonText;
}

export function isLanguage(value: unknown): value is Language {
  return LANGUAGE_LIST.some((language) => language === value);
}

export function translator(language: Language): Translator {
  const catalog = catalogs[language];
  return {
    language,
    t: (key, vars) => interpolate(catalog[key] ?? catalogs.en[key] ?? key, vars, language),
    reason: (code) => reasonCatalog(language)[code] ?? reasonCatalog('en')[code] ?? { message: code, action: '' },
  };
}

const I18nContext = createContext<Translator>(translator('en'));

export function I18nProvider({ language, children }: { language: Language; children: ReactNode }) {
  return <I18nContext.Provider value={translator(language)}>{children}</I18nContext.Provider>;
}

export function useI18n(): Translator {
  return useContext(I18nContext);
}
