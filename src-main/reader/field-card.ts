// The life of a card in a reader's field, shared by the PC/SC and the stub reader: detected,
// used by the controller (processing), finished (remove phone), gone. Only how APDUs reach
// the card differs between the two.
import type { ReaderState } from '../domain/payment';
import type { CardChannel } from '../transport/channel';
import type { CardKind, PresentedCard } from './reader-service';

let nextCardId = 1;

export abstract class FieldCard implements PresentedCard {
  readonly id = nextCardId++;
  readonly gone: Promise<void>;
  stage: 'detected' | 'processing' | 'finished' = 'detected';
  abstract readonly channel: CardChannel;
  private isPresent = true;
  private markGone!: () => void;

  constructor(
    readonly kind: CardKind,
    readonly readerName: string,
    readonly atr: Uint8Array,
    private readonly changed: () => void,
  ) {
    this.gone = new Promise((resolve) => (this.markGone = resolve));
  }

  present(): boolean {
    return this.isPresent;
  }

  begin(): void {
    if (this.stage !== 'detected') return;
    this.stage = 'processing';
    this.changed();
  }

  finish(): void {
    if (this.stage === 'finished') return;
    this.stage = 'finished';
    this.changed();
  }

  /** Marks the card gone; false when it had already left. */
  protected markLeft(): boolean {
    if (!this.isPresent) return false;
    this.isPresent = false;
    this.markGone();
    return true;
  }
}

/** The reader state to show for the cards in the field: the one in use first. */
export function fieldState(cards: readonly FieldCard[]): { state: ReaderState; card?: FieldCard } {
  const present = cards.filter((card) => card.present());
  const shown = present.find((card) => card.stage === 'processing') ?? present[0];
  if (!shown) return { state: 'ready' };
  if (shown.stage === 'processing') return { state: 'processing', card: shown };
  if (shown.stage === 'finished') return { state: 'remove-phone', card: shown };
  return { state: 'phone-detected', card: shown };
}
