// Which payment decision the cashier last saw: `<dataDir>/last-shown.json`, rewritten atomically
// each time a decision is on the screen (or printed by `charge`). After a crash or power cut
// between recording a payment and showing it, the ledger's newest sale is not the one named
// here, and the checkout shows it as "Last payment" so the cashier never charges twice.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../fs/atomic-file';

export const LAST_SHOWN_FILE = 'last-shown.json';

const LastShownSchema = z.strictObject({ transactionId: z.string().regex(/^[0-9a-f]{32}$/) });

export interface LastShown {
  /** The transaction id of the decision last shown, or undefined when none is known. */
  read(): string | undefined;
  shown(transactionId: string): void;
}

/**
 * A missing file means no decision was shown yet; one that cannot be read or parsed is treated
 * the same (reported through `onUnreadable`): the only effect is that the newest sale is shown
 * again, the safe side, so a damaged marker never stops the terminal.
 */
export function openLastShown(dataDir: string, onUnreadable: (detail: string) => void = () => undefined): LastShown {
  const path = join(dataDir, LAST_SHOWN_FILE);
  return {
    read() {
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') onUnreadable(`${path}: ${(error as Error).message}`);
        return undefined;
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      const parsed = LastShownSchema.safeParse(json);
      if (!parsed.success) {
        onUnreadable(`${path}: not a last-shown file`);
        return undefined;
      }
      return parsed.data.transactionId;
    },
    shown(transactionId) {
      writeFileAtomic(path, `${JSON.stringify({ transactionId })}\n`, 0o600);
    },
  };
}
