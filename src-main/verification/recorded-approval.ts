// Re-verifies a recorded approval from the raw bytes the terminal stored, for verify-export and
// settlement: the same rules the terminal ran at the tap (license.ts, authorization.ts), at the
// time the row was recorded, and every place the row's own fields must agree with what was
// signed. Unlike the tap, which stops at the first failure, this lists every problem, each with
// a stable code. Revocations and counters are the caller's (settlement sees every terminal).
import type { ReasonCode } from '../domain/reasons';
import { bytesEqual, toHex } from '../domain/bytes';
import { unwrapResponse } from '../protocol/envelope';
import { ProtocolError } from '../domain/protocol-error';
import { parseAuthorizationMessage, parseDeductionRequest, parsePaymentRequest, parsePaymentResponse } from '../protocol/messages';
import { parseNdef } from '../protocol/ndef';
import { parseSnepGet } from '../protocol/snep';
import type { AuthorizationContent } from '../protocol/authorization-payload';
import type { SignatureVerifier } from '../protocol/signature';
import { licenseHash, transcriptHash } from '../protocol/transcript';
import { bindingMismatches, verifyAuthorizationSignature } from './authorization';
import {
  checkAppKey,
  checkAuthorityWindow,
  checkLicenseDates,
  checkLicenseSignature,
  CLOCK_SKEW_MS,
  findAuthority,
  instantText,
  readLicense,
  type VerifiedLicense,
} from './license';
import type { TrustStore } from './trust-store';

/** What a ledger row keeps of an approved sale (LedgerRow has these fields). */
export interface RecordedApproval {
  transactionId: string | null;
  amount: number | null;
  currency: string | null;
  merchantId: string;
  terminalId: string;
  /** Epoch ms: the time the license and authority key must have been valid at. */
  recordedAt: number;
  accountId: string | null;
  licenseSerial: string | null;
  authorityKid: string | null;
  /** Null on rows recorded before authority ids (their authority is the kid). */
  authorityId: string | null;
  appCounter: number | null;
  paymentRequest: Uint8Array | null;
  paymentResponse: Uint8Array | null;
  license: Uint8Array | null;
  deductionRequest: Uint8Array | null;
  authorization: Uint8Array | null;
  /** The SNEP response that carried `authorization`, when kept. */
  paymentAuthorization: Uint8Array | null;
}

/**
 * Problems of a recorded approval that the tap itself cannot have: the row says something else
 * than the bytes. Everything else carries the tap's own reason code (domain/reasons.ts).
 */
export const RECORD_PROBLEM_CODES = [
  'exchange_incomplete', // a message of the exchange was not stored
  'row_differs_from_license', // serial, account, authority or currency of the row is not the license's
  'request_differs_from_row', // the payment or deduction request the terminal sent is not the row's sale
  'response_license_differs', // the payment response carries another license than the one stored
  'authorization_message_differs', // the stored fourth message carries other authorization bytes
  'deduction_names_other_license', // the deduction request binds another license
  'signed_fields_differ', // the authorization signs other fields than the row records
] as const;

export type RecordProblemCode = (typeof RECORD_PROBLEM_CODES)[number];

export interface ApprovalProblem {
  code: ReasonCode | RecordProblemCode;
  detail: string;
}

export interface VerifiedApproval {
  /** As the tap verifies it: licenseIdentity(approval.license) names it. */
  license: VerifiedLicense;
  authorization: AuthorizationContent;
}

export type ApprovalVerdict = { ok: true; approval: VerifiedApproval } | { ok: false; problems: ApprovalProblem[] };

export interface RecordedApprovalOptions {
  trustStore: TrustStore;
  verifier: SignatureVerifier;
  /** Defaults to CLOCK_SKEW_MS, the terminal's. */
  clockSkewMs?: number;
}

type LicenseVerdict = { ok: true; license: VerifiedLicense } | { ok: false; problem: ApprovalProblem };

/**
 * Verifies recorded approvals one after the other; each distinct license is checked once
 * (a day holds many sales of few licenses).
 */
export class RecordedApprovalVerifier {
  private readonly licenses = new Map<string, LicenseVerdict>();
  private readonly skew: number;

  constructor(private readonly options: RecordedApprovalOptions) {
    this.skew = options.clockSkewMs ?? CLOCK_SKEW_MS;
  }

  verify(row: RecordedApproval): ApprovalVerdict {
    const { license, authorization, paymentRequest, paymentResponse, deductionRequest } = row;
    if (!license || !authorization || !paymentRequest || !paymentResponse || !deductionRequest) {
      return failed([
        {
          code: 'exchange_incomplete',
          detail: 'approval without the raw exchange bytes (license, authorization, requests and response are all needed)',
        },
      ]);
    }
    const verdict = this.license(license);
    if (!verdict.ok) return failed([verdict.problem]);
    const { content, authority, kid, hash } = verdict.license;
    const problems: ApprovalProblem[] = [];
    const at = ` (recorded ${instantText(row.recordedAt)})`;
    collect(problems, () => checkAuthorityWindow(authority, row.recordedAt, this.skew), at);
    collect(problems, () => checkLicenseDates(content, row.recordedAt, this.skew), at);
    const rowDiffers = (detail: string): void => void problems.push({ code: 'row_differs_from_license', detail });
    if (row.licenseSerial !== content.serial) rowDiffers(`row license serial ${row.licenseSerial} != license ${content.serial}`);
    if (row.accountId !== content.accountId) rowDiffers(`row account ${row.accountId} != license account ${content.accountId}`);
    if (row.authorityKid !== kid) rowDiffers(`row authority ${row.authorityKid} != license kid ${kid}`);
    if (row.authorityId !== null && row.authorityId !== authority.authorityId) {
      rowDiffers(`row authority id ${row.authorityId} != ${authority.authorityId} of key ${kid} in the trust store`);
    }
    if (row.currency !== content.currency) rowDiffers(`currency ${row.currency} is not the license's ${content.currency}`);

    let signed: AuthorizationContent;
    let mismatches: string[];
    try {
      const responsePayload = unwrapResponse(paymentResponse);
      if (!bytesEqual(parsePaymentResponse(responsePayload).license, license)) {
        problems.push({ code: 'response_license_differs', detail: 'payment response carries a different license' });
      }
      const requestPayload = parseNdef(parseSnepGet(paymentRequest).ndef);
      const request = parsePaymentRequest(requestPayload);
      const deductionPayload = parseNdef(parseSnepGet(deductionRequest).ndef);
      const deduction = parseDeductionRequest(deductionPayload);
      if (
        request.transactionId !== row.transactionId ||
        request.amount !== row.amount ||
        request.currency !== row.currency ||
        request.merchantId !== row.merchantId ||
        request.terminalId !== row.terminalId
      ) {
        problems.push({ code: 'request_differs_from_row', detail: 'payment request differs from the recorded transaction' });
      }
      if (deduction.transactionId !== row.transactionId || deduction.amount !== row.amount || deduction.currency !== row.currency) {
        problems.push({ code: 'request_differs_from_row', detail: 'deduction request differs from the recorded transaction' });
      }
      if (!bytesEqual(deduction.licenseHash, hash)) {
        problems.push({ code: 'deduction_names_other_license', detail: 'deduction request names another license' });
      }
      if (
        row.paymentAuthorization &&
        !bytesEqual(parseAuthorizationMessage(unwrapResponse(row.paymentAuthorization)).authorization, authorization)
      ) {
        problems.push({ code: 'authorization_message_differs', detail: 'authorization message carries different authorization bytes' });
      }
      signed = verifyAuthorizationSignature(authorization, content.appPublicKey, this.options.verifier);
      // The row's fields stand for the order: the phone must have signed exactly those (a field
      // the row lacks matches nothing the phone can sign).
      const order = {
        transactionId: row.transactionId ?? '',
        amount: row.amount ?? Number.NaN,
        currency: row.currency ?? '',
        merchantId: row.merchantId,
        terminalId: row.terminalId,
      };
      const expected = {
        order,
        nonce: deduction.nonce,
        licenseHash: hash,
        transcriptHash: transcriptHash(requestPayload, responsePayload, deductionPayload),
      };
      mismatches = bindingMismatches(signed, expected).map((mismatch) => mismatch.field);
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      const parse = error.reason.startsWith('malformed_') || error.reason === 'message_too_large' || error.reason === 'snep_error';
      return failed([...problems, { code: error.reason, detail: parse ? `exchange bytes do not parse: ${error.detail}` : error.detail }]);
    }
    if (signed.counter !== row.appCounter) mismatches.push('app counter');
    if (mismatches.length > 0) {
      problems.push({
        code: 'signed_fields_differ',
        detail: `authorization signs a different ${mismatches.join(', ')} than the row records`,
      });
    }
    if (problems.length > 0) return failed(problems);
    return { ok: true, approval: { license: verdict.license, authorization: signed } };
  }

  /**
   * Problems with a refund's tap (a refund row that carries a license; none without one): the
   * license verifies and was valid when the refund was recorded, is the refunded account's, and
   * the payment request the phone answered named the refund. There is no authorization: at a
   * refund the phone authorises nothing (docs/protocol.md, refund tap).
   */
  verifyRefundTap(
    row: Omit<RecordedApproval, 'deductionRequest' | 'authorization' | 'paymentAuthorization' | 'appCounter'>,
  ): ApprovalProblem[] {
    const { license, paymentRequest, paymentResponse } = row;
    if (!license) return [];
    if (!paymentRequest || !paymentResponse) {
      return [{ code: 'exchange_incomplete', detail: 'refund tap without its payment request and response' }];
    }
    const verdict = this.license(license);
    if (!verdict.ok) return [verdict.problem];
    const { content, authority } = verdict.license;
    const problems: ApprovalProblem[] = [];
    const at = ` (recorded ${instantText(row.recordedAt)})`;
    collect(problems, () => checkAuthorityWindow(authority, row.recordedAt, this.skew), at);
    collect(problems, () => checkLicenseDates(content, row.recordedAt, this.skew), at);
    if (row.accountId !== content.accountId) {
      problems.push({
        code: 'row_differs_from_license',
        detail: `tap license is of account ${content.accountId}, the refund credits ${row.accountId}`,
      });
    }
    try {
      if (!bytesEqual(parsePaymentResponse(unwrapResponse(paymentResponse)).license, license)) {
        problems.push({ code: 'response_license_differs', detail: 'tap payment response carries a different license' });
      }
      const request = parsePaymentRequest(parseNdef(parseSnepGet(paymentRequest).ndef));
      if (
        request.transactionId !== row.transactionId ||
        request.amount !== row.amount ||
        request.currency !== row.currency ||
        request.merchantId !== row.merchantId ||
        request.terminalId !== row.terminalId
      ) {
        problems.push({ code: 'request_differs_from_row', detail: 'tap payment request differs from the recorded refund' });
      }
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      problems.push({ code: error.reason, detail: `tap exchange bytes do not parse: ${error.detail}` });
    }
    return problems;
  }

  private license(bytes: Uint8Array): LicenseVerdict {
    const cacheKey = toHex(bytes);
    const cached = this.licenses.get(cacheKey);
    if (cached) return cached;
    const verdict = this.checkLicense(bytes);
    this.licenses.set(cacheKey, verdict);
    return verdict;
  }

  /** The license's authenticity, which does not depend on the row: its time checks do. */
  private checkLicense(bytes: Uint8Array): LicenseVerdict {
    try {
      const read = readLicense(bytes);
      const { kid, alg, authority } = findAuthority(read, this.options.trustStore);
      checkLicenseSignature(read, alg, authority, this.options.verifier);
      checkAppKey(read.content);
      return { ok: true, license: { bytes, hash: licenseHash(bytes), kid, alg, authority, content: read.content } };
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      return { ok: false, problem: { code: error.reason, detail: `license: ${error.detail}` } };
    }
  }
}

/** One recorded approval on its own (no license cache). */
export function verifyRecordedApproval(row: RecordedApproval, options: RecordedApprovalOptions): ApprovalVerdict {
  return new RecordedApprovalVerifier(options).verify(row);
}

function failed(problems: ApprovalProblem[]): ApprovalVerdict {
  return { ok: false, problems };
}

/** Runs a license rule that throws ProtocolError and keeps its failure as a problem. */
function collect(problems: ApprovalProblem[], rule: () => void, suffix: string): void {
  try {
    rule();
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
    problems.push({ code: error.reason, detail: `license: ${error.detail}${suffix}` });
  }
}
