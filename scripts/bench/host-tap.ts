// Figure 2: host time per tap through the in-process stub reader: the real PaymentController,
// the real terminal session and pipeline, and the real Ledger on a temp file. Clock runs from the
// first APDU the phone receives to the 'decision' event (emitted only after the ledger COMMIT).
// The simulated phone runs in the same thread, so its own time (signing with @noble/curves) is
// measured around each of its answers and subtracted: host = tap - phone.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPaymentController } from '../../src-main/checkout/payment-controller';
import type { PaymentEvent } from '../../src-main/checkout/types';
import { openLedger } from '../../src-main/ledger/ledger';
import { createStubReaderService } from '../../src-main/reader/stub-reader';
import { runTerminalSession } from '../../src-main/session/terminal-session';
import { DEFAULT_CLOCK_SKEW_MS } from '../../src-main/verification/pipeline';
import { type Figure, verdictOf } from './figures';
import { now, summarize, ms, type Summary } from './stats';
import { createWorld, CUTOFF_HOUR, MERCHANT_ID, TERMINAL_ID, TIME_ZONE } from './world';

export const GOAL_P99_MS = 15;

export interface HostTapResult {
  host: Summary;
  gross: Summary;
  phone: Summary;
  apdus: number;
}

export async function measureHostTap(options: { taps: number; warmup: number; dir?: string }): Promise<HostTapResult> {
  const dir = mkdtempSync(join(options.dir ?? tmpdir(), 'bench-tap-'));
  const world = createWorld(Date.now());
  const wallet = world.env.walletFor('approve');
  const random = (length: number) => new Uint8Array(randomBytes(length));
  let firstApduAt: number | undefined;
  let phoneMs = 0;
  let apdus = 0;
  const phone = {
    async handleApdu(apdu: Uint8Array): Promise<Uint8Array> {
      const t0 = now();
      firstApduAt ??= t0;
      apdus += 1;
      const answer = await wallet.handleApdu(apdu);
      phoneMs += now() - t0;
      return answer;
    },
  };
  const reader = createStubReaderService({ phoneFor: () => phone });
  const ledger = openLedger({ path: join(dir, 'ledger.sqlite'), create: true, terminalId: TERMINAL_ID, merchantId: MERCHANT_ID, timeZone: TIME_ZONE, cutoffHour: CUTOFF_HOUR });
  const controller = createPaymentController({
    reader,
    recorder: ledger,
    clock: Date.now,
    random,
    settings: () => ({ merchantId: MERCHANT_ID, terminalId: TERMINAL_ID, currency: world.currency, waitTimeoutMs: 60_000, stepTimeoutMs: 2_000, demo: false }),
    runSession: (channel, order, { stepTimeoutMs, signal }) =>
      runTerminalSession({
        channel,
        order,
        random,
        stepTimeoutMs,
        signal,
        verification: { clock: Date.now, clockSkewMs: DEFAULT_CLOCK_SKEW_MS, trustStore: world.env.trustStore, revocations: world.env.revocations, history: ledger },
      }),
  });
  const gross: number[] = [];
  const host: number[] = [];
  const phoneTimes: number[] = [];
  let apduPerTap = 0;
  try {
    for (let i = 0; i < options.taps + options.warmup; i++) {
      firstApduAt = undefined;
      phoneMs = 0;
      apdus = 0;
      const decided = new Promise<{ at: number; event: PaymentEvent }>((resolve) => {
        const off = controller.subscribe((event) => {
          if (event.type === 'decision') {
            off();
            resolve({ at: now(), event });
          }
        });
      });
      controller.start({ amount: 100 + (i % 900) });
      reader.tap('approve');
      const { at, event } = await decided;
      if (event.type !== 'decision' || event.decision.outcome !== 'approved' || !event.recorded) {
        throw new Error(`stub tap not approved and recorded: ${JSON.stringify(event.type === 'decision' ? event.decision : event)}`);
      }
      reader.remove();
      await controller.settled();
      if (firstApduAt === undefined) throw new Error('the phone never received an APDU');
      if (i >= options.warmup) {
        gross.push(at - firstApduAt);
        host.push(at - firstApduAt - phoneMs);
        phoneTimes.push(phoneMs);
      }
      apduPerTap = apdus;
    }
  } finally {
    await controller.close();
    await reader.close();
    ledger.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return { host: summarize(host), gross: summarize(gross), phone: summarize(phoneTimes), apdus: apduPerTap };
}

export function hostTapFigure(result: HostTapResult, verificationP99?: number): Figure {
  const { host, gross, phone } = result;
  return {
    id: '2',
    title: 'Host time per tap, stub reader (first APDU to committed row + decision event)',
    value: `p50 ${ms(host.p50)}, p99 ${ms(host.p99)} (n=${host.n})`,
    baseline: verificationP99 === undefined ? '' : `verification alone (fig. 1) p99 ${ms(verificationP99)}`,
    goal: `p99 <= ${GOAL_P99_MS} ms`,
    verdict: verdictOf(host.p99 <= GOAL_P99_MS),
    notes: [
      `tap including the in-process phone: p50 ${ms(gross.p50)}, p99 ${ms(gross.p99)}; phone's own time (signing) p50 ${ms(phone.p50)} subtracted`,
      `${result.apdus} APDUs per tap; real PaymentController, terminal session, Ledger (WAL, synchronous=FULL) on a temp file`,
    ],
    data: { taps: host.n, p50Ms: host.p50, p99Ms: host.p99, grossP50Ms: gross.p50, grossP99Ms: gross.p99, phoneP50Ms: phone.p50, apdusPerTap: result.apdus },
  };
}
