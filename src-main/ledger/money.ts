// Integer minor units <-> decimal strings, with the ISO 4217 minor-unit exponent of each currency.
// The exponent comes from ISO 4217 itself (not CLDR, whose display digits differ for e.g. HUF/TWD
// cash): codes listed below, 2 for every other active code the runtime knows.

const NON_TWO_DIGIT: Readonly<Record<string, number>> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  CLF: 4,
  UYW: 4,
};

const knownCodes: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

export function isCurrencyCode(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && (knownCodes.has(code) || code in NON_TWO_DIGIT);
}

/** ISO 4217 minor units of `currency`; throws RangeError for codes that are not ISO 4217. */
export function minorUnits(currency: string): number {
  if (!isCurrencyCode(currency)) throw new RangeError(`not an ISO 4217 currency code: ${JSON.stringify(currency)}`);
  return NON_TWO_DIGIT[currency] ?? 2;
}

/** 1234 CNY -> "12.34"; 500 JPY -> "500"; -5 USD -> "-0.05". Exact for every safe integer. */
export function formatMinor(amount: number, currency: string): string {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`amount is not a safe integer: ${amount}`);
  const digits = minorUnits(currency);
  const sign = amount < 0 ? '-' : '';
  const abs = String(Math.abs(amount));
  if (digits === 0) return sign + abs;
  const padded = abs.padStart(digits + 1, '0');
  return `${sign}${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
}

/** "12.34" CNY -> 1234. Refuses more decimals than the currency has, signs other than '-', exponents. */
export function parseMinor(text: string, currency: string): number {
  const digits = minorUnits(currency);
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new RangeError(`not a decimal amount: ${JSON.stringify(text)}`);
  const [, sign, whole, fraction = ''] = match;
  if (fraction.length > digits) throw new RangeError(`${currency} has ${digits} decimals: ${JSON.stringify(text)}`);
  const value = Number(`${whole}${fraction.padEnd(digits, '0')}`);
  if (!Number.isSafeInteger(value)) throw new RangeError(`amount too large: ${JSON.stringify(text)}`);
  return sign === '-' && value !== 0 ? -value : value;
}
