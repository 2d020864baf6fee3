// House rules, and the map of who may import what (STYLE.md 1): the runtime is visible in the path.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const nodeBuiltins = [
  'node:*',
  'fs',
  'path',
  'os',
  'crypto',
  'child_process',
  'net',
  'http',
  'https',
  'worker_threads',
  'stream',
  'url',
  'util',
];

const noElectron = { regex: '^electron(/.*)?$', message: 'Only src/main/electron/** and src/preload/** may import electron.' };
const noNativeOrMain = [
  { group: nodeBuiltins, message: 'The renderer runs in a browser sandbox: no Node built-ins. Ask main through window.pos.' },
  {
    group: ['better-sqlite3', 'serialport', 'node-hid', 'ws'],
    message: 'The renderer may not use native or server modules. Ask main through window.pos.',
  },
  { group: ['**/main/**', '**/drivers/**', '**/preload/**'], message: 'The renderer imports only src/shared and its own code.' },
  noElectron,
];

export default tseslint.config(
  {
    ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'tests/fixtures/**', 'bench/.data/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { patterns: [noElectron] }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['src/main/electron/**', 'src/preload/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['src/preload/web-preload.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: noNativeOrMain.filter((p) => p !== noElectron && !p.group.includes('**/preload/**')).concat(noElectron) },
      ],
    },
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', { patterns: noNativeOrMain }],
    },
  },
  {
    files: ['src/shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(?!zod$|\\./)', message: 'src/shared is the runtime-free contract: it imports zod and itself only.' }] },
      ],
    },
  },
  {
    files: ['cloud/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            noElectron,
            {
              regex: '/src/(?!shared/)',
              message: 'cloud/ deploys on its own: of src/ it imports only the runtime-free contract in src/shared.',
            },
            { group: ['**/drivers/**'], message: 'cloud/ deploys on its own: never imports drivers/.' },
          ],
        },
      ],
    },
  },
  {
    // The head office console runs in the merchant's browser: no Node, no server modules; of the
    // cloud it imports only the console contract (cloud/hq/contract.ts), of src/ only src/shared.
    files: ['cloud/console/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            noElectron,
            { group: nodeBuiltins, message: 'The console runs in a browser: no Node built-ins. Ask the cloud through its /hq/api.' },
            { group: ['pg', 'fastify', 'better-sqlite3', 'ws'], message: 'The console runs in a browser: no server modules.' },
            { regex: '/src/(?!shared/)', message: 'The console imports only src/shared of src/.' },
            {
              group: ['**/domain/**', '**/db/**', '**/routes/**', '**/admin/**'],
              message: 'Of the cloud, the console imports only cloud/hq/contract.',
            },
            { regex: '(^|/)hq/(?!contract$)', message: 'Of the cloud, the console imports only cloud/hq/contract.' },
            { regex: '^(\\.\\./)+(app|server|admin|errors)$', message: 'Of the cloud, the console imports only cloud/hq/contract.' },
          ],
        },
      ],
    },
  },
  {
    files: ['drivers/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            noElectron,
            { group: ['**/src/**'], message: 'drivers/ never imports src/: it is hardware code with no register knowledge.' },
          ],
        },
      ],
    },
  },
);
