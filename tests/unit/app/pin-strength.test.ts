import { describe, expect, it } from 'vitest';
import { pinWeakness } from '../../../src-main/domain/pin-strength';

describe('guessable PINs', () => {
  it.each([
    ['1111', 'one-digit'],
    ['000000', 'one-digit'],
    ['1234', 'sequence'],
    ['6543', 'sequence'],
    ['0123456789', 'sequence'],
    ['1212', 'repeated-pair'],
    ['909090', 'repeated-pair'],
  ])('%s is refused (%s)', (pin, why) => {
    expect(pinWeakness(pin)).toBe(why);
  });
  it.each(['2468', '1357', '5820', '7391', '1243', '12123'])('%s is accepted', (pin) => {
    expect(pinWeakness(pin)).toBeUndefined();
  });
});
