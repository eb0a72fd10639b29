// The `cashier` fixture runs every UI spec two ways (playwright.config.ts projects):
// - 'harness': the real main-process services in this Node process (tests/harness/app.ts),
//   the built renderer in Debian's Chromium, window.cashier bridged over Playwright bindings;
// - 'electron': the built Electron app through _electron (skipped when the binary is absent).
// Either way the spec gets the page and drives the simulated phone and everything else through
// the contract's own requests (window.cashier in the page), so both ways test the same path.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import type { PhoneScenario, RequestArgs, RequestName, RequestResult, WizardCompleteArgs } from '../../src-main/ipc/contract';
import type { PrintJob, TextDocumentKind } from '../../src-main/ipc/handlers';
import { tsImport } from 'tsx/esm/api';
import type * as HarnessModule from '../harness/app';
import type { HarnessApp, HarnessAppOptions } from '../harness/app';
import { answerFolderDialogs, electronSkipReason, launchElectron, type LaunchedElectron } from './electron-app';
import { documentedClock, documentedDataDir, DOCUMENTED, DOCUMENTED_START, SCREENSHOT_DIR, seededRandom } from './screenshots';

export type CashierMode = 'harness' | 'electron';

/**
 * The main-process services are loaded through tsx, the loader `npm run cli` and the preview
 * use, rather than Playwright's test transpiler (which cannot import the JSON resources the
 * services bundle): same process, same code, same module semantics as in the app.
 */
async function startHarnessApp(options: HarnessAppOptions): Promise<HarnessApp> {
  const harness = (await tsImport('../harness/app.ts', import.meta.url)) as typeof HarnessModule;
  return harness.startHarnessApp(options);
}

export const MANAGER_PIN = '2468';

export const DEMO_SETUP: WizardCompleteArgs = {
  country: 'US',
  merchantId: 'M-1001',
  merchantName: 'Corner Store',
  terminalId: 'T-01',
  pin: MANAGER_PIN,
  language: 'en',
  trustKey: 'demo',
};

export interface CashierDriver {
  readonly mode: CashierMode;
  readonly page: Page;
  readonly dataDir: string;
  /** Where the export "dialog" points (a fresh folder per test). */
  readonly exportDir: string;
  /** Calls a contract request through window.cashier in the page (the renderer's own path). */
  call<N extends RequestName>(
    name: N,
    ...arg: undefined extends RequestArgs<N> ? [RequestArgs<N>?] : [RequestArgs<N>]
  ): Promise<RequestResult<N>>;
  /** Same, but resolves with the "[code] message" of the rejection (for refusal checks). */
  callError<N extends RequestName>(name: N, arg?: unknown): Promise<string>;
  readonly phone: {
    tap(scenario: string): Promise<void>;
    remove(): Promise<void>;
    scenarios(): Promise<PhoneScenario[]>;
  };
  /** Completes the first-run wizard through the contract (demo authority) and reloads the page. */
  setUp(args?: Partial<WizardCompleteArgs>): Promise<void>;
  /** Opens a manager session through the contract (the renderer hears onManagerSession). */
  unlockManager(pin?: string): Promise<void>;
  /** What the next "open file" dialog of that kind answers (harness only; undefined = cancel). */
  answerDocument(kind: TextDocumentKind, text: string | undefined): void;
  /**
   * The terminal's time: its injected clock in the harness (fixed under `npm run screenshots`),
   * the system's for the Electron app. Specs compare the terminal's times with this, never
   * with Date.now().
   */
  now(): number;
  /** Receipts printed so far (harness only: the Electron app prints to a real printer). */
  printed(): PrintJob[];
  /**
   * Saves <name>.png in test-results/screenshots/, or in docs/screenshots/ under
   * `npm run screenshots` (electron/ below either for the Electron run; tests/ui/screenshots.ts).
   */
  screenshot(name: string): Promise<void>;
}

interface Fixtures {
  cashierMode: CashierMode;
  /** Complete the first-run wizard (demo mode) before the spec starts. Default true. */
  setUpTerminal: boolean;
  /**
   * Runs on the terminal's data folder before the app starts (e.g. a terminal set up and then
   * damaged). An object: Playwright would take a bare function for a fixture of its own.
   */
  prepareTerminal: { run: (terminalDir: string) => Promise<void> } | undefined;
  cashier: CashierDriver;
}

async function callInPage(page: Page, name: string, arg: unknown): Promise<unknown> {
  return page.evaluate(
    async ([n, a]) => {
      const api = (globalThis as unknown as { cashier: Record<string, (x?: unknown) => Promise<unknown>> }).cashier;
      const fn = api[n];
      if (!fn) throw new Error(`window.cashier.${String(n)} does not exist`);
      return a === undefined ? fn() : fn(a);
    },
    [name, arg] as const,
  );
}

export const test = base.extend<Fixtures>({
  cashierMode: ['harness', { option: true }],
  setUpTerminal: [true, { option: true }],
  prepareTerminal: [undefined, { option: true }],

  cashier: async ({ cashierMode, setUpTerminal, prepareTerminal }, use, testInfo) => {
    if (cashierMode === 'electron') {
      const reason = electronSkipReason();
      testInfo.skip(reason !== undefined, reason);
    }
    let dataDir: string;
    if (DOCUMENTED) {
      dataDir = documentedDataDir(cashierMode, testInfo.titlePath);
      rmSync(dataDir, { recursive: true, force: true });
      mkdirSync(dataDir, { recursive: true });
    } else {
      dataDir = mkdtempSync(path.join(tmpdir(), 'cashier-ui-'));
    }
    const exportDir = path.join(dataDir, 'exports');
    mkdirSync(exportDir, { recursive: true });
    await prepareTerminal?.run(path.join(dataDir, 'terminal'));

    let harness: HarnessApp | undefined;
    let electron: LaunchedElectron | undefined;
    let page: Page;
    if (cashierMode === 'harness') {
      // Documented screens are taken at 1366x768, the commonest counter-PC screen (issue #14).
      const stable = DOCUMENTED
        ? {
            clock: documentedClock,
            random: seededRandom(testInfo.titlePath.join('\n')),
            pageTime: DOCUMENTED_START,
            viewport: { width: 1366, height: 768 },
          }
        : {};
      harness = await startHarnessApp({ dataDir: path.join(dataDir, 'terminal'), headless: true, exportDir, ...stable });
      page = harness.page;
    } else {
      electron = await launchElectron(path.join(dataDir, 'terminal'));
      await answerFolderDialogs(electron.app, exportDir);
      page = electron.page;
    }
    page.on('pageerror', (error) => console.error(`[page error] ${error.message}`));

    const call = ((name: RequestName, arg?: unknown) => callInPage(page, name, arg)) as CashierDriver['call'];
    const driver: CashierDriver = {
      mode: cashierMode,
      page,
      dataDir,
      exportDir,
      call,
      async callError(name, arg) {
        try {
          await callInPage(page, name, arg);
        } catch (error) {
          const message = (error as Error).message;
          return /\[[a-z_]+\][^\n]*/.exec(message)?.[0] ?? message;
        }
        throw new Error(`${name} was expected to be refused`);
      },
      phone: {
        tap: async (scenario) => {
          await call('phoneTap', { scenario });
        },
        remove: async () => {
          await call('phoneRemove');
        },
        scenarios: () => call('phoneScenarios'),
      },
      async setUp(args) {
        await call('completeSetup', { ...DEMO_SETUP, ...args });
        await page.reload();
        await expect(page.getByTestId('checkout')).toBeVisible();
      },
      async unlockManager(pin = MANAGER_PIN) {
        const result = await call('unlockManager', { pin });
        if (!result.ok) throw new Error(`manager unlock refused: ${result.reason}`);
      },
      answerDocument(kind, text) {
        if (!harness) throw new Error('answerDocument works in the harness only');
        harness.platform.documents[kind] = text;
      },
      now: () => harness?.terminal.clock() ?? Date.now(),
      printed: () => harness?.platform.printed ?? [],
      async screenshot(name) {
        const dir = cashierMode === 'electron' ? path.join(SCREENSHOT_DIR, 'electron') : SCREENSHOT_DIR;
        mkdirSync(dir, { recursive: true });
        await page.screenshot({ path: path.join(dir, `${name}.png`), animations: 'disabled' });
      },
    };

    await page.waitForLoadState('domcontentloaded');
    // The preload (or the harness bridge) has exposed the API before any renderer code runs.
    await page.waitForFunction(() => typeof (globalThis as { cashier?: unknown }).cashier === 'object');
    if (setUpTerminal) {
      const state = await call('appState');
      if (!state.setupComplete) await driver.setUp();
    }
    try {
      await use(driver);
    } finally {
      if (testInfo.status !== testInfo.expectedStatus) {
        const shot = testInfo.outputPath('failure.png');
        await page.screenshot({ path: shot }).catch(() => undefined);
        if (harness) writeFileSync(testInfo.outputPath('terminal.log'), harness.logText());
      }
      await harness?.close();
      await electron?.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
});

export { expect };

/** Reads a UTF-8 file (export checks). */
export function readText(file: string): string {
  return readFileSync(file, 'utf8');
}
