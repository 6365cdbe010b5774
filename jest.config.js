const { file: precompiledValidators } = require('./test/setup/precompiled-validators');
const { PATCHED_FILES } = require('./scripts/bundle-patches');

/** The files the CLI's bundle patches (scripts/bundle-patches.js), as one expression. */
const PATCHED = PATCHED_FILES.map(({ filter }) => filter.source).join('|');
/** Holds the bundle's renders to those of the unpatched dependencies, so it runs without the patches. */
const BUNDLE_TEST = '<rootDir>/test/cli/bundle.test.ts';

/** What every test file runs with. */
const project = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  // The config validators are compiled once per run, not once per test file (the same standalone
  // code the CLI bundles); test/config/precompiled-validators.test.ts holds them equal to
  // compileValidators(). The two specifiers are lib/config/schema-check.ts's and the tests'.
  moduleNameMapper: { '^(\\./validators|(\\.\\./)+lib/config/validators)$': precompiledValidators },
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      ...project,
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', BUNDLE_TEST],
      // The sources through ts-jest (tsconfig's isolatedModules: transpile only; `npm run typecheck`
      // type-checks), and the sources and dependencies the bundle patches patched as it does
      // (test/setup/patched-dependencies.js): the tests run the code users run.
      transform: { [`^.+\\.ts$|${PATCHED}`]: '<rootDir>/test/setup/patched-dependencies.js' },
      transformIgnorePatterns: [`^(?!.*(?:${PATCHED})).*[\\\\/]node_modules[\\\\/]`],
    },
    { ...project, testMatch: [BUNDLE_TEST], transform: { '^.+\\.ts$': 'ts-jest' } },
  ],
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
  // test/setup/global-setup.js also puts the tests' scratch folders on a RAM file system where
  // there is one (test/setup/scratch.js).
  globalSetup: '<rootDir>/test/setup/global-setup.js',
  globalTeardown: '<rootDir>/test/setup/global-teardown.js',
};
