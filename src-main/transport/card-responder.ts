// Phone side of the APDU link (what an HCE service does): answers SELECT, reassembles
// chained commands into one message, and serves long replies through 61xx + GET RESPONSE.
import { ProtocolError } from '../domain/protocol-error';
import { MAX_MESSAGE_BYTES, MAX_RESPONSE_CHUNK } from '../domain/limits';
import {
  CLA_CHAIN,
  CLA_ISO,
  CLA_PROPRIETARY,
  INS_EXCHANGE,
  INS_GET_RESPONSE,
  INS_SELECT,
  PAYMENT_AID,
  SW,
  encodeResponse,
  parseCommand,
} from './apdu';
import { bytesEqual, concatBytes } from '../domain/bytes';

export interface ResponderReply {
  data?: Uint8Array;
  sw: number;
}

export interface ResponderHandlers {
  /** Answer to SELECT of our AID (version data and 9000, or 6982 when the phone is locked). */
  onSelect(): ResponderReply;
  /** One complete request message in, one complete reply message (or a bare status word) out. */
  onMessage(message: Uint8Array): Promise<Uint8Array | ResponderReply>;
}

export interface ResponderOptions {
  aid?: Uint8Array;
  maxMessageBytes?: number;
  /** Largest data field per response APDU (default 256). */
  responseChunk?: number;
}

const EMPTY = new Uint8Array(0);

export class CardResponder {
  private readonly handlers: ResponderHandlers;
  private readonly aid: Uint8Array;
  private readonly maxMessageBytes: number;
  private readonly responseChunk: number;
  private selected = false;
  private chain: Uint8Array[] = [];
  private chainLength = 0;
  private pending: Uint8Array = EMPTY;

  constructor(handlers: ResponderHandlers, options: ResponderOptions = {}) {
    this.handlers = handlers;
    this.aid = options.aid ?? PAYMENT_AID;
    this.maxMessageBytes = options.maxMessageBytes ?? MAX_MESSAGE_BYTES;
    this.responseChunk = Math.min(options.responseChunk ?? MAX_RESPONSE_CHUNK, MAX_RESPONSE_CHUNK);
  }

  /** A new tap (field on): forget selection, partial chains and pending replies. */
  reset(): void {
    this.selected = false;
    this.dropChain();
    this.pending = EMPTY;
  }

  async handleApdu(apdu: Uint8Array): Promise<Uint8Array> {
    let command;
    try {
      command = parseCommand(apdu);
    } catch (error) {
      if (error instanceof ProtocolError) return status(SW.WRONG_LENGTH);
      throw error;
    }
    const { cla, ins, p1, data, le } = command;

    if (cla === CLA_ISO && ins === INS_SELECT) {
      this.reset();
      if (p1 !== 0x04) return status(SW.WRONG_P1P2);
      if (!bytesEqual(data, this.aid)) return status(SW.FILE_NOT_FOUND);
      const reply = this.handlers.onSelect();
      this.selected = reply.sw === SW.OK;
      return this.serve(reply.data ?? EMPTY, reply.sw, le);
    }
    if (!this.selected) return status(SW.CONDITIONS_NOT_SATISFIED);

    if (cla === CLA_ISO && ins === INS_GET_RESPONSE) {
      if (this.pending.length === 0) return status(SW.CONDITIONS_NOT_SATISFIED);
      return this.serve(this.pending, SW.OK, le);
    }
    if (ins !== INS_EXCHANGE) return status(SW.INS_NOT_SUPPORTED);
    if ((cla & ~CLA_CHAIN) !== CLA_PROPRIETARY) return status(SW.CLA_NOT_SUPPORTED);

    this.pending = EMPTY;
    this.chainLength += data.length;
    if (this.chainLength > this.maxMessageBytes) {
      this.dropChain();
      return status(SW.NOT_ENOUGH_MEMORY);
    }
    this.chain.push(data);
    if ((cla & CLA_CHAIN) !== 0) return status(SW.OK);

    const message = concatBytes(...this.chain);
    this.dropChain();
    if (message.length === 0) return status(SW.WRONG_DATA);
    const reply = await this.handlers.onMessage(message);
    if (reply instanceof Uint8Array) return this.serve(reply, SW.OK, le);
    return this.serve(reply.data ?? EMPTY, reply.sw, le);
  }

  /** Sends as much of `data` as fits; keeps the rest for GET RESPONSE. */
  private serve(data: Uint8Array, sw: number, le: number | undefined): Uint8Array {
    if (sw !== SW.OK) {
      this.pending = EMPTY;
      return encodeResponse(EMPTY, sw);
    }
    const size = Math.min(le ?? MAX_RESPONSE_CHUNK, this.responseChunk);
    const chunk = data.subarray(0, size);
    this.pending = data.subarray(size);
    if (this.pending.length === 0) return encodeResponse(chunk, SW.OK);
    const more = this.pending.length >= 256 ? 0 : this.pending.length;
    return encodeResponse(chunk, SW.MORE_DATA | more);
  }

  private dropChain(): void {
    this.chain = [];
    this.chainLength = 0;
  }
}

function status(sw: number): Uint8Array {
  return encodeResponse(EMPTY, sw);
}
