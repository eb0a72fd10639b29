// The terminal's own checkout path for the tap figures (2 and 3): the real Ledger on a file and
// the real PaymentController with the app's session runner, over whichever reader is measured.
import { join } from 'node:path';
import { createPaymentController } from '../../src-main/checkout/payment-controller';
import type { PaymentController } from '../../src-main/checkout/types';
import { createSessionRunner } from '../../src-main/checkout/session-runner';
import type { RandomSource } from '../../src-main/domain/payment';
import { openLedger, type Ledger } from '../../src-main/ledger/ledger';
import type { ReaderService } from '../../src-main/reader/reader-service';
import { CLOCK_SKEW_MS } from '../../src-main/verification/license';
import { CUTOFF_HOUR, MERCHANT_ID, TERMINAL_ID, TIME_ZONE, type World } from './world';
import { nobleVerifier } from '../../src-main/protocol/signature';

export function openBenchCheckout(
  reader: ReaderService,
  dir: string,
  world: World,
  random: RandomSource,
): { ledger: Ledger; controller: PaymentController } {
  const ledger = openLedger({
    path: join(dir, 'ledger.sqlite'),
    create: true,
    terminalId: TERMINAL_ID,
    merchantId: MERCHANT_ID,
    timeZone: TIME_ZONE,
    cutoffHour: CUTOFF_HOUR,
  });
  const controller = createPaymentController({
    reader,
    recorder: ledger,
    clock: Date.now,
    random,
    settings: () => ({
      merchantId: MERCHANT_ID,
      terminalId: TERMINAL_ID,
      currency: world.currency,
      waitTimeoutMs: 60_000,
      stepTimeoutMs: 2_000,
      demo: false,
    }),
    runSession: createSessionRunner({
      random,
      verification: () => ({
        clock: Date.now,
        clockSkewMs: CLOCK_SKEW_MS,
        verifier: nobleVerifier,
        trustStore: world.env.trustStore,
        revocations: world.env.revocations,
        history: ledger,
      }),
    }),
  });
  return { ledger, controller };
}
