// ReaderService on the PC/SC stack (pcscd / WinSCard / CryptoTokenKit) through nfc-pcsc.
// nfc-pcsc runs with autoProcessing = false: its automatic SELECT accepts only a 40-byte answer,
// and the payment session sends its own APDUs with a generous response size.
//
// Survival rules, learned from @pokusew/pcsclite's native code:
// - when pcscd stops, the PC/SC monitor emits one 'error' and ends for good: the NFC instance
//   is dropped and a new one created once the service is back (with backoff);
// - the PCSCLite constructor spins on the JS thread while SCardEstablishContext answers
//   "no service", so on Linux a new instance is only created once pcscd's socket accepts;
// - every nfc-pcsc Reader re-emits errors: an EventEmitter 'error' without a listener would
//   throw into the native callback and end the process, so every reader gets a listener.
import { connect } from 'node:net';
import type * as NfcPcsc from 'nfc-pcsc';
import type { NFC, NfcError, Reader } from 'nfc-pcsc';
import type { ReaderStatus } from '../domain/payment';
import { ChannelError, type CardChannel } from '../transport/channel';
import { acsFeedbackApdu, supportsAcsFeedback } from './feedback';
import { FieldCard, fieldState } from './field-card';
import { cardKindFromAtr, chooseReaders, isSamSlot } from './reader-choice';
import type { CardListener, PresentedCard, ReaderFeedback, ReaderService, StatusListener } from './reader-service';

export interface PcscReaderServiceOptions {
  /** Reader name from the settings; undefined = automatic. */
  readerName?: string;
  /** Largest response APDU accepted from a card (data + SW1 SW2). */
  maxResponseLength?: number;
  /** Reconnection backoff after the PC/SC service went away. */
  retryMinMs?: number;
  retryMaxMs?: number;
  /** Diagnostics sink (the app's log); never required. */
  log?: (message: string) => void;
}

// 64 KiB + SW: extended-length ready, far above our protocol's message cap.
const DEFAULT_MAX_RESPONSE = 65_538;
const FEEDBACK_TIMEOUT_MS = 1_000;
const RELEASE_TIMEOUT_MS = 1_000;
// After an ambiguous transmit failure, how long to wait for the removal event that tells
// "the phone left" apart from "the reader failed". pcscd polls readers without an interrupt
// endpoint (vpcd, some serial readers) every 400 ms; only the failure path waits.
const REMOVAL_GRACE_MS = 1_200;

// PC/SC return codes that mean the card, not the reader, went away.
const CARD_GONE_CODES = [
  0x80100069, // SCARD_W_REMOVED_CARD
  0x80100068, // SCARD_W_RESET_CARD
  0x80100066, // SCARD_W_UNRESPONSIVE_CARD
  0x80100067, // SCARD_W_UNPOWERED_CARD
  0x8010000c, // SCARD_E_NO_SMARTCARD
];

function pcscCode(error: unknown): number | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth += 1) {
    const match = /\(0x([0-9a-f]{8})\)/i.exec(current.message);
    if (match?.[1]) return Number.parseInt(match[1], 16);
    current = (current as NfcError).previous ?? current.cause;
  }
  return undefined;
}

function describe(error: unknown): string {
  const previous = (error as NfcError | undefined)?.previous;
  const own = error instanceof Error ? error.message : String(error);
  return previous instanceof Error ? `${own}: ${previous.message}` : own;
}

function pcscSocketPath(): string {
  return process.env.PCSCLITE_CSOCK_NAME ?? '/run/pcscd/pcscd.comm';
}

/** On Linux, true once pcscd accepts connections; elsewhere the OS service is assumed present. */
function serviceReachable(): Promise<boolean> {
  if (process.platform !== 'linux') return Promise.resolve(true);
  return new Promise((resolve) => {
    const socket = connect(pcscSocketPath());
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

type NfcModule = typeof NfcPcsc;

class PcscCard extends FieldCard {
  readonly channel: CardChannel;
  private lostBy: 'card-removed' | 'reader-error' = 'card-removed';
  private queue: Promise<unknown> = Promise.resolve();
  /** Transmits handed to PC/SC that have not returned (a silent phone keeps one forever on vpcd). */
  private nativeTransmits = 0;

  constructor(
    private readonly reader: Reader,
    atr: Uint8Array,
    private readonly maxResponse: number,
    changed: () => void,
  ) {
    super(cardKindFromAtr(atr), reader.name, atr, changed);
    this.channel = { transmit: (apdu, timeoutMs) => this.enqueue(apdu, timeoutMs) };
  }

  /** True while PC/SC still holds one of this card's transmits: its reader cannot be released now. */
  transmitPending(): boolean {
    return this.nativeTransmits > 0;
  }

  /** The card left the field ('card-removed'), or its reader / pcscd went away ('reader-error'). */
  leave(failure: 'card-removed' | 'reader-error' = 'card-removed'): void {
    if (this.present()) this.lostBy = failure;
    this.markLeft();
  }

  private lost(): ChannelError {
    return this.lostBy === 'reader-error'
      ? new ChannelError('reader-error', 'the reader or the PC/SC service went away')
      : new ChannelError('card-removed', 'the phone left the field');
  }

  private enqueue(apdu: Uint8Array, timeoutMs: number): Promise<Uint8Array> {
    const run = this.queue.then(
      () => this.transmit(apdu, timeoutMs),
      () => this.transmit(apdu, timeoutMs),
    );
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async transmit(apdu: Uint8Array, timeoutMs: number): Promise<Uint8Array> {
    if (!this.present()) throw this.lost();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ChannelError('timeout', `no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    const removed = this.gone.then(() => {
      throw this.lost();
    });
    try {
      const response = await Promise.race([this.send(apdu), timeout, removed]);
      return Uint8Array.from(response);
    } finally {
      clearTimeout(timer);
      removed.catch(() => undefined);
    }
  }

  private async send(apdu: Uint8Array): Promise<Buffer> {
    try {
      // nfc-pcsc throws synchronously when it has no connection: inside the async function
      // that becomes a rejection like any other.
      const pending = this.reader.transmit(Buffer.from(apdu), this.maxResponse);
      this.nativeTransmits += 1;
      const response = await pending.finally(() => (this.nativeTransmits -= 1));
      // vpcd (and some drivers) answer a card lost mid-command with zero bytes, not an error.
      if (response.length < 2) throw new Error(`the reader returned ${response.length} bytes, no status word`);
      return response;
    } catch (error) {
      const code = pcscCode(error);
      if (code !== undefined && CARD_GONE_CODES.includes(code)) {
        throw new ChannelError('card-removed', describe(error), { cause: error });
      }
      // Without a clear code, the removal event usually follows within milliseconds.
      const left = await Promise.race([
        this.gone.then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), REMOVAL_GRACE_MS)),
      ]);
      const failure = left && this.lostBy === 'card-removed' ? 'card-removed' : 'reader-error';
      throw new ChannelError(failure, describe(error), { cause: error });
    }
  }
}

class PcscReaderService implements ReaderService {
  readonly kind = 'pcsc' as const;
  private nfc: NFC | undefined;
  private nfcModule: NfcModule | undefined;
  private readonly readersByName = new Map<string, Reader>();
  private readonly cards = new Map<string, PcscCard>();
  private readonly statusListeners = new Set<StatusListener>();
  private readonly cardListeners = new Set<CardListener>();
  private current: ReaderStatus = { state: 'no-service', kind: 'pcsc' };
  private configured: string | undefined;
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelay: number;
  private readonly options: Required<Omit<PcscReaderServiceOptions, 'readerName' | 'log'>>;
  private readonly log: (message: string) => void;

  constructor(options: PcscReaderServiceOptions) {
    this.configured = options.readerName;
    this.options = {
      maxResponseLength: options.maxResponseLength ?? DEFAULT_MAX_RESPONSE,
      retryMinMs: options.retryMinMs ?? 250,
      retryMaxMs: options.retryMaxMs ?? 5_000,
    };
    this.retryDelay = this.options.retryMinMs;
    this.log = options.log ?? (() => undefined);
    void this.connectService();
  }

  status(): ReaderStatus {
    return { ...this.current };
  }

  onStatus(listener: StatusListener): () => void {
    this.statusListeners.add(listener);
    this.safeCall(() => listener(this.status()));
    return () => this.statusListeners.delete(listener);
  }

  onCard(listener: CardListener): () => void {
    this.cardListeners.add(listener);
    return () => this.cardListeners.delete(listener);
  }

  presentCards(): PresentedCard[] {
    const watched = new Set(this.watched());
    return [...this.cards.values()].filter((card) => card.present() && watched.has(card.readerName));
  }

  readers(): string[] {
    return [...this.readersByName.keys()].filter((name) => !isSamSlot(name)).sort();
  }

  selectReader(name: string | undefined): void {
    this.configured = name === '' ? undefined : name;
    this.updateStatus();
  }

  async feedback(result: ReaderFeedback, card?: PresentedCard): Promise<void> {
    const name = card?.readerName ?? (this.watched().length === 1 ? this.watched()[0] : undefined);
    if (name === undefined || !supportsAcsFeedback(name)) return;
    const reader = this.readersByName.get(name);
    if (!reader) return;
    const apdu = Buffer.from(acsFeedbackApdu(result));
    const attempt = async (): Promise<void> => {
      if (reader.card && reader.connection) {
        await reader.transmit(apdu, 2);
      } else {
        // No card: talk to the reader itself (the CCID driver must allow escape commands,
        // see docs/readers.md).
        await reader.connect('CONNECT_MODE_DIRECT');
        try {
          await reader.control(apdu, 2);
        } finally {
          await reader.disconnect();
        }
      }
    };
    try {
      await Promise.race([attempt(), new Promise((resolve) => setTimeout(resolve, FEEDBACK_TIMEOUT_MS))]);
    } catch (error) {
      this.log(`reader feedback failed on ${name}: ${describe(error)}`);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.statusListeners.clear();
    await this.dropService();
    this.cardListeners.clear();
  }

  private watched(): string[] {
    return chooseReaders([...this.readersByName.keys()], this.configured);
  }

  private async connectService(): Promise<void> {
    if (this.closed || this.nfc) return;
    try {
      if (!(await serviceReachable())) {
        this.scheduleReconnect();
        return;
      }
      try {
        this.nfcModule ??= await import('nfc-pcsc');
      } catch (error) {
        // The native binding is missing or built for another ABI (Electron without
        // @electron/rebuild): retrying cannot help, so say it once and stay 'no-service'.
        this.log(`the PC/SC binding cannot be loaded: ${describe(error)}`);
        return;
      }
      if (this.closed || this.nfc) return;
      const nfc = new this.nfcModule.NFC();
      this.nfc = nfc;
      nfc.on('reader', (reader) => this.safeCall(() => this.addReader(nfc, reader)));
      nfc.on('error', (error) => this.safeCall(() => this.serviceFailed(nfc, error)));
      this.retryDelay = this.options.retryMinMs;
      this.updateStatus();
    } catch (error) {
      this.log(`PC/SC service unavailable: ${describe(error)}`);
      this.nfc = undefined;
      this.scheduleReconnect();
    }
  }

  private scheduleReconnect(): void {
    if (this.closed) return;
    this.updateStatus();
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.connectService(), this.retryDelay);
    this.retryDelay = Math.min(this.retryDelay * 2, this.options.retryMaxMs);
  }

  /** The PC/SC monitor ended (pcscd stopped): its NFC instance is dead, make a new one later. */
  private serviceFailed(nfc: NFC, error: Error): void {
    if (nfc !== this.nfc) return;
    this.log(`PC/SC service lost: ${error.message}`);
    void this.dropService();
    this.scheduleReconnect();
  }

  /**
   * Forgets the NFC instance and its readers. Their native status threads and libuv handles
   * are released too (else they keep the process alive): each card connection is closed
   * first, because closing a reader whose card is still connected can block the JS thread.
   */
  private dropService(): Promise<void> {
    const nfc = this.nfc;
    this.nfc = undefined;
    // The reader's native mutex is held by a transmit PC/SC has not returned (a phone that stopped
    // answering, on a reader without its own timeout such as vpcd): disconnecting would wait behind
    // it on a worker thread, closing would block this thread. Those readers are left to the
    // process's exit, which ends the PC/SC connection (the CLI exits on its own, src-main/cli/index.ts).
    const held = new Set([...this.cards.values()].filter((card) => card.transmitPending()).map((card) => card.readerName));
    for (const card of this.cards.values()) card.leave('reader-error');
    this.cards.clear();
    const readers = [...this.readersByName.values()];
    this.readersByName.clear();
    this.updateStatus();
    const released = readers.map(async (reader) => {
      reader.removeAllListeners('card').removeAllListeners('card.off').removeAllListeners('end');
      if (held.has(reader.name)) {
        this.log(`reader ${reader.name}: a transmit is still inside PC/SC (the phone stopped answering); not released`);
        return;
      }
      try {
        if (reader.connection) {
          await Promise.race([reader.disconnect(), new Promise((resolve) => setTimeout(resolve, RELEASE_TIMEOUT_MS))]);
        }
      } catch (error) {
        this.log(`disconnecting from ${reader.name} failed: ${describe(error)}`);
      }
      if (reader.connection) return;
      try {
        reader.close();
      } catch (error) {
        this.log(`closing reader ${reader.name} failed: ${describe(error)}`);
      }
    });
    return Promise.all(released).then(() => {
      // Not inside the monitor's own callback (serviceFailed runs there): on a later turn.
      setImmediate(() => {
        try {
          nfc?.close();
        } catch (error) {
          this.log(`closing the PC/SC context failed: ${describe(error)}`);
        }
      });
    });
  }

  private addReader(nfc: NFC, reader: Reader): void {
    reader.on('error', (error) => this.log(`reader ${reader.name}: ${describe(error)}`));
    if (nfc !== this.nfc) return;
    reader.autoProcessing = false;
    this.readersByName.set(reader.name, reader);
    reader.on('card', (card) => this.safeCall(() => this.cardIn(reader, card.atr)));
    reader.on('card.off', () => this.safeCall(() => this.cardOut(reader)));
    reader.on('end', () => this.safeCall(() => this.readerGone(reader)));
    this.updateStatus();
  }

  private readerGone(reader: Reader): void {
    if (this.readersByName.get(reader.name) !== reader) return;
    this.readersByName.delete(reader.name);
    const card = this.cards.get(reader.name);
    this.cards.delete(reader.name);
    card?.leave('reader-error');
    this.updateStatus();
  }

  private cardIn(reader: Reader, atr: Buffer | undefined): void {
    if (this.readersByName.get(reader.name) !== reader) return;
    this.cards.get(reader.name)?.leave();
    const card = new PcscCard(reader, Uint8Array.from(atr ?? []), this.options.maxResponseLength, () => this.updateStatus());
    this.cards.set(reader.name, card);
    this.updateStatus();
    if (!this.watched().includes(reader.name)) return;
    for (const listener of this.cardListeners) this.safeCall(() => listener(card));
  }

  private cardOut(reader: Reader): void {
    const card = this.cards.get(reader.name);
    if (!card) return;
    this.cards.delete(reader.name);
    card.leave();
    this.updateStatus();
  }

  private computeStatus(): ReaderStatus {
    if (!this.nfc) return { state: 'no-service', kind: 'pcsc' };
    const watched = this.watched();
    if (watched.length === 0) {
      return this.configured === undefined
        ? { state: 'no-reader', kind: 'pcsc' }
        : { state: 'no-reader', kind: 'pcsc', readerName: this.configured };
    }
    const cards = watched.flatMap((name) => {
      const card = this.cards.get(name);
      return card ? [card] : [];
    });
    const { state, card } = fieldState(cards);
    const readerName = card?.readerName ?? (watched.length === 1 ? watched[0] : undefined);
    return readerName === undefined ? { state, kind: 'pcsc' } : { state, kind: 'pcsc', readerName };
  }

  private updateStatus(): void {
    if (this.closed) return;
    const next = this.computeStatus();
    if (next.state === this.current.state && next.readerName === this.current.readerName) return;
    this.current = next;
    for (const listener of this.statusListeners) this.safeCall(() => listener({ ...next }));
  }

  private safeCall(action: () => void): void {
    try {
      action();
    } catch (error) {
      this.log(`reader event handler failed: ${describe(error)}`);
    }
  }
}

/** The PC/SC reader service; it keeps trying to reach the PC/SC service until close(). */
export function createPcscReaderService(options: PcscReaderServiceOptions = {}): ReaderService {
  return new PcscReaderService(options);
}
