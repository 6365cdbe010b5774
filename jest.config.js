/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // isolatedModules: transpile only; `npm run typecheck` (tsc --noEmit) type-checks separately.
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true }] },
};
