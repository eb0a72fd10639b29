// Builds the renderer alone (out/renderer) for the Chromium harness when it is missing or older
// than its sources, with the renderer section of electron.vite.config.ts through Vite's own API:
// the same bundle Electron loads, without needing main or preload to build.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
export const RENDERER_OUT = path.join(REPO_ROOT, 'out', 'renderer');

const SOURCES = ['src-renderer', 'resources', 'src-main/ipc/contract.ts', 'src-main/domain', 'electron.vite.config.ts'];

function newestMtime(target: string): number {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

export function rendererIsFresh(outDir = RENDERER_OUT): boolean {
  const index = path.join(outDir, 'index.html');
  if (!existsSync(index)) return false;
  const built = statSync(index).mtimeMs;
  return SOURCES.every((s) => newestMtime(path.join(REPO_ROOT, s)) <= built);
}

/** Builds out/renderer unless it is up to date (or `force`). Returns the output folder. */
export async function ensureRendererBuilt(options: { force?: boolean; log?: (line: string) => void } = {}): Promise<string> {
  if (!options.force && rendererIsFresh()) return RENDERER_OUT;
  options.log?.('building the renderer (vite, renderer section of electron.vite.config.ts) ...');
  const { build } = await import('vite');
  const configModule = (await import(path.join(REPO_ROOT, 'electron.vite.config.ts'))) as {
    default: { renderer?: Record<string, unknown> };
  };
  const renderer = configModule.default.renderer;
  if (!renderer) throw new Error('electron.vite.config.ts has no renderer section');
  await build({ ...renderer, configFile: false, logLevel: 'warn', mode: 'production' });
  if (!existsSync(path.join(RENDERER_OUT, 'index.html'))) throw new Error(`the renderer build did not produce ${RENDERER_OUT}/index.html`);
  return RENDERER_OUT;
}
