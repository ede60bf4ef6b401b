/**
 * One page through the pipeline: plan, write, record, commit in one short transaction, report
 * progress. Used by the incremental read, the failed-record retries and deletes alike.
 */
import type { ConnectorRecord } from '../../connectors/sdk/contract';
import type { Side } from './definition';
import { type RunContext, addCounters, nowIso, takeApiCalls, throwIfCancelled } from './context';
import { failedKey } from './failed';
import { answeredIntents, writeInRun } from './intents';
import { planPage, pendingWrites } from './plan';
import type { FailedRecord, PageCommit, SyncCursor } from './ports';
import { CommitBuilder } from './record';
import { failuresOf } from './record-outcomes';

/** Failed records already queued for these keys, in as few store calls as there are sides. */
export async function loadFailures(
  context: RunContext,
  keys: ReadonlyArray<{ side: Side; recordId: string }>,
  known: ReadonlyMap<string, FailedRecord> = new Map(),
): Promise<Map<string, FailedRecord>> {
  const found = new Map<string, FailedRecord>(known);
  for (const side of ['left', 'right'] as const) {
    const ids = keys
      .filter((key) => key.side === side && !found.has(failedKey(side, key.recordId)))
      .map((key) => key.recordId);
    if (ids.length === 0) continue;
    for (const failed of await context.store.findFailedRecords(
      context.sync.definition.id,
      side,
      ids,
    )) {
      found.set(failedKey(failed.side, failed.recordId), failed);
    }
  }
  return found;
}

/**
 * Commits a page and adds its counters (API calls included) to the run's totals: the commit adds
 * them to the run's row too, so progress is durable with no write of its own.
 */
export async function commit(context: RunContext, page: PageCommit): Promise<void> {
  page.counters.apiCalls = takeApiCalls(context);
  await context.store.commitPage(page);
  addCounters(context.counters, page.counters);
  context.onProgress?.({
    runId: context.runId,
    read: context.counters.read,
    written: context.counters.created + context.counters.updated + context.counters.deleted,
    counters: { ...context.counters, apiCalls: { ...context.counters.apiCalls } },
  });
}

export interface PageOptions {
  cursors?: Partial<Record<Side, SyncCursor>>;
  /** Failed records known for these records (the retry pass has them already). */
  knownFailures?: ReadonlyMap<string, FailedRecord>;
  /** Lets the caller add to the commit (records gone since they failed, for instance). */
  extend?: (builder: CommitBuilder) => void;
  read?: number;
}

export async function processPage(
  context: RunContext,
  source: Side,
  records: readonly ConnectorRecord[],
  options: PageOptions = {},
): Promise<void> {
  throwIfCancelled(context.signal);
  const items = await planPage(context, source, records);
  const writes = pendingWrites(items);
  await writeInRun(context, writes);
  const failures = failuresOf(items);
  const previousFailures =
    failures.length > 0
      ? await loadFailures(context, failures, options.knownFailures)
      : new Map<string, FailedRecord>();
  const builder = new CommitBuilder({
    sync: context.sync,
    runId: context.runId,
    now: nowIso(context),
    previousFailures,
  });
  for (const item of items) builder.addItem(item);
  options.extend?.(builder);
  builder.counters.read += options.read ?? records.length;
  await commit(
    context,
    builder.build({ cursors: options.cursors ?? {}, closeIntents: answeredIntents(writes) }),
  );
}
