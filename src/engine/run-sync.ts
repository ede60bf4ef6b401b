/**
 * One run of a sync (DESIGN.md steps 2 to 10): apply resolved conflicts, retry due failed records,
 * read each source side's changes page by page from its cursor, apply reported deletes, finish
 * with counters and a status.
 */
import {
  type AnyConnector,
  type Clock,
  type ConnectorRecord,
  type RecordConnector,
} from '../../connectors/sdk/contract';
import { ConnectorError, type ErrorCode } from '../../connectors/sdk/errors';
import { systemClock } from '../../connectors/sdk/clock';
import { type AnySyncDefinition, type Side, asRecordsSync, kindOf } from './definition';
import { oneWayProblems } from './one-way';
import { eventsContext, executeEvents } from './run-events';
import { audienceContext, executeAudience } from './run-audience';
import { compileSync } from './compile';
import {
  type RunContext,
  type RunProgress,
  nowIso,
  takeApiCalls,
  throwIfCancelled,
} from './context';
import {
  advanceCursor,
  alreadyCommitted,
  completeRead,
  completeUnorderedRead,
  emptyCursor,
  holdCursor,
  readIsOrdered,
  readStart,
  readTraitsOf,
} from './cursor';
import { applyDeletes, readDeletes, sideId } from './deletes';
import { failedKey } from './failed';
import { applyResolvedConflicts } from './conflicts';
import { commit, processPage } from './page';
import { reconcileIntents } from './reconcile';
import {
  type RunCounters,
  type RunStatus,
  type RunTrigger,
  type SyncCursor,
  type SyncStore,
  emptyCounters,
} from './ports';
import { CommitBuilder } from './record';
import { retryFailedRecords } from './retry';
import { type ValidationProblem, validateSyncDefinition } from './validate';
import { CancelledError } from './write';

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

/**
 * Records of a page that still need processing. Leaves out those the last read committed (equal
 * timestamps told apart by id), those the failed-record pass handled this run, and versions the
 * overlap window re-reads although their failure is already queued (the retry pass owns those,
 * so a dead record is not tried again by every run).
 */
async function withoutSettled(
  context: RunContext,
  side: Side,
  initial: SyncCursor,
  records: readonly ConnectorRecord[],
): Promise<ConnectorRecord[]> {
  const overlapMs = context.sync.overlapMs;
  const fresh = records.filter((record) => {
    if (alreadyCommitted(initial, record, overlapMs)) return false;
    const retried = context.retried.get(failedKey(side, record.id));
    return retried === undefined || Date.parse(record.updatedAt) > Date.parse(retried);
  });
  const since = initial.since === null ? Number.NEGATIVE_INFINITY : Date.parse(initial.since);
  const reread = fresh
    .filter((record) => Date.parse(record.updatedAt) <= since)
    .map((record) => record.id);
  if (reread.length === 0) return fresh;
  const queued = new Map<string, string>();
  for (const failed of await context.store.findFailedRecords(
    context.sync.definition.id,
    side,
    reread,
  ))
    queued.set(failed.recordId, failed.lastFailedAt);
  if (queued.size === 0) return fresh;
  return fresh.filter((record) => {
    const failedAt = queued.get(record.id);
    return failedAt === undefined || Date.parse(record.updatedAt) > Date.parse(failedAt);
  });
}

/**
 * Reads the changes of `side` since its cursor, page by page. With `seen`: a full read from the
 * start whatever the cursor says, each record's id added to `seen`.
 */
async function readChanges(
  context: RunContext,
  side: Side,
  seen?: Set<string>,
): Promise<SyncCursor> {
  const { sync, store } = context;
  const connector = context.connectors[side];
  const traits = readTraitsOf(connector, context.objects[side]);
  const stored = (await store.getCursor(sync.definition.id, side)) ?? emptyCursor();
  const initial =
    seen === undefined ? stored : { ...emptyCursor(), deletedSince: stored.deletedSince ?? null };
  // Decided by the object's declaration, not by what the pages look like.
  const ordered = readIsOrdered(initial, traits);
  // A resumed unordered read keeps the start of the read it resumes.
  const readStartedAt =
    initial.checkpoint !== null && initial.readStartedAt != null
      ? initial.readStartedAt
      : nowIso(context);
  let cursor = initial;
  const pages = connector.read({
    object: context.objects[side],
    fields: sync.readFields[side],
    pageSize: context.pageSize,
    ...readStart(initial, sync.overlapMs),
  });
  for await (const page of pages) {
    throwIfCancelled(context.signal);
    if (seen !== undefined) for (const record of page.records) seen.add(record.id);
    const records = await withoutSettled(context, side, initial, page.records);
    cursor = ordered
      ? advanceCursor(cursor, page.records, page.checkpoint)
      : holdCursor(cursor, page.checkpoint, readStartedAt);
    await processPage(context, side, records, {
      cursors: { [side]: cursor },
      read: page.records.length,
    });
  }
  if (ordered) return completeRead(cursor);
  return completeUnorderedRead(holdCursor(cursor, null, readStartedAt), traits.lagMs ?? 0);
}

async function saveCursor(context: RunContext, side: Side, cursor: SyncCursor): Promise<void> {
  const builder = new CommitBuilder({
    sync: context.sync,
    runId: context.runId,
    now: nowIso(context),
    previousFailures: new Map(),
  });
  await commit(context, builder.build({ cursors: { [side]: cursor } }));
}

/** Links looked up per page when a full read looks for the records it did not find. */
const RECONCILE_PAGE = 1000;

/**
 * A full read of `side` and the links whose record it did not find: those records are gone,
 * whether or not their delete was ever reported, and the delete policy applies to them.
 */
async function reconcileSide(context: RunContext, side: Side): Promise<void> {
  const seen = new Set<string>();
  const lagMs = readTraitsOf(context.connectors[side], context.objects[side]).lagMs ?? 0;
  const readStartedAt = Date.parse(nowIso(context));
  const cursor = await readChanges(context, side, seen);
  const syncId = context.sync.definition.id;
  let after: string | null = null;
  for (;;) {
    throwIfCancelled(context.signal);
    const links = await context.store.linksAfter(syncId, side, after, RECONCILE_PAGE);
    const last = links.at(-1);
    if (last === undefined) break;
    after = sideId(last, side);
    const missing = links.map((link) => sideId(link, side)).filter((id) => !seen.has(id));
    if (missing.length > 0)
      await applyDeletes(context, side, missing, { reason: `not found in a full read of ${side}` });
  }
  // Every delete before the read is now accounted for: reported deletes resume from its start.
  await saveCursor(context, side, {
    ...cursor,
    deletedSince: new Date(readStartedAt - lagMs).toISOString(),
  });
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
  const context: RunContext = {
    sync: compileSync(definition),
    connectors,
    objects: { left: definition.left.object, right: definition.right.object },
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
