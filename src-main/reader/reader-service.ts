// The one interface the payment controller and the app use to reach a phone, whatever carries
// it: a PC/SC reader through pcscd (pcsc-reader-service.ts) or the in-process simulated phone
// (stub-reader.ts). A ReaderService never throws into its listeners' callers and never crashes
// the process: every reader failure becomes a status or a ChannelError on the card's channel.
import type { ReaderStatus } from '../domain/payment';
import type { CardChannel } from '../transport/channel';

/**
 * What kind of tag entered the field. Only 'iso-dep' (ISO 14443-4, what a phone in Host Card
 * Emulation presents) can carry a payment; 'other' (MIFARE Classic/Ultralight, FeliCa, a transit
 * card) is answered with "not a payment phone" without sending it anything.
 */
export type CardKind = 'iso-dep' | 'other';

/** One card or phone in the field, from its arrival until it leaves. */
export interface PresentedCard {
  /** Distinct per arrival; a phone taken away and tapped again is a new card. */
  readonly id: number;
  readonly kind: CardKind;
  readonly readerName: string;
  /** Answer To Reset as the reader reports it (PC/SC part 3 builds one for contactless cards). */
  readonly atr: Uint8Array;
  /** APDU channel to this card; rejects with ChannelError('card-removed') once it has left. */
  readonly channel: CardChannel;
  /** True until the card leaves the field or its reader goes away. */
  present(): boolean;
  /** Resolves when the card leaves the field (or its reader / the PC/SC service goes away). */
  readonly gone: Promise<void>;
  /**
   * The controller starts using the card: the status shows 'processing' until `finish()`.
   */
  begin(): void;
  /**
   * The controller is done with the card: the status shows 'remove-phone' while it is still
   * in the field, then 'ready'. Idempotent.
   */
  finish(): void;
}

export type CardListener = (card: PresentedCard) => void;
export type StatusListener = (status: ReaderStatus) => void;

/** Outcome the reader signals to the customer where it can (LED, buzzer). */
export type ReaderFeedback = 'approved' | 'declined';

export interface ReaderService {
  readonly kind: ReaderStatus['kind'];
  /** Current status (also the first value each new status listener receives). */
  status(): ReaderStatus;
  /** Subscribes to status changes; the listener is called at once with the current status. */
  onStatus(listener: StatusListener): () => void;
  /**
   * Subscribes to cards entering the field of the chosen reader(s). A listener exception is
   * caught and ignored, never propagated into the PC/SC event loop.
   */
  onCard(listener: CardListener): () => void;
  /** Cards in the field of the chosen reader(s) right now, oldest first. */
  presentCards(): PresentedCard[];
  /** Names of the usable readers seen now (SAM slots excluded). */
  readers(): string[];
  /**
   * Chooses a reader by name; undefined means automatic (every usable reader is watched, and
   * with exactly one it is the one shown in the status).
   */
  selectReader(name: string | undefined): void;
  /**
   * Light / beep for the decision where the reader supports it (ACS ACR122U, ACR1252U);
   * a no-op elsewhere. Never rejects.
   */
  feedback(result: ReaderFeedback, card?: PresentedCard): Promise<void>;
  /** Releases the reader and every resource; the service is unusable afterwards. */
  close(): Promise<void>;
}
