import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [
      'node_modules/**',
      '.next/**',
      'lib/generated/**',
      '.gatehouse/**',
      'test-results/**',
      'playwright-report/**',
      'next-env.d.ts',
    ],
  },
  {
    // Playwright fixtures call `use`, which is not React's hook.
    files: ['e2e/**/*.ts'],
    rules: { 'react-hooks/rules-of-hooks': 'off' },
  },
  {
    // Framework-free modules, shared by the console, the decision API and the job worker (plain Node processes): no
    // Next, no React, no server-only, no console data layer, no process-wide client. They take a database handle
    // (lib/db-client.ts). lib/decision-api/framework-free.test.ts checks the whole import graph of the decision API.
    files: ['lib/provisioning/**/*.ts', 'lib/access/**/*.ts', 'lib/decision-api/**/*.ts'],
    ignores: ['**/*.test.ts', 'lib/decision-api/test-fixtures.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'server-only', message: 'Framework-free modules run outside Next: no server-only.' },
            { name: 'react', message: 'Framework-free modules run outside Next: no React.' },
            { name: '@/lib/db', message: 'Take a database handle (Db / Tx from @/lib/db-client) instead of the console’s global client.' },
          ],
          patterns: [
            { group: ['next', 'next/*', '@next/*'], message: 'Framework-free modules run outside Next.' },
            { group: ['@/lib/data', '@/lib/data/*'], message: 'The console’s data layer is server-only; move what is shared to lib/provisioning or lib/access.' },
            { group: ['@/lib/authz/context', '@/lib/auth0', '@/lib/actions/*'], message: 'Console-only modules (Next request context).' },
          ],
        },
      ],
    },
  },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/ban-ts-comment': ['error', { 'ts-ignore': true, 'ts-expect-error': 'allow-with-description' }],
    },
  },
];

export default config;
