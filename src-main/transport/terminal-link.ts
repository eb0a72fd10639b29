// Terminal side of the APDU link: SELECT, then one protocol message per exchange, with
// command chaining out, 61xx + GET RESPONSE in, a deadline per step and cashier cancel.
import type { ReasonCode } from '../domain/reasons';
import { ProtocolError, fail } from '../domain/protocol-error';
import { concatBytes } from '../domain/bytes';
import { MAX_COMMAND_CHUNK, MAX_MESSAGE_BYTES, MAX_RESPONSE_CHUNK } from '../domain/limits';
import {
  CLA_CHAIN,
  CLA_ISO,
  CLA_PROPRIETARY,
  INS_EXCHANGE,
  INS_GET_RESPONSE,
  PAYMENT_AID,
  SW,
  encodeCommand,
  parseResponse,
  selectCommand,
  swHex,
  type ResponseApdu,
} from './apdu';
import { ChannelError, type CardChannel, type ChannelFailure } from './channel';

export const PROTOCOL_VERSION = 0x01;

export interface LinkOptions {
  /**
   * Bound on each step: SELECT, or one request and its whole reply, command chaining and
   * GET RESPONSE included. Every APDU of a step shares the step's deadline, so a phone that
   * drips its reply out in small pieces cannot stretch a step past this.
   */
  stepTimeoutMs: number;
  /** Cashier cancel: aborts the wait for the current round trip. */
  signal?: AbortSignal;
  /** Largest reassembled response accepted (default MAX_MESSAGE_BYTES). */
  maxResponseBytes?: number;
}

const channelReasons: Record<ChannelFailure, ReasonCode> = {
  'card-removed': 'card_removed',
  timeout: 'step_timeout',
  'reader-error': 'reader_error',
};

export class TerminalLink {
  /** APDUs sent so far, for the session result. */
  apduCount = 0;
  private readonly channel: CardChannel;
  private readonly options: LinkOptions;

  constructor(channel: CardChannel, options: LinkOptions) {
    this.channel = channel;
    this.options = options;
  }

  /** Selects the payment application; resolves with its version data. */
  async select(aid: Uint8Array = PAYMENT_AID): Promise<Uint8Array> {
    const deadline = this.stepDeadline();
    const first = await this.transmit(selectCommand(aid), deadline);
    if (first.sw === SW.SECURITY_NOT_SATISFIED) fail('see_phone', 'phone asks the user to unlock (SELECT 6982)');
    if (first.sw !== SW.OK && (first.sw & 0xff00) !== SW.MORE_DATA) {
      fail('not_payment_phone', `SELECT answered ${swHex(first.sw)}`);
    }
    const data = await this.collect(first, MAX_RESPONSE_CHUNK * 4, deadline);
    if (data.length < 1 || data[0] !== PROTOCOL_VERSION) {
      fail('not_payment_phone', `unsupported protocol version in SELECT answer (${data.length} bytes)`);
    }
    return data;
  }

  /**
   * Sends one protocol message (chained if needed) and returns the whole reply.
   * `declaredSize` reads the size the reply announces in its first bytes (undefined until
   * it can tell); a reply announcing more than the cap is refused at once.
   */
  async exchange(message: Uint8Array, declaredSize?: (head: Uint8Array) => number | undefined): Promise<Uint8Array> {
    if (message.length === 0 || message.length > MAX_MESSAGE_BYTES) {
      throw new RangeError(`message of ${message.length} bytes cannot be sent`);
    }
    const deadline = this.stepDeadline();
    let offset = 0;
    for (;;) {
      const chunk = message.subarray(offset, offset + MAX_COMMAND_CHUNK);
      offset += chunk.length;
      const last = offset >= message.length;
      const cla = CLA_PROPRIETARY | (last ? 0 : CLA_CHAIN);
      const response = await this.transmit(
        encodeCommand({ cla, ins: INS_EXCHANGE, p1: 0, p2: 0, data: chunk, le: last ? 256 : undefined }),
        deadline,
      );
      if (last) {
        this.checkStatus(response);
        return this.collect(response, this.options.maxResponseBytes ?? MAX_MESSAGE_BYTES, deadline, declaredSize);
      }
      if (response.sw !== SW.OK) this.checkStatus(response);
      if (response.sw !== SW.OK || response.data.length > 0) {
        fail('malformed_apdu', `chained command answered ${swHex(response.sw)} with ${response.data.length} bytes`);
      }
    }
  }

  private checkStatus(response: ResponseApdu): void {
    const { sw } = response;
    if (sw === SW.OK || (sw & 0xff00) === SW.MORE_DATA) return;
    if (sw === SW.SECURITY_NOT_SATISFIED) fail('see_phone', 'phone asks the user to unlock (6982)');
    fail('malformed_apdu', `phone answered status ${swHex(sw)}`);
  }

  /** Follows 61xx with GET RESPONSE until 9000, refusing to grow past `cap`. */
  private async collect(
    first: ResponseApdu,
    cap: number,
    deadline: number,
    declaredSize?: (head: Uint8Array) => number | undefined,
  ): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    let total = 0;
    let response = first;
    let sizeKnown = declaredSize === undefined;
    for (;;) {
      if (response.data.length > MAX_RESPONSE_CHUNK) {
        fail('malformed_apdu', `response chunk of ${response.data.length} bytes exceeds ${MAX_RESPONSE_CHUNK}`);
      }
      total += response.data.length;
      if (total > cap) fail('message_too_large', `reply exceeds ${cap} bytes`);
      parts.push(response.data.slice());
      if (!sizeKnown && declaredSize) {
        const declared = declaredSize(concatBytes(...parts));
        sizeKnown = declared !== undefined;
        if (declared !== undefined && declared > cap) fail('message_too_large', `reply announces ${declared} bytes, more than ${cap}`);
      }
      if (response.sw === SW.OK) break;
      if ((response.sw & 0xff00) !== SW.MORE_DATA) {
        this.checkStatus(response);
      }
      const le = (response.sw & 0xff) === 0 ? 256 : response.sw & 0xff;
      const next = await this.transmit(
        encodeCommand({ cla: CLA_ISO, ins: INS_GET_RESPONSE, p1: 0, p2: 0, data: new Uint8Array(0), le }),
        deadline,
      );
      this.checkStatus(next);
      if (next.data.length === 0) fail('malformed_apdu', `GET RESPONSE returned no data (${swHex(next.sw)})`);
      if (next.data.length > le) fail('malformed_apdu', `GET RESPONSE returned ${next.data.length} bytes for Le ${le}`);
      response = next;
    }
    return concatBytes(...parts);
  }

  private stepDeadline(): number {
    return performance.now() + this.options.stepTimeoutMs;
  }

  /**
   * One round trip, mapped onto reason codes: removed, timeout, reader error, cancelled.
   * `deadline` (performance.now() time) defaults to one step timeout from now.
   */
  async transmit(apdu: Uint8Array, deadline: number = this.stepDeadline()): Promise<ResponseApdu> {
    const { stepTimeoutMs, signal } = this.options;
    if (signal?.aborted) fail('cancelled', 'cancelled by the cashier');
    const remainingMs = Math.ceil(deadline - performance.now());
    if (remainingMs <= 0) fail('step_timeout', `step not finished within ${stepTimeoutMs} ms`);
    this.apduCount += 1;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let onAbort: (() => void) | undefined;
    // An async wrapper turns a channel that throws synchronously into a rejection.
    const sent = (async () => this.channel.transmit(apdu, remainingMs))();
    sent.catch(() => undefined);
    const guards = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ProtocolError('step_timeout', `step not finished within ${stepTimeoutMs} ms`)), remainingMs);
      if (signal) {
        onAbort = () => reject(new ProtocolError('cancelled', 'cancelled by the cashier'));
        signal.addEventListener('abort', onAbort, { once: true });
      }
    });
    try {
      const raw = await Promise.race([sent, guards]);
      return parseResponse(raw);
    } catch (error) {
      if (error instanceof ProtocolError) throw error;
      if (error instanceof ChannelError) throw new ProtocolError(channelReasons[error.failure], error.message, { cause: error });
      throw new ProtocolError('reader_error', error instanceof Error ? error.message : String(error), { cause: error });
    } finally {
      clearTimeout(timer);
      if (signal && onAbort) signal.removeEventListener('abort', onAbort);
    }
  }
}
