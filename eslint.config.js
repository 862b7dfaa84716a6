// ESLint runs only what Biome cannot check: regular expressions that backtrack super-linearly, and
// zod's named `z` import, which bundles its locales into every Lambda (~320 KiB, ADR 111).
// Biome (biome.json) formats and lints everything else.
import regexp from 'eslint-plugin-regexp';
import tseslint from 'typescript-eslint';

export default [
  {
    ignores: [
      'node_modules/**',
      'cdk.out/**',
      'web/dist/**',
      'web/src/api/generated/**',
      'dist/**',
      '.data/**',
      'coverage/**',
    ],
  },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js'],
    languageOptions: { parser: tseslint.parser, ecmaVersion: 'latest', sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { regexp },
    rules: {
      'regexp/no-super-linear-backtracking': 'error',
    },
  },
  {
    files: ['shared/**/*.ts', 'functions/**/*.ts', 'infra/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[source.value='zod'] > ImportSpecifier[imported.name='z']",
          message: "import * as z from 'zod': the named import bundles zod's locales (ADR 111).",
        },
      ],
    },
  },
];
