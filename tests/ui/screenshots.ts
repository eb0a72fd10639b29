// Where the UI specs' screenshots go, and what keeps the documented ones stable.
// - A test run (`npm test`, `npx playwright test`) writes them to test-results/screenshots/
//   (git-ignored), so running the suite leaves `git status` clean.
// - `npm run screenshots` (CASHIER_SCREENSHOTS=docs) refreshes docs/screenshots/. Each test then
//   runs on a fixed clock (the same instant in the terminal and in the page; timers still run,
//   the payment's timeouts are timers), a random source seeded by the test's title, and a fixed
//   data folder, so that a refresh changes only the screens whose code changed.
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Clock, RandomSource } from '../../src-main/domain/payment';
import { REPO_ROOT } from '../harness/build-renderer';

export const DOCUMENTED = process.env.CASHIER_SCREENSHOTS === 'docs';

export const SCREENSHOT_DIR = DOCUMENTED
  ? path.join(REPO_ROOT, 'docs', 'screenshots')
  : path.join(REPO_ROOT, 'test-results', 'screenshots');

/** The instant every documented screen starts at: a Monday morning, store open. */
export const DOCUMENTED_START = Date.parse('2026-03-02T14:30:00Z');

/** The terminal's clock for documented screens: always DOCUMENTED_START, to the millisecond. */
export const documentedClock: Clock = () => DOCUMENTED_START;

/** Bytes from SHA-256 over the seed and a counter: the same sequence for the same seed. */
export function seededRandom(seed: string): RandomSource {
  let counter = 0;
  let pool = new Uint8Array(0);
  return (length) => {
    const out = new Uint8Array(length);
    for (let filled = 0; filled < length;) {
      if (pool.length === 0) pool = new Uint8Array(createHash('sha256').update(`${seed}\n${counter++}`).digest());
      const take = Math.min(pool.length, length - filled);
      out.set(pool.subarray(0, take), filled);
      pool = pool.subarray(take);
      filled += take;
    }
    return out;
  };
}

/** The data folder of a documented run: the same path every time (shown on the export screens). */
export function documentedDataDir(project: string, titlePath: readonly string[]): string {
  const slug = titlePath
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80);
  return path.join(tmpdir(), 'cashier-screenshots', project, slug);
}
