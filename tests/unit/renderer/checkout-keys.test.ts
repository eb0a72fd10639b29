// The checkout's key tables: keyboard and keypad reach the same sale actions.
import { describe, expect, it } from 'vitest';
import { padKeyAction, paymentKeyAction, saleKeyAction, type PadKey } from '../../../src-renderer/lib/checkout-keys';

describe('sale keys', () => {
  it('maps each keyboard key the checkout documents, and leaves every other key alone', () => {
    expect(saleKeyAction('7')).toEqual({ type: 'digits', digits: '7' });
    expect(saleKeyAction('Enter')).toEqual({ type: 'charge' });
    expect(saleKeyAction('Backspace')).toEqual({ type: 'backspace' });
    expect(saleKeyAction('Escape')).toEqual({ type: 'clear' });
    for (const key of ['*', 'x', 'X']) expect(saleKeyAction(key)).toEqual({ type: 'multiply' });
    expect(saleKeyAction('+')).toEqual({ type: 'add-item' });
    expect(saleKeyAction('Delete')).toEqual({ type: 'remove-last-item' });
    expect(saleKeyAction('F2')).toEqual({ type: 'describe' });
    expect(saleKeyAction('F4')).toEqual({ type: 'refund' });
    expect(saleKeyAction('F8')).toEqual({ type: 'print-last' });
    for (const key of ['a', 'F9', 'Tab', '12', 'toString', 'constructor', '']) expect(saleKeyAction(key), key).toBeNull();
  });

  it('gives the on-screen keypad the same actions as the keys printed on it', () => {
    const same: [PadKey, string][] = [
      ['enter', 'Enter'],
      ['backspace', 'Backspace'],
      ['clear', 'Escape'],
      ['multiply', '*'],
      ['add', '+'],
      ['5', '5'],
    ];
    for (const [pad, key] of same) expect(padKeyAction(pad), pad).toEqual(saleKeyAction(key));
    expect(padKeyAction('00')).toEqual({ type: 'digits', digits: '00' });
  });
});

describe('payment keys', () => {
  it('Escape cancels or dismisses, Enter confirms, a digit starts the next sale, P prints', () => {
    expect(paymentKeyAction('Escape')).toEqual({ type: 'cancel-or-dismiss' });
    expect(paymentKeyAction('Enter')).toEqual({ type: 'confirm' });
    expect(paymentKeyAction('3')).toEqual({ type: 'next-sale', digit: '3' });
    expect(paymentKeyAction('p')).toEqual({ type: 'print' });
    expect(paymentKeyAction('P')).toEqual({ type: 'print' });
    expect(paymentKeyAction('Backspace')).toBeNull();
  });
});
