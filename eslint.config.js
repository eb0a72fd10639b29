import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const NO_ELECTRON_OR_REACT = [
  { name: 'electron', message: 'Only src-main/electron/ may import Electron.' },
  { name: 'react', message: 'React belongs to the renderer.' },
  { name: 'react-dom', message: 'React belongs to the renderer.' },
];

/** The core folders and what each may import (the rest of src-main is above them). */
const LAYERS = {
  domain: [],
  fs: ['domain'],
  protocol: ['domain'],
  transport: ['domain'],
  reader: ['domain', 'transport'],
  verification: ['domain', 'protocol'],
  ledger: ['domain', 'fs'],
  export: ['domain', 'fs', 'protocol', 'verification', 'ledger'],
};
const CORE = Object.keys(LAYERS);

const NODE_BUILTINS = [
  'fs',
  'path',
  'os',
  'crypto',
  'child_process',
  'worker_threads',
  'net',
  'http',
  'https',
  'stream',
  'url',
  'util',
  'buffer',
  'events',
  'process',
  'zlib',
];

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist/', 'test-results/', 'playwright-report/', 'docs/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // Type-aware rules: a promise nobody awaits or handles, a promise where a callback is expected,
  // `any` leaking from JSON or untyped libraries into typed code.
  ...tseslint.configs.recommendedTypeChecked.map((config) => ({ ...config, files: ['**/*.{ts,tsx}'] })),
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    // Async methods that implement a promise-returning interface need no await of their own.
    rules: { '@typescript-eslint/require-await': 'off' },
  },
  {
    // Tests match against expect.stringMatching() and friends (typed `any` by Vitest) and read
    // back JSON they wrote themselves; the product code keeps the no-unsafe rules.
    files: ['tests/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    // The payment core, reader layer and ledger run under plain Node: no Electron.
    files: ['src-main/**/*.ts'],
    ignores: ['src-main/electron/**', ...CORE.map((folder) => `src-main/${folder}/**`)],
    rules: { 'no-restricted-imports': ['error', { paths: NO_ELECTRON_OR_REACT }] },
  },
  // Each core folder imports only the folders below it (docs/architecture.md "Enforced layers").
  ...CORE.map((folder) => ({
    files: [`src-main/${folder}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: NO_ELECTRON_OR_REACT,
          patterns: [
            {
              regex: `^\\.\\./(?!(?:${LAYERS[folder].join('|')})(?:/|$))`,
              message: `src-main/${folder}/ may import only ${LAYERS[folder].join(', ') || 'nothing else in src-main'} (docs/architecture.md).`,
            },
          ],
        },
      ],
    },
  })),
  {
    // The renderer runs in a sandboxed page: no Node, no Electron; from main only the pure modules.
    files: ['src-renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer reaches main only through window.cashier.' }],
          patterns: [
            { regex: '^node:', message: 'The renderer cannot use Node.' },
            { regex: `^(?:${NODE_BUILTINS.join('|')})(?:/|$)`, message: 'The renderer cannot use Node.' },
            {
              regex: '/src-main/(?!domain/|ipc/constants$|ipc/wire-error$|ipc/contract$|export/verify-problems$)',
              message: 'The renderer imports from src-main only domain/, ipc/constants, ipc/wire-error and the contract (type-only).',
            },
          ],
        },
      ],
      // The contract's schemas are zod, which stays in main and the preload: its types only.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '/src-main/ipc/contract$',
              allowTypeImports: true,
              message: 'The renderer imports the contract type-only; constants come from ipc/constants (no zod).',
            },
          ],
        },
      ],
    },
  },
  {
    // The contract is compiled into the renderer and the preload too: no Node, no Electron, no React.
    files: ['src-main/ipc/{contract,constants,wire-error,schemas,requests,access,failure,api}.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: NO_ELECTRON_OR_REACT,
          patterns: [
            { regex: '^node:', message: 'The IPC contract runs in the renderer and the preload too: no Node.' },
            {
              regex: `^(?:${NODE_BUILTINS.join('|')})(?:/|$)`,
              message: 'The IPC contract runs in the renderer and the preload too: no Node.',
            },
            {
              regex: '^\\.\\./(?!domain/|export/verify-problems$)',
              message: 'The IPC contract imports from src-main only domain/ and export/verify-problems.',
            },
          ],
        },
      ],
    },
  },
  {
    // What the renderer imports as values, and the rules and types beside them: no zod.
    files: ['src-main/ipc/{constants,wire-error,access,api}.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...NO_ELECTRON_OR_REACT,
            { name: 'zod', message: 'The renderer imports this module: no zod (schemas live in ipc/schemas.ts).' },
          ],
          patterns: [
            { regex: '^node:', message: 'The IPC contract runs in the renderer and the preload too: no Node.' },
            {
              regex: '^\\.(?:\\.)?/(?!constants$|requests$|domain/)',
              message: 'Constants, wire format, access rule and API types import only constants and types.',
            },
          ],
        },
      ],
    },
  },
  {
    // Settlement reuses the Electron-free core, never the terminal app, its IPC or Electron.
    files: ['src-settlement/**/*.{ts,tsx}'],
    ignores: ['src-settlement/desk/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: NO_ELECTRON_OR_REACT,
          patterns: [{ regex: '/src-main/(?:ipc|app|electron)/', message: 'Settlement may not import src-main/ipc, app or electron.' }],
        },
      ],
    },
  },
  {
    files: ['src-settlement/desk/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The desk page is a web page.' }],
          patterns: [
            { regex: '^node:', message: 'The desk page cannot use Node.' },
            { regex: '/src-main/(?:ipc|app|electron)/', message: 'Settlement may not import src-main/ipc, app or electron.' },
          ],
        },
      ],
    },
  },
);
