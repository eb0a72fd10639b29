// Genuinely signed payments for ledger tests. `realPayment` runs the terminal session against the
// reference phone wallet (the real protocol, both sides). `FastPhone` produces the same messages
// with the protocol's own encoders but signs with node:crypto, so thousands of distinct signed
// approvals take seconds instead of minutes (the pure-JS signer and verifier take ~5 ms each).
import { createPrivateKey, randomBytes, sign, type KeyObject } from 'node:crypto';
import type { LicenseHistory, PaymentOrder, SessionResult } from '../../../src-main/domain/payment';
import { encodeAuthorizationContent } from '../../../src-main/protocol/authorization-payload';
import { signCoseSign1 } from '../../../src-main/protocol/cose';
import { wrapRequest, wrapResponse } from '../../../src-main/protocol/envelope';
import {
  encodeAuthorizationMessage,
  encodeDeductionRequest,
  encodePaymentRequest,
  encodePaymentResponse,
} from '../../../src-main/protocol/messages';
import { COSE_ALGORITHMS, publicKeyFor, nobleVerifier } from '../../../src-main/protocol/signature';
import { licenseHash, transcriptHash } from '../../../src-main/protocol/transcript';
import { runTerminalSession } from '../../../src-main/session/terminal-session';
import { licenseFacts, readLicense } from '../../../src-main/verification/license';
import { CLOCK_SKEW_MS } from '../../../src-main/verification/license';
import { createDemoEnvironment, type DemoEnvironment } from '../../../src-main/wallet/demo';
import type { ScenarioName } from '../../../src-main/wallet/scenarios';
import { walletChannel } from '../../../src-main/wallet/wallet-channel';

export const TERMINAL = 'T-0001';
export const MERCHANT = 'M-42';

export function demoWorld(now: number): DemoEnvironment {
  return createDemoEnvironment({ now, seed: 'ledger-tests', offlineLimit: 1_000_000_000 });
}

export function order(amount: number, extra: Partial<PaymentOrder> = {}): PaymentOrder {
  return {
    transactionId: randomBytes(16).toString('hex'),
    amount,
    currency: 'CNY',
    merchantId: MERCHANT,
    terminalId: TERMINAL,
    ...extra,
  };
}

/** One payment through the terminal session and the reference wallet of `scenario`. */
export async function realPayment(
  env: DemoEnvironment,
  scenario: ScenarioName,
  paymentOrder: PaymentOrder,
  history: LicenseHistory,
  now: number,
): Promise<SessionResult> {
  const channel = walletChannel(env.walletFor(scenario));
  channel.tap();
  return runTerminalSession({
    channel,
    order: paymentOrder,
    verification: {
      clock: () => now,
      clockSkewMs: CLOCK_SKEW_MS,
      verifier: nobleVerifier,
      trustStore: env.trustStore,
      revocations: env.revocations,
      history,
    },
    random: (n) => randomBytes(n),
  });
}

function b64u(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}

/** A phone holding a demo license, producing approvals exactly as the wallet would, signed by OpenSSL. */
export class FastPhone {
  private readonly key: KeyObject;
  private readonly license: Uint8Array;
  private counter = 0;

  constructor(env: DemoEnvironment, scenario: ScenarioName) {
    const { appSecretKey, license } = env.credentialsFor(scenario);
    const point = publicKeyFor('ES256', appSecretKey);
    this.key = createPrivateKey({
      key: { kty: 'EC', crv: 'P-256', d: b64u(appSecretKey), x: b64u(point.subarray(1, 33)), y: b64u(point.subarray(33, 65)) },
      format: 'jwk',
    });
    this.license = license;
  }

  pay(paymentOrder: PaymentOrder, now: number): SessionResult {
    const requestPayload = encodePaymentRequest(paymentOrder);
    const responsePayload = encodePaymentResponse({ license: this.license });
    const nonce = randomBytes(16);
    const hash = licenseHash(this.license);
    const deductionPayload = encodeDeductionRequest({ ...paymentOrder, nonce, licenseHash: hash });
    this.counter += 1;
    const content = {
      transactionId: paymentOrder.transactionId,
      amount: paymentOrder.amount,
      currency: paymentOrder.currency,
      merchantId: paymentOrder.merchantId,
      terminalId: paymentOrder.terminalId,
      nonce,
      licenseHash: hash,
      counter: this.counter,
      transcriptHash: transcriptHash(requestPayload, responsePayload, deductionPayload),
    };
    const authorization = signCoseSign1(encodeAuthorizationContent(content), COSE_ALGORITHMS.ES256, undefined, (tbs) =>
      sign('sha256', tbs, { key: this.key, dsaEncoding: 'ieee-p1363' }),
    );
    const read = readLicense(this.license);
    return {
      order: paymentOrder,
      decision: { outcome: 'approved', facts: { ...licenseFacts(read.content, read.kid), appCounter: this.counter } },
      exchange: {
        paymentRequest: wrapRequest(requestPayload),
        paymentResponse: wrapResponse(responsePayload),
        license: this.license,
        deductionRequest: wrapRequest(deductionPayload),
        authorization,
        paymentAuthorization: wrapResponse(encodeAuthorizationMessage({ authorization })),
      },
      startedAt: now - 120,
      finishedAt: now - 5,
      apduCount: 5,
    };
  }
}
