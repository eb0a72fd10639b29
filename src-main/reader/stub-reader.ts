// In-process ReaderService backed by a simulated phone (the reference wallet), for demo mode,
// UI tests and the `charge --reader stub` command. Cards "enter the field" when `tap()` is
// called and leave on `remove()`, exactly like a phone on a real reader as far as the payment
// controller can tell: same PresentedCard, same ChannelError failures, same status stream.
import type { ReaderStatus } from '../domain/payment';
import { ChannelError, type CardChannel } from '../transport/channel';
import { FieldCard, fieldState } from './field-card';
import { ATR_ISO_DEP_PHONE, ATR_MIFARE_CLASSIC_1K } from './vpcd-card';
import type { CardKind, CardListener, PresentedCard, ReaderFeedback, ReaderService, StatusListener } from './reader-service';

/**
 * The phone side: one command APDU in, one response APDU out. It rejects with ChannelError
 * `card-removed` when it leaves the field and `reader-error` for a reader fault, as a real
 * link reports them (the reference wallet through `simulatedPhone`, wallet/wallet-channel.ts).
 */
export interface SimulatedPhone {
  handleApdu(apdu: Uint8Array): Uint8Array | Promise<Uint8Array>;
  /** A new tap begins (the reference wallet forgets the previous tap's state). */
  reset?(): void;
}

export interface StubReaderOptions {
  /** Builds the phone for a named scenario; throws for an unknown name. */
  phoneFor(scenario: string): SimulatedPhone;
  readerName?: string;
}

export interface TapOptions {
  /** 'other' simulates a tag that is not a phone (a MIFARE transit card). */
  kind?: CardKind;
}

export interface StubReaderService extends ReaderService {
  readonly kind: 'stub';
  /** A phone running `scenario` enters the field (alongside any card already there). */
  tap(scenario: string, options?: TapOptions): PresentedCard;
  /** Every card leaves the field. */
  remove(): void;
  /** Feedback the reader was asked to give, newest last (what a real reader would light/beep). */
  readonly feedbackGiven: readonly ReaderFeedback[];
}

export const STUB_READER_NAME = 'Simulated phone';

class StubCard extends FieldCard {
  readonly channel: CardChannel;

  constructor(
    kind: CardKind,
    readerName: string,
    private readonly phone: SimulatedPhone,
    private readonly notify: () => void,
  ) {
    super(kind, readerName, kind === 'iso-dep' ? ATR_ISO_DEP_PHONE : ATR_MIFARE_CLASSIC_1K, notify);
    this.channel = { transmit: (apdu, timeoutMs) => this.transmit(apdu, timeoutMs) };
  }

  leave(): void {
    if (this.markLeft()) this.notify();
  }

  private async transmit(apdu: Uint8Array, timeoutMs: number): Promise<Uint8Array> {
    if (!this.present()) throw new ChannelError('card-removed', 'the phone left the field');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ChannelError('timeout', `no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    const removed = this.gone.then(() => {
      throw new ChannelError('card-removed', 'the phone left the field');
    });
    const answer = (async () => {
      try {
        return await this.phone.handleApdu(Uint8Array.from(apdu));
      } catch (error) {
        // A phone that "vanishes" leaves the field.
        if (error instanceof ChannelError && error.failure === 'card-removed') {
          this.leave();
          throw new ChannelError('card-removed', error.message, { cause: error });
        }
        if (error instanceof ChannelError) throw error;
        throw new ChannelError('reader-error', error instanceof Error ? error.message : String(error), { cause: error });
      }
    })();
    try {
      const response = await Promise.race([answer, timeout, removed]);
      if (!this.present()) throw new ChannelError('card-removed', 'the phone left the field');
      return Uint8Array.from(response);
    } finally {
      clearTimeout(timer);
      removed.catch(() => undefined);
      answer.catch(() => undefined);
    }
  }
}

class StubReader implements StubReaderService {
  readonly kind = 'stub' as const;
  readonly feedbackGiven: ReaderFeedback[] = [];
  private readonly options: StubReaderOptions;
  private readonly name: string;
  private cards: StubCard[] = [];
  private readonly statusListeners = new Set<StatusListener>();
  private readonly cardListeners = new Set<CardListener>();
  private current: ReaderStatus;
  private closed = false;

  constructor(options: StubReaderOptions) {
    this.options = options;
    this.name = options.readerName ?? STUB_READER_NAME;
    this.current = this.computeStatus();
  }

  status(): ReaderStatus {
    return { ...this.current };
  }

  onStatus(listener: StatusListener): () => void {
    this.statusListeners.add(listener);
    try {
      listener(this.status());
    } catch {
      // Listener failures never reach the reader.
    }
    return () => this.statusListeners.delete(listener);
  }

  onCard(listener: CardListener): () => void {
    this.cardListeners.add(listener);
    return () => this.cardListeners.delete(listener);
  }

  presentCards(): PresentedCard[] {
    return this.cards.filter((card) => card.present());
  }

  readers(): string[] {
    return [this.name];
  }

  selectReader(): void {
    // One simulated reader: nothing to choose.
  }

  tap(scenario: string, options: TapOptions = {}): PresentedCard {
    if (this.closed) throw new Error('the simulated reader is closed');
    const phone = this.options.phoneFor(scenario);
    phone.reset?.();
    const card = new StubCard(options.kind ?? 'iso-dep', this.name, phone, () => this.changed());
    this.cards.push(card);
    void card.gone.then(() => {
      this.cards = this.cards.filter((other) => other !== card);
      this.changed();
    });
    this.changed();
    for (const listener of this.cardListeners) {
      try {
        listener(card);
      } catch {
        // Listener failures never reach the reader.
      }
    }
    return card;
  }

  remove(): void {
    for (const card of [...this.cards]) card.leave();
  }

  feedback(result: ReaderFeedback): Promise<void> {
    this.feedbackGiven.push(result);
    return Promise.resolve();
  }

  async close(): Promise<void> {
    this.remove();
    this.closed = true;
    this.statusListeners.clear();
    this.cardListeners.clear();
  }

  private computeStatus(): ReaderStatus {
    return { state: fieldState(this.cards).state, kind: 'stub', readerName: this.name };
  }

  private changed(): void {
    if (this.closed) return;
    const next = this.computeStatus();
    if (next.state === this.current.state) return;
    this.current = next;
    for (const listener of this.statusListeners) {
      try {
        listener({ ...next });
      } catch {
        // Listener failures never reach the reader.
      }
    }
  }
}

export function createStubReaderService(options: StubReaderOptions): StubReaderService {
  return new StubReader(options);
}
