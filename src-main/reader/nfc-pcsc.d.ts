// The part of nfc-pcsc 0.8 (untyped CommonJS) that the PC/SC reader service uses.
declare module 'nfc-pcsc' {
  import { EventEmitter } from 'node:events';

  export interface NfcCard {
    atr?: Buffer;
    standard?: 'TAG_ISO_14443_3' | 'TAG_ISO_14443_4';
    type?: string;
  }

  /** nfc-pcsc wraps the pcsclite error it got as `previous`. */
  export interface NfcError extends Error {
    code?: string | null;
    previous?: unknown;
  }

  export class Reader extends EventEmitter {
    readonly name: string;
    autoProcessing: boolean;
    card: NfcCard | null;
    connection: { type: number; protocol: number } | null;
    connect(mode?: 'CONNECT_MODE_CARD' | 'CONNECT_MODE_DIRECT'): Promise<unknown>;
    disconnect(): Promise<boolean>;
    transmit(data: Buffer, responseMaxLength: number): Promise<Buffer>;
    control(data: Buffer, responseMaxLength: number): Promise<Buffer>;
    close(): void;
    on(event: 'card' | 'card.off', listener: (card: NfcCard) => void): this;
    on(event: 'error', listener: (error: NfcError) => void): this;
    on(event: 'end', listener: () => void): this;
  }

  export class NFC extends EventEmitter {
    constructor(logger?: unknown);
    readonly readers: Record<string, unknown>;
    close(): void;
    on(event: 'reader', listener: (reader: Reader) => void): this;
    on(event: 'error', listener: (error: Error) => void): this;
  }

  export const TAG_ISO_14443_3: 'TAG_ISO_14443_3';
  export const TAG_ISO_14443_4: 'TAG_ISO_14443_4';
}
