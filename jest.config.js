// Two projects: unit tests sit beside the code; end-to-end tests in test/ boot the real app.
// PGlite loads its WASM with a dynamic import(), which Jest's VM only allows with
// --experimental-vm-modules: the npm scripts set it.
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] };
const common = {
  testEnvironment: 'node',
  // Nest and Swagger keep metadata on globals between files; Jest's clean-up only warns about it.
  testEnvironmentOptions: { globalsCleanup: 'off' },
  transform,
  moduleFileExtensions: ['ts', 'js', 'json'],
};

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 120000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      // test/sync: the engine with real connectors and emulators (no app, no HTTP to Syncline).
      roots: [
        '<rootDir>/src',
        '<rootDir>/connectors',
        '<rootDir>/test/sync',
        '<rootDir>/test/connections',
      ],
      testMatch: ['**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.e2e-spec.ts'],
    },
  ],
};
