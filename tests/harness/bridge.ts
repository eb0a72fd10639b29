// Bridges main-process IPC handlers into a Chromium page the way the preload does in Electron:
// the preload's createCashierApi runs in the page (bundled from src-preload/api.ts), requests
// travel over a Playwright binding to the handlers in this Node process, and events are pushed
// into the page in order.
import path from 'node:path';
import { build } from 'esbuild';
import type { BrowserContext, Page } from '@playwright/test';
import type { IpcHandlerSet } from '../../src-main/ipc/handlers';

const ENTRY = path.join(import.meta.dirname, 'bridge-entry.ts');

let bundled: Promise<string> | undefined;

/** The preload API factory and its binding transport as one browser script. */
export function bridgeScript(): Promise<string> {
  bundled ??= build({
    entryPoints: [ENTRY],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    logLevel: 'silent',
  }).then((result) => {
    const file = result.outputFiles[0];
    if (!file) throw new Error('esbuild produced no bridge bundle');
    return file.text;
  });
  return bundled;
}

export interface Bridge {
  /** Stops forwarding events. */
  detach(): void;
}

/** Installs window.cashier in every page of the context, backed by `ipc`. */
export async function attachBridge(context: BrowserContext, ipc: IpcHandlerSet): Promise<Bridge> {
  // Like the Electron main process, answer only the page's own top-level frame.
  await context.exposeBinding('__cashierInvoke', (source, channel: unknown, arg: unknown) =>
    source.frame !== source.page.mainFrame()
      ? Promise.resolve({ ok: false, error: { code: 'not_available', message: 'requests are answered only for the cashier window' } })
      : ipc.invoke(typeof channel === 'string' ? channel : '', arg),
  );
  await context.addInitScript({ content: await bridgeScript() });

  // One queue per page keeps events in the order main emitted them.
  const queues = new WeakMap<Page, Promise<void>>();
  const stop = ipc.onEvent((channel, payload) => {
    for (const page of context.pages()) {
      const previous = queues.get(page) ?? Promise.resolve();
      const next = previous.then(
        () =>
          page
            .evaluate(([c, p]) => (globalThis as unknown as { __cashierEmit?: (c: string, p: unknown) => void }).__cashierEmit?.(c, p), [
              channel,
              payload,
            ] as const)
            .catch(() => undefined), // page navigating or closed: it re-attaches with currentPayment()
      );
      queues.set(page, next);
    }
  });
  return { detach: stop };
}
