// Builds the settlement desk's page (src-settlement/desk) with Vite into out/desk, which
// `npm run settlement -- serve` serves under /desk/. Same toolchain as the cashier's renderer.
import { existsSync } from 'node:fs';
import path from 'node:path';
import react from '@vitejs/plugin-react';
import { build } from 'vite';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..');
export const DESK_SOURCE = path.join(REPO_ROOT, 'src-settlement', 'desk');
export const DESK_OUT = path.join(REPO_ROOT, 'out', 'desk');

export async function buildDesk(): Promise<string> {
  await build({
    configFile: false,
    root: DESK_SOURCE,
    base: '/desk/',
    plugins: [react()],
    logLevel: 'warn',
    mode: 'production',
    build: { outDir: DESK_OUT, emptyOutDir: true, modulePreload: { polyfill: false }, minify: true, sourcemap: false },
  });
  if (!existsSync(path.join(DESK_OUT, 'index.html'))) throw new Error(`the desk build did not produce ${DESK_OUT}/index.html`);
  return DESK_OUT;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  buildDesk().then(
    (out) => console.log(`desk page built into ${out}`),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
