// Figure 1: verification per tap with the product pipeline (parse both messages, both signature
// checks through @noble/curves, every rule), next to the same two signature checks through
// node:crypto (the floor), interleaved tap by tap in the same run.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { licenseIdentity } from '../../src-main/verification/license-identity';
import { checkPaymentAuthorization, checkPaymentResponse, type VerificationContext } from '../../src-main/verification/pipeline';
import { CLOCK_SKEW_MS } from '../../src-main/verification/license';
import { parseCoseSign1, sigStructure } from '../../src-main/protocol/cose';
import { readLicense, verifyLicense } from '../../src-main/verification/license';
import { verifyAuthorizationSignature } from '../../src-main/verification/authorization';
import { transcriptHash } from '../../src-main/protocol/transcript';
import { isValidP256PublicKey, verifyEs256, nobleVerifier } from '../../src-main/protocol/signature';
import { type Figure, verdictOf } from './figures';
import { cpuNow, now, ratio, summarize, ms, x, type Summary } from './stats';
import { createWorld, DAY_MS, ExchangeFactory, memoryHistory, type Tap } from './world';

export const GOAL_P99_MS = 12;

export interface VerificationOptions {
  taps: number;
  warmup: number;
}

const b64u = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');

function p256Key(point: Uint8Array): KeyObject {
  return createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: b64u(point.subarray(1, 33)), y: b64u(point.subarray(33, 65)) },
    format: 'jwk',
  });
}

function ieee(data: Uint8Array, key: KeyObject, signature: Uint8Array): boolean {
  return verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature);
}

export interface VerificationResult {
  product: Summary;
  floor: Summary;
  /** The same taps in this process's CPU time: what the code costs, without other processes' load. */
  productCpu: Summary;
  floorCpu: Summary;
  /** Sub-steps of the product pipeline, measured separately on the same taps. */
  steps: Record<string, Summary>;
}

export function measureVerification(options: VerificationOptions): VerificationResult {
  const world = createWorld();
  const factory = new ExchangeFactory(world, { phones: 50, notBefore: world.now - DAY_MS, notAfter: world.now + 365 * DAY_MS });
  const history = memoryHistory();
  const context: VerificationContext = {
    clock: () => world.now,
    clockSkewMs: CLOCK_SKEW_MS,
    verifier: nobleVerifier,
    trustStore: world.env.trustStore,
    revocations: world.env.revocations,
    history,
  };
  const authority = world.env.trustStore.find(world.env.authority.kid);
  if (!authority) throw new Error('bench authority missing from the trust store');
  const authorityKey = p256Key(authority.publicKey);

  const taps: Tap[] = [];
  for (let i = 0; i < options.taps + options.warmup; i++) taps.push(factory.tap(factory.order(100 + (i % 900))));

  const product: number[] = [];
  const floor: number[] = [];
  const productCpu: number[] = [];
  const floorCpu: number[] = [];
  taps.forEach((tap, index) => {
    const c0 = cpuNow();
    const t0 = now();
    const first = checkPaymentResponse(tap.order, tap.exchange.paymentResponse, context);
    if (!first.ok) throw new Error(`bench tap declined at the license: ${first.reason} ${first.detail}`);
    const second = checkPaymentAuthorization(
      {
        order: tap.order,
        license: first.value.license,
        nonce: tap.nonce,
        transcriptHash: transcriptHash(tap.requestPayload, first.value.payload, tap.deductionPayload),
        message: tap.exchange.paymentAuthorization,
      },
      context,
      first.facts,
    );
    const t1 = now();
    const c1 = cpuNow();
    if (!second.ok) throw new Error(`bench tap declined at the authorization: ${second.reason} ${second.detail}`);
    history.note(licenseIdentity(first.value.license), tap.facts.appCounter ?? 0, tap.order.amount);

    // The floor: the same two ECDSA checks through OpenSSL, the app key imported per tap as a
    // terminal meeting a new phone must; message bytes prepared outside the timed region.
    const license = readLicense(tap.exchange.license);
    const licenseTbs = sigStructure(license.protectedBytes, license.payload);
    const cose = parseCoseSign1(tap.exchange.authorization, 'authorization');
    const authTbs = sigStructure(cose.protectedBytes, cose.payload);
    const c2 = cpuNow();
    const t2 = now();
    const ok = ieee(licenseTbs, authorityKey, license.signature) && ieee(authTbs, p256Key(license.content.appPublicKey), cose.signature);
    const t3 = now();
    const c3 = cpuNow();
    if (!ok) throw new Error('node:crypto rejected a bench signature');
    if (index >= options.warmup) {
      product.push(t1 - t0);
      floor.push(t3 - t2);
      productCpu.push(c1 - c0);
      floorCpu.push(c3 - c2);
    }
  });

  // Where the product's time goes, in CPU time, each step alone on a sample of the same taps.
  const sample = taps.slice(options.warmup, options.warmup + Math.min(200, options.taps));
  const timed = (body: (tap: Tap) => unknown): Summary =>
    summarize(
      sample.map((tap) => {
        const c0 = cpuNow();
        body(tap);
        return cpuNow() - c0;
      }),
    );
  const licenseContext = {
    trustStore: context.trustStore,
    revocations: context.revocations,
    now: world.now,
    clockSkewMs: context.clockSkewMs,
    verifier: nobleVerifier,
  };
  const steps: Record<string, Summary> = {
    'verifyLicense (whole step 1-8)': timed((tap) => verifyLicense(tap.exchange.license, licenseContext)),
    'verifyAuthorizationSignature (new app key)': timed((tap) =>
      verifyAuthorizationSignature(tap.exchange.authorization, tap.phone.content.appPublicKey, nobleVerifier),
    ),
    'plain noble verifyEs256 (authority key)': timed((tap) => {
      const license = readLicense(tap.exchange.license);
      verifyEs256(authority.publicKey, sigStructure(license.protectedBytes, license.payload), license.signature);
    }),
    'app key point check': timed((tap) => isValidP256PublicKey(tap.phone.content.appPublicKey)),
    'parse license (CBOR+COSE)': timed((tap) => readLicense(tap.exchange.license)),
  };
  return { product: summarize(product), floor: summarize(floor), productCpu: summarize(productCpu), floorCpu: summarize(floorCpu), steps };
}

export function verificationFigure(result: VerificationResult): Figure {
  const { product, floor, productCpu, floorCpu, steps } = result;
  const r = ratio(product.p99, floor.p99);
  return {
    id: '1',
    title: 'Verification per tap (both messages, both signatures, all rules)',
    value: `p50 ${ms(product.p50)}, p99 ${ms(product.p99)} (n=${product.n}, @noble/curves)`,
    baseline: `node:crypto floor p50 ${ms(floor.p50, 3)}, p99 ${ms(floor.p99, 3)}`,
    ratio: r,
    goal: `p99 <= ${GOAL_P99_MS} ms; ratio to floor reported`,
    verdict: verdictOf(product.p99 <= GOAL_P99_MS),
    notes: [
      `ratio to the floor: p50 ${x(ratio(product.p50, floor.p50))}, p99 ${x(r)}`,
      `CPU time of this process (blind to other processes' load): pipeline p50 ${ms(productCpu.p50)}, p99 ${ms(productCpu.p99)}; floor p50 ${ms(floorCpu.p50, 3)}, p99 ${ms(floorCpu.p99, 3)}`,
      `sub-steps alone, CPU p50: ${Object.entries(steps)
        .map(([name, s]) => `${name} ${ms(s.p50)}`)
        .join('; ')}`,
    ],
    data: {
      taps: product.n,
      p50Ms: product.p50,
      p99Ms: product.p99,
      floorP50Ms: floor.p50,
      floorP99Ms: floor.p99,
      cpuP50Ms: productCpu.p50,
      cpuP99Ms: productCpu.p99,
      floorCpuP50Ms: floorCpu.p50,
      ...Object.fromEntries(Object.entries(steps).map(([name, s]) => [`step:${name}:p50Ms`, s.p50])),
    },
  };
}
