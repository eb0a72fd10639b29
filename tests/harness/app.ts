// The Chromium harness: the real main-process services (createTerminal, stub reader) in this
// Node process behind the real IPC handlers, the built renderer served on 127.0.0.1, and
// Debian's Chromium with window.cashier bridged in. Used by the UI specs and by
// `npm run preview:web`. Never requires 'electron'.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { createTerminal, type ReaderKind, type Terminal } from '../../src-main/app/terminal';
import type { Clock, RandomSource } from '../../src-main/domain/payment';
import { createIpcHandlers, type IpcHandlerSet } from '../../src-main/ipc/handlers';
import { attachBridge } from './bridge';
import { RENDERER_OUT } from './build-renderer';
import { launchChromium, type LaunchedChromium } from './chromium';
import { createHarnessPlatform, type HarnessPlatform } from './platform';
import { serveStatic, type StaticServer } from './static-server';

export interface HarnessAppOptions {
  dataDir: string;
  headless: boolean;
  /** Folder the export dialog answers. */
  exportDir?: string;
  /** Where printed receipts are written as text (preview); tests only record them. */
  printDir?: string;
  readerKind?: ReaderKind;
  rendererDir?: string;
  port?: number;
  /** null = the window's own size (headed preview). */
  viewport?: { width: number; height: number } | null;
  /** Fast PIN hashing for tests (the PIN file format's floor). */
  fastPin?: boolean;
  /** The terminal's clock and random source (default: the system's). */
  clock?: Clock;
  random?: RandomSource;
  /** The page's Date reads this instant, always; its timers still run (default: the system's). */
  pageTime?: number;
}

export interface HarnessServices {
  terminal: Terminal;
  ipc: IpcHandlerSet;
  platform: HarnessPlatform;
  server: StaticServer;
  close(): Promise<void>;
}

export interface HarnessApp extends HarnessServices {
  context: BrowserContext;
  page: Page;
  /** The terminal's log files as text (attached to failed tests). */
  logText(): string;
}

/** Services, handlers and the renderer's HTTP server, without a browser (the preview may open its own). */
export async function startHarnessServices(options: HarnessAppOptions): Promise<HarnessServices> {
  const terminal = await createTerminal({
    dataDir: options.dataDir,
    readerKind: options.readerKind ?? 'stub',
    env: {},
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.random ? { random: options.random } : {}),
    ...(options.fastPin ? { pinKdf: { N: 2 ** 14, r: 8, p: 1, keyLength: 32 } } : {}),
  });
  const platform = createHarnessPlatform({
    ...(options.exportDir ? { exportDir: options.exportDir } : {}),
    ...(options.printDir ? { printDir: options.printDir } : {}),
  });
  const log = terminal.logger.child('ipc');
  const ipc = createIpcHandlers(terminal, platform, {
    onInternalError: (request, error) => log.error('ipc.internal', { request, error }),
  });
  let server: StaticServer;
  try {
    server = await serveStatic(options.rendererDir ?? RENDERER_OUT, options.port ?? 0);
  } catch (error) {
    ipc.close();
    await terminal.close();
    throw error;
  }
  return {
    terminal,
    ipc,
    platform,
    server,
    async close() {
      ipc.close();
      await server.close();
      await terminal.close();
    },
  };
}

export async function startHarnessApp(options: HarnessAppOptions): Promise<HarnessApp> {
  const services = await startHarnessServices({ fastPin: true, ...options });
  let browser: LaunchedChromium | undefined;
  try {
    browser = await launchChromium({ headless: options.headless, viewport: options.viewport });
    await attachBridge(browser.context, services.ipc);
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    if (options.pageTime !== undefined) await page.clock.setFixedTime(options.pageTime);
    await page.goto(services.server.url);
    const launched = browser;
    return {
      ...services,
      context: launched.context,
      page,
      logText: () => readLogs(path.join(options.dataDir, 'logs')),
      async close() {
        await launched.close();
        await services.close();
      },
    };
  } catch (error) {
    await browser?.close();
    await services.close();
    throw error;
  }
}

function readLogs(dir: string): string {
  try {
    return readdirSync(dir)
      .sort()
      .map((name) => readFileSync(path.join(dir, name), 'utf8'))
      .join('');
  } catch {
    return '';
  }
}
