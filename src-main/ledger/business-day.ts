// Store-local calendar: which business date an instant belongs to, and local time with UTC offset.
// A business date is the local calendar date in the store's IANA time zone, shifted back by one day
// for instants before the cut-off hour (cut-off 4: 02:30 on the 24th belongs to the 23rd).

export interface BusinessDaySettings {
  timeZone: string; // IANA name, e.g. "Asia/Shanghai"
  cutoffHour: number; // 0..23
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  offsetMinutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** Throws RangeError unless the settings name a time zone this runtime knows and a cut-off hour 0..23. */
export function checkBusinessDaySettings(settings: BusinessDaySettings): void {
  if (!Number.isInteger(settings.cutoffHour) || settings.cutoffHour < 0 || settings.cutoffHour > 23) {
    throw new RangeError(`cut-off hour must be an integer 0..23, got ${String(settings.cutoffHour)}`);
  }
  if (typeof settings.timeZone !== 'string' || settings.timeZone === '') throw new RangeError('time zone missing');
  formatter(settings.timeZone); // throws RangeError for an unknown zone
}

export function localParts(epochMs: number, timeZone: string): LocalParts {
  const values: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(epochMs)) {
    if (part.type !== 'literal') values[part.type] = Number(part.value);
  }
  const year = values.year ?? NaN;
  const month = values.month ?? NaN;
  const day = values.day ?? NaN;
  const hour = values.hour ?? NaN;
  const minute = values.minute ?? NaN;
  const second = values.second ?? NaN;
  const wholeSeconds = Math.floor(epochMs / 1000) * 1000;
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  return { year, month, day, hour, minute, second, offsetMinutes: Math.round((asUtc - wholeSeconds) / 60_000) };
}

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

function isoDate(year: number, month: number, day: number): string {
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

function isoTimeOf(p: LocalParts, epochMs: number): string {
  const millis = ((epochMs % 1000) + 1000) % 1000;
  const sign = p.offsetMinutes < 0 ? '-' : '+';
  const offset = Math.abs(p.offsetMinutes);
  return (
    `${isoDate(p.year, p.month, p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}.${pad(millis, 3)}` +
    `${sign}${pad(Math.floor(offset / 60))}:${pad(offset % 60)}`
  );
}

/** "2026-11-23T11:53:45.123+08:00": the instant in the store's zone, with its UTC offset. */
export function localIsoTime(epochMs: number, timeZone: string): string {
  return isoTimeOf(localParts(epochMs, timeZone), epochMs);
}

export function addDays(businessDate: string, days: number): string {
  const [year, month, day] = businessDate.split('-').map(Number);
  const next = new Date(Date.UTC(year ?? NaN, (month ?? NaN) - 1, (day ?? NaN) + days));
  return isoDate(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate());
}

export function isBusinessDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  return addDays(value, 0) === value;
}

function businessDateOfParts(p: LocalParts, cutoffHour: number): string {
  const date = isoDate(p.year, p.month, p.day);
  return p.hour < cutoffHour ? addDays(date, -1) : date;
}

/** The business date the wall clock names for `epochMs` (before any ledger rule is applied). */
export function businessDateOf(epochMs: number, settings: BusinessDaySettings): string {
  return businessDateOfParts(localParts(epochMs, settings.timeZone), settings.cutoffHour);
}

/**
 * `businessDateOf` and `localIsoTime` of one instant from a single time-zone conversion
 * (`formatToParts` is the costly part of both; a recorded row needs the two).
 */
export function localClock(epochMs: number, settings: BusinessDaySettings): { businessDate: string; localTime: string } {
  const p = localParts(epochMs, settings.timeZone);
  return { businessDate: businessDateOfParts(p, settings.cutoffHour), localTime: isoTimeOf(p, epochMs) };
}
