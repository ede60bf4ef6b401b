/** The sync engine's public surface. */
export * from './definition';
export * from './ports';
export {
  runSync,
  runOneWaySync,
  DEFAULT_PAGE_SIZE,
  type RunSyncOptions,
  type RunOneWaySyncOptions,
  type SyncRunResult,
} from './run-sync';
export type { RunProgress } from './context';
export {
  previewSync,
  type PreviewOptions,
  type SyncPreview,
  type PlannedCreate,
  type PlannedUpdate,
  type PlannedConflict,
  type PlannedSkip,
  type FieldDiff,
} from './preview';
export { checkExpressionBounds, validateSyncDefinition, type ValidationProblem } from './validate';
export { setExpressionBounds } from './expressions';
