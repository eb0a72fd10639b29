// Random and mutated bytes into every parser: only ProtocolError may escape, and the
// pipeline and session turn everything into a decision.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCommand, parseResponse } from '../../../src-main/transport/apdu';
import { CardResponder } from '../../../src-main/transport/card-responder';
import { ProtocolError } from '../../../src-main/domain/protocol-error';
import { parseSnepGet, parseSnepResponse } from '../../../src-main/protocol/snep';
import { parseNdef } from '../../../src-main/protocol/ndef';
import { decodeCbor, encodeCbor } from '../../../src-main/protocol/cbor';
import { parseCoseSign1 } from '../../../src-main/protocol/cose';
import { unwrapRequest, unwrapResponse, wrapResponse } from '../../../src-main/protocol/envelope';
import {
  parseAuthorizationMessage,
  parseDeductionRequest,
  parsePaymentRequest,
  parsePaymentResponse,
} from '../../../src-main/protocol/messages';
import { parseLicenseContent } from '../../../src-main/protocol/license-payload';
import { parseAuthorizationContent } from '../../../src-main/protocol/authorization-payload';
import { fromHex } from '../../../src-main/domain/bytes';
import { verifyAuthorizationSignature } from '../../../src-main/verification/authorization';
import { verifyLicense } from '../../../src-main/verification/license';
import { checkPaymentAuthorization, checkPaymentResponse } from '../../../src-main/verification/pipeline';
import { runTerminalSession } from '../../../src-main/session/terminal-session';
import type { CardChannel } from '../../../src-main/transport/channel';
import { VECTOR_SEED, type Vectors } from '../../fixtures/protocol/vectors';
import { createDemoEnvironment } from '../../../src-main/wallet/demo';
import { MemoryHistory, NOW, demo, order, verificationFor } from './helpers';
import { nobleVerifier } from '../../../src-main/protocol/signature';

const vectors = JSON.parse(readFileSync(new URL('../../fixtures/protocol/vectors.json', import.meta.url), 'utf8')) as Vectors;
const approved = vectors.cases.find((c) => c.name === 'approve');
if (!approved) throw new Error('vectors lack the approve case');
const seeds = Object.values(approved.messages).map(fromHex);
seeds.push(...approved.apdus.flatMap((a) => [fromHex(a.command), fromHex(a.response)]));

/** Valid messages with one or a few bytes flipped, cut, inserted or removed. */
const mutated = fc
  .tuple(
    fc.constantFrom(...seeds),
    fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 4 }),
  )
  .map(([seed, edits]) => {
    let bytes = Array.from(seed);
    for (const [position, value, kind] of edits) {
      const at = bytes.length === 0 ? 0 : position % bytes.length;
      if (kind === 0) bytes[at] = value;
      else if (kind === 1) bytes = bytes.slice(0, at);
      else if (kind === 2) bytes.splice(at, 0, value);
      else bytes.splice(at, 1);
    }
    return Uint8Array.from(bytes);
  });
const anyBytes = fc.oneof(fc.uint8Array({ maxLength: 600 }), mutated);

function onlyProtocolErrors(parse: (bytes: Uint8Array) => unknown): void {
  fc.assert(
    fc.property(anyBytes, (bytes) => {
      try {
        parse(bytes);
      } catch (error) {
        if (!(error instanceof ProtocolError)) throw error;
      }
    }),
    { numRuns: 400 },
  );
}

// The vectors' world, so the recorded license verifies here.
const env = createDemoEnvironment({ now: NOW, seed: VECTOR_SEED });
const context = verificationFor(env, new MemoryHistory());
const licenseContext = { trustStore: env.trustStore, revocations: env.revocations, now: NOW, clockSkewMs: 0, verifier: nobleVerifier };
const appKey = env.walletFor('approve').appPublicKey;

describe('parsers throw nothing but ProtocolError', () => {
  const parsers: Record<string, (bytes: Uint8Array) => unknown> = {
    'APDU command': parseCommand,
    'APDU response': parseResponse,
    'SNEP response': parseSnepResponse,
    'SNEP GET request': parseSnepGet,
    NDEF: parseNdef,
    CBOR: decodeCbor,
    COSE_Sign1: (bytes) => parseCoseSign1(bytes, 'fuzz'),
    'response envelope': unwrapResponse,
    'request envelope': unwrapRequest,
    'payment request': parsePaymentRequest,
    'payment response': parsePaymentResponse,
    'deduction request': parseDeductionRequest,
    'authorization message': parseAuthorizationMessage,
    'license content': parseLicenseContent,
    'authorization content': parseAuthorizationContent,
    'license verification': (bytes) => verifyLicense(bytes, licenseContext),
    'authorization verification': (bytes) => verifyAuthorizationSignature(bytes, appKey, nobleVerifier),
  };
  it.each(Object.keys(parsers))('%s', (name) => onlyProtocolErrors(parsers[name] as (bytes: Uint8Array) => unknown));
});

/** Well-formed CBOR of any shape, and message-like maps (right type and version, random fields). */
const cborValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown; array: unknown[]; map: Map<unknown, unknown> }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.integer({ min: -100_000, max: 10_000_000 }),
    fc.constantFrom(true, false, null, Number.MAX_SAFE_INTEGER, 0),
    fc.string({ maxLength: 70, unit: 'grapheme' }),
    fc.uint8Array({ maxLength: 80 }),
    tie('array'),
    tie('map'),
  ),
  array: fc.array(tie('value'), { maxLength: 5 }),
  map: fc
    .array(fc.tuple(fc.oneof(fc.integer({ min: -2, max: 14 }), fc.string({ maxLength: 3 })), tie('value')), { maxLength: 9 })
    .map((entries) => new Map(entries)),
})).value;
const messageLike = fc
  .tuple(fc.integer({ min: 0, max: 5 }), fc.array(fc.tuple(fc.integer({ min: 2, max: 12 }), cborValue), { maxLength: 9 }))
  .map(([type, fields]) => encodeCbor(new Map<unknown, unknown>([[0, type], [1, 1], ...fields])));
const coseLike = fc
  .tuple(
    fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), cborValue), { maxLength: 3 }),
    cborValue,
    fc.oneof(messageLike, fc.uint8Array({ maxLength: 64 })),
    fc.uint8Array({ maxLength: 72 }),
  )
  .map(([header, unprotected, payload, signature]) => encodeCbor([encodeCbor(new Map(header)), unprotected, payload, signature]));
const structured = fc.oneof(
  cborValue.map((value) => encodeCbor(value)),
  messageLike,
  coseLike,
);

describe('parsers throw nothing but ProtocolError on well-formed CBOR of the wrong shape', () => {
  const parsers: Record<string, (bytes: Uint8Array) => unknown> = {
    COSE_Sign1: (bytes) => parseCoseSign1(bytes, 'fuzz'),
    'payment request': parsePaymentRequest,
    'payment response': parsePaymentResponse,
    'deduction request': parseDeductionRequest,
    'authorization message': parseAuthorizationMessage,
    'license content': parseLicenseContent,
    'authorization content': parseAuthorizationContent,
    'license verification': (bytes) => verifyLicense(bytes, licenseContext),
    'authorization verification': (bytes) => verifyAuthorizationSignature(bytes, appKey, nobleVerifier),
    'payment response through the pipeline': (bytes) => {
      const verdict = checkPaymentResponse(order(), wrapResponse(bytes), context);
      if (verdict.ok) throw new Error('a random payment response was accepted');
    },
  };
  it.each(Object.keys(parsers))('%s', (name) => {
    const parse = parsers[name] as (bytes: Uint8Array) => unknown;
    fc.assert(
      fc.property(structured, (bytes) => {
        try {
          parse(bytes);
        } catch (error) {
          if (!(error instanceof ProtocolError)) throw error;
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('the pipeline decides on any bytes', () => {
  it('checkPaymentResponse returns a verdict', () => {
    fc.assert(
      fc.property(anyBytes, (bytes) => {
        const verdict = checkPaymentResponse(order(), bytes, context);
        expect(typeof verdict.ok).toBe('boolean');
      }),
      { numRuns: 300 },
    );
  });

  it('checkPaymentAuthorization returns a verdict', () => {
    const first = checkPaymentResponse(
      vectors.order,
      fromHex(approved.messages.paymentResponse ?? ''),
      verificationFor(env, new MemoryHistory()),
    );
    if (!first.ok) throw new Error(`recorded license declined: ${first.reason}`);
    fc.assert(
      fc.property(anyBytes, (bytes) => {
        const verdict = checkPaymentAuthorization(
          {
            order: vectors.order,
            license: first.value.license,
            nonce: new Uint8Array(16),
            transcriptHash: new Uint8Array(32),
            message: bytes,
          },
          context,
        );
        expect(verdict.ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe('phone side answers any APDU with a status word', () => {
  it('CardResponder never throws and always returns at least SW1 SW2', async () => {
    const responder = new CardResponder({ onSelect: () => ({ sw: 0x9000, data: Uint8Array.of(1) }), onMessage: async (m) => m });
    await fc.assert(
      fc.asyncProperty(fc.array(anyBytes, { maxLength: 8 }), async (apdus) => {
        responder.reset();
        for (const apdu of apdus) expect((await responder.handleApdu(apdu)).length).toBeGreaterThanOrEqual(2);
      }),
      { numRuns: 200 },
    );
  });

  it('the reference wallet never throws on hostile APDUs', async () => {
    const wallet = demo().walletFor('approve');
    const select = fromHex(approved.apdus[0]?.command ?? '');
    await fc.assert(
      fc.asyncProperty(fc.array(anyBytes, { maxLength: 6 }), async (apdus) => {
        wallet.reset();
        await wallet.handleApdu(select);
        for (const apdu of apdus) expect((await wallet.handleApdu(apdu)).length).toBeGreaterThanOrEqual(2);
      }),
      { numRuns: 200 },
    );
  });
});

describe('a hostile phone gets a decline, never an exception or a hang', () => {
  it('random replies to every APDU', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(anyBytes, fc.constant(Uint8Array.of(0x61, 0x00))), { minLength: 1, maxLength: 12 }),
        async (replies) => {
          let i = 0;
          const channel: CardChannel = { transmit: async () => replies[i++ % replies.length] as Uint8Array };
          const result = await runTerminalSession({
            channel,
            order: order(),
            verification: verificationFor(env, new MemoryHistory()),
            random: (n) => new Uint8Array(n),
            stepTimeoutMs: 1000,
          });
          expect(result.decision.outcome).toBe('declined');
          expect(result.apduCount).toBeLessThan(200);
        },
      ),
      { numRuns: 200 },
    );
  });
});
