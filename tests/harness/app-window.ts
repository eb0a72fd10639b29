// `npm start` without the Electron binary: the cashier in Debian's Chromium as an app window
// (--app=URL: no tabs, no address bar), maximised, full screen in kiosk mode, with the
// sandbox on. Chromium refuses its sandbox as root; only then it runs with --no-sandbox (and
// shows a warning bar), and says why in the terminal.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { chromiumPath } from './chromium';

/** Chromium flags of the app window (apart from --no-sandbox, which depends on the user). */
export function appWindowArgs(url: string, options: { kiosk: boolean }): string[] {
  return [
    `--app=${url}`,
    '--start-maximized',
    ...(options.kiosk ? ['--kiosk'] : []),
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-sync',
    '--disable-features=Translate',
  ];
}

export interface AppWindow {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

export async function launchAppWindow(options: {
  url: string;
  kiosk: boolean;
  profileDir: string;
  log: (line: string) => void;
}): Promise<AppWindow> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error("Chromium not found: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH");
  const root = process.getuid?.() === 0;
  if (root) {
    options.log(
      'running as root: Chromium cannot use its sandbox for root, so it starts with --no-sandbox and shows a warning bar about it. Run `npm start` as a normal user to have neither.',
    );
  }
  mkdirSync(options.profileDir, { recursive: true });
  const context = await chromium.launchPersistentContext(options.profileDir, {
    executablePath,
    headless: false,
    viewport: null,
    chromiumSandbox: !root,
    args: appWindowArgs(options.url, { kiosk: options.kiosk }),
    // No "controlled by automated software" bar, and no blank tab beside the app window.
    ignoreDefaultArgs: ['--enable-automation', 'about:blank'],
  });
  const page = context.pages().find((p) => p.url().startsWith(options.url)) ?? (await context.waitForEvent('page'));
  return {
    context,
    page,
    close: () => context.close().catch(() => undefined),
  };
}

/** The profile of the app window, kept between runs (window placement) beside the data folder. */
export function appWindowProfile(dataDir: string): string {
  return path.join(dataDir, 'chromium-profile');
}
