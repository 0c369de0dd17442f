// eslint.config.js: ESLint's flat config for nnplay's JavaScript (`npm run lint`). ESLint's
// recommended rules, with the globals of where each file runs: the page and its worker (web/,
// bench/browser/), Node (scripts/, tests/, bench/). Formatting is Prettier's job (.prettierrc).
import js from '@eslint/js';
import globals from 'globals';

export default [
  { ignores: ['build/', 'dist/', 'node_modules/', 'bench/results/'] },
  js.configs.recommended,
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { ecmaVersion: 2024, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      // Unused parameters document a callback's shape; `const { csv, ...rest } = o` omits a field.
      'no-unused-vars': ['error', { args: 'none', caughtErrors: 'none', ignoreRestSiblings: true }],
      // A one-line message that names the field replaces the low-level error on purpose.
      'preserve-caught-error': 'off',
    },
  },
  {
    files: ['web/**/*.{js,mjs}', 'bench/browser/**/*.{js,mjs}'],
    languageOptions: { globals: { ...globals.browser, ...globals.worker, Chart: 'readonly' } },
  },
  {
    // The benchmark worker's libraries arrive by importScripts (classic worker).
    files: ['bench/browser/worker.js'],
    languageOptions: { sourceType: 'script', globals: { tf: 'readonly', convnetjs: 'readonly' } },
  },
  {
    // Functions that Playwright sends into the page (page.evaluate, waitForFunction) use its globals.
    files: ['tests/browser/**/*.mjs', 'bench/*.mjs'],
    languageOptions: {
      globals: { ...globals.browser, nnplayDebug: 'readonly', nnplayEmbed: 'readonly', runJob: 'readonly' },
    },
  },
];
