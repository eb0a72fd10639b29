// What a refusal from main means, in words of the interface language. Main sends a stable reason
// code and the values its sentence needs with every refusal a cashier or manager meets
// (src-main/ipc/constants.ts REFUSAL_REASONS, carried by wire-error.ts); the sentence is the
// catalog's "refusal.<code>", never a match on main's English wording. Anything without a code is
// still shown with main's own words, never hidden (ErrorNote).
import type { Refusal, RefusalReason } from '../../src-main/ipc/constants';
import type en from '../../resources/i18n/en/ui.json';
import type { Vars } from './interpolate';

type UiKey = keyof typeof en;

export interface RefusalText {
  key: UiKey;
  vars: Vars;
}

/** Values that are counts (plural forms need numbers); every other value is text. */
const COUNTS: Partial<Record<RefusalReason, readonly string[]>> = { pin_wrong: ['left'] };

/** The catalog key of a refusal code: a code without one fails the type check. */
export function refusalKey(reason: RefusalReason): UiKey {
  const key: UiKey = `refusal.${reason}`;
  return key;
}

/** The translated sentence of a refusal main explained with a code, or undefined without one. */
export function refusalText(refusal: Refusal | undefined): RefusalText | undefined {
  if (!refusal) return undefined;
  const counts = COUNTS[refusal.reason] ?? [];
  const vars: Vars = Object.fromEntries(
    Object.entries(refusal.values).map(([name, value]) => [name, counts.includes(name) && /^\d+$/.test(value) ? Number(value) : value]),
  );
  return { key: refusalKey(refusal.reason), vars };
}
