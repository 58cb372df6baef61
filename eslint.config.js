// Type-aware lint for the whole monorepo. Architecture rules live here too: which package may
// import which (DESIGN.md "Dependencies point one way") and where process.env may be read.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const internal = (names) =>
  names.map((name) => ({
    group: [`@marketprep/${name}`, `@marketprep/${name}/*`],
    message: `This package must not depend on @marketprep/${name} (see DESIGN.md, "Dependencies point one way").`,
  }));

const prismaOnlyInDb = {
  name: '@prisma/client',
  message: 'Only packages/db touches Prisma (STYLE.md #5).',
};

/** Import boundaries for one layer: the internal packages it must not import, and no Prisma. */
const layerRules = (files, forbidden) => [
  {
    files: [files],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [prismaOnlyInDb], patterns: internal(forbidden) },
      ],
    },
  },
];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/.next/**',
      '**/next-env.d.ts',
      'packages/db/src/generated/**',
      '.marketprep/**',
      'coverage/**',
      'test-results/**',
      'playwright-report/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: [
            '*.js',
            '*.mjs',
            'apps/web/*.mjs',
            'apps/web/*.js',
            'bench/*.cjs',
            'apps/web/public/*.js',
          ],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'Read the environment only in env.ts (STYLE.md #10); pass config as arguments.',
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { globals: globals.node, sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off', 'no-restricted-syntax': 'off' },
  },
  // Env is read in exactly these places.
  {
    files: [
      'apps/*/src/env.ts',
      'packages/db/src/testing/**',
      'scripts/**',
      'bench/**',
      '**/*.config.{js,mjs,ts}',
      'apps/web/e2e/**',
      'packages/db/src/cli/**',
      '**/*.test.ts',
    ],
    rules: { 'no-restricted-syntax': 'off' },
  },
  ...layerRules('packages/contracts/**', ['db', 'integrations', 'forecast']),
  ...layerRules('packages/forecast/**', ['db', 'integrations', 'contracts']),
  ...layerRules('packages/integrations/**', ['db', 'forecast']),
  ...layerRules('packages/planning/**', ['integrations']),
  ...layerRules('apps/**', []),
);
