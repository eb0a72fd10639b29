// A small pool of verify-export workers: JSONL lines go out in batches, each line's check and
// summary come back and are handed on in line order; at most a few batches per worker are in
// flight, so memory stays bounded.
import type { Worker } from 'node:worker_threads';
import type { TrustedAuthority } from '../verification/trust-store';
import type { LineCheck } from './row-check';
import type { VerifyBatchResult, VerifyWorkerData } from './verify-worker';
import { startWorker, type StartWorker } from './worker-thread';

const BATCH = 128;
const IN_FLIGHT_PER_WORKER = 4;

export class VerifyPool {
  private readonly workers: Worker[] = [];
  private readonly waiting = new Map<number, { resolve: (checks: LineCheck[]) => void; reject: (error: Error) => void }>();
  /** Batches answered ahead of an earlier one, kept until they can be handed on in order. */
  private readonly answered = new Map<number, { tags: number[]; checks: LineCheck[] }>();
  private nextToDeliver = 0;
  private batch: { lines: string[]; tags: number[] } = { lines: [], tags: [] };
  private readonly results: Promise<void>[] = [];
  private nextId = 0;
  private nextWorker = 0;
  private inFlight = 0;
  private failure: Error | null = null;
  private closing = false;
  private drained: (() => void) | null = null;

  constructor(
    size: number,
    data: VerifyWorkerData,
    private readonly onCheck: (tag: number, check: LineCheck) => void,
    start: StartWorker = startWorker,
  ) {
    for (let i = 0; i < size; i++) {
      const worker = start('verify-worker', data);
      worker.on('message', (message: VerifyBatchResult) => {
        const waiter = this.waiting.get(message.id);
        this.waiting.delete(message.id);
        waiter?.resolve(message.checks);
      });
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => {
        if (!this.closing) this.fail(new Error(`verify-export worker stopped (exit code ${code})`));
      });
      this.workers.push(worker);
    }
  }

  /** `onCheck` is called once per line, in the order the lines were added. */
  static forAuthorities(
    size: number,
    authorities: TrustedAuthority[] | null,
    clockSkewMs: number | undefined,
    onCheck: (tag: number, check: LineCheck) => void,
    start?: StartWorker,
  ): VerifyPool {
    return new VerifyPool(size, { authorities, clockSkewMs }, onCheck, start);
  }

  /** Queues one JSONL line; `tag` comes back with its check. Waits when the pool is full. */
  async add(line: string, tag: number): Promise<void> {
    this.batch.lines.push(line);
    this.batch.tags.push(tag);
    if (this.batch.lines.length >= BATCH) await this.flush();
  }

  async finish(): Promise<void> {
    await this.flush();
    await Promise.all(this.results);
    this.throwIfFailed();
  }

  // A method, not an inline check: a worker may fail while flush() awaits, which TypeScript's
  // narrowing of `this.failure` inside one function cannot see.
  private throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }

  close(): void {
    this.closing = true;
    for (const worker of this.workers) void worker.terminate();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.waiting.values()) waiter.reject(error);
    this.waiting.clear();
    this.drained?.();
  }

  private async flush(): Promise<void> {
    this.throwIfFailed();
    if (this.batch.lines.length === 0) return;
    const { lines, tags } = this.batch;
    this.batch = { lines: [], tags: [] };
    while (this.inFlight >= this.workers.length * IN_FLIGHT_PER_WORKER && !this.failure) {
      await new Promise<void>((resolve) => (this.drained = resolve));
    }
    this.throwIfFailed();
    const id = this.nextId++;
    const worker = this.workers[this.nextWorker++ % this.workers.length] as Worker;
    this.inFlight += 1;
    const done = new Promise<LineCheck[]>((resolve, reject) => this.waiting.set(id, { resolve, reject }))
      .then(
        (checks) => {
          this.answered.set(id, { tags, checks });
          for (let next = this.answered.get(this.nextToDeliver); next; next = this.answered.get(this.nextToDeliver)) {
            this.answered.delete(this.nextToDeliver);
            this.nextToDeliver += 1;
            next.checks.forEach((check, i) => this.onCheck(next.tags[i] as number, check));
          }
        },
        () => undefined,
      )
      .finally(() => {
        this.inFlight -= 1;
        const wake = this.drained;
        this.drained = null;
        wake?.();
      });
    this.results.push(done);
    worker.postMessage({ id, lines });
  }
}
