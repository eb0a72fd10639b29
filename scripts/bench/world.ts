// The bench's payment world: the demo credit authority and trust store (src-main/wallet/demo.ts),
// plus a fast factory of genuine exchanges. The factory builds every message with the protocol's
// own encoders and signs licenses and authorizations through node:crypto (OpenSSL, ~0.05 ms per
// signature instead of ~2 ms in pure JS), so hundreds of thousands of distinct, verifiable taps
// can be made in seconds. OpenSSL does not normalise S, so about half the signatures are high-S,
// as from real phone key stores.
import { createPrivateKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import type {
  ExchangeBytes,
  LicenseHistory,
  LicenseIdentity,
  PaymentFacts,
  PaymentOrder,
  SessionResult,
} from '../../src-main/domain/payment';
import { licenseIdentityKey } from '../../src-main/verification/license-identity';
import { createDemoEnvironment, type DemoEnvironment } from '../../src-main/wallet/demo';
import { signCoseSign1 } from '../../src-main/protocol/cose';
import { encodeLicenseContent, type LicenseContent } from '../../src-main/protocol/license-payload';
import { encodeAuthorizationContent } from '../../src-main/protocol/authorization-payload';
import {
  encodeAuthorizationMessage,
  encodeDeductionRequest,
  encodePaymentRequest,
  encodePaymentResponse,
} from '../../src-main/protocol/messages';
import { wrapRequest, wrapResponse } from '../../src-main/protocol/envelope';
import { licenseHash, transcriptHash } from '../../src-main/protocol/transcript';
import { COSE_ALGORITHMS } from '../../src-main/protocol/signature';

export const DAY_MS = 86_400_000;
export const MERCHANT_ID = 'bench-merchant';
export const TERMINAL_ID = 'bench-terminal-01';
export const TIME_ZONE = 'Asia/Shanghai';
export const CUTOFF_HOUR = 4;
/** Fixed epoch the world is laid around, so cached fixtures stay valid: 2026-06-01T00:00:00Z. */
export const WORLD_EPOCH = Date.UTC(2026, 5, 1);
/** Large enough that no bench run reaches a license's offline limit. */
export const BENCH_OFFLINE_LIMIT = 1_000_000_000_000;

const b64u = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');

export function p256PrivateKey(secretKey: Uint8Array, publicKey: Uint8Array): KeyObject {
  return createPrivateKey({
    key: { kty: 'EC', crv: 'P-256', d: b64u(secretKey), x: b64u(publicKey.subarray(1, 33)), y: b64u(publicKey.subarray(33, 65)) },
    format: 'jwk',
  });
}

export function rawSignature(key: KeyObject, data: Uint8Array): Uint8Array {
  return new Uint8Array(sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' }));
}

export interface World {
  env: DemoEnvironment;
  now: number;
  currency: string;
  authorityKey: KeyObject;
}

export function createWorld(now = WORLD_EPOCH): World {
  const env = createDemoEnvironment({ now, seed: 'nfcpay-bench', offlineLimit: BENCH_OFFLINE_LIMIT });
  return { env, now, currency: env.currency, authorityKey: p256PrivateKey(env.authority.secretKey, env.authority.publicKey) };
}

export interface Phone {
  serial: string;
  accountId: string;
  license: Uint8Array;
  licenseHash: Uint8Array;
  content: LicenseContent;
  appKey: KeyObject;
  counter: number;
}

/** A genuine tap: the four messages as the terminal sent and received them, and what it learned. */
export interface Tap {
  order: PaymentOrder;
  phone: Phone;
  nonce: Uint8Array;
  requestPayload: Uint8Array;
  responsePayload: Uint8Array;
  deductionPayload: Uint8Array;
  exchange: Required<ExchangeBytes>;
  facts: PaymentFacts;
}

export interface ExchangeFactoryOptions {
  /** Distinct phones (licenses); taps cycle through them, each counter growing. */
  phones: number;
  /** Validity window of the licenses, epoch ms. */
  notBefore: number;
  notAfter: number;
}

export class ExchangeFactory {
  readonly phones: Phone[] = [];
  private next = 0;

  constructor(
    private readonly world: World,
    options: ExchangeFactoryOptions,
  ) {
    const { env } = world;
    for (let i = 0; i < options.phones; i++) {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const jwk = publicKey.export({ format: 'jwk' }) as { x: string; y: string };
      const point = new Uint8Array(65);
      point[0] = 0x04;
      point.set(Buffer.from(jwk.x, 'base64url'), 1);
      point.set(Buffer.from(jwk.y, 'base64url'), 33);
      const serial = `bench-${String(i).padStart(6, '0')}-${randomBytes(4).toString('hex')}`;
      const content: LicenseContent = {
        serial,
        accountId: `acct-${String(i).padStart(8, '0')}`,
        appPublicKey: point,
        offlineLimit: BENCH_OFFLINE_LIMIT,
        currency: world.currency,
        notBefore: Math.floor(options.notBefore / 1000),
        notAfter: Math.floor(options.notAfter / 1000),
      };
      const license = signCoseSign1(encodeLicenseContent(content), COSE_ALGORITHMS.ES256, env.authority.kid, (tbs) =>
        rawSignature(world.authorityKey, tbs),
      );
      this.phones.push({
        serial,
        accountId: content.accountId,
        license,
        licenseHash: licenseHash(license),
        content,
        appKey: privateKey,
        counter: 0,
      });
    }
  }

  /** A fresh order for the next phone in turn. */
  order(amount: number, extra: Partial<PaymentOrder> = {}): PaymentOrder {
    return {
      transactionId: randomBytes(16).toString('hex'),
      amount,
      currency: this.world.currency,
      merchantId: MERCHANT_ID,
      terminalId: TERMINAL_ID,
      ...extra,
    };
  }

  /** The whole exchange for `order`, signed by the next phone with its next counter. */
  tap(order: PaymentOrder): Tap {
    const phone = this.phones[this.next % this.phones.length] as Phone;
    this.next += 1;
    phone.counter += 1;
    const fields = {
      transactionId: order.transactionId,
      amount: order.amount,
      currency: order.currency,
      merchantId: order.merchantId,
      terminalId: order.terminalId,
    };
    const requestPayload = encodePaymentRequest(fields);
    const responsePayload = encodePaymentResponse({ license: phone.license });
    const nonce = new Uint8Array(randomBytes(16));
    const deductionPayload = encodeDeductionRequest({
      transactionId: order.transactionId,
      amount: order.amount,
      currency: order.currency,
      nonce,
      licenseHash: phone.licenseHash,
    });
    const authorization = signCoseSign1(
      encodeAuthorizationContent({
        ...fields,
        nonce,
        licenseHash: phone.licenseHash,
        counter: phone.counter,
        transcriptHash: transcriptHash(requestPayload, responsePayload, deductionPayload),
      }),
      COSE_ALGORITHMS.ES256,
      undefined,
      (tbs) => rawSignature(phone.appKey, tbs),
    );
    const exchange: Required<ExchangeBytes> = {
      paymentRequest: wrapRequest(requestPayload),
      paymentResponse: wrapResponse(responsePayload),
      license: phone.license,
      deductionRequest: wrapRequest(deductionPayload),
      authorization,
      paymentAuthorization: wrapResponse(encodeAuthorizationMessage({ authorization })),
    };
    const facts: PaymentFacts = {
      accountId: phone.accountId,
      licenseSerial: phone.serial,
      authorityKid: this.world.env.authority.kid,
      authorityId: this.world.env.authority.authorityId,
      appCounter: phone.counter,
      licenseNotBefore: phone.content.notBefore * 1000,
      licenseNotAfter: phone.content.notAfter * 1000,
      offlineLimit: phone.content.offlineLimit,
    };
    return { order, phone, nonce, requestPayload, responsePayload, deductionPayload, exchange, facts };
  }

  /** The session result the terminal would have recorded for the tap. */
  static approved(tap: Tap, startedAt: number, finishedAt: number): SessionResult {
    return {
      order: tap.order,
      decision: { outcome: 'approved', facts: tap.facts },
      exchange: tap.exchange,
      startedAt,
      finishedAt,
      apduCount: 5,
    };
  }
}

/** License history kept in memory (what the ledger answers, without the ledger). */
export function memoryHistory(): LicenseHistory & { note(license: LicenseIdentity, counter: number, amount: number): void } {
  const counters = new Map<string, number>();
  const spent = new Map<string, number>();
  return {
    lastCounter: (license) => counters.get(licenseIdentityKey(license)),
    spentOffline: (license) => spent.get(licenseIdentityKey(license)) ?? 0,
    note(license, counter, amount) {
      const key = licenseIdentityKey(license);
      counters.set(key, counter);
      spent.set(key, (spent.get(key) ?? 0) + amount);
    },
  };
}
