import path from 'node:path';
import { defineConfig } from 'vitest/config';

const alias = {
  '@': path.resolve(__dirname),
  // `server-only` throws outside React Server Components; in tests the data layer runs in plain Node.
  'server-only': path.resolve(__dirname, 'tests/server-only-stub.ts'),
};

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['lib/**/*.test.ts', 'prisma/**/*.test.ts', 'components/**/*.test.ts', 'integrations/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', 'node_modules/**'],
          environment: 'node',
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          include: ['**/*.int.test.ts'],
          exclude: ['node_modules/**', 'e2e/**'],
          environment: 'node',
          globalSetup: ['tests/integration-setup.ts'],
          setupFiles: ['tests/integration-env.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
