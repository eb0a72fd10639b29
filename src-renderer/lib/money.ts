// Amounts live as integer minor units (cents, fen, yen) everywhere; this module is the only
// place they become text, through Intl with the country profile's locale and currency.

export interface MoneyFormat {
  locale: string;
  currency: string; // ISO 4217 alpha code
  minorUnits: number; // 2 for CNY/USD/EUR/GBP, 0 for JPY
}

/** Largest amount the keypad accepts: 11 digits, the contract's largest amount, far below 2^53. */
export const MAX_AMOUNT_DIGITS = 11;

/** Exact decimal text of a minor-unit amount ("1234" with 2 minor units -> "12.34"). */
export function toDecimalString(minor: number, minorUnits: number): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`amount is not a safe integer: ${minor}`);
  const negative = minor < 0;
  const digits = String(Math.abs(minor)).padStart(minorUnits + 1, '0');
  const whole = minorUnits === 0 ? digits : digits.slice(0, -minorUnits);
  const text = minorUnits === 0 ? whole : `${whole}.${digits.slice(-minorUnits)}`;
  return negative ? `-${text}` : text;
}

const formatters = new Map<string, Intl.NumberFormat>();

function formatter(f: MoneyFormat): Intl.NumberFormat {
  const key = `${f.locale}|${f.currency}|${f.minorUnits}`;
  let nf = formatters.get(key);
  if (!nf) {
    nf = new Intl.NumberFormat(f.locale, {
      style: 'currency',
      currency: f.currency,
      minimumFractionDigits: f.minorUnits,
      maximumFractionDigits: f.minorUnits,
    });
    formatters.set(key, nf);
  }
  return nf;
}

/** Formats minor units for the screen ("¥12.34", "12,34 €", "￥1,234"). */
export function formatMoney(minor: number, f: MoneyFormat): string {
  // A decimal string is formatted exactly, with no binary floating-point rounding.
  return formatter(f).format(toDecimalString(minor, f.minorUnits) as `${number}`);
}

/** The keypad: a digit shifts the amount left, Backspace drops the last digit. */
export function typeDigit(minor: number, digit: number): number {
  if (!Number.isInteger(digit) || digit < 0 || digit > 9) return minor;
  if (String(minor).length >= MAX_AMOUNT_DIGITS && minor !== 0) return minor;
  return minor * 10 + digit;
}

export function typeDigits(minor: number, digits: string): number {
  let value = minor;
  for (const ch of digits) value = typeDigit(value, ch.charCodeAt(0) - 48);
  return value;
}

export function backspace(minor: number): number {
  return Math.floor(minor / 10);
}
