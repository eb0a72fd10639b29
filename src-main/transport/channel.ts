// The one seam between the payment protocol and whatever carries APDUs: a PC/SC reader,
// the in-process stub reader, or a test pipe straight into the reference wallet.
import { CodedError } from '../domain/coded-error';

export type ChannelFailure =
  | 'card-removed' // the card/phone left the field, or the reader lost it
  | 'timeout' // no response within the step timeout
  | 'reader-error'; // the reader or the PC/SC service failed

export class ChannelError extends CodedError<ChannelFailure> {
  override readonly name = 'ChannelError';

  /** What failed: the code, under the name the link code speaks of. */
  get failure(): ChannelFailure {
    return this.code;
  }
}

export interface CardChannel {
  /**
   * Sends one command APDU and resolves with the whole response APDU (data then SW1 SW2).
   * Rejects only with ChannelError. `timeoutMs` bounds this one round trip.
   */
  transmit(apdu: Uint8Array, timeoutMs: number): Promise<Uint8Array>;
}
