// Electron main process: the thin shell around the Electron-free terminal. It takes the
// single-instance lock, serves the renderer from app://cashier/, builds the terminal with
// createTerminal (the same function the test harness uses), answers the IPC contract only for
// the cashier window's top-level frame, and owns nothing else: payments, ledger and reader
// live in the terminal, so a reloaded or crashed renderer re-attaches to the same state.
import { join } from 'node:path';
import { app, dialog, type BrowserWindow } from 'electron';
import { createFileLogger, type FileLogger } from '../app/logger';
import type { Terminal } from '../app/terminal';
import type * as Handlers from '../ipc/handlers';
import type { IpcHandlerSet } from '../ipc/handlers';
import { registerAppScheme, serveRenderer } from './app-protocol';
import { bindIpc } from './ipc';
import { createElectronPlatform } from './platform';
import { resolveDataDir } from './security';
import { RENDERER_DIR, createCashierWindow, devServerOrigin, hardenApp } from './window';

// Before 'ready': privileged scheme, sandbox for every renderer, where data lives.
registerAppScheme();
app.enableSandbox();
const dataDir = resolveDataDir(process.env, app.getPath('userData'));
// The single-instance lock lives in userData: one terminal per data folder.
if (process.env.CASHIER_DATA_DIR) app.setPath('userData', dataDir);
// Chromium's own files (cache, local storage) stay apart from the terminal's.
app.setPath('sessionData', join(dataDir, 'chromium'));

let window: BrowserWindow | undefined;
let terminal: Terminal | undefined;
let handlers: IpcHandlerSet | undefined;
let unbindIpc: (() => void) | undefined;
let logger: FileLogger | undefined;
let quitting = false;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!window || window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', (event) => {
    if (quitting) return;
    event.preventDefault();
    quitting = true;
    void shutdown().finally(() => app.exit(0));
  });
  app.whenReady().then(start, (error: unknown) => fatal(error));
}

async function start(): Promise<void> {
  const log = (logger = createFileLogger({ directory: join(dataDir, 'logs'), echo: !app.isPackaged }));
  process.on('uncaughtException', (error) => log.error('main.uncaught', { error }));
  process.on('unhandledRejection', (error) => log.error('main.unhandled-rejection', { error }));
  log.info('main.start', { version: app.getVersion(), electron: process.versions.electron, dataDir });

  hardenApp(log);
  serveRenderer(RENDERER_DIR, log);
  let createIpcHandlers: typeof Handlers.createIpcHandlers;
  try {
    // Loaded here, not at the top: a native module that fails to load (better-sqlite3 built
    // for another ABI) then ends in the same plain error dialog as a refused data folder.
    const [terminalModule, handlersModule] = await Promise.all([import('../app/terminal'), import('../ipc/handlers')]);
    createIpcHandlers = handlersModule.createIpcHandlers;
    terminal = await terminalModule.createTerminal({ dataDir, logger: log, version: app.getVersion() });
  } catch (error) {
    fatal(error);
    return;
  }
  const platform = createElectronPlatform(() => window, log);
  handlers = createIpcHandlers(terminal, platform, {
    onInternalError: (request, error) => log.error('ipc.internal', { request, error }),
  });
  unbindIpc = bindIpc(handlers, () => window, devServerOrigin(), log);

  const settings = terminal.settings;
  window = createCashierWindow({ kiosk: settings.get().kiosk, logger: log });
  window.on('closed', () => {
    window = undefined;
  });
  settings.onChange((next) => {
    if (!window || window.isDestroyed() || window.isKiosk() === next.kiosk) return;
    window.setKiosk(next.kiosk);
    window.setFullScreen(next.kiosk);
  });
}

async function shutdown(): Promise<void> {
  unbindIpc?.();
  handlers?.close();
  try {
    await terminal?.close();
  } catch (error) {
    logger?.error('main.shutdown', { error });
  }
  logger?.info('main.stop');
  logger?.close();
}

/** The terminal cannot run (corrupt settings, missing ledger): say so plainly and stop. */
function fatal(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  logger?.error('main.fatal', { error });
  dialog.showErrorBox('The cashier cannot start', `${message}\n\nData folder: ${dataDir}\nNothing was changed or deleted.`);
  quitting = true;
  void shutdown().finally(() => app.exit(1));
}
