// The reference wallet as a link would see it: its simulated failures (the phone leaving the
// field, a reader fault) become the ChannelError a real reader reports. `walletChannel` is a
// CardChannel straight into a phone, in memory (tests); `simulatedPhone` is the phone the stub
// reader holds in its field, so the reader layer never needs to know the wallet's errors.
import { ChannelError, type CardChannel } from '../transport/channel';
import { PhoneVanishedError, ReaderFaultError, type PhoneSide } from './phone-wallet';

export interface WalletChannel extends CardChannel {
  /** A new tap: the phone enters the field (resets its per-tap state). */
  tap(): void;
}

/** The ChannelError for one of the wallet's simulated link failures; anything else as it is. */
function asLinkFailure(error: unknown): unknown {
  if (error instanceof PhoneVanishedError) return new ChannelError('card-removed', error.message, { cause: error });
  if (error instanceof ReaderFaultError) return new ChannelError('reader-error', error.message, { cause: error });
  return error;
}

/** The phone with its simulated link failures as ChannelErrors (the stub reader's SimulatedPhone). */
export function simulatedPhone(phone: PhoneSide): PhoneSide {
  return {
    reset: () => phone.reset(),
    async handleApdu(apdu) {
      try {
        return await phone.handleApdu(apdu);
      } catch (error) {
        throw asLinkFailure(error);
      }
    },
  };
}

export function walletChannel(phone: PhoneSide): WalletChannel {
  const linked = simulatedPhone(phone);
  return {
    tap: () => linked.reset(),
    async transmit(apdu, timeoutMs) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new ChannelError('timeout', `no answer within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        return await Promise.race([linked.handleApdu(apdu.slice()), timeout]);
      } catch (error) {
        if (error instanceof ChannelError) throw error;
        throw new ChannelError('reader-error', error instanceof Error ? error.message : String(error), { cause: error });
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
