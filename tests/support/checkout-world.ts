// A complete terminal for checkout tests: the demo credit authority and its phones
// (src-main/wallet/demo.ts), a real ledger on a temporary SQLite file, the real terminal
// session and verification pipeline, and the payment controller over a given reader.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPaymentController } from '../../src-main/checkout/payment-controller';
import { createSessionRunner } from '../../src-main/checkout/session-runner';
import type { CheckoutSettings, PaymentController, PaymentEvent } from '../../src-main/checkout/types';
import type { AttemptRecorder } from '../../src-main/domain/payment';
import { openLedger, type Ledger } from '../../src-main/ledger/ledger';
import type { ReaderService } from '../../src-main/reader/reader-service';
import { CLOCK_SKEW_MS } from '../../src-main/verification/license';
import { createDemoEnvironment, type DemoEnvironment } from '../../src-main/wallet/demo';
import { nobleVerifier } from '../../src-main/protocol/signature';

export const MERCHANT_ID = 'test-merchant';
export const TERMINAL_ID = 'test-terminal-01';

export interface CheckoutWorld {
  env: DemoEnvironment;
  ledger: Ledger;
  settings: CheckoutSettings;
  /** Every event of every controller made here, in order. */
  events: PaymentEvent[];
  controller(reader: ReaderService, recorder?: AttemptRecorder): PaymentController;
  close(): Promise<void>;
}

export function random(length: number): Uint8Array {
  return new Uint8Array(randomBytes(length));
}

export function createCheckoutWorld(overrides: Partial<CheckoutSettings> = {}): CheckoutWorld {
  const dir = mkdtempSync(path.join(tmpdir(), 'checkout-'));
  const now = Date.now();
  const env = createDemoEnvironment({ now });
  const ledger = openLedger({
    path: path.join(dir, 'ledger.sqlite'),
    create: true,
    terminalId: TERMINAL_ID,
    merchantId: MERCHANT_ID,
    timeZone: 'UTC',
    cutoffHour: 0,
  });
  const settings: CheckoutSettings = {
    merchantId: MERCHANT_ID,
    terminalId: TERMINAL_ID,
    currency: env.currency,
    waitTimeoutMs: 60_000,
    stepTimeoutMs: 2_000,
    demo: false,
    ...overrides,
  };
  const events: PaymentEvent[] = [];
  const controllers: PaymentController[] = [];
  return {
    env,
    ledger,
    settings,
    events,
    controller(reader, recorder = ledger) {
      const controller = createPaymentController({
        reader,
        recorder,
        clock: Date.now,
        random,
        settings: () => settings,
        runSession: createSessionRunner({
          random,
          verification: () => ({
            clock: Date.now,
            clockSkewMs: CLOCK_SKEW_MS,
            verifier: nobleVerifier,
            trustStore: env.trustStore,
            revocations: env.revocations,
            history: recorder,
          }),
        }),
      });
      controller.subscribe((event) => events.push(event));
      controllers.push(controller);
      return controller;
    },
    async close() {
      for (const controller of controllers) await controller.close();
      ledger.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Stages of one transaction, in the order they were emitted. */
export function stagesOf(events: PaymentEvent[], transactionId: string): string[] {
  return events.flatMap((event) => (event.type === 'stage' && event.transactionId === transactionId ? [event.stage] : []));
}

/** Resolves with the next event matching `match`. */
export function nextEvent(controller: PaymentController, match: (event: PaymentEvent) => boolean): Promise<PaymentEvent> {
  return new Promise((resolve) => {
    const off = controller.subscribe((event) => {
      if (match(event)) {
        off();
        resolve(event);
      }
    });
  });
}
