// The one seam between the payment protocol and whatever carries APDUs: a PC/SC reader,
// the in-process stub reader, or a test pipe straight into the reference wallet.

export type ChannelFailure =
  | 'card-removed' // the card/phone left the field, or the reader lost it
  | 'timeout' // no response within the step timeout
  | 'reader-error'; // the reader or the PC/SC service failed

export class ChannelError extends Error {
  readonly failure: ChannelFailure;
  constructor(failure: ChannelFailure, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ChannelError';
    this.failure = failure;
  }
}

export interface CardChannel {
  /**
   * Sends one command APDU and resolves with the whole response APDU (data then SW1 SW2).
   * Rejects only with ChannelError. `timeoutMs` bounds this one round trip.
   */
  transmit(apdu: Uint8Array, timeoutMs: number): Promise<Uint8Array>;
}
