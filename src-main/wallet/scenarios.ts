// Named phone behaviours with the outcome the terminal must reach. The stub reader, the
// virtual phone, UI tests and demo mode select phones by these names (wallet/demo.ts builds them).
import type { ReasonCode } from '../domain/reasons';
import type { Misbehaviour } from './misbehaviour';

/** How the scenario's license differs from a good one issued by the demo authority. */
export interface LicenseVariant {
  /** Who signs: the trusted authority (default), one outside the trust store, one past its window, one revoked. */
  issuer?: 'main' | 'rogue' | 'retired' | 'revoked';
  validity?: 'current' | 'expired' | 'not-yet-valid';
  /** Use the demo revocation list's revoked serial. */
  revokedSerial?: boolean;
  /** Put a point that is not on P-256 in the license. */
  invalidAppKey?: boolean;
  /** License currency; 'XXX' never matches a real order. */
  currency?: string;
  offlineLimit?: number;
  /** COSE alg id written in the license's protected header. */
  algorithm?: number;
}

export type Expectation = { outcome: 'approved' } | { outcome: 'declined'; reason: ReasonCode };

export interface Scenario {
  description: string;
  misbehaviour: Misbehaviour;
  license?: LicenseVariant;
  expect: Expectation;
}

const approve: Expectation = { outcome: 'approved' };
const decline = (reason: ReasonCode): Expectation => ({ outcome: 'declined', reason });

export const SCENARIOS = {
  approve: { description: 'A good phone with a valid license', misbehaviour: {}, expect: approve },
  'high-s': { description: 'Signs with high-S ECDSA values, as phone key stores do', misbehaviour: { highS: true }, expect: approve },
  slow: {
    description: 'Answers each message after 150 ms (within the step timeout)',
    misbehaviour: { replyDelayMs: 150 },
    expect: approve,
  },
  'removed-early': {
    description: 'Leaves the field right after SELECT',
    misbehaviour: { vanishAtApdu: 2 },
    expect: decline('card_removed'),
  },
  'removed-late': {
    description: 'Leaves the field when the deduction request arrives',
    misbehaviour: { vanishAtApdu: 3 },
    expect: decline('card_removed'),
  },
  silent: { description: 'Stops answering after SELECT', misbehaviour: { silentAtApdu: 2 }, expect: decline('step_timeout') },
  'not-payment-app': {
    description: 'A phone without the payment app (SELECT 6A82)',
    misbehaviour: { notPaymentApp: true },
    expect: decline('not_payment_phone'),
  },
  locked: { description: 'Locked phone: SELECT answers 6982 until unlocked', misbehaviour: { locked: true }, expect: decline('see_phone') },
  'reader-fault': {
    description: 'The reader fails mid-exchange (in-memory channel only)',
    misbehaviour: { readerFaultAtApdu: 2 },
    expect: decline('reader_error'),
  },
  oversized: {
    description: 'Replies with 10 KiB',
    misbehaviour: { corruptReply: { message: 'payment-response', fault: 'oversized' } },
    expect: decline('message_too_large'),
  },
  'bad-apdu': {
    description: 'Answers the exchange with status 6F00',
    misbehaviour: { corruptReply: { message: 'payment-response', fault: 'status' } },
    expect: decline('malformed_apdu'),
  },
  garbled: {
    description: 'Replies with bytes that are not SNEP',
    misbehaviour: { corruptReply: { message: 'payment-response', fault: 'snep' } },
    expect: decline('malformed_snep'),
  },
  'snep-error': {
    description: 'Answers SNEP Reject',
    misbehaviour: { corruptReply: { message: 'authorization', fault: 'snep-error' } },
    expect: decline('snep_error'),
  },
  'bad-ndef': {
    description: 'Replies with a text record instead of the payment record',
    misbehaviour: { corruptReply: { message: 'payment-response', fault: 'ndef' } },
    expect: decline('malformed_ndef'),
  },
  'bad-cbor': {
    description: 'Replies with CBOR holding a duplicate map key',
    misbehaviour: { corruptReply: { message: 'payment-response', fault: 'cbor' } },
    expect: decline('malformed_cbor'),
  },
  'bad-message': {
    description: 'Replies with a payment response without its license',
    misbehaviour: { corruptReply: { message: 'payment-response', fault: 'message' } },
    expect: decline('malformed_message'),
  },
  'bad-cose': {
    description: 'Sends an authorization that is not a COSE_Sign1',
    misbehaviour: { corruptReply: { message: 'authorization', fault: 'cose' } },
    expect: decline('malformed_cose'),
  },
  'unsupported-algorithm': {
    description: 'Authorization claims ES384',
    misbehaviour: { authorizationAlg: -35 },
    expect: decline('unsupported_algorithm'),
  },
  'der-signature': {
    description: 'Authorization signature in DER instead of raw r||s',
    misbehaviour: { derSignature: true },
    expect: decline('signature_der_encoded'),
  },
  'unknown-authority': {
    description: 'License signed by an authority the terminal does not trust',
    misbehaviour: {},
    license: { issuer: 'rogue' },
    expect: decline('unknown_authority'),
  },
  'retired-authority': {
    description: 'License signed by an authority key past its validity window',
    misbehaviour: {},
    license: { issuer: 'retired' },
    expect: decline('authority_key_not_valid'),
  },
  'tampered-license': {
    description: 'License content changed after signing',
    misbehaviour: { tamperLicense: true },
    expect: decline('license_signature_invalid'),
  },
  'not-yet-valid-license': {
    description: 'License valid only from next year',
    misbehaviour: {},
    license: { validity: 'not-yet-valid' },
    expect: decline('license_not_yet_valid'),
  },
  'expired-license': {
    description: 'License expired last year',
    misbehaviour: {},
    license: { validity: 'expired' },
    expect: decline('license_expired'),
  },
  'revoked-license': {
    description: 'License serial on the revocation list',
    misbehaviour: {},
    license: { revokedSerial: true },
    expect: decline('license_revoked'),
  },
  'revoked-authority': {
    description: 'License signed by a revoked authority key',
    misbehaviour: {},
    license: { issuer: 'revoked' },
    expect: decline('authority_revoked'),
  },
  'invalid-app-key': {
    description: 'License certifies a point that is not on P-256',
    misbehaviour: {},
    license: { invalidAppKey: true },
    expect: decline('app_key_invalid'),
  },
  'currency-not-licensed': {
    description: 'License for another currency (XXX)',
    misbehaviour: {},
    license: { currency: 'XXX' },
    expect: decline('currency_not_licensed'),
  },
  'bad-signature': {
    description: 'Authorization signed by a key other than the licensed one',
    misbehaviour: { wrongKey: true },
    expect: decline('authorization_signature_invalid'),
  },
  'wrong-transaction': {
    description: 'Signs another transaction id',
    misbehaviour: { wrongField: 'transaction' },
    expect: decline('transaction_mismatch'),
  },
  'wrong-amount': { description: 'Signs amount + 1', misbehaviour: { wrongField: 'amount' }, expect: decline('amount_mismatch') },
  'wrong-currency': {
    description: 'Signs another currency',
    misbehaviour: { wrongField: 'currency' },
    expect: decline('currency_mismatch'),
  },
  'wrong-merchant': {
    description: 'Signs another merchant',
    misbehaviour: { wrongField: 'merchant' },
    expect: decline('merchant_mismatch'),
  },
  'wrong-terminal': {
    description: 'Signs another terminal',
    misbehaviour: { wrongField: 'terminal' },
    expect: decline('terminal_mismatch'),
  },
  'stale-nonce': {
    description: 'Signs the nonce of an earlier exchange',
    misbehaviour: { wrongField: 'nonce' },
    expect: decline('nonce_mismatch'),
  },
  'wrong-license-hash': {
    description: 'Signs the hash of another license',
    misbehaviour: { wrongField: 'license-hash' },
    expect: decline('license_hash_mismatch'),
  },
  'wrong-transcript': {
    description: 'Signs a different transcript hash',
    misbehaviour: { wrongField: 'transcript' },
    expect: decline('transcript_mismatch'),
  },
  'replayed-counter': {
    description: 'Reuses its last counter (0 on a fresh wallet)',
    misbehaviour: { reuseCounter: true },
    expect: decline('counter_replayed'),
  },
  'counter-jump': {
    description: 'Jumps its counter 2^32 + 1 ahead, past what a terminal accepts',
    misbehaviour: { counterJump: 2 ** 32 + 1 },
    expect: decline('counter_out_of_range'),
  },
  'over-limit': {
    description: 'License with an offline limit of 0',
    misbehaviour: {},
    license: { offlineLimit: 0 },
    expect: decline('offline_limit_exceeded'),
  },
} as const satisfies Record<string, Scenario>;

export type ScenarioName = keyof typeof SCENARIOS;

export const SCENARIO_NAMES = Object.keys(SCENARIOS) as ScenarioName[];

export function isScenarioName(name: string): name is ScenarioName {
  return Object.hasOwn(SCENARIOS, name);
}

export function getScenario(name: ScenarioName): Scenario {
  return SCENARIOS[name];
}
