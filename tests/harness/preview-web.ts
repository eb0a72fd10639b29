// `npm run preview:web`: try the cashier without the Electron binary. Runs the real
// main-process services in this Node process behind the same IPC contract, serves the built
// renderer on 127.0.0.1, and opens Debian's Chromium with window.cashier bridged in (headed
// when DISPLAY is set; otherwise headless, printing the URL of a screenshot-able session).
//
// Options: --reader auto|stub|pcsc (default auto: a PC/SC reader when pcscd shows a hardware one,
// else the simulated phone in demo mode), --data-dir DIR (default CASHIER_DATA_DIR or
// ~/.local/share/nfc-cashier-preview), --port N, --headless, --rebuild, --demo [--country CC]
// (skip the first-run wizard: demo merchant, terminal, manager PIN 2468 and the demo authority).
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ReaderKind } from '../../src-main/app/terminal';
import { attachBridge } from './bridge';
import { ensureRendererBuilt } from './build-renderer';
import type { BrowserContext } from '@playwright/test';
import { appWindowProfile, launchAppWindow } from './app-window';
import { launchChromium } from './chromium';
import { startHarnessServices } from './app';

const PCSCD_SOCKET = process.env.PCSCLITE_CSOCK_NAME ?? '/run/pcscd/pcscd.comm';

async function pcscReaderPresent(): Promise<boolean> {
  if (!existsSync(PCSCD_SOCKET)) return false;
  try {
    const { createPcscReaderService } = await import('../../src-main/reader/pcsc-reader-service');
    const service = createPcscReaderService({});
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // vsmartcard's "Virtual PCD" slots exist whenever pcscd runs with vpcd (tests, virtual phone):
    // they are not a reader a newcomer can tap, so auto mode treats them as none (--reader pcsc uses them).
    const found = service.readers().some((name) => !name.startsWith('Virtual PCD'));
    await service.close();
    return found;
  } catch {
    return false;
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      reader: { type: 'string', default: 'auto' },
      'data-dir': { type: 'string' },
      port: { type: 'string', default: '0' },
      headless: { type: 'boolean', default: false },
      rebuild: { type: 'boolean', default: false },
      demo: { type: 'boolean', default: false },
      country: { type: 'string', default: 'US' },
    },
  });
  const dataDir = values['data-dir'] ?? process.env.CASHIER_DATA_DIR ?? path.join(homedir(), '.local', 'share', 'nfc-cashier-preview');
  mkdirSync(dataDir, { recursive: true });

  let readerKind: ReaderKind;
  if (values.reader === 'stub' || values.reader === 'pcsc') readerKind = values.reader;
  else if (values.reader === 'auto') {
    readerKind = (await pcscReaderPresent()) ? 'pcsc' : 'stub';
    console.log(
      readerKind === 'pcsc'
        ? '[preview] PC/SC reader found: using it.'
        : '[preview] No PC/SC reader found: demo mode with the simulated phone (choose "Demo" in the first-run wizard).',
    );
  } else {
    console.error(`--reader must be auto, stub or pcsc (got ${values.reader})`);
    return 2;
  }

  await ensureRendererBuilt({ force: values.rebuild, log: (line) => console.log(`[preview] ${line}`) });
  const services = await startHarnessServices({
    dataDir,
    headless: true,
    readerKind,
    exportDir: path.join(dataDir, 'exports'),
    printDir: path.join(dataDir, 'printed'),
    port: Number(values.port),
  });
  console.log(`[preview] data folder: ${dataDir}`);
  if (values.demo && !services.terminal.isSetupComplete()) {
    await services.terminal.firstRun({
      country: values.country,
      merchantId: 'DEMO-MERCHANT',
      merchantName: 'Demo Store',
      terminalId: 'DEMO-01',
      pin: '2468',
      trust: 'demo',
    });
    console.log('[preview] demo setup done: manager PIN 2468 (change it under Manager > Settings).');
  }
  console.log(`[preview] exports go to ${path.join(dataDir, 'exports')}; printed receipts to ${path.join(dataDir, 'printed')}`);

  const headless = values.headless || !process.env.DISPLAY;
  let context: BrowserContext;
  let closeBrowser: () => Promise<void>;
  if (headless) {
    const browser = await launchChromium({ headless: true, viewport: { width: 1280, height: 800 } });
    await attachBridge(browser.context, services.ipc);
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await page.goto(services.server.url);
    context = browser.context;
    closeBrowser = () => browser.close();
    console.log('[preview] no DISPLAY: Chromium runs headless. Ctrl+C to stop.');
  } else {
    const kiosk = services.terminal.isSetupComplete() && services.terminal.settings.get().kiosk;
    const window = await launchAppWindow({
      url: services.server.url,
      kiosk,
      profileDir: appWindowProfile(dataDir),
      log: (line) => console.log(`[preview] ${line}`),
    });
    await attachBridge(window.context, services.ipc);
    // The app window loaded before the bridge was installed: load it again with window.cashier.
    await window.page.reload();
    context = window.context;
    closeBrowser = () => window.close();
    console.log(
      `[preview] the cashier is open in a Chromium app window${kiosk ? ' (kiosk: full screen; Alt+F4 closes it)' : ''}. Close it or press Ctrl+C to stop.`,
    );
  }
  console.log(`[preview] renderer served at ${services.server.url}: other browsers' tabs there say they are not the cashier window`);

  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
    context.once('close', () => resolve());
  });
  console.log('[preview] stopping');
  await closeBrowser();
  await services.close();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[preview] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
