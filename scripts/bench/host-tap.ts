// Figure 2: host time per tap through the in-process stub reader: the real PaymentController,
// the real terminal session and pipeline, and the real Ledger on a temp file. Clock runs from the
// first APDU the phone receives to the 'decision' event (emitted only after the ledger COMMIT).
// The simulated phone runs in the same thread, so its own time (signing with @noble/curves) is
// measured around each of its answers and subtracted: host = tap - phone.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PaymentEvent } from '../../src-main/checkout/types';
import { createStubReaderService } from '../../src-main/reader/stub-reader';
import { type Figure, verdictOf } from './figures';
import { cpuNow, now, summarize, ms, type Summary } from './stats';
import { openBenchCheckout } from './checkout';
import { createWorld } from './world';

export const GOAL_P99_MS = 15;

export interface HostTapResult {
  host: Summary;
  /** CPU time of this process for the same span, minus the phone's: blind to other processes' load. */
  hostCpu: Summary;
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
  let firstApduCpu = 0;
  let phoneMs = 0;
  let phoneCpu = 0;
  let apdus = 0;
  const phone = {
    async handleApdu(apdu: Uint8Array): Promise<Uint8Array> {
      const t0 = now();
      const c0 = cpuNow();
      if (firstApduAt === undefined) {
        firstApduAt = t0;
        firstApduCpu = c0;
      }
      apdus += 1;
      // The wallet answers synchronously inside its promise: its CPU time is its own.
      const answer = await wallet.handleApdu(apdu);
      phoneCpu += cpuNow() - c0;
      phoneMs += now() - t0;
      return answer;
    },
  };
  const reader = createStubReaderService({ phoneFor: () => phone });
  const { ledger, controller } = openBenchCheckout(reader, dir, world, random);
  const gross: number[] = [];
  const hostCpu: number[] = [];
  const host: number[] = [];
  const phoneTimes: number[] = [];
  let apduPerTap = 0;
  try {
    for (let i = 0; i < options.taps + options.warmup; i++) {
      firstApduAt = undefined;
      phoneMs = 0;
      phoneCpu = 0;
      apdus = 0;
      const decided = new Promise<{ at: number; cpu: number; event: PaymentEvent }>((resolve) => {
        const off = controller.subscribe((event) => {
          if (event.type === 'decision') {
            off();
            resolve({ at: now(), cpu: cpuNow(), event });
          }
        });
      });
      controller.start({ amount: 100 + (i % 900) });
      reader.tap('approve');
      const { at, cpu, event } = await decided;
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
        hostCpu.push(cpu - firstApduCpu - phoneCpu);
      }
      apduPerTap = apdus;
    }
  } finally {
    await controller.close();
    await reader.close();
    ledger.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return { host: summarize(host), hostCpu: summarize(hostCpu), gross: summarize(gross), phone: summarize(phoneTimes), apdus: apduPerTap };
}

export function hostTapFigure(result: HostTapResult, verificationP99?: number): Figure {
  const { host, hostCpu, gross, phone } = result;
  return {
    id: '2',
    title: 'Host time per tap, stub reader (first APDU to committed row + decision event)',
    value: `p50 ${ms(host.p50)}, p99 ${ms(host.p99)} (n=${host.n})`,
    baseline: verificationP99 === undefined ? '' : `verification alone (fig. 1) p99 ${ms(verificationP99)}`,
    goal: `p99 <= ${GOAL_P99_MS} ms`,
    verdict: verdictOf(host.p99 <= GOAL_P99_MS),
    notes: [
      `tap including the in-process phone: p50 ${ms(gross.p50)}, p99 ${ms(gross.p99)}; phone's own time (signing) p50 ${ms(phone.p50)} subtracted`,
      `CPU time of this process (blind to other processes' load): host p50 ${ms(hostCpu.p50)}, p99 ${ms(hostCpu.p99)} (the COMMIT's fsync wait is not CPU time)`,
      `${result.apdus} APDUs per tap; real PaymentController, terminal session, Ledger (WAL, synchronous=FULL) on a temp file`,
    ],
    data: {
      taps: host.n,
      p50Ms: host.p50,
      p99Ms: host.p99,
      grossP50Ms: gross.p50,
      grossP99Ms: gross.p99,
      phoneP50Ms: phone.p50,
      cpuP50Ms: hostCpu.p50,
      cpuP99Ms: hostCpu.p99,
      apdusPerTap: result.apdus,
    },
  };
}
