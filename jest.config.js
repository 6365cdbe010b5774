/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // tsconfig's isolatedModules makes ts-jest transpile only (fast); `npm run typecheck` type-checks.
  transform: { '^.+\\.ts$': 'ts-jest' },
};
