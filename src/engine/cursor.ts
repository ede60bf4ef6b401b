/**
 * Cursors (DESIGN.md step 8): where an incremental read of a side starts, and how far it may
 * advance after a committed page. A read ordered by (updatedAt, id) moves the cursor past each
 * committed page; any other read (every full list, an unordered object) keeps the vendor's token
 * to resume and, once complete, moves `since` to the time the read started minus the lag.
 */
import {
  type Checkpoint,
  type SourceCapability,
  type ConnectorRecord,
  DEFAULT_READ_TRAITS,
  type ReadTraits,
} from '../../connectors/sdk/contract';
import { DEFAULT_OVERLAP_MS, type Side } from './definition';
import type { SyncCursor } from './ports';

export function emptyCursor(): SyncCursor {
  return { since: null, lastId: null, checkpoint: null, deletedSince: null, readStartedAt: null };
}

/** Where a full read starts: from the beginning, the deletes' cursor kept. */
export function fullReadCursor(stored: SyncCursor): SyncCursor {
  return { ...emptyCursor(), deletedSince: stored.deletedSince ?? null };
}

/** When the read starting at `initial` began: a resumed read keeps the start it resumes. */
export function readStartedAtOf(initial: SyncCursor, now: string): string {
  return initial.checkpoint !== null && initial.readStartedAt != null ? initial.readStartedAt : now;
}

/** What `connector` declares for reads of `object`. */
export function readTraitsOf(
  connector: Pick<SourceCapability, 'readTraits'>,
  object: string,
): ReadTraits {
  return connector.readTraits?.(object) ?? DEFAULT_READ_TRAITS;
}

/**
 * How far before its cursor an incremental read of an object starts again (DESIGN.md, "The
 * connector contract"): the sync's own `overlapMs` when it sets one; else the lag the connector
 * declares for the object, for a read ordered by stamp (an unordered read already moved `since`
 * back by the lag when it completed, so it needs no more); else, for a connector that declares no
 * lag, DEFAULT_OVERLAP_MS.
 */
export function overlapOf(syncOverlapMs: number | undefined, traits: ReadTraits): number {
  if (syncOverlapMs !== undefined) return syncOverlapMs;
  if (traits.lagMs === undefined) return DEFAULT_OVERLAP_MS;
  return traits.ordering === 'cursor' ? traits.lagMs : 0;
}

/** The overlap of a records sync's `side` (overlapOf), from its run's sync and connectors. */
export function overlapOfSide(
  context: {
    sync: { definition: { overlapMs?: number | undefined } };
    connectors: Record<Side, Pick<SourceCapability, 'readTraits'>>;
    objects: Record<Side, string>;
  },
  side: Side,
): number {
  return overlapOf(
    context.sync.definition.overlapMs,
    readTraitsOf(context.connectors[side], context.objects[side]),
  );
}

/**
 * Whether a read from `cursor` comes sorted by (updatedAt, id): only an incremental read (a
 * cursor with `since`) of an object that declares it. A full read is a list in the vendor's order.
 */
export function readIsOrdered(cursor: SyncCursor, traits: ReadTraits): boolean {
  return cursor.since !== null && traits.ordering === 'cursor';
}

/**
 * The cursor while an unordered read goes on: the connector's token to resume from, and when
 * the read started; `since` stays where it was until the read completes.
 */
export function holdCursor(
  cursor: SyncCursor,
  checkpoint: Checkpoint | null,
  readStartedAt: string,
): SyncCursor {
  return { ...cursor, checkpoint, readStartedAt };
}

/**
 * An unordered read that reached its end: the next read starts where this one started, less the
 * vendor's lag. Never the greatest stamp it saw: a record the read passed early and that was
 * edited later carries an earlier stamp than one edited after it further down the list.
 */
export function completeUnorderedRead(cursor: SyncCursor, lagMs: number): SyncCursor {
  const started = cursor.readStartedAt ?? null;
  return {
    ...cursor,
    since: started === null ? cursor.since : minus(started, lagMs),
    lastId: null,
    checkpoint: null,
    readStartedAt: null,
  };
}

function minus(iso: string, ms: number): string {
  return new Date(Date.parse(iso) - ms).toISOString();
}

/**
 * The read request's start: an unfinished read resumes from its checkpoint; otherwise from the
 * cursor minus the overlap window, so records the vendor indexed late are still seen.
 */
export function readStart(
  cursor: SyncCursor,
  overlapMs: number,
): { since?: string; checkpoint?: Checkpoint } {
  const start: { since?: string; checkpoint?: Checkpoint } = {};
  if (cursor.since !== null) start.since = minus(cursor.since, overlapMs);
  if (cursor.checkpoint !== null) start.checkpoint = cursor.checkpoint;
  return start;
}

export function deletesStart(cursor: SyncCursor, overlapMs: number): string | undefined {
  const since = cursor.deletedSince ?? null;
  return since === null ? undefined : minus(since, overlapMs);
}

/**
 * Without an overlap window, records at exactly (since, ≤ lastId) were committed by the last read:
 * equal timestamps are told apart by id.
 */
export function alreadyCommitted(
  cursor: SyncCursor,
  record: ConnectorRecord,
  overlapMs: number,
): boolean {
  if (overlapMs > 0 || cursor.since === null || cursor.lastId === null) return false;
  return record.updatedAt === cursor.since && record.id <= cursor.lastId;
}

function later(a: { at: string; id: string }, b: { at: string; id: string }): boolean {
  const ta = Date.parse(a.at);
  const tb = Date.parse(b.at);
  if (ta !== tb) return ta > tb;
  return a.id > b.id;
}

/**
 * The cursor after a committed page: past its last record (never backwards, since an overlap
 * re-reads older records), with the connector's checkpoint to resume an unfinished read.
 */
export function advanceCursor(
  cursor: SyncCursor,
  records: readonly ConnectorRecord[],
  checkpoint: Checkpoint | null,
): SyncCursor {
  let since = cursor.since;
  let lastId = cursor.lastId;
  for (const record of records) {
    if (
      since === null ||
      later({ at: record.updatedAt, id: record.id }, { at: since, id: lastId ?? '' })
    ) {
      since = record.updatedAt;
      lastId = record.id;
    }
  }
  return { ...cursor, since, lastId, checkpoint };
}

/** A read that reached its end: nothing to resume, the next run starts from `since`. */
export function completeRead(cursor: SyncCursor): SyncCursor {
  return { ...cursor, checkpoint: null, readStartedAt: null };
}

export function advanceDeletes(cursor: SyncCursor, deletedAt: readonly string[]): SyncCursor {
  let since = cursor.deletedSince ?? null;
  for (const at of deletedAt) if (since === null || Date.parse(at) > Date.parse(since)) since = at;
  return { ...cursor, deletedSince: since };
}
