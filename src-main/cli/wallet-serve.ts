// `npm run cli -- wallet serve --vpcd ...`: the reference wallet as a virtual phone lying on
// pcscd's vsmartcard reader, so the real PC/SC stack (pcscd, libpcsclite, nfc-pcsc, the
// reader service) runs without hardware. Prints one JSON line per event on stdout.
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { openDemo } from '../app/demo';
import { randomBytes } from 'node:crypto';
import { ATR_ISO_DEP_PHONE, ATR_MIFARE_CLASSIC_1K, VPCD_DEFAULT_PORT, VpcdCard } from '../reader/vpcd-card';
import type { SimulatedPhone } from '../reader/stub-reader';
import { ChannelError } from '../transport/channel';
import { createDemoEnvironment } from '../wallet/demo';
import { PhoneVanishedError } from '../wallet/phone-wallet';
import { SCENARIOS, SCENARIO_NAMES, isScenarioName } from '../wallet/scenarios';
import { openWalletFile } from '../wallet/wallet-file';
import { usageError } from './usage';

export const serveHelp = `  serve  --vpcd [--scenario NAME (default approve)] [--wallet FILE | --data-dir DIR]
         [--port N (default ${VPCD_DEFAULT_PORT}; ${VPCD_DEFAULT_PORT + 1} is the second vpcd reader)]
         [--tag] [--away-ms N (default 2000)] [--once] [--control]
         Put the phone on pcscd's virtual reader (vsmartcard-vpcd) until stopped (Ctrl-C).
         Credentials: --wallet FILE (made by 'wallet init'), else the demo world of the
         terminal in --data-dir (its demo mode must be on), else the built-in demo world.
         --tag shows a MIFARE tag instead of a phone. When the scenario makes the phone leave,
         it comes back after --away-ms (or the command ends with --once). It reconnects by
         itself when pcscd restarts. With --control, lines on stdin move the phone: "tap" (or
         Enter) lifts it and taps again, "remove" lifts it until the next "tap", "quit" ends.
         Events are JSON lines: present, removed, waiting.`;

function emit(event: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

export async function serve(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      vpcd: { type: 'boolean' },
      scenario: { type: 'string' },
      wallet: { type: 'string' },
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      tag: { type: 'boolean' },
      'away-ms': { type: 'string' },
      once: { type: 'boolean' },
      control: { type: 'boolean' },
    },
  });
  if (!values.vpcd) {
    return usageError('wallet serve', '--vpcd is required (the only transport so far)');
  }
  const scenario = values.scenario ?? 'approve';
  if (!isScenarioName(scenario)) {
    console.error(`wallet serve: unknown scenario ${scenario}; one of: ${SCENARIO_NAMES.join(', ')}`);
    return 2;
  }
  const port = values.port === undefined ? VPCD_DEFAULT_PORT : Number(values.port);
  const awayMs = values['away-ms'] === undefined ? 2000 : Number(values['away-ms']);
  if (!Number.isInteger(port) || port < 1 || port > 65535 || !Number.isFinite(awayMs) || awayMs < 0) {
    console.error('wallet serve: --port must be a TCP port and --away-ms a non-negative number');
    return 2;
  }
  if (values.wallet && values['data-dir']) {
    console.error('wallet serve: give --wallet or --data-dir, not both');
    return 2;
  }

  let phone: SimulatedPhone & { reset(): void };
  if (values.wallet) {
    phone = openWalletFile(values.wallet, SCENARIOS[scenario].misbehaviour);
  } else if (values['data-dir']) {
    const demo = openDemo({ dataDir: values['data-dir'], random: (n) => new Uint8Array(randomBytes(n)) });
    if (!demo.exists()) {
      console.error(`wallet serve: ${values['data-dir']} has no demo world (turn demo mode on in the terminal first)`);
      return 2;
    }
    // The terminal's demo phone for one tap; a new one per tap, as the stub reader does.
    let current = demo.phoneFor(scenario);
    phone = {
      handleApdu: (apdu) => current.handleApdu(apdu),
      reset: () => {
        current = demo.phoneFor(scenario);
      },
    };
  } else {
    phone = createDemoEnvironment({ now: Date.now() }).walletFor(scenario);
  }

  let leaving = false;
  let stopping = false;
  const card: VpcdCard = new VpcdCard({
    port,
    ...(values.host ? { host: values.host } : {}),
    atr: values.tag ? ATR_MIFARE_CLASSIC_1K : ATR_ISO_DEP_PHONE,
    onReset: () => phone.reset(),
    handler: async (apdu) => {
      try {
        return await phone.handleApdu(apdu);
      } catch (error) {
        if (error instanceof PhoneVanishedError || (error instanceof ChannelError && error.failure === 'card-removed')) {
          // The phone leaves the field in the middle of the command: the reader sees it go.
          leaving = true;
          void card.close();
          return new Promise<Uint8Array>(() => undefined);
        }
        throw error;
      }
    },
  });

  // --control: lines on stdin move the phone like a hand would: "tap" (or an empty line) lifts it and taps
  // it again, "remove" lifts it until the next "tap", "quit" ends.
  let away = false;
  let lifting = false;
  let wake: (() => void) | undefined;
  const pause = (ms: number | undefined): Promise<void> =>
    new Promise((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(() => resolve(), ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const stop = (): void => {
    stopping = true;
    wake?.();
    void card.close();
  };
  // Only on request: a background job reading its terminal would be stopped by SIGTTIN.
  const lines = values.control ? createInterface({ input: process.stdin }) : undefined;
  lines?.on('line', (line) => {
    const command = line.trim() || 'tap';
    if (command === 'quit') stop();
    else if (command === 'remove') {
      away = true;
      void card.close();
    } else if (command === 'tap') {
      away = false;
      if (card.connected) {
        lifting = true;
        void card.close();
      } else wake?.();
    }
  });
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  let waitingReported = false;
  while (!stopping) {
    if (away) {
      await pause(undefined);
      continue;
    }
    try {
      await card.connect();
    } catch (error) {
      if (!waitingReported) {
        emit({
          event: 'waiting',
          reason: `pcscd's vpcd port ${port} is not reachable: ${error instanceof Error ? error.message : String(error)}`,
        });
        waitingReported = true;
      }
      await pause(500);
      continue;
    }
    waitingReported = false;
    leaving = false;
    lifting = false;
    phone.reset();
    emit({ event: 'present', port, scenario, kind: values.tag ? 'tag' : 'phone', pid: process.pid });
    await card.closed;
    if (stopping) break;
    const reason = away ? 'lifted' : leaving ? 'scenario' : lifting ? 'tapped again' : 'pcscd closed the connection';
    emit({ event: 'removed', reason });
    if (leaving && values.once) break;
    await pause(leaving ? awayMs : 300);
  }
  lines?.close();
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  emit({ event: 'removed', reason: 'stopped' });
  return 0;
}
