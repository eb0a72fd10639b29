// At most a few uploads are ingested at once; the others wait their turn, in arrival order, with
// their files already received. Each ingest holds one database connection for its transaction and
// starts verify-export's worker threads, so twenty terminals uploading at once would otherwise
// wait on the connection pool past its timeout (DATABASE_UNAVAILABLE) and start twenty sets of
// workers on the same cores.
export class IngestSlots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`ingest slots must be a positive integer, not ${size}`);
    this.free = size;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free -= 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      // The slot passes straight to the next waiter, or back to the free count.
      const next = this.waiting.shift();
      if (next) next();
      else this.free += 1;
    }
  }
}

/** Two: the pool's other connections stay free for the checks before an ingest and for reads. */
export const DEFAULT_INGEST_SLOTS = 2;
