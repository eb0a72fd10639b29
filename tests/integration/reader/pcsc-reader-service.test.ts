// The PC/SC reader service on the real stack: pcscd + vsmartcard's virtual reader + virtual
// cards speaking the vpcd protocol. No payment protocol here (see payment-over-pcscd.test.ts):
// this file checks detection, the APDU channel, removal, silence, two cards and pcscd restarts.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ReaderStatus } from '../../../src-main/domain/payment';
import { createPcscReaderService } from '../../../src-main/reader/pcsc-reader-service';
import type { PresentedCard, ReaderService } from '../../../src-main/reader/reader-service';
import { ATR_MIFARE_CLASSIC_1K, VpcdCard, type ApduHandler } from '../../../src-main/reader/vpcd-card';
import { ChannelError } from '../../../src-main/transport/channel';
import { VPCD_PORTS, VPCD_READERS, pcscdReachable, usePcscd, waitFor, type Pcscd } from '../../support/pcscd';

const OK = Uint8Array.from([0x90, 0x00]);
const SELECT = Uint8Array.from([0x00, 0xa4, 0x04, 0x00, 0x07, 0xf0, 0x43, 0x41, 0x53, 0x48, 0x49, 0x52, 0x00]);

// Stopping pcscd is only done to a pcscd this file started; one run by the system is left alone.
const foreignPcscd = await pcscdReachable();
let pcscd: Pcscd;
let service: ReaderService | undefined;
const cardsInField: VpcdCard[] = [];

beforeAll(async () => {
  pcscd = await usePcscd();
});

afterEach(async () => {
  await Promise.all(cardsInField.splice(0).map((card) => card.close()));
  // Let pcscd notice the removals, so the next test starts with empty readers.
  const s = service;
  s?.selectReader(undefined);
  if (s && s.status().state !== 'no-service') await waitFor(() => s.presentCards().length === 0, 'empty readers');
  await service?.close();
  service = undefined;
});

afterAll(async () => {
  await pcscd.release();
});

function startService(readerName?: string): { service: ReaderService; statuses: ReaderStatus[]; cards: PresentedCard[] } {
  const statuses: ReaderStatus[] = [];
  const cards: PresentedCard[] = [];
  const created = createPcscReaderService({ readerName, retryMinMs: 100, retryMaxMs: 500 });
  created.onStatus((status) => statuses.push(status));
  created.onCard((card) => cards.push(card));
  service = created;
  return { service: created, statuses, cards };
}

async function phoneIn(handler: ApduHandler, options: { port?: number; atr?: Uint8Array } = {}): Promise<VpcdCard> {
  const card = new VpcdCard({ handler, ...options });
  await card.connect();
  cardsInField.push(card);
  return card;
}

async function ready(s: ReaderService): Promise<void> {
  await waitFor(() => s.status().state === 'ready', 'reader service ready');
}

function failureOf(error: unknown): string {
  return error instanceof ChannelError ? error.failure : `not a ChannelError: ${String(error)}`;
}

describe('PC/SC reader service on pcscd + vpcd', () => {
  it('sees both virtual readers, reports a phone and carries long responses', async () => {
    const { service: s, statuses, cards } = startService();
    await ready(s);
    expect(s.readers()).toEqual([...VPCD_READERS]);
    const long = new Uint8Array(1000).fill(0x5a);
    await phoneIn((apdu) => (apdu[1] === 0xa4 ? Uint8Array.from([...long, 0x90, 0x00]) : OK));
    await waitFor(() => cards.length === 1, 'the phone');
    const card = cards[0]!;
    expect(card.kind).toBe('iso-dep');
    expect(card.readerName).toBe(VPCD_READERS[0]);
    expect(s.status()).toMatchObject({ state: 'phone-detected', readerName: VPCD_READERS[0] });
    card.begin();
    expect(s.status().state).toBe('processing');
    const response = await card.channel.transmit(SELECT, 2000);
    expect(response.length).toBe(1002);
    expect(response.slice(-2)).toEqual(OK);
    card.finish();
    expect(s.status().state).toBe('remove-phone');
    await cardsInField.pop()!.close();
    await card.gone;
    await waitFor(() => s.status().state === 'ready', 'ready after removal');
    expect(statuses.map((status) => status.state)).toContain('processing');
  });

  it('classifies a MIFARE tag as not a phone', async () => {
    const { service: s, cards } = startService();
    await ready(s);
    await phoneIn(() => OK, { atr: ATR_MIFARE_CLASSIC_1K, port: VPCD_PORTS[1] });
    await waitFor(() => cards.length === 1, 'the tag');
    expect(cards[0]!.kind).toBe('other');
    expect(cards[0]!.readerName).toBe(VPCD_READERS[1]);
  });

  it('reports card-removed when the phone leaves between APDUs and during one', async () => {
    const { service: s, cards } = startService();
    await ready(s);
    const phone = await phoneIn(() => OK);
    await waitFor(() => cards.length === 1, 'the phone');
    const first = cards[0]!;
    await expect(first.channel.transmit(SELECT, 2000)).resolves.toEqual(OK);
    await phone.close();
    await first.gone;
    const between = await first.channel.transmit(SELECT, 2000).catch(failureOf);
    expect(between).toBe('card-removed');

    // Removed while the phone is "thinking" about its answer.
    let leave!: () => void;
    const slow = await phoneIn(
      () =>
        new Promise<Uint8Array>((resolve) => {
          leave = () => resolve(OK);
        }),
    );
    await waitFor(() => cards.length === 2, 'the second phone');
    const pending = cards[1]!.channel.transmit(SELECT, 5000).catch(failureOf);
    await waitFor(() => leave !== undefined, 'the APDU to reach the phone');
    await slow.close();
    expect(await pending).toBe('card-removed');
  });

  it('times out on a silent phone and recovers once it is removed', async () => {
    const { service: s, cards } = startService();
    await ready(s);
    const silent = await phoneIn(() => new Promise<Uint8Array>(() => undefined));
    await waitFor(() => cards.length === 1, 'the silent phone');
    expect(await cards[0]!.channel.transmit(SELECT, 300).catch(failureOf)).toBe('timeout');
    await silent.close();
    await cards[0]!.gone;
    await phoneIn(() => OK);
    await waitFor(() => cards.length === 2, 'a phone after the silent one');
    await expect(cards[1]!.channel.transmit(SELECT, 2000)).resolves.toEqual(OK);
  });

  it('reports two cards in the field and honours the reader setting', async () => {
    const { service: s, cards } = startService();
    await ready(s);
    await phoneIn(() => OK, { port: VPCD_PORTS[0] });
    await phoneIn(() => OK, { port: VPCD_PORTS[1] });
    await waitFor(() => s.presentCards().length === 2, 'two cards');
    s.selectReader(VPCD_READERS[1]);
    expect(s.presentCards().map((card) => card.readerName)).toEqual([VPCD_READERS[1]]);
    expect(s.status().readerName).toBe(VPCD_READERS[1]);
    s.selectReader('No Such Reader');
    expect(s.status()).toMatchObject({ state: 'no-reader', readerName: 'No Such Reader' });
    expect(cards.length).toBe(2);
  });

  it.skipIf(foreignPcscd)('survives pcscd stopping and starting again, with a card in the field', async () => {
    const { service: s, cards } = startService();
    await ready(s);
    await phoneIn(() => OK);
    await waitFor(() => cards.length === 1, 'the phone');
    const before = cards[0]!;
    await pcscd.stop();
    await before.gone;
    await waitFor(() => s.status().state === 'no-service', 'no-service');
    expect(await before.channel.transmit(SELECT, 1000).catch(failureOf)).toBe('reader-error');
    await pcscd.start();
    await waitFor(() => s.status().state === 'ready', 'ready after the restart');
    await phoneIn(() => OK);
    await waitFor(() => cards.length === 2, 'a phone after the restart');
    await expect(cards[1]!.channel.transmit(SELECT, 2000)).resolves.toEqual(OK);
  });

  it.skipIf(foreignPcscd)('starts with no PC/SC service and connects when pcscd appears', async () => {
    await pcscd.stop();
    const { service: s, statuses } = startService();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(s.status().state).toBe('no-service');
    await pcscd.start();
    await ready(s);
    expect(statuses[0]?.state).toBe('no-service');
  });
});
