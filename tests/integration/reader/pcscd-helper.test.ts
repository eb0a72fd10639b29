// The pcscd test helper's promise: it uses a pcscd somebody else started and never stops it.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { pcscdReachable, usePcscd, vpcdReady, waitFor } from '../../support/pcscd';

const foreignPcscd = await pcscdReachable();

describe('pcscd test helper', () => {
  it.skipIf(foreignPcscd)('starts and stops its own pcscd, and leaves a foreign one running', async () => {
    const own = await usePcscd();
    expect(own.owned).toBe(true);
    expect(await vpcdReady()).toBe(true);
    await own.release();
    expect(await pcscdReachable()).toBe(false);

    // "Someone else" starts pcscd: the helper must use it and refuse to stop it.
    const other = spawn('pcscd', ['--foreground'], { stdio: 'ignore' });
    try {
      await waitFor(vpcdReady, 'the foreign pcscd');
      const shared = await usePcscd();
      expect(shared.owned).toBe(false);
      await expect(shared.stop()).rejects.toThrow(/someone else/);
      await shared.release();
      expect(await pcscdReachable()).toBe(true);
      expect(other.exitCode).toBeNull();
    } finally {
      // A pcscd that already ended (it failed to start, say) has fired its 'exit' already.
      if (other.exitCode === null && other.signalCode === null && other.pid !== undefined) {
        const exited = new Promise((resolve) => other.once('exit', resolve));
        process.kill(other.pid, 'SIGTERM');
        await exited;
      }
    }
    await waitFor(async () => !(await pcscdReachable()), 'the foreign pcscd to stop');
  });
});
