// A virtual contactless card for pcscd's vsmartcard reader driver (ifd-vpcd): we connect to
// the driver's TCP port and answer what it sends. Every message is a 2-byte big-endian length
// then the bytes; a 1-byte message is a control code (0 power off, 1 on, 2 reset, 4 ATR), anything longer is a command APDU that
// gets one response APDU. Connected = card in the field; closing the socket = card removed.
import { Socket } from 'node:net';

export const VPCD_DEFAULT_PORT = 35963;

const CONTROL_POWER_ON = 1;
const CONTROL_RESET = 2;
const CONTROL_ATR = 4;

/**
 * ATR a PC/SC part 3 reader builds for an ISO 14443-4 type A card whose ATS has no historical
 * bytes, which is what a phone in Host Card Emulation shows: 3B 80 80 01 01
 * (T0: TD1 follows, TD1: TD2 follows, TD2: T=1, TCK).
 */
export const ATR_ISO_DEP_PHONE = Uint8Array.from([0x3b, 0x80, 0x80, 0x01, 0x01]);

/**
 * ATR of a MIFARE Classic 1K card through a PC/SC part 3 reader (historical bytes start with
 * 80 4F: a storage card with a registered application id): a tag that is not a payment phone.
 */
export const ATR_MIFARE_CLASSIC_1K = Uint8Array.from([
  0x3b, 0x8f, 0x80, 0x01, 0x80, 0x4f, 0x0c, 0xa0, 0x00, 0x00, 0x03, 0x06, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x6a,
]);

/**
 * Answers one command APDU with one response APDU. A promise that never settles models a
 * phone that stopped answering (the driver then waits until the card is removed).
 */
export type ApduHandler = (apdu: Uint8Array) => Uint8Array | Promise<Uint8Array>;

export interface VpcdCardOptions {
  handler: ApduHandler;
  host?: string;
  port?: number;
  atr?: Uint8Array;
  /** Called on power on / reset, e.g. to reset the wallet's session state. */
  onReset?: () => void;
}

/** Extracts complete length-prefixed frames from a byte stream. */
class FrameReader {
  private buffer: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const frames: Buffer[] = [];
    while (this.buffer.length >= 2) {
      const length = this.buffer.readUInt16BE(0);
      if (this.buffer.length < 2 + length) break;
      frames.push(this.buffer.subarray(2, 2 + length));
      this.buffer = this.buffer.subarray(2 + length);
    }
    return frames;
  }
}

function frame(bytes: Uint8Array): Buffer {
  const out = Buffer.alloc(2 + bytes.length);
  out.writeUInt16BE(bytes.length, 0);
  out.set(bytes, 2);
  return out;
}

/** Status word the card answers when its handler throws: 6F 00 (no precise diagnosis). */
const SW_NO_PRECISE_DIAGNOSIS = Uint8Array.from([0x6f, 0x00]);

export class VpcdCard {
  private readonly options: VpcdCardOptions;
  private socket: Socket | undefined;
  private queue: Promise<void> = Promise.resolve();
  private closedPromise: Promise<void> = Promise.resolve();
  private apdus = 0;

  constructor(options: VpcdCardOptions) {
    this.options = options;
  }

  /** Number of command APDUs received since connect(). */
  get apduCount(): number {
    return this.apdus;
  }

  get connected(): boolean {
    return this.socket !== undefined && !this.socket.destroyed;
  }

  /** Resolves when the connection to the driver ends, for whatever reason. */
  get closed(): Promise<void> {
    return this.closedPromise;
  }

  /** Connects to the driver: the card enters the reader's field. Rejects if pcscd does not listen. */
  connect(): Promise<void> {
    if (this.connected) return Promise.resolve();
    this.apdus = 0;
    const socket = new Socket();
    socket.setNoDelay(true);
    this.socket = socket;
    const reader = new FrameReader();
    this.closedPromise = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('data', (chunk) => {
      for (const message of reader.push(chunk)) {
        const copy = Uint8Array.from(message);
        this.queue = this.queue.then(() => this.answer(socket, copy));
      }
    });
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void => {
        socket.destroy();
        reject(error);
      };
      socket.once('error', onError);
      socket.connect(this.options.port ?? VPCD_DEFAULT_PORT, this.options.host ?? '127.0.0.1', () => {
        socket.off('error', onError);
        // After connecting, errors only end the connection (pcscd stopped): closed resolves.
        socket.on('error', () => socket.destroy());
        resolve();
      });
    });
  }

  /** Removes the card from the field. */
  async close(): Promise<void> {
    const socket = this.socket;
    if (!socket) return;
    socket.destroy();
    await this.closedPromise;
  }

  private async answer(socket: Socket, message: Uint8Array): Promise<void> {
    if (message.length === 1) {
      const code = message[0];
      if (code === CONTROL_ATR) {
        this.send(socket, this.options.atr ?? ATR_ISO_DEP_PHONE);
      } else if (code === CONTROL_POWER_ON || code === CONTROL_RESET) {
        this.options.onReset?.();
      }
      // Power off and unknown codes get no answer, as with vsmartcard's own virtual cards.
      return;
    }
    this.apdus += 1;
    let response: Uint8Array;
    try {
      response = await this.options.handler(message);
    } catch {
      response = SW_NO_PRECISE_DIAGNOSIS;
    }
    this.send(socket, response);
  }

  private send(socket: Socket, bytes: Uint8Array): void {
    if (!socket.destroyed) socket.write(frame(bytes));
  }
}
