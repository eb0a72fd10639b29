import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SettingsError, effectiveProfile, openSettings } from '../../../src-main/app/settings';
import { tempDataDir } from './helpers';

let data: ReturnType<typeof tempDataDir>;
beforeEach(() => {
  data = tempDataDir();
});
afterEach(() => data.cleanup());

describe('settings', () => {
  it('starts from defaults without writing, then round-trips an update through the file', () => {
    const store = openSettings(data.dir);
    expect(store.exists()).toBe(false);
    expect(store.get()).toMatchObject({ waitTimeoutMs: 60_000, firstRunComplete: false, language: 'en' });
    expect(readdirSync(data.dir)).toEqual([]);

    const seen: string[] = [];
    store.onChange((s) => seen.push(s.merchantName));
    store.update({
      merchantId: 'M-001',
      merchantName: '  Corner Shop ',
      terminalId: 'T1',
      country: 'JP',
      printer: { paperWidth: 58, name: 'TM-T20' },
    });
    expect(seen).toEqual(['Corner Shop']);
    expect(readdirSync(data.dir)).toEqual(['settings.json']);

    const reopened = openSettings(data.dir);
    expect(reopened.exists()).toBe(true);
    expect(reopened.get()).toEqual(store.get());
    expect(reopened.get()).toMatchObject({ merchantId: 'M-001', country: 'JP', printer: { paperWidth: 58, name: 'TM-T20' } });
    expect(reopened.profile()).toMatchObject({ currency: 'JPY', minorUnits: 0, timeZone: 'Asia/Tokyo', overridden: false });
  });

  it('reads a file written before the settlement address existed as "none", and keeps an address set later', () => {
    const store = openSettings(data.dir);
    store.update({ merchantName: 'Shop' });
    const { settlementAddress: _dropped, ...older } = JSON.parse(readFileSync(store.path, 'utf8')) as Record<string, unknown>;
    writeFileSync(store.path, JSON.stringify(older));
    const reopened = openSettings(data.dir);
    expect(reopened.get().settlementAddress).toBe('');
    reopened.update({ settlementAddress: ' https://settlement.example:8443 ' });
    expect(openSettings(data.dir).get().settlementAddress).toBe('https://settlement.example:8443');
    expect(() => reopened.update({ settlementAddress: 'ftp://settlement.example' })).toThrow(SettingsError);
    expect(openSettings(data.dir).get().settlementAddress).toBe('https://settlement.example:8443');
  });

  it('applies profile overrides (currency brings its own minor units)', () => {
    const p = effectiveProfile({ country: 'DE', overrides: { currency: 'JPY', cutoffHour: 6, timeZone: 'Europe/London' } });
    expect(p).toMatchObject({
      currency: 'JPY',
      minorUnits: 0,
      cutoffHour: 6,
      timeZone: 'Europe/London',
      locale: 'de-DE',
      overridden: true,
    });
  });

  it('refuses out-of-range or unknown values and keeps the previous file', () => {
    const store = openSettings(data.dir);
    store.update({ merchantName: 'Shop' });
    const before = readFileSync(store.path, 'utf8');
    expect(() => store.update({ waitTimeoutMs: 10 })).toThrow(SettingsError);
    expect(() => store.update({ country: 'XX' })).toThrow(/unknown country/);
    expect(() => store.update({ printer: { paperWidth: 72 } })).toThrow(/printer/);
    expect(() => store.update({ language: 'fr' })).toThrow(SettingsError);
    expect(() => store.update({ terminalId: '../etc' })).toThrow(/terminalId/);
    expect(() => store.update({ firstRunComplete: true })).toThrow(/firstRunComplete|Unrecognized/);
    expect(() => store.update({ overrides: { timeZone: 'Nowhere/City' } })).toThrow(/time zone/);
    expect(readFileSync(store.path, 'utf8')).toBe(before);
    expect(store.get().merchantName).toBe('Shop');
  });

  it('refuses a corrupt or invalid file with a clear error and never resets it', () => {
    const path = join(data.dir, 'settings.json');
    writeFileSync(path, '{"version":1,"merchantId":');
    let error: unknown;
    try {
      openSettings(data.dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SettingsError);
    expect((error as SettingsError).code).toBe('corrupt');
    expect((error as Error).message).toContain(path);
    expect(readFileSync(path, 'utf8')).toBe('{"version":1,"merchantId":');

    writeFileSync(path, JSON.stringify({ version: 1, merchantId: 'M' }));
    expect(() => openSettings(data.dir)).toThrow(/invalid/);
  });

  it('requires merchant and terminal ids once the first run is complete', () => {
    const store = openSettings(data.dir);
    expect(() => store.replace({ ...store.get(), firstRunComplete: true })).toThrow(/required/);
    store.replace({ ...store.get(), merchantId: 'M1', merchantName: 'Shop', terminalId: 'T1', firstRunComplete: true });
    expect(() => store.update({ merchantId: '' })).toThrow(SettingsError);
  });
});
