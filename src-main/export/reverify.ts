// Re-verifies a recorded approval offline from its raw bytes, for verify-export. Parsing is the
// protocol's own (protocol/, verification/); signatures go through Node's crypto (OpenSSL, about
// 60x faster than the pure-JS verifier here; ECDSA verification there accepts high-S as phones
// produce it), and each distinct license is checked once.
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { parseAuthorizationContent, type AuthorizationContent } from '../protocol/authorization-payload';
import { parseCoseSign1, sigStructure } from '../protocol/cose';
import { unwrapResponse } from '../protocol/envelope';
import { ProtocolError } from '../protocol/errors';
import { parseAuthorizationMessage, parseDeductionRequest, parsePaymentRequest, parsePaymentResponse } from '../protocol/messages';
import { parseNdef } from '../protocol/ndef';
import { parseSnepGet } from '../protocol/snep';
import { algorithmFromCose, COSE_ALGORITHMS, looksLikeDer, type SignatureAlgorithm } from '../protocol/signature';
import { encodeCbor } from '../protocol/cbor';
import { TRANSCRIPT_LABEL } from '../protocol/transcript';
import type { LicenseContent } from '../protocol/license-payload';
import { readLicense } from '../verification/license';
import type { TrustedAuthority, TrustStore } from '../verification/trust-store';
import type { LedgerRow } from '../ledger/row';

export const DEFAULT_REVERIFY_SKEW_MS = 5 * 60_000;

interface LicenseVerdict {
  problem: string | null;
  content?: LicenseContent;
  kid?: string;
  authority?: TrustedAuthority;
  hash: Uint8Array;
  appKey?: KeyObject;
}

const b64u = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');

function keyObject(alg: SignatureAlgorithm, publicKey: Uint8Array): KeyObject {
  if (alg === 'EdDSA') return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: b64u(publicKey) }, format: 'jwk' });
  if (publicKey.length !== 65 || publicKey[0] !== 0x04) throw new Error('not an uncompressed P-256 point');
  return createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: b64u(publicKey.subarray(1, 33)), y: b64u(publicKey.subarray(33, 65)) },
    format: 'jwk',
  });
}

function verifyWith(alg: SignatureAlgorithm, key: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  try {
    if (alg === 'EdDSA') return verify(null, data, key, signature);
    if (signature.length !== 64) return false;
    return verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature);
  } catch {
    return false;
  }
}

const same = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;

function describeError(error: unknown): string {
  if (error instanceof ProtocolError) return `${error.reason}: ${error.detail}`;
  return error instanceof Error ? error.message : String(error);
}

const requestPayload = (message: Uint8Array): Uint8Array => parseNdef(parseSnepGet(message).ndef);

/** protocol/transcript.ts's transcript hash, with OpenSSL's SHA-256 (this runs for every approval). */
function transcriptHash(request: Uint8Array, response: Uint8Array, deduction: Uint8Array): Uint8Array {
  return createHash('sha256').update(encodeCbor([TRANSCRIPT_LABEL, request, response, deduction])).digest();
}

export interface ReverifyOptions {
  trustStore: TrustStore;
  clockSkewMs?: number;
}

export class ApprovalVerifier {
  private readonly licenses = new Map<string, LicenseVerdict>();
  private readonly authorityKeys = new Map<string, KeyObject | null>();
  private readonly skew: number;

  constructor(private readonly options: ReverifyOptions) {
    this.skew = options.clockSkewMs ?? DEFAULT_REVERIFY_SKEW_MS;
  }

  /** Distinct licenses seen so far. */
  get licenseCount(): number {
    return this.licenses.size;
  }

  /** Problems with one approved sale; empty when every signature and binding verifies. */
  check(row: LedgerRow): string[] {
    const problems: string[] = [];
    const { license, authorization, paymentRequest, paymentResponse, deductionRequest } = row;
    if (!license || !authorization || !paymentRequest || !paymentResponse || !deductionRequest) {
      return ['approval without the raw exchange bytes (license, authorization, requests and response are all needed)'];
    }
    const verdict = this.license(license);
    if (verdict.problem) return [`license: ${verdict.problem}`];
    const content = verdict.content as LicenseContent;
    const appKey = verdict.appKey as KeyObject;
    problems.push(...this.validAt(verdict, row.recordedAt));
    if (row.licenseSerial !== content.serial) problems.push(`row license serial ${row.licenseSerial} != license ${content.serial}`);
    if (row.accountId !== content.accountId) problems.push(`row account ${row.accountId} != license account ${content.accountId}`);
    if (row.authorityKid !== verdict.kid) problems.push(`row authority ${row.authorityKid} != license kid ${verdict.kid}`);
    if (row.currency !== content.currency) problems.push(`currency ${row.currency} is not the license's ${content.currency}`);

    let signed: AuthorizationContent;
    let nonce: Uint8Array;
    let transcript: Uint8Array;
    try {
      const responsePayload = unwrapResponse(paymentResponse);
      if (!same(parsePaymentResponse(responsePayload).license, license)) problems.push('payment response carries a different license');
      const paymentRequestPayload = requestPayload(paymentRequest);
      const request = parsePaymentRequest(paymentRequestPayload);
      const deductionPayload = requestPayload(deductionRequest);
      const deduction = parseDeductionRequest(deductionPayload);
      nonce = deduction.nonce;
      transcript = transcriptHash(paymentRequestPayload, responsePayload, deductionPayload);
      if (
        request.transactionId !== row.transactionId ||
        request.amount !== row.amount ||
        request.currency !== row.currency ||
        request.merchantId !== row.merchantId ||
        request.terminalId !== row.terminalId
      ) {
        problems.push('payment request differs from the recorded transaction');
      }
      if (deduction.transactionId !== row.transactionId || deduction.amount !== row.amount || deduction.currency !== row.currency) {
        problems.push('deduction request differs from the recorded transaction');
      }
      if (!same(deduction.licenseHash, verdict.hash)) problems.push('deduction request names another license');
      if (row.paymentAuthorization && !same(parseAuthorizationMessage(unwrapResponse(row.paymentAuthorization)).authorization, authorization)) {
        problems.push('authorization message carries different authorization bytes');
      }
      const cose = parseCoseSign1(authorization, 'authorization');
      if (cose.alg !== COSE_ALGORITHMS.ES256) return [...problems, `authorization algorithm ${cose.alg} is not ES256`];
      if (looksLikeDer(cose.signature)) return [...problems, 'authorization signature is DER, not raw r||s'];
      if (!verifyWith('ES256', appKey, sigStructure(cose.protectedBytes, cose.payload), cose.signature)) {
        return [...problems, 'authorization signature does not verify with the licensed app key'];
      }
      signed = parseAuthorizationContent(cose.payload);
    } catch (error) {
      return [...problems, `exchange bytes do not parse: ${describeError(error)}`];
    }
    const mismatches: string[] = [];
    if (signed.transactionId !== row.transactionId) mismatches.push('transaction id');
    if (signed.amount !== row.amount) mismatches.push('amount');
    if (signed.currency !== row.currency) mismatches.push('currency');
    if (signed.merchantId !== row.merchantId) mismatches.push('merchant');
    if (signed.terminalId !== row.terminalId) mismatches.push('terminal');
    if (!same(signed.nonce, nonce)) mismatches.push('nonce');
    if (!same(signed.licenseHash, verdict.hash)) mismatches.push('license hash');
    if (!same(signed.transcriptHash, transcript)) mismatches.push('transcript hash');
    if (signed.counter !== row.appCounter) mismatches.push('app counter');
    if (mismatches.length > 0) problems.push(`authorization signs a different ${mismatches.join(', ')} than the row records`);
    return problems;
  }

  /**
   * Problems with a refund's tap (a refund row that carries a license): the license verifies and
   * was valid when the refund was recorded, is the refunded account's, and the payment request
   * the phone answered named this refund. No authorization exists: the phone authorised nothing.
   */
  checkRefundTap(row: LedgerRow): string[] {
    const { license, paymentRequest, paymentResponse } = row;
    if (!license) return [];
    if (!paymentRequest || !paymentResponse) return ['refund tap without its payment request and response'];
    const verdict = this.license(license);
    if (verdict.problem) return [`tap license: ${verdict.problem}`];
    const content = verdict.content as LicenseContent;
    const problems = this.validAt(verdict, row.recordedAt).map((problem) => `tap ${problem}`);
    if (row.accountId !== content.accountId) problems.push(`tap license is of account ${content.accountId}, the refund credits ${row.accountId}`);
    try {
      if (!same(parsePaymentResponse(unwrapResponse(paymentResponse)).license, license)) problems.push('tap payment response carries a different license');
      const request = parsePaymentRequest(requestPayload(paymentRequest));
      if (
        request.transactionId !== row.transactionId ||
        request.amount !== row.amount ||
        request.currency !== row.currency ||
        request.merchantId !== row.merchantId ||
        request.terminalId !== row.terminalId
      ) {
        problems.push('tap payment request differs from the recorded refund');
      }
    } catch (error) {
      problems.push(`tap exchange bytes do not parse: ${describeError(error)}`);
    }
    return problems;
  }

  /** The authority key and the license were valid at `at` (within the clock skew). */
  private validAt(verdict: LicenseVerdict, at: number): string[] {
    const content = verdict.content as LicenseContent;
    const authority = verdict.authority as TrustedAuthority;
    const problems: string[] = [];
    if (at + this.skew < authority.notBefore || at - this.skew > authority.notAfter) {
      problems.push(`license: authority key "${verdict.kid}" was not valid at the recorded time`);
    }
    if (at + this.skew < content.notBefore * 1000) problems.push('license: not yet valid at the recorded time');
    if (at - this.skew > content.notAfter * 1000) problems.push('license: expired at the recorded time');
    return problems;
  }

  private license(bytes: Uint8Array): LicenseVerdict {
    const cacheKey = b64u(bytes);
    const cached = this.licenses.get(cacheKey);
    if (cached) return cached;
    const verdict = this.checkLicense(bytes);
    this.licenses.set(cacheKey, verdict);
    return verdict;
  }

  private checkLicense(bytes: Uint8Array): LicenseVerdict {
    const hash = createHash('sha256').update(bytes).digest();
    let read: ReturnType<typeof readLicense>;
    try {
      read = readLicense(bytes);
    } catch (error) {
      return { problem: `does not parse: ${describeError(error)}`, hash };
    }
    const alg = algorithmFromCose(read.alg);
    if (!alg) return { problem: `algorithm ${read.alg} is not allowed`, hash };
    if (read.kid === undefined) return { problem: 'no kid', hash };
    const authority = this.options.trustStore.find(read.kid);
    if (!authority) return { problem: `authority key "${read.kid}" is not in the trust store`, hash };
    if (authority.alg !== alg) return { problem: `signed with ${alg}, authority key "${read.kid}" is ${authority.alg}`, hash };
    const authorityKey = this.authorityKey(authority);
    if (!authorityKey) return { problem: `authority key "${read.kid}" is unusable`, hash };
    if (alg === 'ES256' && looksLikeDer(read.signature)) return { problem: 'signature is DER, not raw r||s', hash };
    if (!verifyWith(alg, authorityKey, sigStructure(read.protectedBytes, read.payload), read.signature)) {
      return { problem: `signature does not verify with authority key "${read.kid}"`, hash };
    }
    let appKey: KeyObject;
    try {
      appKey = keyObject('ES256', read.content.appPublicKey);
    } catch {
      return { problem: 'app public key is not a valid P-256 point', hash };
    }
    return { problem: null, content: read.content, kid: read.kid, authority, hash, appKey };
  }

  private authorityKey(authority: TrustedAuthority): KeyObject | null {
    let key = this.authorityKeys.get(authority.kid);
    if (key === undefined) {
      try {
        key = keyObject(authority.alg, authority.publicKey);
      } catch {
        key = null;
      }
      this.authorityKeys.set(authority.kid, key);
    }
    return key;
  }
}
