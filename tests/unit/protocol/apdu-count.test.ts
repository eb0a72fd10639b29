// docs/protocol.md §1: a tap is three APDUs with ordinary ids, and a reply needs a GET RESPONSE
// exactly when its SNEP message passes the 256 data bytes of a short response. The section gives
// the two replies' sizes as formulas of the id lengths; this runs real taps and holds them to it.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createAuthority, issueLicense, trustedAuthorityOf } from '../../../src-main/authority/authority';
import { publicKeyFor } from '../../../src-main/protocol/signature';
import { runTerminalSession } from '../../../src-main/session/terminal-session';
import { EMPTY_REVOCATIONS } from '../../../src-main/verification/revocation';
import { createTrustStore } from '../../../src-main/verification/trust-store';
import { CLOCK_SKEW_MS } from '../../../src-main/verification/license';
import { nobleVerifier } from '../../../src-main/protocol/signature';
import { deriveSecretKey } from '../../../src-main/wallet/demo';
import { memoryCounterStore } from '../../../src-main/wallet/counter-store';
import { PhoneWallet } from '../../../src-main/wallet/phone-wallet';
import { walletChannel } from '../../../src-main/wallet/wallet-channel';
import { MemoryHistory, NOW, order } from './helpers';

const DAY = 86_400_000;

/** Extra bytes of a CBOR head for an id of `n` UTF-8 bytes, or for counter `c`, over the smallest head. */
const textHead = (n: number) => (n >= 256 ? 2 : n >= 24 ? 1 : 0);
const utf8Length = (text: string) => Buffer.byteLength(text, 'utf8');
const counterHead = (c: number) => (c < 24 ? 0 : c < 2 ** 8 ? 1 : c < 2 ** 16 ? 2 : c < 2 ** 32 ? 4 : 8);

async function tap(ids: { serial: string; account: string; kid: string; merchant: string; terminal: string }, lastCounter: number) {
  const authority = createAuthority({
    kid: ids.kid,
    authorityId: 'size-test',
    secretKey: deriveSecretKey('sizes', ids.kid),
    notBefore: NOW - 30 * DAY,
    notAfter: NOW + 3650 * DAY,
  });
  const appSecretKey = deriveSecretKey('sizes', `app/${ids.serial}`);
  const { license } = issueLicense(authority, {
    serial: ids.serial,
    accountId: ids.account,
    appPublicKey: publicKeyFor('ES256', appSecretKey),
    offlineLimit: 100_000,
    currency: 'CNY',
    notBefore: NOW - DAY,
    notAfter: NOW + 365 * DAY,
  });
  const channel = walletChannel(new PhoneWallet({ credentials: { appSecretKey, license }, counter: memoryCounterStore(lastCounter) }));
  channel.tap();
  const result = await runTerminalSession({
    channel,
    order: order({ merchantId: ids.merchant, terminalId: ids.terminal }),
    verification: {
      clock: () => NOW,
      clockSkewMs: CLOCK_SKEW_MS,
      verifier: nobleVerifier,
      trustStore: createTrustStore([trustedAuthorityOf(authority)]),
      revocations: EMPTY_REVOCATIONS,
      history: new MemoryHistory(),
    },
    random: (n) => new Uint8Array(randomBytes(n)),
  });
  expect(result.decision.outcome).toBe('approved');
  const { paymentRequest, paymentResponse, deductionRequest, paymentAuthorization } = result.exchange;
  return {
    apdus: result.apduCount,
    request: paymentRequest?.length,
    response: paymentResponse?.length,
    deduction: deductionRequest?.length,
    authorization: paymentAuthorization?.length,
  };
}

const id = (n: number, c: string) => c.repeat(n);

describe('APDUs per tap (docs/protocol.md §1)', () => {
  it("is three with the vectors' ids, and the replies are as long as the formulas say", async () => {
    const result = await tap(
      { serial: 'demo-approve', account: 'demo-account-0001', kid: 'demo-main', merchant: 'M-0001', terminal: 'T-01' },
      0,
    );
    expect(result).toEqual({ apdus: 3, request: 73, response: 241, deduction: 112, authorization: 237 });
  });

  it.each([
    // [serial, account, kid, merchant, terminal (characters), last counter]
    [12, 17, 9, 6, 4, 0],
    [20, 20, 13, 6, 4, 0],
    [20, 20, 14, 6, 4, 0],
    [12, 17, 9, 15, 14, 0],
    [12, 17, 9, 15, 15, 0],
    [12, 17, 9, 24, 1, 0],
    [12, 17, 9, 6, 4, 30],
    [12, 17, 9, 6, 4, 2 ** 16],
    [12, 17, 9, 6, 4, 2 ** 32 - 1],
    [64, 64, 64, 64, 64, 2 ** 32 - 1],
  ])('serial %i, account %i, kid %i, merchant %i, terminal %i characters, counter after %i', async (s, a, k, m, t, last) => {
    await expectSizes({ serial: id(s, 's'), account: id(a, 'a'), kid: id(k, 'k'), merchant: id(m, 'm'), terminal: id(t, 't') }, last);
  });

  it.each([
    ['3-byte', 40, '中'],
    ['4-byte', 64, '𝄞'],
  ])('merchant and terminal ids of %s characters (%i each) chain the payment request', async (_what, n, c) => {
    const apdus = await expectSizes(
      { serial: 'demo-approve', account: 'demo-account-0001', kid: 'demo-main', merchant: id(n, c), terminal: id(n, c) },
      0,
    );
    expect(apdus.chained).toBeGreaterThan(0);
  });
});

async function expectSizes(ids: Parameters<typeof tap>[0], last: number): Promise<{ chained: number }> {
  const result = await tap(ids, last);
  const [s, a, k, m, t] = [ids.serial, ids.account, ids.kid, ids.merchant, ids.terminal].map(utf8Length) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const shortRequest = 63 + m + t + textHead(m) + textHead(t);
  // A payload (the request less 27 framing bytes) of 256 bytes or more takes NDEF's long form, 3 bytes more.
  const request = shortRequest - 27 >= 256 ? shortRequest + 3 : shortRequest;
  const response = 203 + s + a + k + textHead(s) + textHead(a) + textHead(k);
  const authorization = 227 + m + t + textHead(m) + textHead(t) + counterHead(last + 1);
  expect(result.request).toBe(request);
  expect(result.deduction).toBe(112);
  // Past 256 bytes the NDEF record takes its long form and the COSE and payload heads grow: the formulas hold up to there.
  if (response <= 256) expect(result.response).toBe(response);
  if (authorization <= 256) expect(result.authorization).toBe(authorization);
  const chained = Math.ceil(request / 255) - 1;
  const getResponses = (n: number) => Math.ceil(n / 256) - 1;
  expect(result.apdus).toBe(3 + chained + getResponses(result.response ?? 0) + getResponses(result.authorization ?? 0));
  expect(result.apdus > 3).toBe(request > 255 || response > 256 || authorization > 256);
  return { chained };
}
