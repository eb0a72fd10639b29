// The usual SessionRunner: the protocol's terminal session with the verification inputs read
// at the start of each exchange (so an imported trust store or revocation list applies to
// the next tap).
import type { RandomSource } from '../domain/payment';
import { runTerminalSession } from '../session/terminal-session';
import type { VerificationContext } from '../verification/pipeline';
import type { SessionRunner } from './payment-controller';

export function createSessionRunner(options: { random: RandomSource; verification: () => VerificationContext }): SessionRunner {
  return (channel, order, { stepTimeoutMs, signal }) =>
    runTerminalSession({
      channel,
      order,
      random: options.random,
      stepTimeoutMs,
      signal,
      verification: options.verification(),
    });
}
