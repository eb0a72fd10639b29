import { describe, expect, it } from 'vitest';
import { interpolate, placeholders } from '../../../src-renderer/lib/interpolate';
import { refusalText } from '../../../src-renderer/lib/refusal';

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

describe('refusals in words of the interface', () => {
  it('matches what main says and carries its figures', () => {
    expect(refusalText('the current PIN is wrong (4 tries left)')).toEqual({ key: 'refusal.pinWrong', vars: { left: 4 } });
    expect(refusalText('this is not a valid trust-store entry: kid: missing')).toEqual({ key: 'refusal.trustEntryInvalid', vars: { why: 'kid: missing' } });
    expect(refusalText('business day 2026-01-02 is not closed')).toEqual({ key: 'refusal.dayNotClosed', vars: { date: '2026-01-02' } });
  });
  it('anything else is left to main\'s own words', () => {
    expect(refusalText('something new')).toBeUndefined();
  });
});
