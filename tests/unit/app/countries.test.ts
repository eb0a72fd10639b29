import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CountriesError, getCountry, listCountries, parseCountries } from '../../../src-main/app/countries';

const file = JSON.parse(readFileSync(new URL('../../../resources/countries.json', import.meta.url), 'utf8')) as {
  version: number;
  countries: Record<string, unknown>[];
};

describe('country profiles', () => {
  it('bundles at least CN, US, GB, DE and JP with their currencies', () => {
    const codes = listCountries().map((c) => c.code);
    for (const code of ['CN', 'US', 'GB', 'DE', 'JP']) expect(codes).toContain(code);
    expect(getCountry('CN')).toMatchObject({ currency: 'CNY', minorUnits: 2, timeZone: 'Asia/Shanghai', language: 'zh-CN' });
    expect(getCountry('JP')).toMatchObject({ currency: 'JPY', minorUnits: 0, locale: 'ja-JP' });
    expect(getCountry('DE').currency).toBe('EUR');
  });

  it('parses the resource file itself', () => {
    expect(parseCountries(file).length).toBe(file.countries.length);
  });

  it('refuses an unknown time zone, a wrong minor unit count, a bad locale and duplicates', () => {
    const us = file.countries.find((c) => c.code === 'US')!;
    const bad = (patch: Record<string, unknown>) => ({ version: 1, countries: [{ ...us, ...patch }] });
    expect(() => parseCountries(bad({ timeZone: 'Mars/Olympus' }))).toThrow(/time zone/);
    expect(() => parseCountries(bad({ minorUnits: 0 }))).toThrow(/minorUnits/);
    expect(() => parseCountries(bad({ locale: 'en_US' }))).toThrow(CountriesError);
    expect(() => parseCountries(bad({ currency: 'usd' }))).toThrow(/ISO 4217/);
    expect(() => parseCountries({ version: 1, countries: [us, us] })).toThrow(/duplicate/);
    expect(() => getCountry('XX')).toThrow(/unknown country/);
  });
});
