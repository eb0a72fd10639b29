// The reference phone wallet: the phone side of the protocol behind a CardResponder. It
// holds the app key and license, signs authorizations with a counter that only grows, and
// can misbehave on purpose (misbehaviour.ts).
import { CodedError } from '../domain/coded-error';
import { sha256 } from '@noble/hashes/sha2.js';
import { CardResponder, type ResponderReply } from '../transport/card-responder';
import { SW } from '../transport/apdu';
import { PROTOCOL_VERSION } from '../transport/terminal-link';
import { decodeCbor } from '../protocol/cbor';
import { signCoseSign1 } from '../protocol/cose';
import { SnepResponseCode } from '../protocol/snep';
import { snepErrorResponse, unwrapRequest, wrapResponse } from '../protocol/envelope';
import { ProtocolError } from '../domain/protocol-error';
import {
  Key,
  MessageType,
  encodeAuthorizationMessage,
  encodePaymentResponse,
  parseDeductionRequest,
  parsePaymentRequest,
  type PaymentRequest,
} from '../protocol/messages';
import { encodeAuthorizationContent, type AuthorizationContent } from '../protocol/authorization-payload';
import { licenseHash, transcriptHash } from '../protocol/transcript';
import { bytesEqual, utf8 } from '../domain/bytes';
import { COSE_ALGORITHMS, publicKeyFor, signEs256 } from '../protocol/signature';
import { MAX_APP_COUNTER } from '../verification/authorization';
import type { CounterStore } from './counter-store';
import type { Misbehaviour } from './misbehaviour';
import { falsify, spoiled, tamper } from './faults';

export interface WalletCredentials {
  /** P-256 secret key of the app (32 bytes). */
  appSecretKey: Uint8Array;
  /** COSE_Sign1 license issued by a credit authority for the app public key. */
  license: Uint8Array;
}

/** What a phone looks like to a reader: APDUs in, APDUs out, and a new tap. */
export interface PhoneSide {
  handleApdu(apdu: Uint8Array): Promise<Uint8Array>;
  reset(): void;
}

/** Thrown by handleApdu when the phone has left the field (misbehaviour `vanishAtApdu`). */
export class PhoneVanishedError extends CodedError<'phone_vanished'> {
  override readonly name = 'PhoneVanishedError';
  constructor() {
    super('phone_vanished', 'phone left the field');
  }
}

/** Thrown by handleApdu when the reader itself fails (misbehaviour `readerFaultAtApdu`). */
export class ReaderFaultError extends CodedError<'reader_fault'> {
  override readonly name = 'ReaderFaultError';
  constructor() {
    super('reader_fault', 'simulated reader failure');
  }
}

export interface PhoneWalletOptions {
  credentials: WalletCredentials;
  counter: CounterStore;
  misbehaviour?: Misbehaviour;
  sleep?: (ms: number) => Promise<void>;
}

interface TapState {
  request: PaymentRequest;
  requestPayload: Uint8Array;
  responsePayload: Uint8Array;
  license: Uint8Array;
}

const WRONG_KEY = sha256(utf8('nfcpay reference wallet: not the licensed key'));

export class PhoneWallet implements PhoneSide {
  readonly misbehaviour: Misbehaviour;
  private readonly credentials: WalletCredentials;
  private readonly counter: CounterStore;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly responder: CardResponder;
  private apduIndex = 0;
  private gone = false;
  private tap: TapState | undefined;
  private lastNonce: Uint8Array = new Uint8Array(16);

  constructor(options: PhoneWalletOptions) {
    this.credentials = options.credentials;
    this.counter = options.counter;
    this.misbehaviour = options.misbehaviour ?? {};
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.responder = new CardResponder({
      onSelect: () => this.onSelect(),
      onMessage: (message) => this.onMessage(message),
    });
  }

  get appPublicKey(): Uint8Array {
    return publicKeyFor('ES256', this.credentials.appSecretKey);
  }

  get license(): Uint8Array {
    return this.credentials.license;
  }

  /** Last app transaction counter used. */
  get lastCounter(): number {
    return this.counter.last();
  }

  reset(): void {
    this.apduIndex = 0;
    this.gone = false;
    this.tap = undefined;
    this.responder.reset();
  }

  async handleApdu(apdu: Uint8Array): Promise<Uint8Array> {
    this.apduIndex += 1;
    const { vanishAtApdu, silentAtApdu, readerFaultAtApdu } = this.misbehaviour;
    if (this.gone || this.apduIndex === vanishAtApdu) {
      this.gone = true;
      throw new PhoneVanishedError();
    }
    if (this.apduIndex === readerFaultAtApdu) throw new ReaderFaultError();
    if (silentAtApdu !== undefined && this.apduIndex >= silentAtApdu) return new Promise<Uint8Array>(() => undefined);
    return this.responder.handleApdu(apdu);
  }

  private onSelect(): ResponderReply {
    if (this.misbehaviour.notPaymentApp) return { sw: SW.FILE_NOT_FOUND };
    if (this.misbehaviour.locked) return { sw: SW.SECURITY_NOT_SATISFIED };
    return { sw: SW.OK, data: Uint8Array.of(PROTOCOL_VERSION) };
  }

  private async onMessage(message: Uint8Array): Promise<Uint8Array | ResponderReply> {
    if (this.misbehaviour.replyDelayMs) await this.sleep(this.misbehaviour.replyDelayMs);
    try {
      const { payload, acceptableLength } = unwrapRequest(message);
      const map = decodeCbor(payload);
      const type: unknown = map instanceof Map ? map.get(Key.type) : undefined;
      if (type === MessageType.paymentRequest) return this.limit(this.answerPaymentRequest(payload), acceptableLength);
      if (type === MessageType.deductionRequest) return this.limit(this.answerDeductionRequest(payload), acceptableLength);
      return snepErrorResponse(SnepResponseCode.BAD_REQUEST);
    } catch (error) {
      if (error instanceof ProtocolError) {
        return snepErrorResponse(error.reason === 'message_too_large' ? SnepResponseCode.EXCESS_DATA : SnepResponseCode.BAD_REQUEST);
      }
      throw error;
    }
  }

  private limit(reply: Uint8Array | ResponderReply, acceptableLength: number): Uint8Array | ResponderReply {
    const oversizedOnPurpose = this.misbehaviour.corruptReply?.fault === 'oversized';
    if (reply instanceof Uint8Array && reply.length > acceptableLength && !oversizedOnPurpose) {
      return snepErrorResponse(SnepResponseCode.EXCESS_DATA);
    }
    return reply;
  }

  private answerPaymentRequest(requestPayload: Uint8Array): Uint8Array | ResponderReply {
    const request = parsePaymentRequest(requestPayload);
    // At the counter ceiling the license can sign nothing more: no license to offer (Not Found)
    // until the wallet gets a new one, whose counter starts again at 1.
    if (this.counter.last() >= MAX_APP_COUNTER && !this.misbehaviour.reuseCounter) return snepErrorResponse(SnepResponseCode.NOT_FOUND);
    const license = this.misbehaviour.tamperLicense ? tamper(this.credentials.license) : this.credentials.license;
    const responsePayload = encodePaymentResponse({ license });
    this.tap = { request, requestPayload, responsePayload, license };
    return this.spoil('payment-response', wrapResponse(responsePayload));
  }

  private answerDeductionRequest(deductionPayload: Uint8Array): Uint8Array | ResponderReply {
    const tap = this.tap;
    if (!tap) return snepErrorResponse(SnepResponseCode.BAD_REQUEST);
    const deduction = parseDeductionRequest(deductionPayload);
    const { request } = tap;
    // A real wallet shows the amount; it never signs something else than what it showed.
    if (
      deduction.transactionId !== request.transactionId ||
      deduction.amount !== request.amount ||
      deduction.currency !== request.currency ||
      !bytesEqual(deduction.licenseHash, licenseHash(tap.license))
    ) {
      return snepErrorResponse(SnepResponseCode.REJECT);
    }
    const m = this.misbehaviour;
    const counter = m.reuseCounter ? this.counter.last() : this.counter.last() + (m.counterJump ?? 1);
    this.counter.commit(counter);
    const content: AuthorizationContent = {
      transactionId: request.transactionId,
      amount: request.amount,
      currency: request.currency,
      merchantId: request.merchantId,
      terminalId: request.terminalId,
      nonce: deduction.nonce,
      licenseHash: deduction.licenseHash,
      counter,
      transcriptHash: transcriptHash(tap.requestPayload, tap.responsePayload, deductionPayload),
    };
    const signed = m.wrongField ? falsify(content, m.wrongField, this.lastNonce) : content;
    this.lastNonce = deduction.nonce;
    const secretKey = m.wrongKey ? WRONG_KEY : this.credentials.appSecretKey;
    const authorization = signCoseSign1(encodeAuthorizationContent(signed), m.authorizationAlg ?? COSE_ALGORITHMS.ES256, undefined, (tbs) =>
      signEs256(secretKey, tbs, { highS: m.highS, der: m.derSignature }),
    );
    return this.spoil('authorization', wrapResponse(encodeAuthorizationMessage({ authorization })));
  }

  private spoil(message: 'payment-response' | 'authorization', reply: Uint8Array): Uint8Array | ResponderReply {
    const corrupt = this.misbehaviour.corruptReply;
    if (!corrupt || corrupt.message !== message) return reply;
    return spoiled(corrupt.fault, message === 'payment-response' ? MessageType.paymentResponse : MessageType.paymentAuthorization);
  }
}
