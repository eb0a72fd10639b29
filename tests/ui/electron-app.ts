// The 'electron' way of running the UI specs: the built app (out/main/index.js) through
// Playwright's _electron, with a fresh data folder and the simulated phone. Never requires
// 'electron' itself: only the binary's presence is checked, and main-process patches (native
// dialogs) run inside the app through electronApp.evaluate.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { _electron, type ElectronApplication, type Page } from '@playwright/test';
import { REPO_ROOT } from '../harness/build-renderer';

export const ELECTRON_DIST = path.join(REPO_ROOT, 'node_modules', 'electron', 'dist');
export const ELECTRON_MAIN = path.join(REPO_ROOT, 'out', 'main', 'index.js');

export function electronBinaryPresent(): boolean {
  return existsSync(ELECTRON_DIST);
}

/**
 * The Electron executable, found the way the electron package's index.js does (path.txt names
 * it inside dist/), without requiring 'electron' in the test process.
 */
export function electronExecutable(): string {
  const pathFile = path.join(REPO_ROOT, 'node_modules', 'electron', 'path.txt');
  const relative = existsSync(pathFile)
    ? readFileSync(pathFile, 'utf8').trim()
    : process.platform === 'win32'
      ? 'electron.exe'
      : 'electron';
  return path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH ?? ELECTRON_DIST, relative);
}

/** Why the electron project cannot run here, or undefined when it can. */
export function electronSkipReason(): string | undefined {
  if (!electronBinaryPresent()) {
    return `Electron binary absent (${path.relative(REPO_ROOT, ELECTRON_DIST)} missing: installed with ELECTRON_SKIP_BINARY_DOWNLOAD); these specs run in the chromium-harness project`;
  }
  if (!existsSync(electronExecutable())) return `Electron executable ${electronExecutable()} missing`;
  if (!existsSync(ELECTRON_MAIN)) return `${path.relative(REPO_ROOT, ELECTRON_MAIN)} missing: run npx electron-vite build`;
  return undefined;
}

export interface LaunchedElectron {
  app: ElectronApplication;
  page: Page;
  close(): Promise<void>;
}

export async function launchElectron(dataDir: string): Promise<LaunchedElectron> {
  const app = await _electron.launch({
    executablePath: electronExecutable(),
    args: [ELECTRON_MAIN, '--no-sandbox'],
    cwd: REPO_ROOT,
    env: {
      ...(process.env as Record<string, string>),
      CASHIER_DATA_DIR: dataDir,
      CASHIER_READER: 'stub',
      CASHIER_TEST: '1',
    },
  });
  const page = await app.firstWindow();
  return {
    app,
    page,
    async close() {
      await app.close().catch(() => undefined);
    },
  };
}

/** Makes the app's next folder dialogs answer `folder` (the export folder). */
export async function answerFolderDialogs(app: ElectronApplication, folder: string): Promise<void> {
  await app.evaluate(({ dialog }, chosen) => {
    dialog.showOpenDialog = async () => ({ canceled: false, filePaths: [chosen] });
  }, folder);
}
