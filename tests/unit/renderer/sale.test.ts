import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { SaleAction } from '../../../src-renderer/lib/sale';
import { MAX_ITEMS, emptySale, saleOrder, saleReducer, saleTotal } from '../../../src-renderer/lib/sale';

const name = (i: number) => `Item ${i + 1}`;
const run = (...actions: SaleAction[]) => actions.reduce(saleReducer, emptySale);

describe('sale reducer', () => {
  it('a plain amount is charged without items', () => {
    const sale = run({ type: 'digits', digits: '1234' });
    expect(saleOrder(sale, name)).toEqual({ amount: 1234 });
  });

  it('quantity times unit price becomes an item, and the total sums the items', () => {
    const sale = run(
      { type: 'digits', digits: '3' },
      { type: 'multiply' },
      { type: 'digits', digits: '150' },
      { type: 'describe', description: 'Tea' },
      { type: 'add-item' },
      { type: 'digits', digits: '999' },
    );
    expect(sale.items).toEqual([{ description: 'Tea', quantity: 3, unitPrice: 150 }]);
    expect(saleTotal(sale)).toBe(450 + 999);
    expect(saleOrder(sale, name)).toEqual({
      amount: 1449,
      items: [
        { description: 'Tea', quantity: 3, unitPrice: 150 },
        { description: 'Item 2', quantity: 1, unitPrice: 999 },
      ],
    });
  });

  it('an item without a description gets the default name when charged', () => {
    const sale = run({ type: 'digits', digits: '500' }, { type: 'add-item' });
    expect(sale.items[0]?.description).toBe('');
    expect(saleOrder(sale, name).items?.[0]?.description).toBe('Item 1');
  });

  it('ignores add-item with nothing typed and multiply with a zero entry', () => {
    expect(run({ type: 'add-item' })).toEqual(emptySale);
    expect(run({ type: 'multiply' })).toEqual(emptySale);
  });

  it('Backspace clears the quantity once the entry is empty', () => {
    const sale = run({ type: 'digits', digits: '2' }, { type: 'multiply' }, { type: 'backspace' });
    expect(sale.quantity).toBe(1);
  });

  it('removes an item by position and clears everything', () => {
    const sale = run(
      { type: 'digits', digits: '1' },
      { type: 'add-item' },
      { type: 'digits', digits: '2' },
      { type: 'add-item' },
      { type: 'remove-item', index: 0 },
    );
    expect(sale.items.map((i) => i.unitPrice)).toEqual([2]);
    expect(saleReducer(sale, { type: 'clear' })).toEqual(emptySale);
  });

  it('stops at the contract limit of line items', () => {
    let sale = emptySale;
    for (let i = 0; i < MAX_ITEMS + 5; i += 1) {
      sale = saleReducer(saleReducer(sale, { type: 'digits', digits: '1' }), { type: 'add-item' });
    }
    expect(sale.items).toHaveLength(MAX_ITEMS);
  });

  it('the charged amount always equals the sum of the charged items', () => {
    const action = fc.oneof(
      fc.record({ type: fc.constant('digits' as const), digits: fc.stringMatching(/^[0-9]{1,3}$/) }),
      fc.constant({ type: 'backspace' as const }),
      fc.constant({ type: 'multiply' as const }),
      fc.constant({ type: 'add-item' as const }),
      fc.record({ type: fc.constant('describe' as const), description: fc.string({ maxLength: 10 }) }),
      fc.record({ type: fc.constant('remove-item' as const), index: fc.nat(5) }),
    );
    fc.assert(
      fc.property(fc.array(action, { maxLength: 40 }), (actions) => {
        const sale = actions.reduce(saleReducer, emptySale);
        const order = saleOrder(sale, name);
        expect(order.amount).toBe(saleTotal(sale));
        if (order.items) {
          expect(order.items.reduce((sum, i) => sum + i.quantity * i.unitPrice, 0)).toBe(order.amount);
          for (const item of order.items) {
            expect(item.description.length).toBeGreaterThan(0);
            expect(item.quantity).toBeGreaterThanOrEqual(1);
          }
        }
      }),
    );
  });
});

describe('the amount cap', () => {
  it('says when a typed digit was dropped at the largest amount, and forgets it on the next key', () => {
    const full = run({ type: 'digits', digits: '99999999999' });
    expect(full).toMatchObject({ entry: 99_999_999_999, capped: false });
    const over = saleReducer(full, { type: 'digits', digits: '9' });
    expect(over).toMatchObject({ entry: 99_999_999_999, capped: true });
    expect(saleReducer(over, { type: 'backspace' })).toMatchObject({ entry: 9_999_999_999, capped: false });
    expect(run({ type: 'digits', digits: '000' })).toMatchObject({ entry: 0, capped: false });
  });
});
