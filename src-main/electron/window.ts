// The one cashier window and the rules every web contents in the app lives by: sandboxed,
// context-isolated, no Node, no webviews, no new windows, no navigation away from the app,
// no permission granted, nothing fetched from the network.
import { fileURLToPath } from 'node:url';
import { BrowserWindow, Menu, app, session, type WebContents } from 'electron';
import type { Logger } from '../app/logger';
import { APP_ENTRY_URL, isAppUrl } from './security';

/** Built by electron-vite next to this file's bundle (out/main/index.js). */
export const PRELOAD_PATH = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));
export const RENDERER_DIR = fileURLToPath(new URL('../renderer/', import.meta.url));

/** `electron-vite dev` serves the renderer with hot reload; never in a packaged app. */
export function devServerUrl(): string | undefined {
  const url = process.env.ELECTRON_RENDERER_URL;
  return !app.isPackaged && url ? url : undefined;
}

export function devServerOrigin(): string | undefined {
  const url = devServerUrl();
  return url ? new URL(url).origin : undefined;
}

/** Applies the navigation, window, webview and permission rules to every web contents. */
export function hardenApp(logger: Logger): void {
  const devOrigin = devServerOrigin();
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, permission, callback) => {
    logger.warn('permission.denied', { permission });
    callback(false);
  });
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  ses.setDisplayMediaRequestHandler((_request, callback) => callback({}));
  ses.on('will-download', (event) => event.preventDefault());
  // The app is offline by design: nothing may leave over the network from a renderer.
  ses.webRequest.onBeforeRequest({ urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*', 'ftp://*/*'] }, (details, callback) => {
    // Only `electron-vite dev`'s own server (page and hot-reload socket) is reachable, in development.
    const allowed = devOrigin !== undefined && new URL(details.url).host === new URL(devOrigin).host;
    if (!allowed) logger.warn('network.refused', { url: details.url });
    callback({ cancel: !allowed });
  });

  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.setWindowOpenHandler(({ url }) => {
      logger.warn('window-open.denied', { url });
      return { action: 'deny' };
    });
    contents.on('will-attach-webview', (event) => {
      event.preventDefault();
      logger.warn('webview.denied');
    });
    const refuseNavigation = (event: { preventDefault(): void }, url: string) => {
      // Loading the entry page is the only navigation; in-app moves are client-side.
      if (url === APP_ENTRY_URL || (devOrigin !== undefined && isAppUrl(url, devOrigin))) return;
      event.preventDefault();
      logger.warn('navigation.denied', { url });
    };
    contents.on('will-navigate', (event) => refuseNavigation(event, event.url));
    contents.on('will-frame-navigate', (event) => {
      if (!event.isMainFrame) {
        event.preventDefault();
        logger.warn('navigation.denied', { url: event.url, subframe: true });
      }
    });
    contents.on('will-redirect', (event) => refuseNavigation(event, event.url));
  });
}

export interface CashierWindowOptions {
  kiosk: boolean;
  logger: Logger;
}

export function createCashierWindow(options: CashierWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 800,
    minHeight: 600,
    show: false,
    kiosk: options.kiosk,
    fullscreen: options.kiosk,
    autoHideMenuBar: true,
    backgroundColor: '#ffffff',
    title: 'Cashier',
    webPreferences: {
      preload: PRELOAD_PATH,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      // Approval and decline cues must sound without a click on the page first.
      autoplayPolicy: 'no-user-gesture-required',
      devTools: !app.isPackaged,
    },
  });
  if (app.isPackaged || options.kiosk) Menu.setApplicationMenu(null);
  window.once('ready-to-show', () => window.show());
  const log = options.logger.child('window');
  // Main owns the payment: a crashed renderer is reloaded and re-attaches through currentPayment.
  window.webContents.on('render-process-gone', (_event, details) => {
    log.error('renderer.gone', { reason: details.reason, exitCode: details.exitCode });
    if (details.reason !== 'clean-exit' && !window.isDestroyed()) setTimeout(() => loadApp(window), 500);
  });
  window.on('unresponsive', () => log.warn('renderer.unresponsive'));
  loadApp(window);
  return window;
}

export function loadApp(window: BrowserWindow): void {
  const url = devServerUrl() ?? APP_ENTRY_URL;
  void window.loadURL(url);
}
