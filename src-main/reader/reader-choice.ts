// Which PC/SC readers the terminal listens to, and what kind of tag a reader reports. Pure
// functions of reader names and ATR bytes, so the rules are tested without hardware.
import type { CardKind } from './reader-service';

/**
 * Multi-interface readers (ACR1252U, ACR1281U, OMNIKEY 5422...) also show their SAM slot or
 * contact slot as a PC/SC reader; a phone can never be tapped there.
 */
export function isSamSlot(readerName: string): boolean {
  return /\bSAM\b/i.test(readerName);
}

/**
 * vsmartcard's vpcd driver shows its virtual readers whenever it is installed (setup.sh installs
 * it for the tests), whether or not a virtual phone is connected: it is no sign of hardware.
 */
export function isVirtualReader(readerName: string): boolean {
  return /^Virtual PCD\b/.test(readerName);
}

export function usableReaders(names: readonly string[]): string[] {
  return names.filter((name) => !isSamSlot(name)).sort();
}

/**
 * The readers to watch: the configured one (when it is present and usable), else every usable
 * reader when none is configured.
 */
export function chooseReaders(names: readonly string[], configured: string | undefined): string[] {
  const usable = usableReaders(names);
  if (configured === undefined || configured === '') return usable;
  return usable.includes(configured) ? [configured] : [];
}

/**
 * A PC/SC part 3 reader builds the ATR of a contactless card itself: for a storage card
 * (MIFARE Classic/Ultralight, FeliCa, ISO 15693) its historical bytes start with 80 4F
 * (registered application identifier); for an ISO 14443-4 card they are the ATS historical
 * bytes or nothing. Only the latter can be a phone in Host Card Emulation.
 */
export function cardKindFromAtr(atr: Uint8Array): CardKind {
  if (atr.length < 2 || atr[0] !== 0x3b) return 'other';
  const historicalCount = (atr[1] ?? 0) & 0x0f;
  // Skip the interface bytes: each indicator's high nibble says which of TA, TB, TC, TD follow.
  let offset = 2;
  let present = (atr[1] ?? 0) >> 4;
  for (;;) {
    offset += (present & 1) + ((present >> 1) & 1) + ((present >> 2) & 1);
    if (!(present & 8)) break;
    present = (atr[offset] ?? 0) >> 4;
    offset += 1;
  }
  const historical = atr.subarray(offset, offset + historicalCount);
  if (historical.length >= 2 && historical[0] === 0x80 && historical[1] === 0x4f) return 'other';
  return 'iso-dep';
}
