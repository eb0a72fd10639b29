// Country profiles: how money, dates and the business day look in the store's country.
// resources/countries.json is bundled with the main process and parsed once at load, so a
// broken profile fails the build's tests and the app's start, never a payment.
import { CodedError } from '../domain/coded-error';
import { z } from 'zod';
import countriesFile from '../../resources/countries.json';
import { LANGUAGES, type Language } from '../ipc/constants';

export type { Language };
export const LanguageSchema = z.enum(LANGUAGES);

export const CountryCodeSchema = z.string().regex(/^[A-Z]{2}$/, 'country code must be ISO 3166-1 alpha-2');
export const CurrencyCodeSchema = z.string().regex(/^[A-Z]{3}$/, 'currency must be an ISO 4217 alpha code');

function isLocale(value: string): boolean {
  try {
    return Intl.getCanonicalLocales(value)[0] === value;
  } catch {
    return false;
  }
}

export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** ISO 4217 minor units of a currency as ICU knows them, or undefined for an unknown code. */
export function currencyDigits(currency: string): number | undefined {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits;
  } catch {
    return undefined;
  }
}

export const TimeZoneSchema = z.string().refine(isTimeZone, 'unknown IANA time zone');
export const CutoffHourSchema = z.number().int().min(0).max(23);
export const MinorUnitsSchema = z.number().int().min(0).max(4);

export const CountryProfileSchema = z
  .object({
    code: CountryCodeSchema,
    name: z.string().min(1),
    currency: CurrencyCodeSchema,
    minorUnits: MinorUnitsSchema,
    locale: z.string().refine(isLocale, 'locale must be a canonical BCP 47 tag'),
    timeZone: TimeZoneSchema,
    /** Hour (0-23, local time) at which the business day starts; sales before it belong to the day before. */
    cutoffHour: CutoffHourSchema,
    /** Interface language offered by default in this country. */
    language: LanguageSchema,
  })
  .strict()
  .refine((p) => currencyDigits(p.currency) === p.minorUnits, {
    message: 'minorUnits disagree with the currency (ISO 4217)',
  });
export type CountryProfile = z.infer<typeof CountryProfileSchema>;

export const CountriesFileSchema = z
  .object({ version: z.literal(1), countries: z.array(CountryProfileSchema).min(1) })
  .strict()
  .refine((f) => new Set(f.countries.map((c) => c.code)).size === f.countries.length, {
    message: 'duplicate country code',
  });

export class CountriesError extends CodedError<'COUNTRIES_INVALID'> {
  override readonly name = 'CountriesError';
  constructor(message: string) {
    super('COUNTRIES_INVALID', message);
  }
}

/** Parses a countries document (the shape of resources/countries.json). */
export function parseCountries(document: unknown): readonly CountryProfile[] {
  const parsed = CountriesFileSchema.safeParse(document);
  if (!parsed.success) throw new CountriesError(`countries.json is invalid: ${z.prettifyError(parsed.error)}`);
  return Object.freeze(parsed.data.countries.map((c) => Object.freeze(c)));
}

const bundled = parseCountries(countriesFile);

/** Every bundled profile, in file order. */
export function listCountries(): readonly CountryProfile[] {
  return bundled;
}

export function findCountry(code: string): CountryProfile | undefined {
  return bundled.find((c) => c.code === code);
}

export function getCountry(code: string): CountryProfile {
  const profile = findCountry(code);
  if (!profile) throw new CountriesError(`unknown country profile: ${code}`);
  return profile;
}
