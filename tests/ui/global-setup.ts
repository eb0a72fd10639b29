// Builds what the UI specs load: the renderer for the Chromium harness (when stale), and the
// whole Electron app when the Electron binary is there to run it.
import { execFileSync } from 'node:child_process';
import { ensureRendererBuilt, REPO_ROOT } from '../harness/build-renderer';
import { electronBinaryPresent } from './electron-app';

export default async function globalSetup(): Promise<void> {
  if (electronBinaryPresent() && !process.env.CASHIER_SKIP_BUILD) {
    console.log('[ui] Electron binary found: npx electron-vite build');
    execFileSync('npx', ['electron-vite', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
  }
  await ensureRendererBuilt({ log: (line) => console.log(`[ui] ${line}`) });
}
