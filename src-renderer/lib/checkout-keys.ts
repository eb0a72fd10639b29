// The checkout's keys as one table each: what a key does while a sale is typed (the keyboard and
// the on-screen keypad map to the same actions), and while a payment is on screen. Pure, so the
// mapping is tested without a DOM and written once.

/** A key of the on-screen keypad (components/Keypad.tsx). */
export type PadKey =
  '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '00' | 'backspace' | 'multiply' | 'add' | 'clear' | 'enter';

export type SaleKeyAction =
  | { type: 'digits'; digits: string }
  | { type: 'backspace' }
  | { type: 'charge' }
  /** Escape / C: clears the typed entry, or the whole sale when nothing is being typed. */
  | { type: 'clear' }
  | { type: 'multiply' }
  | { type: 'add-item' }
  | { type: 'remove-last-item' }
  | { type: 'describe' }
  | { type: 'print-last' }
  | { type: 'refund' };

const SALE_KEYS: Readonly<Record<string, SaleKeyAction>> = {
  Backspace: { type: 'backspace' },
  Enter: { type: 'charge' },
  Escape: { type: 'clear' },
  '*': { type: 'multiply' },
  x: { type: 'multiply' },
  X: { type: 'multiply' },
  '+': { type: 'add-item' },
  Delete: { type: 'remove-last-item' },
  F2: { type: 'describe' },
  F8: { type: 'print-last' },
  F4: { type: 'refund' },
};

/** A keyboard key while a sale is typed; null for a key the checkout leaves alone. */
export function saleKeyAction(key: string): SaleKeyAction | null {
  if (/^[0-9]$/.test(key)) return { type: 'digits', digits: key };
  return Object.hasOwn(SALE_KEYS, key) ? (SALE_KEYS[key] ?? null) : null;
}

/** A key of the on-screen keypad: the same actions as the keyboard's. */
export function padKeyAction(key: PadKey): SaleKeyAction {
  switch (key) {
    case 'backspace':
      return { type: 'backspace' };
    case 'enter':
      return { type: 'charge' };
    case 'clear':
      return { type: 'clear' };
    case 'multiply':
      return { type: 'multiply' };
    case 'add':
      return { type: 'add-item' };
    default:
      return { type: 'digits', digits: key };
  }
}

export type PaymentKeyAction =
  /** Escape: cancels a payment in progress, or dismisses a decided one. */
  | { type: 'cancel-or-dismiss' }
  /** Enter: tries again after a decline that allows it, or starts the next sale. */
  | { type: 'confirm' }
  /** A digit over an approval: the next sale starts with it. */
  | { type: 'next-sale'; digit: string }
  | { type: 'print' };

/** A keyboard key while a payment is on screen; null for a key the payment screen leaves alone. */
export function paymentKeyAction(key: string): PaymentKeyAction | null {
  if (key === 'Escape') return { type: 'cancel-or-dismiss' };
  if (key === 'Enter') return { type: 'confirm' };
  if (/^[0-9]$/.test(key)) return { type: 'next-sale', digit: key };
  if (key === 'p' || key === 'P') return { type: 'print' };
  return null;
}
