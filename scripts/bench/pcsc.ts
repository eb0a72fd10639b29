// Figure 3: taps through the real PC/SC stack (pcscd + vpcd + nfc-pcsc) with the virtual phone
// in its own process, into the real PaymentController and Ledger. In the same run and on the same
// reader and phone, the same number of bare APDU round trips (SELECT) right after each tap:
// host overhead = tap - bare round trips - the phone's own computing time.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PaymentEvent } from '../../src-main/checkout/types';
import { createPcscReaderService } from '../../src-main/reader/pcsc-reader-service';
import type { PresentedCard, ReaderService } from '../../src-main/reader/reader-service';
import { selectCommand } from '../../src-main/transport/apdu';
import { usePcscd, VPCD_PORTS, VPCD_READERS, type Pcscd } from '../../tests/support/pcscd';
import { type Figure, skipped, verdictOf } from './figures';
import { cpuNow, now, summarize, ms, type Summary } from './stats';
import { openBenchCheckout } from './checkout';
import { createWorld } from './world';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = join(HERE, '..', '..');
export const GOAL_OVERHEAD_MS = 20;
const TITLE = 'Tap through pcscd + virtual phone (vpcd)';
const GOAL = `host overhead <= ${GOAL_OVERHEAD_MS} ms`;

interface ApduRecord {
  ins: number;
  cla: number;
  lc: number;
  responseBytes: number;
  sw: string;
}

/** The reader as the controller sees it, with each card's channel timing its APDUs. */
function instrument(reader: ReaderService, onApdu: (record: ApduRecord, at: number) => void): ReaderService {
  const wrapped = new WeakMap<PresentedCard, PresentedCard>();
  const wrap = (card: PresentedCard): PresentedCard => {
    let known = wrapped.get(card);
    if (!known) {
      known = {
        get id() {
          return card.id;
        },
        get kind() {
          return card.kind;
        },
        get readerName() {
          return card.readerName;
        },
        get atr() {
          return card.atr;
        },
        get gone() {
          return card.gone;
        },
        present: () => card.present(),
        begin: () => card.begin(),
        finish: () => card.finish(),
        channel: {
          async transmit(apdu, timeoutMs) {
            const at = now();
            const response = await card.channel.transmit(apdu, timeoutMs);
            const sw = Buffer.from(response.subarray(-2)).toString('hex');
            onApdu(
              { cla: apdu[0] ?? 0, ins: apdu[1] ?? 0, lc: apdu.length > 5 ? (apdu[4] ?? 0) : 0, responseBytes: response.length, sw },
              at,
            );
            return response;
          },
        },
      };
      wrapped.set(card, known);
    }
    return known;
  };
  return {
    kind: reader.kind,
    status: () => reader.status(),
    onStatus: (listener) => reader.onStatus(listener),
    onCard: (listener) => reader.onCard((card) => listener(wrap(card))),
    presentCards: () => reader.presentCards().map(wrap),
    readers: () => reader.readers(),
    selectReader: (name) => reader.selectReader(name),
    feedback: (result, card) => reader.feedback(result, card),
    close: () => reader.close(),
  };
}

class PhoneProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: ((line: string) => void)[] = [];
  private stderr = '';
  private exited: string | undefined;
  private readonly failing: ((error: Error) => void)[] = [];

  constructor(port: number) {
    this.child = spawn(process.execPath, [join(REPO, 'node_modules/tsx/dist/cli.mjs'), join(HERE, 'virtual-phone.ts'), String(port)], {
      cwd: REPO,
    });
    let pending = '';
    this.child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) this.waiting.shift()?.(line);
    });
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.child.once('exit', (code) => {
      this.exited = `virtual phone exited (${String(code)}): ${this.stderr.trim().slice(0, 300)}`;
      for (const fail of this.failing.splice(0)) fail(new Error(this.exited));
    });
  }

  next(timeoutMs = 20_000): Promise<string> {
    return new Promise((resolve, reject) => {
      if (this.exited) {
        reject(new Error(this.exited));
        return;
      }
      const timer = setTimeout(() => reject(new Error(`virtual phone silent: ${this.stderr.slice(0, 300)}`)), timeoutMs);
      this.failing.push((error) => {
        clearTimeout(timer);
        reject(error);
      });
      this.waiting.push((line) => {
        clearTimeout(timer);
        this.failing.shift();
        resolve(line);
      });
    });
  }

  async send(command: 'in' | 'out'): Promise<string> {
    const answer = this.next();
    this.child.stdin.write(`${command}\n`);
    return answer;
  }

  stop(): void {
    this.child.stdin.end();
    if (this.child.exitCode === null && this.child.pid !== undefined) {
      const pid = this.child.pid;
      setTimeout(() => {
        if (this.child.exitCode === null) process.kill(pid, 'SIGKILL');
      }, 2_000).unref();
    }
  }
}

export interface PcscResult {
  tap: Summary;
  bare: Summary;
  phone: Summary;
  overhead: Summary;
  /** This process's CPU time for the tap minus for the bare round trips: blind to other processes' load. */
  overheadCpu: Summary;
  apdus: ApduRecord[];
  readerName: string;
}

/** True when a virtual card is connected to vpcd's `port` (an established TCP connection). */
function slotInUse(port: number): boolean {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(table)) continue;
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[1]?.endsWith(hex) && fields[3] === '01') return true;
    }
  }
  return false;
}

const INS_NAMES: Record<number, string> = { 0xa4: 'SELECT', 0x10: 'EXCHANGE', 0xc0: 'GET RESPONSE' };

/**
 * pcscd is shared with the reader tests, which may stop and restart their own pcscd: when the
 * PC/SC stack goes away under a run (vpcd refuses the phone), the measurement starts over once.
 */
export async function measurePcsc(options: { taps: number; warmup: number }): Promise<PcscResult | { skipped: string }> {
  try {
    return await measurePcscOnce(options);
  } catch (error) {
    if (!/ECONNREFUSED|ECONNRESET|reader|pcsc/i.test(error instanceof Error ? error.message : String(error))) throw error;
    return measurePcscOnce(options);
  }
}

async function measurePcscOnce(options: { taps: number; warmup: number }): Promise<PcscResult | { skipped: string }> {
  let pcscd: Pcscd;
  try {
    pcscd = await usePcscd();
  } catch (error) {
    return { skipped: `pcscd could not start: ${error instanceof Error ? error.message : String(error)}` };
  }
  const slot = VPCD_PORTS.findIndex((candidate) => !slotInUse(candidate));
  if (slot < 0) {
    await pcscd.release();
    return { skipped: 'both vpcd reader slots hold another virtual card (another test is running)' };
  }
  const port = VPCD_PORTS[slot] as number;
  const readerName = VPCD_READERS[slot] as string;
  const dir = mkdtempSync(join(tmpdir(), 'bench-pcsc-'));
  const world = createWorld(Date.now());
  const random = (length: number) => new Uint8Array(randomBytes(length));
  let firstApduAt: number | undefined;
  let firstApduCpu = 0;
  let tapApdus: ApduRecord[] = [];
  const raw = createPcscReaderService({ readerName });
  const reader = instrument(raw, (record, at) => {
    if (firstApduAt === undefined) {
      firstApduAt = at;
      firstApduCpu = cpuNow();
    }
    tapApdus.push(record);
  });
  const { ledger, controller } = openBenchCheckout(reader, dir, world, random);
  const phone = new PhoneProcess(port);
  const taps: number[] = [];
  const bares: number[] = [];
  const phones: number[] = [];
  const overheads: number[] = [];
  const overheadCpu: number[] = [];
  let apdus: ApduRecord[] = [];
  try {
    if ((await phone.next()) !== 'ready') throw new Error('virtual phone did not start');
    for (let i = 0; i < options.taps + options.warmup; i++) {
      firstApduAt = undefined;
      tapApdus = [];
      let card: PresentedCard | undefined;
      const offCard = reader.onCard((arrived) => (card = arrived));
      const decided = new Promise<{ at: number; cpu: number; event: PaymentEvent }>((resolve) => {
        const off = controller.subscribe((event) => {
          if (event.type === 'decision') {
            off();
            resolve({ at: now(), cpu: cpuNow(), event });
          }
        });
      });
      controller.start({ amount: 100 + i });
      await phone.send('in');
      const { at, cpu, event } = await decided;
      offCard();
      if (event.type !== 'decision' || event.decision.outcome !== 'approved' || !event.recorded) {
        throw new Error(`pcsc tap not approved and recorded: ${JSON.stringify(event.type === 'decision' ? event.decision : event)}`);
      }
      if (firstApduAt === undefined || !card) throw new Error('no APDU reached the reader');
      const tapMs = at - firstApduAt;
      apdus = [...tapApdus];
      const count = apdus.length;
      // The same number of bare round trips, same reader, same phone, still in the field.
      const select = selectCommand();
      const b0 = now();
      const bc0 = cpuNow();
      for (let k = 0; k < count; k++) await card.channel.transmit(select, 2_000);
      const bareMs = now() - b0;
      const bareCpu = cpuNow() - bc0;
      const phoneReport = JSON.parse(await phone.send('out')) as { busyMs: number; apdus: number };
      await controller.settled();
      await card.gone;
      if (i >= options.warmup) {
        taps.push(tapMs);
        bares.push(bareMs);
        // The phone's busy time counts the bare SELECTs too; they take microseconds.
        phones.push(phoneReport.busyMs);
        overheads.push(tapMs - bareMs - phoneReport.busyMs);
        overheadCpu.push(cpu - firstApduCpu - bareCpu);
      }
    }
  } finally {
    phone.stop();
    await controller.close();
    await raw.close();
    ledger.close();
    await pcscd.release();
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    tap: summarize(taps),
    bare: summarize(bares),
    phone: summarize(phones),
    overhead: summarize(overheads),
    overheadCpu: summarize(overheadCpu),
    apdus,
    readerName,
  };
}

export function pcscFigure(result: PcscResult | { skipped: string }, quick: boolean): Figure {
  if ('skipped' in result) return skipped('3', TITLE, GOAL, result.skipped);
  const { tap, bare, phone, overhead, overheadCpu, apdus } = result;
  const trace = apdus
    .map((a) => `${INS_NAMES[a.ins] ?? a.ins.toString(16)}${a.lc ? ` (${a.lc} B out)` : ''} -> ${a.responseBytes} B ${a.sw}`)
    .join('; ');
  return {
    id: '3',
    title: `${TITLE}${quick ? ' [quick: few taps]' : ''}`,
    value: `tap p50 ${ms(tap.p50)}, p99 ${ms(tap.p99)}; host overhead p50 ${ms(overhead.p50)}, p99 ${ms(overhead.p99)} (n=${tap.n})`,
    baseline: `${apdus.length} bare APDU round trips p50 ${ms(bare.p50)}, p99 ${ms(bare.p99)}`,
    goal: GOAL,
    verdict: verdictOf(overhead.p50 <= GOAL_OVERHEAD_MS),
    notes: [
      `${apdus.length} APDUs per tap on ${result.readerName}: ${trace}`,
      `phone's own computing (signing with @noble/curves in its process) p50 ${ms(phone.p50)}, subtracted; overhead = tap - bare round trips - phone`,
      `CPU time of the terminal process (blind to other processes' load): tap minus bare round trips p50 ${ms(overheadCpu.p50)}, p99 ${ms(overheadCpu.p99)}`,
      'verdict on the median overhead: with so few taps and ~48 ms per APDU of vpcd jitter, p99 is noise',
    ],
    data: {
      taps: tap.n,
      tapP50Ms: tap.p50,
      tapP99Ms: tap.p99,
      bareP50Ms: bare.p50,
      overheadP50Ms: overhead.p50,
      overheadP99Ms: overhead.p99,
      overheadCpuP50Ms: overheadCpu.p50,
      phoneP50Ms: phone.p50,
      apdusPerTap: apdus.length,
    },
  };
}
