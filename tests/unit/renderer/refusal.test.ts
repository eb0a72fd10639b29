import { describe, expect, it } from 'vitest';
import { interpolate, placeholders } from '../../../src-renderer/lib/interpolate';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REFUSAL_REASONS } from '../../../src-main/ipc/constants';
import { parseWireError, wireMessage } from '../../../src-main/ipc/wire-error';
import { refusalKey, refusalText } from '../../../src-renderer/lib/refusal';

describe('plural forms (Intl.PluralRules)', () => {
  const tries = '{left, plural, =0 {no tries left} one {# try left} other {# tries left}}';
  it('English: one and other, and an exact zero', () => {
    expect(interpolate(tries, { left: 1 }, 'en')).toBe('1 try left');
    expect(interpolate(tries, { left: 4 }, 'en')).toBe('4 tries left');
    expect(interpolate(tries, { left: 0 }, 'en')).toBe('no tries left');
  });
  it('Chinese has one form', () => {
    expect(interpolate('还可尝试 {left, plural, other {#}} 次', { left: 1 }, 'zh-CN')).toBe('还可尝试 1 次');
  });
  it('a missing count stays visible; placeholders name the counted value', () => {
    expect(interpolate(tries, {}, 'en')).toBe(tries);
    expect(placeholders(`${tries} of {name}`)).toEqual(['left', 'name']);
  });
});

describe('refusals in words of the interface, by reason code', () => {
  const catalog = (language: string) =>
    JSON.parse(readFileSync(join(__dirname, '../../../resources/i18n', language, 'ui.json'), 'utf8')) as Record<string, string>;

  it('words each code from the catalog, with its values (counts as numbers for plural forms)', () => {
    expect(refusalText({ reason: 'pin_wrong', values: { left: '4' } })).toEqual({ key: 'refusal.pin_wrong', vars: { left: 4 } });
    expect(refusalText({ reason: 'trust_entry_invalid', values: { why: 'kid: missing' } })).toEqual({
      key: 'refusal.trust_entry_invalid',
      vars: { why: 'kid: missing' },
    });
    expect(refusalText({ reason: 'day_not_closed', values: { date: '2026-01-02' } })).toEqual({
      key: 'refusal.day_not_closed',
      vars: { date: '2026-01-02' },
    });
  });

  it("a refusal without a code is left to main's own words, whatever the English says", () => {
    expect(refusalText(undefined)).toBeUndefined();
    expect(refusalText(parseWireError(new Error('[rejected] the current PIN is wrong (4 tries left)')).refusal)).toBeUndefined();
  });

  it.each(['en', 'zh-CN'])('every refusal code is translated (%s), in its own words', (language) => {
    const ui = catalog(language);
    const missing = REFUSAL_REASONS.filter((reason) => !ui[refusalKey(reason)]);
    expect(missing, `untranslated refusal codes in ${language}`).toEqual([]);
    if (language !== 'en') {
      const english = catalog('en');
      expect(REFUSAL_REASONS.filter((reason) => ui[refusalKey(reason)] === english[refusalKey(reason)])).toEqual([]);
    }
  });

  it('crosses the wire with its values, whatever characters they hold', () => {
    const refusal = { reason: 'crl_refused' as const, values: { why: 'signer [x] is not trusted & 100% wrong' } };
    const message = wireMessage('rejected', 'revocation list refused: …', refusal);
    expect(parseWireError(new Error(message))).toEqual({ code: 'rejected', detail: 'revocation list refused: …', refusal });
    expect(parseWireError(new Error(wireMessage('not_found', 'gone')))).toEqual({ code: 'not_found', detail: 'gone' });
    // An unknown reason code (a newer main) still shows main's words under the error code.
    expect(parseWireError(new Error('[rejected:from_the_future?x=1] later'))).toEqual({ code: 'rejected', detail: 'later' });
  });
});
