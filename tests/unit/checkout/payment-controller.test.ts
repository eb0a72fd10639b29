// The payment controller over the stub reader, the reference wallet, the real session and
// pipeline and a real ledger file: stages, decisions, what is recorded, and the sale rules.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StartPaymentError, type PaymentEvent } from '../../../src-main/checkout/types';
import type { AttemptRecorder, SessionResult } from '../../../src-main/domain/payment';
import { LedgerError } from '../../../src-main/ledger/errors';
import { createStubReaderService, type StubReaderService } from '../../../src-main/reader/stub-reader';
import { SCENARIOS, SCENARIO_NAMES, type ScenarioName } from '../../../src-main/wallet/scenarios';
import { createCheckoutWorld, nextEvent, stagesOf, type CheckoutWorld } from '../../support/checkout-world';
import { simulatedPhone } from '../../../src-main/wallet/wallet-channel';

let world: CheckoutWorld;
let reader: StubReaderService;

beforeEach(() => {
  world = createCheckoutWorld({ stepTimeoutMs: 300 });
  reader = createStubReaderService({ phoneFor: (name) => simulatedPhone(world.env.walletFor(name as ScenarioName)) });
});

afterEach(async () => {
  await reader.close();
  await world.close();
});

function decisionOf(event: PaymentEvent): Extract<PaymentEvent, { type: 'decision' }> {
  if (event.type !== 'decision') throw new Error(`not a decision: ${event.type}`);
  return event;
}

const isDecision = (event: PaymentEvent): boolean => event.type === 'decision';

/** Scenarios whose tap ends the sale (everything but the "tap again" ones). */
const FINAL_SCENARIOS = SCENARIO_NAMES.filter((name) => {
  const expected = SCENARIOS[name].expect;
  return expected.outcome === 'approved' || !['see_phone', 'not_payment_phone'].includes(expected.reason);
});

describe('payment controller with the stub reader', () => {
  it('approves, records before announcing, then waits for the phone to leave', async () => {
    const controller = world.controller(reader);
    let recordedWhenAnnounced: boolean | undefined;
    controller.subscribe((event) => {
      if (event.type === 'stage' && event.stage === 'approved') {
        recordedWhenAnnounced = world.ledger.getAttempt(event.transactionId)?.status === 'approved';
      }
    });
    const decided = nextEvent(controller, isDecision);
    let deadlineAtFirstStage: number | undefined;
    const offFirst = controller.subscribe((event) => {
      if (event.type === 'stage' && event.stage === 'present-phone') deadlineAtFirstStage = controller.snapshot().waitingDeadline;
    });
    const id = controller.start({ amount: 1234, items: [{ description: 'Tea', quantity: 2, unitPrice: 617 }] });
    offFirst();
    expect(deadlineAtFirstStage).toBeGreaterThan(Date.now());
    expect(controller.snapshot()).toMatchObject({ stage: 'present-phone', inProgress: true, finished: false });
    expect(controller.snapshot().waitingDeadline).toBeGreaterThan(Date.now());
    reader.tap('approve');
    const decision = decisionOf(await decided);
    expect(decision.decision.outcome).toBe('approved');
    expect(decision.recorded?.seq).toBeGreaterThan(0);
    expect(recordedWhenAnnounced).toBe(true);
    const row = world.ledger.getAttempt(id);
    expect(row).toMatchObject({ status: 'approved', amount: 1234, currency: world.env.currency });
    expect(stagesOf(world.events, id)).toEqual(['present-phone', 'processing', 'approved', 'remove-phone']);
    expect(controller.snapshot()).toMatchObject({ stage: 'remove-phone', inProgress: false, finished: false });
    expect(reader.status().state).toBe('remove-phone');
    expect(reader.feedbackGiven).toEqual(['approved']);
    const finished = nextEvent(controller, (event) => event.type === 'finished');
    reader.remove();
    await finished;
    expect(controller.snapshot().finished).toBe(true);
    expect(reader.status().state).toBe('ready');
  });

  it.each(FINAL_SCENARIOS.filter((name) => SCENARIOS[name].expect.outcome === 'declined'))(
    'declines and records scenario %s with its reason',
    async (scenario) => {
      const controller = world.controller(reader);
      const decided = nextEvent(controller, isDecision);
      const id = controller.start({ amount: 500 });
      reader.tap(scenario);
      const event = decisionOf(await decided);
      const expected = SCENARIOS[scenario].expect;
      expect(event.decision).toMatchObject({ outcome: 'declined', reason: 'reason' in expected ? expected.reason : '' });
      expect(event.recorded).toBeDefined();
      expect(world.ledger.getAttempt(id)).toMatchObject({
        status: 'declined',
        reason: event.decision.outcome === 'declined' ? event.decision.reason : '',
      });
      expect(reader.feedbackGiven.at(-1)).toBe('declined');
    },
  );

  it('keeps the sale open after a locked phone ("See phone") and approves the next tap', async () => {
    const controller = world.controller(reader);
    const id = controller.start({ amount: 700 });
    const notice = nextEvent(controller, (event) => event.type === 'notice');
    reader.tap('locked');
    expect(await notice).toMatchObject({ type: 'notice', reason: 'see_phone', transactionId: id });
    expect(controller.snapshot()).toMatchObject({ stage: 'see-phone', inProgress: true, notice: 'see_phone' });
    expect(world.ledger.getAttempt(id)).toBeUndefined();
    reader.remove();
    const decided = nextEvent(controller, isDecision);
    reader.tap('approve');
    expect(decisionOf(await decided)).toMatchObject({ transactionId: id, decision: { outcome: 'approved' } });
    expect(stagesOf(world.events, id)).toEqual(['present-phone', 'processing', 'see-phone', 'processing', 'approved', 'remove-phone']);
  });

  it('announces every change of its snapshot after making it: what a listener reads on an event is settled', async () => {
    const controller = world.controller(reader);
    let announced = '';
    const unsettled: string[] = [];
    controller.subscribe((event) => {
      announced = JSON.stringify(controller.snapshot());
      // Whatever the controller changes later in this turn must come with an event of its own.
      queueMicrotask(() => {
        const now = JSON.stringify(controller.snapshot());
        if (now !== announced) unsettled.push(`${event.type}: ${announced} -> ${now}`);
      });
    });
    controller.start({ amount: 700 });
    const notice = nextEvent(controller, (event) => event.type === 'notice');
    reader.tap('locked');
    await notice;
    reader.remove();
    const decided = nextEvent(controller, isDecision);
    reader.tap('approve');
    await decided;
    const finished = nextEvent(controller, (event) => event.type === 'finished');
    reader.remove();
    await finished;
    await Promise.resolve();
    expect(unsettled).toEqual([]);
    expect(announced).toBe(JSON.stringify(controller.snapshot()));
    expect(controller.snapshot()).toMatchObject({ stage: 'remove-phone', finished: true });
  });

  it('answers a tag that is not a phone, and a phone without the app, with "not a payment phone"', async () => {
    const controller = world.controller(reader);
    const id = controller.start({ amount: 700 });
    const first = nextEvent(controller, (event) => event.type === 'notice');
    reader.tap('approve', { kind: 'other' });
    expect(await first).toMatchObject({ reason: 'not_payment_phone' });
    reader.remove();
    const second = nextEvent(controller, (event) => event.type === 'notice');
    reader.tap('not-payment-app');
    expect(await second).toMatchObject({ reason: 'not_payment_phone' });
    expect(controller.snapshot()).toMatchObject({ stage: 'present-phone', inProgress: true });
    expect(world.ledger.getAttempt(id)).toBeUndefined();
    reader.remove();
    const decided = nextEvent(controller, isDecision);
    reader.tap('approve');
    expect(decisionOf(await decided).decision.outcome).toBe('approved');
  });

  it('refuses a second start while a payment is in progress', async () => {
    const controller = world.controller(reader);
    const id = controller.start({ amount: 100 });
    expect(() => controller.start({ amount: 100 })).toThrow(StartPaymentError);
    try {
      controller.start({ amount: 200 });
    } catch (error) {
      expect((error as StartPaymentError).code).toBe('payment_in_progress');
    }
    expect(controller.snapshot().order?.transactionId).toBe(id);
    expect(controller.snapshot().order?.amount).toBe(100);
  });

  it('rejects invalid requests without starting anything', () => {
    const controller = world.controller(reader);
    const code = (request: Parameters<typeof controller.start>[0]): string => {
      try {
        controller.start(request);
        return 'started';
      } catch (error) {
        return (error as StartPaymentError).code;
      }
    };
    expect(code({ amount: 0 })).toBe('invalid_amount');
    expect(code({ amount: 1.5 })).toBe('invalid_amount');
    expect(code({ amount: 100, currency: 'yen' })).toBe('invalid_currency');
    expect(code({ amount: 100, items: [{ description: 'A', quantity: 1, unitPrice: 99 }] })).toBe('invalid_items');
    expect(controller.snapshot().stage).toBe('idle');
  });

  it('cancels while waiting without recording anything', async () => {
    const controller = world.controller(reader);
    const id = controller.start({ amount: 100 });
    const decided = nextEvent(controller, isDecision);
    expect(controller.cancel()).toBe(true);
    const event = decisionOf(await decided);
    expect(event.decision).toMatchObject({ outcome: 'declined', reason: 'cancelled' });
    expect(event.recorded).toBeUndefined();
    expect(world.ledger.getAttempt(id)).toBeUndefined();
    expect(controller.snapshot()).toMatchObject({ stage: 'cancelled', inProgress: false, finished: true });
    expect(controller.cancel()).toBe(false);
  });

  it('times out when nobody taps', async () => {
    world.settings.waitTimeoutMs = 200;
    const controller = world.controller(reader);
    const id = controller.start({ amount: 100 });
    const event = decisionOf(await nextEvent(controller, isDecision));
    expect(event.decision).toMatchObject({ outcome: 'declined', reason: 'wait_timeout' });
    expect(stagesOf(world.events, id)).toEqual(['present-phone', 'timed-out']);
    expect(world.ledger.getAttempt(id)).toBeUndefined();
  });

  it('cancels during the exchange: the session is aborted and the attempt recorded as cancelled', async () => {
    world.settings.stepTimeoutMs = 5_000;
    const controller = world.controller(reader);
    const id = controller.start({ amount: 100 });
    const processing = nextEvent(controller, (event) => event.type === 'stage' && event.stage === 'processing');
    const decided = nextEvent(controller, isDecision);
    reader.tap('silent');
    await processing;
    controller.cancel();
    const event = decisionOf(await decided);
    expect(event.decision).toMatchObject({ outcome: 'declined', reason: 'cancelled' });
    expect(world.ledger.getAttempt(id)).toMatchObject({ status: 'declined', reason: 'cancelled' });
  });

  it('declines with multiple_cards when a second card enters during the exchange', async () => {
    world.settings.stepTimeoutMs = 5_000;
    const controller = world.controller(reader);
    const id = controller.start({ amount: 100 });
    const processing = nextEvent(controller, (event) => event.type === 'stage' && event.stage === 'processing');
    const decided = nextEvent(controller, isDecision);
    reader.tap('silent');
    await processing;
    reader.tap('approve');
    expect(decisionOf(await decided).decision).toMatchObject({ outcome: 'declined', reason: 'multiple_cards' });
    expect(world.ledger.getAttempt(id)).toMatchObject({ reason: 'multiple_cards' });
  });

  it('asks for one card when two are in the field before the exchange', async () => {
    const controller = world.controller(reader);
    reader.tap('approve');
    reader.tap('approve');
    const notice = nextEvent(controller, (event) => event.type === 'notice');
    controller.start({ amount: 100 });
    expect(await notice).toMatchObject({ reason: 'multiple_cards' });
    reader.remove();
    const decided = nextEvent(controller, isDecision);
    reader.tap('approve');
    expect(decisionOf(await decided).decision.outcome).toBe('approved');
  });

  it('uses a phone already lying on the reader, but never the same phone for a second sale', async () => {
    world.settings.waitTimeoutMs = 300;
    const controller = world.controller(reader);
    reader.tap('approve');
    const first = nextEvent(controller, isDecision);
    controller.start({ amount: 100 });
    expect(decisionOf(await first).decision.outcome).toBe('approved');
    const second = nextEvent(controller, isDecision);
    const id = controller.start({ amount: 200 });
    expect(decisionOf(await second).decision).toMatchObject({ reason: 'wait_timeout' });
    expect(world.ledger.getAttempt(id)).toBeUndefined();
  });

  it('never announces approval when the ledger cannot record: cannot_record is recorded instead', async () => {
    let failures = 0;
    const failingOnce: AttemptRecorder = {
      lastCounter: (serial) => world.ledger.lastCounter(serial),
      spentOffline: (serial, currency) => world.ledger.spentOffline(serial, currency),
      record(result: SessionResult) {
        if (failures === 0) {
          failures += 1;
          throw new Error('disk full');
        }
        return world.ledger.record(result);
      },
      recordedOutcome: (id) => world.ledger.recordedOutcome(id),
      writeFault: () => world.ledger.writeFault(),
    };
    const controller = world.controller(reader, failingOnce);
    const decided = nextEvent(controller, isDecision);
    const id = controller.start({ amount: 100 });
    reader.tap('approve');
    const event = decisionOf(await decided);
    expect(event.decision).toMatchObject({ outcome: 'declined', reason: 'cannot_record' });
    expect(world.events.some((e) => e.type === 'stage' && e.transactionId === id && e.stage === 'approved')).toBe(false);
    expect(world.ledger.getAttempt(id)).toMatchObject({ status: 'declined', reason: 'cannot_record' });
  });

  it('announces what the ledger holds when a commit reached the disk but reported an error', async () => {
    let failures = 0;
    const committedThenFailed: AttemptRecorder = {
      lastCounter: (serial) => world.ledger.lastCounter(serial),
      spentOffline: (serial, currency) => world.ledger.spentOffline(serial, currency),
      record(result: SessionResult) {
        const recorded = world.ledger.record(result);
        if (failures === 0) {
          failures += 1;
          throw new Error('I/O error after commit');
        }
        return recorded;
      },
      recordedOutcome: (id) => world.ledger.recordedOutcome(id),
      writeFault: () => world.ledger.writeFault(),
    };
    const controller = world.controller(reader, committedThenFailed);
    const decided = nextEvent(controller, isDecision);
    const id = controller.start({ amount: 100 });
    reader.tap('approve');
    const event = decisionOf(await decided);
    expect(event.decision.outcome).toBe('approved');
    expect(world.ledger.getAttempt(id)).toMatchObject({ status: 'approved' });
    expect(
      world.ledger.listAttempts({ businessDate: event.recorded!.businessDate }).rows.filter((r) => r.transactionId === id),
    ).toHaveLength(1);
  });

  it('declines cannot_record with nothing recorded when the ledger is gone', async () => {
    const controller = world.controller(reader);
    world.ledger.close();
    const decided = nextEvent(controller, isDecision);
    controller.start({ amount: 100 });
    reader.tap('approve');
    const event = decisionOf(await decided);
    expect(event.decision).toMatchObject({ outcome: 'declined', reason: 'cannot_record' });
    expect(event.recorded).toBeUndefined();
    expect(world.events.some((e) => e.type === 'stage' && e.stage === 'approved')).toBe(false);
  });

  it('refuses to start once the ledger refuses writes (a damaged file): no tap, nothing recorded', () => {
    const controller = world.controller(reader);
    world.ledger.refuseWrites(new LedgerError('LEDGER_CORRUPT', "SQLite's quick_check found damage"));
    let error: unknown;
    try {
      controller.start({ amount: 100 });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(StartPaymentError);
    expect((error as StartPaymentError).code).toBe('ledger_damaged');
    expect((error as Error).message).toMatch(/no payment can be recorded: LEDGER_CORRUPT: SQLite's quick_check found damage/);
    expect(controller.snapshot().stage).toBe('idle');
    expect(world.events).toEqual([]);
  });

  it('survives a listener that throws', async () => {
    const controller = world.controller(reader);
    controller.subscribe(() => {
      throw new Error('renderer gone');
    });
    const decided = nextEvent(controller, isDecision);
    controller.start({ amount: 100 });
    reader.tap('approve');
    expect(decisionOf(await decided).decision.outcome).toBe('approved');
  });

  it('ends cleanly when a listener cancels from inside a notice (no timeout fires later)', async () => {
    world.settings.waitTimeoutMs = 150;
    const controller = world.controller(reader);
    controller.subscribe((event) => {
      if (event.type === 'notice') controller.cancel();
    });
    const decided = nextEvent(controller, isDecision);
    const id = controller.start({ amount: 100 });
    reader.tap('locked');
    expect(decisionOf(await decided).decision).toMatchObject({ reason: 'cancelled' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(world.events.filter((e) => e.type === 'decision' && e.transactionId === id)).toHaveLength(1);
    expect(stagesOf(world.events, id)).toEqual(['present-phone', 'processing', 'see-phone', 'cancelled']);
  });
});
