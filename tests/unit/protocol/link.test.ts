// The APDU link: SELECT, command chaining over 255 bytes, 61xx + GET RESPONSE, caps and status words.
import { describe, expect, it } from 'vitest';
import { CardResponder, type ResponderHandlers } from '../../../src-main/transport/card-responder';
import { SW, parseCommand, selectCommand } from '../../../src-main/transport/apdu';
import { PROTOCOL_VERSION, TerminalLink } from '../../../src-main/transport/terminal-link';
import { ChannelError, type CardChannel } from '../../../src-main/transport/channel';
import { ProtocolError } from '../../../src-main/domain/protocol-error';
import { bytesEqual, concatBytes } from '../../../src-main/domain/bytes';
import { encodeSnepResponse, snepDeclaredSize } from '../../../src-main/protocol/snep';

function pattern(length: number, seed: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 31 + seed) & 0xff);
}

function pair(handlers: Partial<ResponderHandlers>, options: { responseChunk?: number } = {}) {
  const responder = new CardResponder(
    { onSelect: () => ({ sw: SW.OK, data: Uint8Array.of(PROTOCOL_VERSION) }), onMessage: async (m) => m, ...handlers },
    options,
  );
  const log: Uint8Array[] = [];
  const channel: CardChannel = {
    transmit: async (apdu) => {
      log.push(apdu);
      return responder.handleApdu(apdu);
    },
  };
  return { link: new TerminalLink(channel, { stepTimeoutMs: 1000 }), log, responder };
}

async function reason(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ProtocolError) return error.reason;
    throw error;
  }
  return 'no error';
}

describe('APDU link', () => {
  it('chains a 1000-byte message and reads a 1000-byte reply through GET RESPONSE', async () => {
    const message = pattern(1000, 1);
    let received: Uint8Array | undefined;
    const { link, log } = pair({
      onMessage: async (m) => {
        received = m;
        return pattern(1000, 2);
      },
    });
    await link.select();
    const reply = await link.exchange(message);
    expect(received && bytesEqual(received, message)).toBe(true);
    expect(bytesEqual(reply, pattern(1000, 2))).toBe(true);
    const commands = log.slice(1).map((apdu) => parseCommand(apdu));
    // 255 + 255 + 255 + 235: three chained commands (CLA 0x90) and a last one (CLA 0x80).
    expect(commands.slice(0, 4).map((c) => [c.cla, c.data.length])).toEqual([
      [0x90, 255],
      [0x90, 255],
      [0x90, 255],
      [0x80, 235],
    ]);
    // 1000 = 256 + 256 + 256 + 232: three GET RESPONSE after the first chunk.
    expect(commands.slice(4).map((c) => [c.ins, c.le])).toEqual([
      [0xc0, 256],
      [0xc0, 256],
      [0xc0, 232],
    ]);
  });

  it('follows a reader that accepts smaller response chunks', async () => {
    const { link } = pair({ onMessage: async () => pattern(700, 3) }, { responseChunk: 100 });
    await link.select();
    expect(bytesEqual(await link.exchange(pattern(10, 0)), pattern(700, 3))).toBe(true);
  });

  it('refuses a reply over the 8 KiB cap without reading it all', async () => {
    const { link, log } = pair({ onMessage: async () => pattern(20_000, 4) });
    await link.select();
    expect(await reason(link.exchange(pattern(10, 0)))).toBe('message_too_large');
    expect(log.length).toBeLessThan(40);
  });

  it('phone side refuses a chain over the cap with 6A84', async () => {
    const responder = new CardResponder({ onSelect: () => ({ sw: SW.OK }), onMessage: async (m) => m }, {});
    await responder.handleApdu(selectCommand());
    let last: Uint8Array = Uint8Array.of(0x90, 0x00);
    let sent = 0;
    while (last[0] === 0x90 && sent < 100) {
      last = await responder.handleApdu(Uint8Array.of(0x90, 0x10, 0, 0, 255, ...pattern(255, sent)));
      sent += 1;
    }
    expect(Array.from(last)).toEqual([0x6a, 0x84]);
    expect(sent).toBe(Math.floor(8192 / 255) + 1);
  });

  it('maps status words: 6982 is see_phone, 6A82 on SELECT is not_payment_phone, others malformed_apdu', async () => {
    expect(await reason(pair({ onSelect: () => ({ sw: SW.SECURITY_NOT_SATISFIED }) }).link.select())).toBe('see_phone');
    expect(await reason(pair({ onSelect: () => ({ sw: SW.FILE_NOT_FOUND }) }).link.select())).toBe('not_payment_phone');
    expect(await reason(pair({ onSelect: () => ({ sw: SW.OK, data: Uint8Array.of(2) }) }).link.select())).toBe('not_payment_phone');
    const locked = pair({ onMessage: async () => ({ sw: SW.SECURITY_NOT_SATISFIED }) });
    await locked.link.select();
    expect(await reason(locked.link.exchange(pattern(10, 0)))).toBe('see_phone');
    const broken = pair({ onMessage: async () => ({ sw: SW.UNKNOWN }) });
    await broken.link.select();
    expect(await reason(broken.link.exchange(pattern(10, 0)))).toBe('malformed_apdu');
  });

  it('declines a GET RESPONSE loop that returns no data', async () => {
    const channel: CardChannel = { transmit: async (apdu) => (apdu[1] === 0xa4 ? Uint8Array.of(1, 0x90, 0) : Uint8Array.of(0x61, 0x10)) };
    const link = new TerminalLink(channel, { stepTimeoutMs: 1000 });
    await link.select();
    expect(await reason(link.exchange(pattern(10, 0)))).toBe('malformed_apdu');
  });

  it('maps channel failures and its own step timeout to reasons', async () => {
    const failing = (failure: 'card-removed' | 'timeout' | 'reader-error'): CardChannel => ({
      transmit: async () => {
        throw new ChannelError(failure, failure);
      },
    });
    expect(await reason(new TerminalLink(failing('card-removed'), { stepTimeoutMs: 100 }).select())).toBe('card_removed');
    expect(await reason(new TerminalLink(failing('timeout'), { stepTimeoutMs: 100 }).select())).toBe('step_timeout');
    expect(await reason(new TerminalLink(failing('reader-error'), { stepTimeoutMs: 100 }).select())).toBe('reader_error');
    const silent: CardChannel = { transmit: () => new Promise(() => undefined) };
    expect(await reason(new TerminalLink(silent, { stepTimeoutMs: 50 }).select())).toBe('step_timeout');
  });

  it('a phone dripping its reply through GET RESPONSE cannot stretch a step past the step timeout', async () => {
    const timeouts: number[] = [];
    const channel: CardChannel = {
      transmit: async (apdu, timeoutMs) => {
        timeouts.push(timeoutMs);
        if (apdu[1] === 0xa4) return Uint8Array.of(1, 0x90, 0);
        await new Promise((resolve) => setTimeout(resolve, 20));
        return Uint8Array.of(0xaa, 0x61, 0x01); // one byte, "one more byte waiting", forever
      },
    };
    const link = new TerminalLink(channel, { stepTimeoutMs: 150 });
    await link.select();
    // With a timeout per APDU this would run 8192 round trips before hitting the size cap.
    expect(await reason(link.exchange(pattern(10, 0)))).toBe('step_timeout');
    expect(link.apduCount).toBeLessThan(20);
    expect(timeouts.every((t) => t > 0 && t <= 150)).toBe(true);
  });

  it('a phone slow to acknowledge chained parts cannot stretch a step past the step timeout', async () => {
    const channel: CardChannel = {
      transmit: async (apdu) => {
        if (apdu[1] === 0xa4) return Uint8Array.of(1, 0x90, 0);
        await new Promise((resolve) => setTimeout(resolve, 20));
        return Uint8Array.of(0x90, 0x00);
      },
    };
    const link = new TerminalLink(channel, { stepTimeoutMs: 150 });
    await link.select();
    expect(await reason(link.exchange(pattern(8000, 0)))).toBe('step_timeout');
    expect(link.apduCount).toBeLessThan(20);
  });

  it('declines a GET RESPONSE answer longer than the Le it was asked for', async () => {
    const channel: CardChannel = {
      transmit: async (apdu) => {
        if (apdu[1] === 0xa4) return Uint8Array.of(1, 0x90, 0);
        if (apdu[1] === 0xc0) return Uint8Array.of(...pattern(16, 0), 0x90, 0x00);
        return Uint8Array.of(0xaa, 0x61, 0x04);
      },
    };
    const link = new TerminalLink(channel, { stepTimeoutMs: 1000 });
    await link.select();
    expect(await reason(link.exchange(pattern(10, 0)))).toBe('malformed_apdu');
  });

  it('refuses a reply whose SNEP header announces more than the cap on its first APDU', async () => {
    const announced = concatBytes(encodeSnepResponse(0x81).subarray(0, 2), Uint8Array.of(0, 0, 0x27, 0x10), pattern(10_000, 5));
    const { link, log } = pair({ onMessage: async () => announced });
    await link.select();
    expect(await reason(link.exchange(pattern(10, 0), snepDeclaredSize))).toBe('message_too_large');
    expect(log.length).toBe(2); // SELECT and the EXCHANGE: no GET RESPONSE
    // Announcing a small size does not let a reply grow past the cap either.
    const lying = concatBytes(encodeSnepResponse(0x81).subarray(0, 2), Uint8Array.of(0, 0, 0, 10), pattern(10_000, 5));
    const second = pair({ onMessage: async () => lying });
    await second.link.select();
    expect(await reason(second.link.exchange(pattern(10, 0), snepDeclaredSize))).toBe('message_too_large');
    // Without the size reader the cap is met while reading, as before.
    const third = pair({ onMessage: async () => announced });
    await third.link.select();
    expect(await reason(third.link.exchange(pattern(10, 0)))).toBe('message_too_large');
    expect(third.log.length).toBeGreaterThan(30);
  });
});
