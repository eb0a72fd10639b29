import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REASON_CODES } from '../../../src-main/domain/reasons';
import { interpolate, placeholders } from '../../../src-renderer/lib/interpolate';

const I18N = path.resolve(import.meta.dirname, '../../../resources/i18n');
const LANGUAGES = ['en', 'zh-CN'];
const load = (lang: string, file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(path.join(I18N, lang, file), 'utf8')) as Record<string, unknown>;

describe('translation catalogs', () => {
  it('ships exactly the two interface languages', () => {
    expect(readdirSync(I18N).sort()).toEqual([...LANGUAGES].sort());
  });

  it('en and zh-CN ui.json have exactly the same keys', () => {
    const en = Object.keys(load('en', 'ui.json')).sort();
    const zh = Object.keys(load('zh-CN', 'ui.json')).sort();
    expect(zh).toEqual(en);
  });

  it('every string is non-empty and uses the same placeholders in both languages', () => {
    const en = load('en', 'ui.json');
    const zh = load('zh-CN', 'ui.json');
    for (const [key, value] of Object.entries(en)) {
      expect(typeof value, key).toBe('string');
      expect((value as string).trim(), key).not.toBe('');
      expect(typeof zh[key], key).toBe('string');
      expect((zh[key] as string).trim(), key).not.toBe('');
      expect(placeholders(zh[key] as string), key).toEqual(placeholders(value as string));
    }
  });

  it('the Chinese catalog is actually translated', () => {
    const zh = load('zh-CN', 'ui.json');
    const han = Object.values(zh).filter((v) => /[\u4e00-\u9fff]/.test(v as string)).length;
    expect(han / Object.keys(zh).length).toBeGreaterThan(0.9);
  });

  it.each(LANGUAGES)('every reason code has a cashier message and action in %s/reasons.json', (lang) => {
    const reasons = load(lang, 'reasons.json');
    for (const code of REASON_CODES) {
      const entry = reasons[code] as { message?: unknown; action?: unknown } | undefined;
      expect(entry, `${lang}: ${code}`).toBeDefined();
      expect(typeof entry?.message, `${lang}: ${code}.message`).toBe('string');
      expect((entry?.message as string).trim(), `${lang}: ${code}.message`).not.toBe('');
      expect(typeof entry?.action, `${lang}: ${code}.action`).toBe('string');
    }
  });

  it('reasons.json lists no code that does not exist', () => {
    for (const lang of LANGUAGES) {
      for (const code of Object.keys(load(lang, 'reasons.json')))
        expect(REASON_CODES as readonly string[], `${lang}: ${code}`).toContain(code);
    }
  });
});

describe('interpolate', () => {
  it('fills named placeholders', () => {
    expect(interpolate('Charge {amount}', { amount: '¥12.34' })).toBe('Charge ¥12.34');
    expect(interpolate('{a}-{b}-{a}', { a: 1, b: 0 })).toBe('1-0-1');
  });

  it('leaves a placeholder with no value visible instead of dropping it', () => {
    expect(interpolate('Terminal {id}', {})).toBe('Terminal {id}');
    expect(interpolate('Terminal {id}')).toBe('Terminal {id}');
  });

  it('lists placeholders sorted', () => {
    expect(placeholders('{b} and {a}')).toEqual(['a', 'b']);
  });
});
