// What a change of country profile, time zone or business-day start would do to the business
// day, computed before it is saved so the manager can be warned: the ledger applies the new rules
// from the next row on (src-main/ledger/writer.ts openBusinessDate), so a change mid-day moves
// later sales to another business date, or stretches the open one, and may change the currency.
import type { Clock } from '../domain/payment';
import { checkBusinessDaySettings } from '../ledger/business-day';
import type { Ledger } from '../ledger/ledger';
import { openBusinessDate } from '../ledger/writer';
import { findCountry } from './countries';
import { AppError } from './errors';
import { effectiveProfile, type Settings, type SettingsStore } from './settings';

export interface BusinessDayRules {
  /** The business date the next sale is recorded under. */
  businessDate: string;
  timeZone: string;
  cutoffHour: number;
  currency: string;
}

export type BusinessDayChangeKind = 'timeZone' | 'cutoffHour' | 'currency' | 'businessDate';

export interface BusinessDayChange {
  now: number;
  current: BusinessDayRules;
  next: BusinessDayRules;
  /** Sales and voids already recorded in the open business day. */
  openDayTransactions: number;
  /** What differs between current and next (empty: nothing the manager must be warned of). */
  changes: BusinessDayChangeKind[];
}

export type BusinessDayPatch = Partial<Pick<Settings, 'country' | 'overrides'>>;

/** The business date the ledger gives a row written at `now` under `rules` (its own rule, on its head). */
function openDateUnder(ledger: Ledger, now: number, rules: { timeZone: string; cutoffHour: number }): string {
  const days = ledger.businessDays(); // newest first
  const head = {
    seq: 0,
    hash: new Uint8Array(32),
    businessDate: days[0]?.businessDate ?? null,
    lastClosedDate: days.find((d) => d.zNumber !== null)?.businessDate ?? null,
    lastZNumber: 0,
  };
  return openBusinessDate(head, now, rules);
}

export function previewBusinessDayChange(
  parts: { settings: SettingsStore; ledger: Ledger; clock: Clock },
  patch: BusinessDayPatch,
): BusinessDayChange {
  const { settings, ledger } = parts;
  const now = parts.clock();
  const country = patch.country ?? settings.get().country;
  if (!findCountry(country)) throw new AppError('not_found', `unknown country profile: ${country}`);
  const before = settings.profile();
  const after = effectiveProfile({ country, overrides: patch.overrides ?? settings.get().overrides });
  try {
    checkBusinessDaySettings(after);
  } catch (error) {
    throw new AppError('invalid_argument', (error as Error).message);
  }
  const current: BusinessDayRules = {
    businessDate: ledger.currentBusinessDate(now),
    timeZone: before.timeZone,
    cutoffHour: before.cutoffHour,
    currency: before.currency,
  };
  const next: BusinessDayRules = {
    businessDate: openDateUnder(ledger, now, after),
    timeZone: after.timeZone,
    cutoffHour: after.cutoffHour,
    currency: after.currency,
  };
  const changes = (['timeZone', 'cutoffHour', 'currency', 'businessDate'] as const).filter((k) => current[k] !== next[k]);
  const openDayTransactions = ledger.listAttempts({ businessDate: current.businessDate, limit: 1 }).total;
  return { now, current, next, openDayTransactions, changes };
}
