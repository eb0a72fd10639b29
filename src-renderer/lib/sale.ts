// The sale being rung up: optional line items plus the amount being typed. Pure reducer so the
// keyboard, the on-screen keypad and the tests all go through the same rules.
import type { LineItem } from '../../src-main/domain/payment';
import { DESCRIPTION_MAX, MAX_ITEMS as MAX_LINE_ITEMS } from '../../src-main/ipc/constants';
import { backspace, typeDigit } from './money';

export interface Sale {
  items: LineItem[];
  /** Amount being typed, minor units: the total itself when there are no items. */
  entry: number;
  /** Quantity set with the multiply key for the entry, 1 by default. */
  quantity: number;
  /** Description typed for the entry (optional). */
  description: string;
  /** The last digits typed were dropped: the entry already has the most digits an amount may have. */
  capped: boolean;
}

export const MAX_QUANTITY = 999;
export const MAX_ITEMS = MAX_LINE_ITEMS;

export const emptySale: Sale = { items: [], entry: 0, quantity: 1, description: '', capped: false };

export type SaleAction =
  | { type: 'digits'; digits: string }
  | { type: 'backspace' }
  | { type: 'multiply' } // the entry typed so far becomes the quantity
  | { type: 'add-item' } // the entry (times quantity) becomes a line item
  | { type: 'remove-item'; index: number }
  | { type: 'describe'; description: string }
  | { type: 'clear-entry' }
  | { type: 'clear' };

export function lineTotal(item: LineItem): number {
  return item.quantity * item.unitPrice;
}

function pendingItem(sale: Sale): LineItem | undefined {
  if (sale.entry <= 0) return undefined;
  return { description: sale.description.trim(), quantity: sale.quantity, unitPrice: sale.entry };
}

export function saleReducer(sale: Sale, action: SaleAction): Sale {
  const next = reduce(sale, action);
  // Only a digit that was typed and dropped keeps the cap notice; any other key clears it.
  return action.type === 'digits' || !next.capped ? next : { ...next, capped: false };
}

function reduce(sale: Sale, action: SaleAction): Sale {
  switch (action.type) {
    case 'digits': {
      let entry = sale.entry;
      let capped = false;
      for (const ch of action.digits) {
        const digit = ch.charCodeAt(0) - 48;
        const next = typeDigit(entry, digit);
        // Typing 0 on an empty entry keeps 0; any other digit that leaves the entry alone was dropped.
        if (next === entry && !(entry === 0 && digit === 0)) capped = true;
        entry = next;
      }
      return { ...sale, entry, capped };
    }
    case 'backspace':
      if (sale.entry > 0) return { ...sale, entry: backspace(sale.entry) };
      if (sale.quantity > 1) return { ...sale, quantity: 1 };
      return sale;
    case 'multiply':
      if (sale.entry <= 0 || sale.entry > MAX_QUANTITY) return sale;
      return { ...sale, quantity: sale.entry, entry: 0 };
    case 'add-item': {
      const item = pendingItem(sale);
      if (!item || sale.items.length >= MAX_ITEMS) return sale;
      return { items: [...sale.items, item], entry: 0, quantity: 1, description: '', capped: false };
    }
    case 'remove-item':
      return { ...sale, items: sale.items.filter((_, i) => i !== action.index) };
    case 'describe':
      return { ...sale, description: action.description.slice(0, DESCRIPTION_MAX) };
    case 'clear-entry':
      return { ...sale, entry: 0, quantity: 1, description: '' };
    case 'clear':
      return emptySale;
  }
}

/** Names an item the cashier left undescribed ("Item 2"); the contract needs a description. */
export type DefaultDescription = (index: number) => string;

/** What a charge of this sale sends: the total, and the items when the sale has any. */
export function saleOrder(sale: Sale, defaultDescription: DefaultDescription): { amount: number; items?: LineItem[] } {
  const pending = pendingItem(sale);
  const itemised = sale.items.length > 0 || sale.quantity > 1 || sale.description.trim() !== '';
  if (!itemised) return { amount: sale.entry };
  const items = (pending ? [...sale.items, pending] : sale.items).map((item, index) => ({
    ...item,
    description: item.description || defaultDescription(index),
  }));
  return { amount: items.reduce((sum, item) => sum + lineTotal(item), 0), items };
}

export function saleTotal(sale: Sale): number {
  return sale.items.reduce((sum, item) => sum + lineTotal(item), 0) + sale.entry * sale.quantity;
}
