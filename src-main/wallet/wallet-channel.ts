// A CardChannel straight into a phone object, in memory: for tests and the stub reader.
import { ChannelError, type CardChannel } from '../transport/channel';
import { PhoneVanishedError, ReaderFaultError, type PhoneSide } from './phone-wallet';

export interface WalletChannel extends CardChannel {
  /** A new tap: the phone enters the field (resets its per-tap state). */
  tap(): void;
}

export function walletChannel(phone: PhoneSide): WalletChannel {
  return {
    tap: () => phone.reset(),
    async transmit(apdu, timeoutMs) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new ChannelError('timeout', `no answer within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        return await Promise.race([phone.handleApdu(apdu.slice()), timeout]);
      } catch (error) {
        if (error instanceof ChannelError) throw error;
        if (error instanceof PhoneVanishedError) throw new ChannelError('card-removed', error.message, { cause: error });
        if (error instanceof ReaderFaultError) throw new ChannelError('reader-error', error.message, { cause: error });
        throw new ChannelError('reader-error', error instanceof Error ? error.message : String(error), { cause: error });
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
