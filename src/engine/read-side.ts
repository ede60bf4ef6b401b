/**
 * Reading a records sync's side: its changes since the cursor, page by page, each page processed
 * and committed with the cursor; or a full read that finds the linked records no longer there.
 */
import type { ConnectorRecord } from '../../connectors/sdk/contract';
import type { Side } from './definition';
import { type RunContext, nowIso, throwIfCancelled } from './context';
import {
  advanceCursor,
  alreadyCommitted,
  completeRead,
  completeUnorderedRead,
  emptyCursor,
  fullReadCursor,
  holdCursor,
  overlapOfSide,
  readIsOrdered,
  readStart,
  readStartedAtOf,
  readTraitsOf,
} from './cursor';
import { applyDeletes, sideId } from './deletes';
import { failedKey } from './failed';
import { commit, processPage } from './page';
import { gathered, readAhead } from './prefetch';
import type { SyncCursor } from './ports';
import { CommitBuilder } from './record';

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
  const overlapMs = overlapOfSide(context, side);
  const fresh = records.filter((record) => {
    if (alreadyCommitted(initial, record, overlapMs)) return false;
    const retried = context.retried.get(failedKey(side, record.id));
    return retried === undefined || Date.parse(record.updatedAt) > Date.parse(retried);
  });
  // Versions the last read may have seen: up to its cursor, and the vendor's lag past it (an
  // unordered read's `since` is its start less the lag).
  const lagMs = readTraitsOf(context.connectors[side], context.objects[side]).lagMs ?? 0;
  const since =
    initial.since === null ? Number.NEGATIVE_INFINITY : Date.parse(initial.since) + lagMs;
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
export async function readChanges(
  context: RunContext,
  side: Side,
  seen?: Set<string>,
): Promise<SyncCursor> {
  const { sync, store } = context;
  const connector = context.connectors[side];
  const traits = readTraitsOf(connector, context.objects[side]);
  const stored = (await store.getCursor(sync.definition.id, side)) ?? emptyCursor();
  const initial = seen === undefined ? stored : fullReadCursor(stored);
  // Decided by the object's declaration, not by what the pages look like.
  const ordered = readIsOrdered(initial, traits);
  const readStartedAt = readStartedAtOf(initial, nowIso(context));
  let cursor = initial;
  const pages = gathered(
    readAhead(
      connector.read({
        object: context.objects[side],
        fields: sync.readFields[side],
        pageSize: context.pageSize,
        ...readStart(initial, overlapOfSide(context, side)),
      }),
    ),
    context.pageSize,
  );
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

export async function saveCursor(
  context: RunContext,
  side: Side,
  cursor: SyncCursor,
): Promise<void> {
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
export async function reconcileSide(context: RunContext, side: Side): Promise<void> {
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
