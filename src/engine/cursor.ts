/**
 * Cursors (DESIGN.md step 8): where an incremental read of a side starts, and how far it may
 * advance after a committed page. Records arrive sorted by (updatedAt, id).
 */
import type { Checkpoint, ConnectorRecord } from '../../connectors/sdk/contract';
import type { SyncCursor } from './ports';

export function emptyCursor(): SyncCursor {
  return { since: null, lastId: null, checkpoint: null, deletedSince: null };
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
  return { ...cursor, checkpoint: null };
}

export function advanceDeletes(cursor: SyncCursor, deletedAt: readonly string[]): SyncCursor {
  let since = cursor.deletedSince ?? null;
  for (const at of deletedAt) if (since === null || Date.parse(at) > Date.parse(since)) since = at;
  return { ...cursor, deletedSince: since };
}
