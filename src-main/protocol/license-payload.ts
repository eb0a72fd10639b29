// Content of the APP public key license: the COSE_Sign1 payload the credit authority signs.
import { decodeCbor, encodeCbor } from './cbor';
import { Fields, SERIAL_PATTERN } from './fields';

export const LicenseKey = {
  serial: 1,
  accountId: 2,
  appPublicKey: 3,
  offlineLimit: 4,
  currency: 5,
  notBefore: 6,
  notAfter: 7,
} as const;

export interface LicenseContent {
  serial: string;
  accountId: string;
  /** Should be a SEC1 uncompressed P-256 point (65 bytes); checked later (app_key_invalid). */
  appPublicKey: Uint8Array;
  /** Largest total this license may spend offline at one terminal, minor units of `currency`. */
  offlineLimit: number;
  currency: string;
  /** Validity window, epoch seconds (inclusive). */
  notBefore: number;
  notAfter: number;
}

const MAX_PUBLIC_KEY_BYTES = 133;

export function encodeLicenseContent(content: LicenseContent): Uint8Array {
  return encodeCbor(
    new Map<number, unknown>([
      [LicenseKey.serial, content.serial],
      [LicenseKey.accountId, content.accountId],
      [LicenseKey.appPublicKey, content.appPublicKey],
      [LicenseKey.offlineLimit, content.offlineLimit],
      [LicenseKey.currency, content.currency],
      [LicenseKey.notBefore, content.notBefore],
      [LicenseKey.notAfter, content.notAfter],
    ]),
  );
}

export function parseLicenseContent(payload: Uint8Array): LicenseContent {
  const f = new Fields(decodeCbor(payload), 'license', Object.values(LicenseKey));
  return {
    serial: f.text(LicenseKey.serial, SERIAL_PATTERN),
    accountId: f.text(LicenseKey.accountId),
    // Any length up to a P-521 point parses: a signed key of the wrong form or size
    // (compressed, other curve) is app_key_invalid at its own pipeline step.
    appPublicKey: f.bytes(LicenseKey.appPublicKey, 1, MAX_PUBLIC_KEY_BYTES),
    offlineLimit: f.uint(LicenseKey.offlineLimit),
    currency: f.currency(LicenseKey.currency),
    notBefore: f.uint(LicenseKey.notBefore),
    notAfter: f.uint(LicenseKey.notAfter),
  };
}
