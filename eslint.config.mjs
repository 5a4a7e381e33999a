// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinModules } from 'node:module';

// Workflow code runs in Temporal's deterministic sandbox: only these Node modules are allowed there.
const sandboxSafeBuiltins = new Set(['assert', 'url', 'util']);
const forbiddenInWorkflows = builtinModules.filter((name) => !sandboxSafeBuiltins.has(name));

export default tseslint.config(
  { ignores: ['node_modules/', '.tools/', '.gongflow/', 'dist/', 'coverage/'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', '*.mjs', 'bin/*.cjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    rules: { ...tseslint.configs.disableTypeChecked.rules, '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The determinism boundary: workflows/ may import only pure code, and activities by type only.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...forbiddenInWorkflows.map((name) => ({
              name,
              message: 'Node built-ins are not allowed in workflow code (Temporal sandbox).',
            })),
            ...forbiddenInWorkflows.map((name) => ({
              name: `node:${name}`,
              message: 'Node built-ins are not allowed in workflow code (Temporal sandbox).',
            })),
            {
              name: '@temporalio/client',
              message: 'Workflows must not use the Temporal client; use @temporalio/workflow.',
            },
            { name: '@temporalio/worker', message: 'Workflows must not import the worker.' },
            { name: '@temporalio/activity', message: 'Workflows must not import activity code.' },
            { name: 'ky', message: 'No I/O in workflows: call an activity.' },
          ],
          patterns: [
            {
              // Folders outside workflows/ that do I/O (a relative import that climbs out of workflows/);
              // their pure modules (data models, ids) are listed as exceptions.
              regex:
                '^(\\.\\./)+(?!connections/model$|triggers/(kinds|ids|event)$)(activities|workers|api|cli|emulator|temporal|config|triggers|runs|connections|gong/client|gong/budget/temporal-budget)(/|$)',
              allowTypeImports: true,
              message: 'Workflow code may import I/O modules by type only (import type ...).',
            },
          ],
        },
      ],
    },
  },
);
