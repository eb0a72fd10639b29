// Terminal settings in <dataDir>/settings.json. Parsed with one schema at load; written
// atomically on every change. A file that exists but cannot be read or parsed stops the
// terminal with a SettingsError naming the file: it is never silently replaced by defaults,
// because that would change the merchant, terminal or country of the next sale.
import { RefusingError } from './errors';
import { join } from 'node:path';
import { z } from 'zod';
import {
  CountryCodeSchema,
  CurrencyCodeSchema,
  CutoffHourSchema,
  currencyDigits,
  LanguageSchema,
  TimeZoneSchema,
  findCountry,
  getCountry,
  type CountryProfile,
} from './countries';
import { readTextIfExists, writeFileAtomic } from '../fs/atomic-file';
import type { Refusal } from '../ipc/constants';

export const SETTINGS_FILE = 'settings.json';

/** Merchant and terminal ids: printed on receipts, signed into payments, used in export file names. */
export const IdentifierSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/, 'use 1-32 letters, digits, ".", "_" or "-", starting with a letter or digit');
export const MerchantNameSchema = z.string().trim().min(1).max(64);

export const ReaderChoiceSchema = z
  .object({
    kind: z.enum(['auto', 'stub', 'pcsc']),
    /** PC/SC reader name; absent = pick the usable reader automatically. */
    name: z.string().min(1).max(200).optional(),
  })
  .strict();
export type ReaderChoice = z.infer<typeof ReaderChoiceSchema>;

export const PaperWidthSchema = z.union([z.literal(58), z.literal(80)]);
export const PrinterSettingsSchema = z
  .object({
    /** System printer name for silent printing; absent = show the system print dialog. */
    name: z.string().min(1).max(200).optional(),
    paperWidth: PaperWidthSchema,
  })
  .strict();

/** Store-specific exceptions to the country profile (a store in another time zone, a late close). */
export const ProfileOverridesSchema = z
  .object({
    currency: CurrencyCodeSchema.optional(),
    timeZone: TimeZoneSchema.optional(),
    cutoffHour: CutoffHourSchema.optional(),
  })
  .strict();
export type ProfileOverrides = z.infer<typeof ProfileOverridesSchema>;

export const WAIT_TIMEOUT_DEFAULT_MS = 60_000;
export const WaitTimeoutSchema = z.number().int().min(5_000).max(600_000);
export const StepTimeoutSchema = z.number().int().min(200).max(30_000);

/** Minor units of the store's currency a cashier may refund without the manager PIN (0: none). */
export const CashierRefundLimitSchema = z.number().int().min(0).max(1_000_000_000_000);
/**
 * Where "Send to settlement" uploads business days: an http(s) URL of the settlement service, or
 * '' when this terminal has none (it then works fully offline and settles by USB export only).
 */
export const SettlementAddressSchema = z
  .string()
  .trim()
  .max(200)
  .refine(
    (text) => text === '' || isHttpUrl(text),
    'use an http:// or https:// address, e.g. https://settlement.example:8443, or leave it empty',
  );

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (
      (url.protocol === 'http:' || url.protocol === 'https:') &&
      url.username === '' &&
      url.password === '' &&
      url.search === '' &&
      url.hash === ''
    );
  } catch {
    return false;
  }
}

const KnownCountrySchema = CountryCodeSchema.refine((code) => findCountry(code) !== undefined, 'unknown country profile');

export const SettingsSchema = z
  .object({
    version: z.literal(1),
    /** Empty only until the first-run wizard has completed. */
    merchantId: IdentifierSchema.or(z.literal('')),
    merchantName: MerchantNameSchema.or(z.literal('')),
    terminalId: IdentifierSchema.or(z.literal('')),
    country: KnownCountrySchema,
    overrides: ProfileOverridesSchema,
    language: LanguageSchema,
    reader: ReaderChoiceSchema,
    waitTimeoutMs: WaitTimeoutSchema,
    /** Bound on each APDU round trip during the exchange. */
    stepTimeoutMs: StepTimeoutSchema,
    printer: PrinterSettingsSchema,
    kiosk: z.boolean(),
    /** Settlement service address; '' = none. Absent in files written before it existed. */
    settlementAddress: SettlementAddressSchema.default(''),
    /** The terminal runs on the demo authority and the simulated phone; every payment is marked demo. */
    demo: z.boolean(),
    firstRunComplete: z.boolean(),
    /** Absent in files written before refunds existed: cashiers may then refund nothing. */
    cashierRefundLimit: CashierRefundLimitSchema.default(0),
    /**
     * The ledger and terminal key this terminal was set up with, kept from the first run on: a
     * different ledger file or key is refused at start, never taken over or regenerated.
     */
    ledgerId: z.string().min(1).max(64).optional(),
    terminalKeyId: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
  })
  .strict()
  .refine((s) => !s.firstRunComplete || (s.merchantId !== '' && s.merchantName !== '' && s.terminalId !== ''), {
    message: 'merchant id, merchant name and terminal id are required once the first run is complete',
  });
export type Settings = z.infer<typeof SettingsSchema>;

/** What the manager may change in settings (first-run fields and demo are set by firstRun). */
export const SettingsPatchSchema = z
  .object({
    merchantId: IdentifierSchema,
    merchantName: MerchantNameSchema,
    terminalId: IdentifierSchema,
    country: KnownCountrySchema,
    overrides: ProfileOverridesSchema,
    language: LanguageSchema,
    reader: ReaderChoiceSchema,
    waitTimeoutMs: WaitTimeoutSchema,
    stepTimeoutMs: StepTimeoutSchema,
    printer: PrinterSettingsSchema,
    kiosk: z.boolean(),
    cashierRefundLimit: CashierRefundLimitSchema,
    settlementAddress: SettlementAddressSchema,
  })
  .partial()
  .strict();
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

export function defaultSettings(): Settings {
  return {
    version: 1,
    merchantId: '',
    merchantName: '',
    terminalId: '',
    country: 'US',
    overrides: {},
    language: 'en',
    reader: { kind: 'auto' },
    waitTimeoutMs: WAIT_TIMEOUT_DEFAULT_MS,
    stepTimeoutMs: 2_000,
    printer: { paperWidth: 80 },
    kiosk: false,
    settlementAddress: '',
    demo: false,
    firstRunComplete: false,
    cashierRefundLimit: 0,
  };
}

/** Country profile with the store's overrides applied: what money and the business day use. */
export interface EffectiveProfile extends CountryProfile {
  /** True when a field differs from the bundled country profile. */
  overridden: boolean;
}

export function effectiveProfile(settings: Pick<Settings, 'country' | 'overrides'>): EffectiveProfile {
  const base = getCountry(settings.country);
  const o = settings.overrides;
  const currency = o.currency ?? base.currency;
  const minorUnits = currency === base.currency ? base.minorUnits : (currencyDigits(currency) ?? 2);
  return {
    ...base,
    currency,
    minorUnits,
    timeZone: o.timeZone ?? base.timeZone,
    cutoffHour: o.cutoffHour ?? base.cutoffHour,
    overridden: o.currency !== undefined || o.timeZone !== undefined || o.cutoffHour !== undefined,
  };
}

export type SettingsErrorCode = 'unreadable' | 'corrupt' | 'invalid' | 'rejected' | 'write-failed' | 'missing';

function refusedSettings(path: string, why: string): SettingsError {
  return new SettingsError('rejected', path, `settings refused: ${why}`, { refusal: { reason: 'settings_refused', values: { why } } });
}

export class SettingsError extends RefusingError<SettingsErrorCode> {
  override readonly name = 'SettingsError';
  constructor(
    code: SettingsErrorCode,
    readonly path: string,
    message: string,
    options?: { cause?: unknown; refusal?: Refusal },
  ) {
    super(code, message, options);
  }
}

export type SettingsListener = (settings: Settings) => void;

export interface SettingsStore {
  readonly path: string;
  /** True when settings.json exists (false before the first run has saved anything). */
  exists(): boolean;
  get(): Settings;
  profile(): EffectiveProfile;
  /** Validates the patch, writes the file atomically, then notifies listeners. Throws SettingsError('rejected'). */
  update(patch: unknown): Settings;
  /** Replaces everything (first run). Same checks as the file itself. */
  replace(next: Settings): Settings;
  onChange(listener: SettingsListener): () => void;
}

function describe(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(settings)'}: ${i.message}`).join('; ');
}

function load(path: string): { settings: Settings; exists: boolean } {
  let text: string | undefined;
  try {
    text = readTextIfExists(path);
  } catch (error) {
    throw new SettingsError('unreadable', path, `cannot read settings file ${path}: ${(error as Error).message}`, { cause: error });
  }
  if (text === undefined) return { settings: defaultSettings(), exists: false };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SettingsError(
      'corrupt',
      path,
      `settings file ${path} is not valid JSON (${(error as Error).message}); fix it, or recover it from the ledger with the manager PIN (npm run cli -- ledger adopt) — the terminal will not replace it`,
      { cause: error },
    );
  }
  const parsed = SettingsSchema.safeParse(json);
  if (!parsed.success) {
    throw new SettingsError(
      'invalid',
      path,
      `settings file ${path} is invalid: ${describe(parsed.error)}; fix it, or recover it from the ledger with the manager PIN (npm run cli -- ledger adopt)`,
    );
  }
  return { settings: parsed.data, exists: true };
}

export function openSettings(dataDir: string): SettingsStore {
  const path = join(dataDir, SETTINGS_FILE);
  const loaded = load(path);
  let current = loaded.settings;
  let exists = loaded.exists;
  const listeners = new Set<SettingsListener>();

  function save(next: Settings): Settings {
    try {
      writeFileAtomic(path, `${JSON.stringify(next, null, 2)}\n`);
    } catch (error) {
      throw new SettingsError('write-failed', path, `cannot save settings to ${path}: ${(error as Error).message}`, { cause: error });
    }
    current = next;
    exists = true;
    for (const listener of listeners) {
      try {
        listener(current);
      } catch {
        // A listener's failure is its own; the settings are saved.
      }
    }
    return current;
  }

  return {
    path,
    exists: () => exists,
    get: () => current,
    profile: () => effectiveProfile(current),
    update(patch) {
      const parsedPatch = SettingsPatchSchema.safeParse(patch);
      if (!parsedPatch.success) throw refusedSettings(path, describe(parsedPatch.error));
      const merged = SettingsSchema.safeParse({ ...current, ...parsedPatch.data });
      if (!merged.success) throw refusedSettings(path, describe(merged.error));
      return save(merged.data);
    },
    replace(next) {
      const parsed = SettingsSchema.safeParse(next);
      if (!parsed.success) throw refusedSettings(path, describe(parsed.error));
      return save(parsed.data);
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
