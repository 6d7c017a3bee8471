// Lint for every process. Type-aware rules are kept to the ones that catch real bugs (floating
// promises in main-process code loses errors silently).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import todoke from './eslint-rules/boundaries.js';

// Who may import what (ARCHITECTURE.md "Boundaries are checked by lint"). One rule reads the whole
// table and applies every zone that holds a file, so no entry can quietly override another.
const boundaryZones = [
  {
    target: 'src/renderer',
    message: 'The renderer is a sandboxed web page: it imports src/shared and browser packages, nothing from src/main, src/sandbox, src/preload or Node.',
    onlyWithin: ['src/renderer', 'src/shared'],
    builtins: true,
  },
  {
    target: 'src/shared',
    message: 'src/shared runs in every process (the renderer too): it imports nothing outside itself — no src/main, no Node built-ins, no packages.',
    onlyWithin: ['src/shared'],
    builtins: true,
    packages: true,
  },
  {
    target: 'src/sandbox',
    message: 'The sandbox stands in for e-Gov on its own: from src/main it takes only the small utilities and the signature verifier listed here, never the client code that writes a request or reads a response.',
    folders: ['src/main'],
    allow: [
      'src/main/profiles/home', // todokeHome(): where state lives
      'src/main/store/sqlite', // the SQLite typing and migration runner the app's store uses too
      'src/main/signing/errors', // SigningError
      'src/main/signing/certificate', // parseCertificates()
      'src/main/signing/xml/safe-xml', // parseXmlSafely()
      'src/main/signing/xml/verify', // verifySignedXml(): the XML-DSig verifier
      'src/main/signing/xml/chain', // judgeChain(): trust-anchor path check
      'src/main/signing/xml/c14n', // canonicalize(): the verifier's C14N, to sign the sandbox's 公文書
      'src/main/application/zip-writer', // ZipWriter: e-Gov's ZIP shape (CP932 names, data descriptors) for notice ZIPs
    ],
  },
  {
    // The core is Electron-free (ARCHITECTURE.md "The one idea").
    target: 'src',
    except: ['src/main/electron', 'src/preload'],
    message: 'Only src/main/electron and src/preload import electron.',
    packages: ['electron'],
  },
];

export default tseslint.config(
  { ignores: ['node_modules/', 'build/', 'dist/', 'release/', '.tmp/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      // node:test's describe/it return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }] },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    // The renderer has its own TypeScript project (no Node types); the root tsconfig.json leaves it out.
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { parserOptions: { projectService: false, project: './tsconfig.renderer.json', tsconfigRootDir: import.meta.dirname } },
  },
  {
    // Configured once, for every source file: see boundaryZones.
    files: ['src/**/*.{ts,tsx,js,mjs}'],
    plugins: { todoke },
    rules: { 'todoke/boundaries': ['error', { zones: boundaryZones }] },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { ...globals.node } },
  },
);
