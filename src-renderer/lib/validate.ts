// Form checks with the same rules main enforces (src-main/ipc/contract.ts), so the manager
// sees a translated message before a request is refused. Returns the message key or null.
import { pinWeakness } from '../../src-main/domain/pin-strength';
import { IDENTIFIER, PIN_MAX_LENGTH, PIN_MIN_LENGTH } from '../../src-main/ipc/constants';

export type Problem =
  | 'validate.merchantId'
  | 'validate.merchantName'
  | 'validate.terminalId'
  | 'validate.pinFormat'
  | 'validate.pinWeak.one-digit'
  | 'validate.pinWeak.sequence'
  | 'validate.pinWeak.repeated-pair'
  | 'validate.pinMismatch'
  | 'validate.settlementAddress';

export function checkMerchantId(value: string): Problem | null {
  return IDENTIFIER.test(value.trim()) ? null : 'validate.merchantId';
}

export function checkMerchantName(value: string): Problem | null {
  const trimmed = value.trim();
  return trimmed.length >= 1 && trimmed.length <= 64 ? null : 'validate.merchantName';
}

export function checkTerminalId(value: string): Problem | null {
  return IDENTIFIER.test(value.trim()) ? null : 'validate.terminalId';
}

export function checkPinPair(pin: string, again: string): Problem | null {
  if (!new RegExp(`^\\d{${PIN_MIN_LENGTH},${PIN_MAX_LENGTH}}$`).test(pin)) return 'validate.pinFormat';
  // The same rule main applies when the PIN is saved.
  const weak = pinWeakness(pin);
  if (weak) return `validate.pinWeak.${weak}`;
  return pin === again ? null : 'validate.pinMismatch';
}

/** '' (no settlement service) or an http(s) address without credentials, query or fragment. */
export function checkSettlementAddress(value: string): Problem | null {
  const text = value.trim();
  if (text === '') return null;
  try {
    const url = new URL(text);
    const plain = url.username === '' && url.password === '' && url.search === '' && url.hash === '';
    return (url.protocol === 'http:' || url.protocol === 'https:') && plain && text.length <= 200 ? null : 'validate.settlementAddress';
  } catch {
    return 'validate.settlementAddress';
  }
}
