// The stub reader on its own: status stream, the card's channel and its failure modes, with
// the reference wallet's scenario phones.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReaderState } from '../../../src-main/domain/payment';
import { createStubReaderService, type StubReaderService } from '../../../src-main/reader/stub-reader';
import { SW, selectCommand } from '../../../src-main/transport/apdu';
import { ChannelError } from '../../../src-main/transport/channel';
import { createDemoEnvironment } from '../../../src-main/wallet/demo';
import { isScenarioName } from '../../../src-main/wallet/scenarios';
import { simulatedPhone } from '../../../src-main/wallet/wallet-channel';

let reader: StubReaderService;
let states: ReaderState[];

beforeEach(() => {
  const env = createDemoEnvironment({ now: Date.now() });
  reader = createStubReaderService({
    phoneFor: (name) => {
      if (!isScenarioName(name)) throw new Error(`unknown scenario ${name}`);
      return simulatedPhone(env.walletFor(name));
    },
  });
  states = [];
  reader.onStatus((status) => states.push(status.state));
});

afterEach(async () => {
  await reader.close();
});

const failureOf = (error: unknown): string => (error instanceof ChannelError ? error.failure : String(error));
const swOf = (response: Uint8Array): number => (response[response.length - 2]! << 8) | response[response.length - 1]!;

describe('stub reader', () => {
  it('goes ready -> phone-detected -> processing -> remove-phone -> ready', async () => {
    const cards: number[] = [];
    reader.onCard((card) => cards.push(card.id));
    const card = reader.tap('approve');
    expect(cards).toEqual([card.id]);
    expect(card.kind).toBe('iso-dep');
    card.begin();
    expect(swOf(await card.channel.transmit(selectCommand(), 1000))).toBe(SW.OK);
    card.finish();
    reader.remove();
    await card.gone;
    expect(states).toEqual(['ready', 'phone-detected', 'processing', 'remove-phone', 'ready']);
    expect(reader.status()).toMatchObject({ kind: 'stub', state: 'ready' });
  });

  it('reports card-removed after remove(), also for an APDU in flight', async () => {
    const card = reader.tap('silent');
    expect(swOf(await card.channel.transmit(selectCommand(), 1000))).toBe(SW.OK);
    const pending = card.channel.transmit(Uint8Array.from([0x80, 0x10, 0x00, 0x00, 0x01, 0x00]), 5000).catch(failureOf);
    reader.remove();
    expect(await pending).toBe('card-removed');
    expect(await card.channel.transmit(selectCommand(), 1000).catch(failureOf)).toBe('card-removed');
  });

  it('times out on a silent phone', async () => {
    const card = reader.tap('silent');
    await card.channel.transmit(selectCommand(), 1000);
    expect(await card.channel.transmit(Uint8Array.from([0x80, 0x10, 0x00, 0x00, 0x01, 0x00]), 50).catch(failureOf)).toBe('timeout');
  });

  it('lets a vanishing phone leave the field and maps a reader fault', async () => {
    const vanishing = reader.tap('removed-early');
    await vanishing.channel.transmit(selectCommand(), 1000);
    expect(await vanishing.channel.transmit(Uint8Array.from([0x80, 0x10, 0x00, 0x00, 0x01, 0x00]), 1000).catch(failureOf)).toBe(
      'card-removed',
    );
    expect(vanishing.present()).toBe(false);
    const faulty = reader.tap('reader-fault');
    await faulty.channel.transmit(selectCommand(), 1000);
    expect(await faulty.channel.transmit(Uint8Array.from([0x80, 0x10, 0x00, 0x00, 0x01, 0x00]), 1000).catch(failureOf)).toBe(
      'reader-error',
    );
  });

  it('shows a tag as not a phone and lists every card in the field', () => {
    const tag = reader.tap('approve', { kind: 'other' });
    const phone = reader.tap('approve');
    expect(tag.kind).toBe('other');
    expect(reader.presentCards()).toEqual([tag, phone]);
  });

  it('keeps going when a listener throws, and refuses unknown scenarios', () => {
    reader.onCard(() => {
      throw new Error('listener bug');
    });
    reader.onStatus(() => {
      throw new Error('listener bug');
    });
    expect(() => reader.tap('approve')).not.toThrow();
    expect(() => reader.tap('no-such-scenario')).toThrow(/unknown scenario/);
  });
});
