const { file: precompiledValidators } = require('./test/setup/precompiled-validators');

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // tsconfig's isolatedModules makes ts-jest transpile only (fast); `npm run typecheck` type-checks.
  transform: { '^.+\\.ts$': 'ts-jest' },
  // jest's default is one worker less than the CPUs: on two CPUs, a single worker.
  maxWorkers: '100%',
  // `npm test` starts jest with --max-semi-space-size=64 (package.json), which its workers inherit:
  // renders allocate many short-lived objects, and V8's default young generation (16 MiB semi-spaces)
  // is scavenged, and promotes, that much more often; about 3-6 % less CPU over the suite.
  // It also passes --max-opt=2: no optimizing tier above Maglev (which Node 20 leaves off, so its
  // baseline compiler is the top). A test file runs most code a few times, in a module registry
  // of its own: TurboFan's compiles, on the core the other worker needs, seldom pay back; about
  // 10 % less CPU and wall time over the suite (84 -> 75 s of CPU, 50 -> 45 s; three runs each).
  // The CLI that tests spawn runs as users run it, with every tier.
  // The config validators are compiled once per run, not once per test file (the same standalone
  // code the CLI bundles); test/config/precompiled-validators.test.ts holds them equal to
  // compileValidators(). The two specifiers are lib/config/schema-check.ts's and the tests'.
  // test/setup/global-setup.js also puts the tests' scratch folders on a RAM file system where
  // there is one (test/setup/scratch.js).
  globalSetup: '<rootDir>/test/setup/global-setup.js',
  globalTeardown: '<rootDir>/test/setup/global-teardown.js',
  moduleNameMapper: { '^(\\./validators|(\\.\\./)+lib/config/validators)$': precompiledValidators },
};
