// One build for the three Electron targets. Output names are part of the contract with
// src-main/electron/window.ts: out/main/index.js (ESM, package.json "type": "module"),
// out/preload/index.cjs (sandboxed preloads must be CommonJS and self-contained), and
// out/renderer/index.html served from app://cashier/.
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

const root = import.meta.dirname;

// Pure-JavaScript dependencies are bundled into main; only the native modules stay in
// node_modules (unpacked from the asar by electron-builder, rebuilt for Electron's ABI).
const NATIVE_MODULES = ['better-sqlite3', 'nfc-pcsc', '@pokusew/pcsclite'];

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      externalizeDeps: { exclude: ['zod', 'cborg', '@noble/curves', '@noble/hashes'], include: NATIVE_MODULES },
      // The export's worker threads start ./<name>.js next to main (src-main/export/worker-thread.ts).
      lib: {
        entry: {
          index: resolve(root, 'src-main/electron/index.ts'),
          'verify-worker': resolve(root, 'src-main/export/verify-worker.ts'),
          'day-part-worker': resolve(root, 'src-main/export/day-part-worker.ts'),
        },
        formats: ['es'],
        fileName: (_format, entryName) => `${entryName}.js`,
      },
      sourcemap: true,
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      // A sandboxed preload can require only 'electron' and a few built-ins: bundle zod and the contract into it.
      externalizeDeps: false,
      lib: { entry: resolve(root, 'src-preload/index.ts'), formats: ['cjs'], fileName: () => 'index.cjs' },
      sourcemap: true,
    },
  },
  renderer: {
    root: resolve(root, 'src-renderer'),
    base: './',
    plugins: [react()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      emptyOutDir: true,
      rolldownOptions: { input: resolve(root, 'src-renderer/index.html') },
      // The CSP forbids eval: keep the production bundle free of it (no inline module preload polyfill either).
      modulePreload: { polyfill: false },
      // electron-vite leaves bundles unminified by default; the renderer is what the cashier
      // waits for at start-up, so it ships minified (about a third smaller gzipped).
      minify: true,
      sourcemap: true,
    },
  },
});
