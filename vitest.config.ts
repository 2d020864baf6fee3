import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/node/**/*.test.ts'],
    environment: 'node',
    // Real SQLite files, real sockets, real scrypt: generous, but never a time budget (see bench/).
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
