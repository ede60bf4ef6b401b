/**
 * One run of a sync (DESIGN.md steps 2 to 10): apply resolved conflicts, retry due failed records,
 * read each source side's changes page by page from its cursor, apply reported deletes, finish
 * with counters and a status.
 */
import { type AnyConnector, type Clock, type RecordConnector } from '../../connectors/sdk/contract';
import { ConnectorError, type ErrorCode } from '../../connectors/sdk/errors';
import { systemClock } from '../../connectors/sdk/clock';
import { type AnySyncDefinition, asRecordsSync, kindOf } from './definition';
import { oneWayProblems } from './one-way';
import { eventsContext, executeEvents } from './run-events';
import { audienceContext } from './audience-changes';
import { executeAudience } from './run-audience';
import { compileSync, optOutLookup } from './compile';
import { type RunContext, type RunProgress, takeApiCalls, throwIfCancelled } from './context';
import { emptyCursor } from './cursor';
import { readDeletes } from './deletes';
import { applyResolvedConflicts } from './conflicts';
import { reconcileIntents } from './reconcile';
import {
  type RunCounters,
  type RunStatus,
  type RunTrigger,
  type SyncStore,
  emptyCounters,
} from './ports';
import { retryFailedRecords } from './retry';
import { type ValidationProblem, validateSyncDefinition } from './validate';
import { CancelledError } from './write';
import { readChanges, reconcileSide, saveCursor } from './read-side';

export const DEFAULT_PAGE_SIZE = 500;

export interface RunSyncOptions {
  definition: AnySyncDefinition;
  left: RecordConnector;
  right: RecordConnector;
  store: SyncStore;
  trigger: RunTrigger;
  clock?: Clock;
  signal?: AbortSignal;
  onProgress?: (progress: RunProgress) => void;
  pageSize?: number;
  /** A run the caller already started with store.startRun; otherwise runSync starts one. */
  runId?: string;
  /** Counters the run already has (a run resumed by another worker); zero when absent. */
  counters?: RunCounters;
  /**
   * Whether to retry due failed records before reading changes (default true). Off while a
   * connection is past its API budget threshold: retries pause, changes still sync.
   */
  retryFailedRecords?: boolean;
  /** Retry the due failed records only, by id: no deletes nor changes are read. */
  retryOnly?: boolean;
  /**
   * A full reconciliation: every source side read whole (not since its cursor), and a linked
   * record that read does not find is taken as deleted there, under the delete policy. What a
   * sync needs after deletes were lost (a vendor's recycle bin emptied while it was paused).
   */
  fullRefresh?: boolean;
}

export interface SyncRunResult {
  runId: string;
  syncId: string;
  status: Exclude<RunStatus, 'queued' | 'running'>;
  counters: RunCounters;
  startedAt: string;
  finishedAt: string;
  error: string | null;
  /** The code of the error that stopped a failed run (`budget_exhausted`…), when it had one. */
  errorCode?: ErrorCode | null;
  /**
   * When the vendor said a stopped run may go on (its daily budget resets then); the next run
   * resumes from the checkpoint this one committed.
   */
  resumeAt?: string | null;
  /** Why the definition was refused (status `failed`, nothing read or written). */
  problems: ValidationProblem[];
  /** What the run could not do and a person should know (deletes a vendor no longer holds). */
  warnings?: string[];
}

function describe(error: unknown): string {
  if (error instanceof ConnectorError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/** How a run ended: its status, and what stopped it when it failed. */
interface Outcome {
  status: SyncRunResult['status'];
  error: string | null;
  errorCode: ErrorCode | null;
  resumeAt: string | null;
}

async function execute(
  context: RunContext,
  options: { fullRefresh?: boolean } = {},
): Promise<void> {
  const { sync, store } = context;
  // Writes of a page that never committed first: they must not look like edits to anything after.
  await reconcileIntents(context);
  await applyResolvedConflicts(context);
  if (context.retryFailed) await retryFailedRecords(context);
  if (context.retryOnly) return;
  // Reported deletes first, on every side: a link to a record deleted on the other side must be
  // gone before changes are matched, or a re-created record would look ambiguous.
  for (const side of sync.sourceSides) {
    throwIfCancelled(context.signal);
    const cursor = (await store.getCursor(sync.definition.id, side)) ?? emptyCursor();
    const after = await readDeletes(context, side, cursor);
    if (after !== cursor) await saveCursor(context, side, after);
  }
  if (options.fullRefresh === true) {
    // The full reads stand for the deletes a vendor no longer reports: no warning of lost ones.
    context.warnings.length = 0;
    for (const side of sync.sourceSides) {
      throwIfCancelled(context.signal);
      await reconcileSide(context, side);
    }
    return;
  }
  for (const side of sync.sourceSides) {
    throwIfCancelled(context.signal);
    await saveCursor(context, side, await readChanges(context, side));
  }
}

/** A run begun: its id, and how it ends (recorded in the store, returned as the result). */
interface BegunRun {
  runId: string;
  finish(
    ended: Outcome,
    counters: RunCounters,
    problems?: ValidationProblem[],
    warnings?: string[],
  ): Promise<SyncRunResult>;
}

async function beginRun(options: {
  definition: AnySyncDefinition;
  store: SyncStore;
  trigger: RunTrigger;
  clock: Clock;
  runId?: string | undefined;
}): Promise<BegunRun> {
  const { definition, store, clock } = options;
  const startedAt = clock.now().toISOString();
  const runId =
    options.runId ?? (await store.startRun(definition.id, options.trigger, startedAt)).id;
  return {
    runId,
    async finish(ended, counters, problems = [], warnings = []) {
      const finishedAt = clock.now().toISOString();
      const { status, error, errorCode } = ended;
      await store.finishRun(runId, { status, counters, finishedAt, error, errorCode });
      return {
        runId,
        syncId: definition.id,
        startedAt,
        finishedAt,
        counters,
        problems,
        ...(warnings.length === 0 ? {} : { warnings: [...new Set(warnings)] }),
        ...ended,
      };
    },
  };
}

/** A definition the engine refuses, as the failed result of its run (nothing read or written). */
async function refused(run: BegunRun, problems: ValidationProblem[]): Promise<SyncRunResult> {
  const summary = problems.map((problem) => `${problem.path}: ${problem.problem}`).join('; ');
  const error = `invalid sync definition: ${summary}`;
  return run.finish(
    { status: 'failed', error, errorCode: 'bad_request', resumeAt: null },
    emptyCounters(),
    problems,
  );
}

/** Runs `work`; the status follows from how it ended and whether records failed. */
async function outcome(
  work: () => Promise<void>,
  counters: RunCounters,
  signal: AbortSignal | undefined,
  clock: Clock,
): Promise<Outcome> {
  const ended = { error: null, errorCode: null, resumeAt: null };
  try {
    await work();
    return { ...ended, status: counters.failed > 0 ? 'partial' : 'succeeded' };
  } catch (caught) {
    if (caught instanceof CancelledError || signal?.aborted === true)
      return { ...ended, status: 'cancelled' };
    if (!(caught instanceof ConnectorError))
      return { ...ended, status: 'failed', error: describe(caught) };
    const { retryAfterMs, resetsAt } = caught.details;
    const resumeAt =
      caught.code !== 'budget_exhausted'
        ? null
        : (resetsAt ??
          (retryAfterMs === undefined
            ? null
            : new Date(clock.now().getTime() + retryAfterMs).toISOString()));
    return { status: 'failed', error: describe(caught), errorCode: caught.code, resumeAt };
  }
}

export async function runSync(options: RunSyncOptions): Promise<SyncRunResult> {
  const clock = options.clock ?? systemClock;
  const run = await beginRun({ ...options, clock });
  const { runId } = run;

  // A bad definition is refused before anything is read or written.
  const problems = validateSyncDefinition(options.definition);
  const definition = asRecordsSync(options.definition);
  if (problems.length === 0 && definition === undefined)
    problems.push({
      path: 'kind',
      problem: `an ${kindOf(options.definition)} sync runs with runOneWaySync, not as a records sync`,
    });
  if (problems.length > 0 || definition === undefined) return refused(run, problems);
  const { store } = options;

  const connectors = { left: options.left, right: options.right };
  const objects = { left: definition.left.object, right: definition.right.object };
  const context: RunContext = {
    sync: compileSync(definition, optOutLookup(connectors, objects)),
    connectors,
    objects,
    store,
    runId,
    clock,
    signal: options.signal,
    pageSize: options.pageSize ?? DEFAULT_PAGE_SIZE,
    onProgress: options.onProgress,
    counters: options.counters ? structuredClone(options.counters) : emptyCounters(),
    retryFailed: options.retryFailedRecords ?? true,
    retryOnly: options.retryOnly === true,
    callsSeen: { left: connectors.left.callCount(), right: connectors.right.callCount() },
    retried: new Map(),
    warnings: [],
  };

  const fullRefresh = options.fullRefresh === true;
  const ended = await outcome(
    () => execute(context, { fullRefresh }),
    context.counters,
    options.signal,
    clock,
  );
  const calls = takeApiCalls(context);
  context.counters.apiCalls.left += calls.left;
  context.counters.apiCalls.right += calls.right;
  return run.finish(ended, context.counters, [], context.warnings);
}

export interface RunOneWaySyncOptions extends Omit<
  RunSyncOptions,
  'left' | 'right' | 'definition' | 'retryFailedRecords'
> {
  definition: AnySyncDefinition;
  /** The left side: it is read. */
  source: AnyConnector;
  /** The right side: events are sent to it, or its audience is kept. */
  destination: AnyConnector;
  /** Audience syncs: read the whole source and set the audience to it. */
  fullRefresh?: boolean;
}

/** One run of an events or audience sync: the left side read, the right side sent to. */
export async function runOneWaySync(options: RunOneWaySyncOptions): Promise<SyncRunResult> {
  const clock = options.clock ?? systemClock;
  const run = await beginRun({ ...options, clock });
  const { definition, source, destination } = options;
  const problems = oneWayProblems(definition, source, destination);
  if (problems.length > 0) return refused(run, problems);
  const base = {
    definition,
    source,
    destination,
    store: options.store,
    runId: run.runId,
    clock,
    signal: options.signal,
    pageSize: options.pageSize ?? DEFAULT_PAGE_SIZE,
    onProgress: options.onProgress,
    counters: options.counters ? structuredClone(options.counters) : emptyCounters(),
  };
  let result: Outcome;
  if (kindOf(definition) === 'events') {
    const context = eventsContext(base);
    result = await outcome(() => executeEvents(context), base.counters, options.signal, clock);
  } else {
    const context = audienceContext(base);
    const fullRefresh = options.fullRefresh === true;
    result = await outcome(
      () => executeAudience(context, { fullRefresh }),
      base.counters,
      options.signal,
      clock,
    );
  }
  return run.finish(result, base.counters);
}
