import { describe, expect, it } from 'vitest';
import * as contract from '../../../src-main/ipc/contract';
import * as limits from '../../../src-renderer/lib/limits';

// The renderer imports the contract type-only (no zod in the bundle) and mirrors its limits.
describe('renderer limits mirror the IPC contract', () => {
  it('uses the same numbers', () => {
    expect(limits.MAX_AMOUNT).toBe(contract.MAX_AMOUNT_MINOR);
    expect(limits.MAX_LINE_ITEMS).toBe(contract.MAX_ITEMS);
    expect(limits.PIN_MIN_LENGTH).toBe(contract.PIN_MIN_LENGTH);
    expect(limits.PIN_MAX_LENGTH).toBe(contract.PIN_MAX_LENGTH);
    expect(limits.WAIT_TIMEOUT_MIN_S * 1000).toBe(contract.WAIT_TIMEOUT_MIN_MS);
    expect(limits.WAIT_TIMEOUT_MAX_S * 1000).toBe(contract.WAIT_TIMEOUT_MAX_MS);
  });

  it('accepts exactly the identifiers the settings schema accepts', () => {
    for (const id of ['T01', 'M-000123', 'a', 'a'.repeat(32), '_x', '-x', '', 'a'.repeat(33), 'a b', 'é']) {
      const ok = contract.SettingsUpdateSchema.safeParse({ terminalId: id }).success;
      expect(limits.IDENTIFIER.test(id), id).toBe(ok);
    }
  });

  it('keeps item descriptions within the contract', () => {
    const item = (description: string) => contract.LineItemSchema.safeParse({ description, quantity: 1, unitPrice: 1 }).success;
    expect(item('x'.repeat(limits.DESCRIPTION_MAX))).toBe(true);
    expect(item('x'.repeat(limits.DESCRIPTION_MAX + 1))).toBe(false);
  });
});
