/**
 * The layering of the code, checked by `npm run lint` (dependency-cruiser):
 *
 *   connectors (the SDK, each vendor, the sandbox)       imports nothing of src/
 *   src/engine, src/sync-definition                      the sync algorithm: no feature, no Nest
 *   src/persistence, src/database                        imports no feature above it
 *   features (runs, scheduling, syncs, connections, …)   may use all of the above
 *   app shell (app.module.ts, app.ts, main.ts, cli)      on top
 *
 * with no import cycle between folders, nor between files at run time (a cycle of type-only
 * imports is erased when compiled). src/layering.spec.ts shows each rule failing on a violation.
 */
const SPEC = '\\.(spec|e2e-spec|test-kit)\\.ts$';
const FEATURES =
  '^src/(alerts|api|audit|auth|cli|conflicts|connections|console|failed-records|health|instance|metrics|runs|sandbox|scheduling|sync-config|syncs|webhooks)/';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import cycle between files that survives compilation.',
      severity: 'error',
      from: { pathNot: SPEC },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'connectors-below-src',
      comment: 'Connectors are built on connectors/sdk alone; Syncline uses them, not the reverse.',
      severity: 'error',
      from: { path: '^connectors/', pathNot: SPEC },
      to: { path: '^src/' },
    },
    {
      name: 'engine-below-features',
      comment: 'The engine knows the definition and its ports, nothing of the features or Nest.',
      severity: 'error',
      from: { path: '^src/(engine|sync-definition)/', pathNot: SPEC },
      to: { path: FEATURES },
    },
    {
      name: 'persistence-below-features',
      comment: 'The persistence layer imports nothing above it.',
      severity: 'error',
      from: { path: '^src/(persistence|database)/', pathNot: SPEC },
      to: { path: FEATURES },
    },
    {
      name: 'no-folder-cycle',
      comment: 'Folders that import each other: one of them belongs in the other, or below both.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^(src|connectors)/', pathNot: SPEC },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '(^|/)(dist|console|node_modules|test)/|\\.(spec|e2e-spec)\\.ts$' },
  },
};
