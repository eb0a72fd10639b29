// The one rule for a new manager PIN being too easy to guess. Main refuses such a PIN when it is
// set or changed (src-main/app/pin.ts); the screens run the same function to say why before
// sending. Checking a PIN at unlock never uses it: a weak guess is just a wrong PIN.

export type PinWeakness = 'one-digit' | 'sequence' | 'repeated-pair';

/** Why a PIN is trivially guessable (1111, 1234, 9876, 1212...), or undefined. */
export function pinWeakness(pin: string): PinWeakness | undefined {
  if (!/^\d+$/.test(pin)) return undefined;
  const digits = [...pin].map(Number);
  if (digits.every((d) => d === digits[0])) return 'one-digit';
  const steps = digits.slice(1).map((d, i) => d - (digits[i] ?? d));
  if (steps.every((s) => s === 1) || steps.every((s) => s === -1)) return 'sequence';
  if (
    pin.length >= 4 &&
    pin ===
      pin
        .slice(0, 2)
        .repeat(Math.ceil(pin.length / 2))
        .slice(0, pin.length)
  )
    return 'repeated-pair';
  return undefined;
}

/** Main's words for a weak PIN (the screens translate the weakness). */
export function pinWeaknessMessage(weakness: PinWeakness): string {
  switch (weakness) {
    case 'one-digit':
      return 'the PIN is too easy to guess: all one digit';
    case 'sequence':
      return 'the PIN is too easy to guess: a sequence of digits';
    case 'repeated-pair':
      return 'the PIN is too easy to guess: a repeated pair of digits';
  }
}
