// Verifies a payment authorization: signature with the licensed app key (ES256, raw r||s,
// high-S accepted), then each bound field, then the app counter and the offline limit.
import type { LicenseHistory, LicenseIdentity } from '../domain/payment';
import { bytesEqual, toHex } from '../protocol/bytes';
import { parseCoseSign1, sigStructure } from '../protocol/cose';
import { fail } from '../protocol/errors';
import { parseAuthorizationContent, type AuthorizationContent } from '../protocol/authorization-payload';
import { COSE_ALGORITHMS, looksLikeDer, verifyEs256 } from '../protocol/signature';
import { MAX_MESSAGE_BYTES } from '../protocol/limits';
import type { OrderFields } from '../protocol/messages';
import type { LicenseContent } from '../protocol/license-payload';

/** Parses and checks the signature; returns the signed content. Throws ProtocolError. */
export function verifyAuthorizationSignature(bytes: Uint8Array, appPublicKey: Uint8Array): AuthorizationContent {
  if (bytes.length > MAX_MESSAGE_BYTES) fail('message_too_large', `authorization of ${bytes.length} bytes`);
  const cose = parseCoseSign1(bytes, 'authorization');
  const content = parseAuthorizationContent(cose.payload);
  if (cose.alg !== COSE_ALGORITHMS.ES256) fail('unsupported_algorithm', `authorization algorithm ${cose.alg} is not ES256 (-7)`);
  if (looksLikeDer(cose.signature)) fail('signature_der_encoded', 'authorization signature is DER, not raw r||s');
  if (!verifyEs256(appPublicKey, sigStructure(cose.protectedBytes, cose.payload), cose.signature)) {
    fail('authorization_signature_invalid', 'authorization signature does not verify with the licensed app key');
  }
  return content;
}

/** What the terminal sent, which the authorization must repeat exactly. */
export interface ExpectedBinding {
  order: OrderFields;
  nonce: Uint8Array;
  licenseHash: Uint8Array;
  transcriptHash: Uint8Array;
}

export function checkBinding(content: AuthorizationContent, expected: ExpectedBinding): void {
  const { order } = expected;
  if (content.transactionId !== order.transactionId) fail('transaction_mismatch', `signed transaction ${content.transactionId}, expected ${order.transactionId}`);
  if (content.amount !== order.amount) fail('amount_mismatch', `signed amount ${content.amount}, expected ${order.amount}`);
  if (content.currency !== order.currency) fail('currency_mismatch', `signed currency ${content.currency}, expected ${order.currency}`);
  if (content.merchantId !== order.merchantId) fail('merchant_mismatch', `signed merchant ${content.merchantId}, expected ${order.merchantId}`);
  if (content.terminalId !== order.terminalId) fail('terminal_mismatch', `signed terminal ${content.terminalId}, expected ${order.terminalId}`);
  if (!bytesEqual(content.nonce, expected.nonce)) fail('nonce_mismatch', `signed nonce ${toHex(content.nonce)} is not the one sent`);
  if (!bytesEqual(content.licenseHash, expected.licenseHash)) fail('license_hash_mismatch', 'signed license hash is not the presented license');
  if (!bytesEqual(content.transcriptHash, expected.transcriptHash)) fail('transcript_mismatch', 'signed transcript hash differs from the exchange');
}

/** The counter must grow past anything this terminal saw for the license (0 when unseen). */
export function checkCounter(counter: number, license: LicenseIdentity, history: LicenseHistory): void {
  const last = history.lastCounter(license) ?? 0;
  // Written so that a history answer that is not a number (NaN) declines instead of approving.
  if (!(counter > last)) fail('counter_replayed', `app counter ${counter} not above ${last} already seen for ${describeLicense(license)}`);
}

export function checkOfflineLimit(amount: number, identity: LicenseIdentity, license: LicenseContent, history: LicenseHistory): void {
  const spent = history.spentOffline(identity, license.currency);
  // Subtraction stays exact for safe integers, and NaN from a broken history declines.
  if (!(amount <= license.offlineLimit - spent)) {
    fail('offline_limit_exceeded', `${amount} + ${spent} already spent exceeds offline limit ${license.offlineLimit} ${license.currency}`);
  }
}

function describeLicense(license: LicenseIdentity): string {
  return `license ${license.serial} of ${license.authorityId}`;
}
