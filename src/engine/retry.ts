/**
 * Retrying failed records: each due record is read again with get() and goes through the same
 * pipeline as a fresh change, so a stale payload is never replayed.
 */
import type { Side } from './definition';
import { type RunContext, nowIso, throwIfCancelled } from './context';
import { applyDeletes } from './deletes';
import { failedKey } from './failed';
import { processPage } from './page';
import type { FailedRecord } from './ports';

/** Enough rounds for a large queue; each round takes records not seen before in this run. */
const MAX_ROUNDS = 1000;

async function retrySide(
  context: RunContext,
  side: Side,
  entries: readonly FailedRecord[],
  known: ReadonlyMap<string, FailedRecord>,
): Promise<void> {
  const deletes = entries
    .filter((entry) => entry.operation === 'delete')
    .map((entry) => entry.recordId);
  if (deletes.length > 0) await applyDeletes(context, side, deletes, { knownFailures: known });
  const ids = entries
    .filter((entry) => entry.operation !== 'delete')
    .map((entry) => entry.recordId);
  if (ids.length === 0) return;
  const active = context.sync.sourceSides.includes(side);
  const records = active
    ? await context.connectors[side].get(context.objects[side], ids, context.sync.readFields[side])
    : [];
  const found = new Set(records.map((record) => record.id));
  for (const record of records) context.retried.set(failedKey(side, record.id), record.updatedAt);
  const gone = ids.filter((id) => !found.has(id));
  await processPage(context, side, records, {
    knownFailures: known,
    extend: (builder) => {
      for (const id of gone) {
        const ids = side === 'left' ? { leftId: id, rightId: null } : { leftId: null, rightId: id };
        const message = active
          ? `${side} record no longer exists`
          : `the sync no longer reads the ${side} side`;
        builder.counters.skipped++;
        builder.event(side, ids, 'skipped', [], null, message);
        builder.succeed(side, id);
      }
    },
  });
}

export async function retryFailedRecords(context: RunContext): Promise<void> {
  const seen = new Set<string>();
  for (let round = 0; round < MAX_ROUNDS; round++) {
    throwIfCancelled(context.signal);
    const due = await context.store.dueFailedRecords(
      context.sync.definition.id,
      nowIso(context),
      context.pageSize,
    );
    const fresh = due.filter((entry) => !seen.has(failedKey(entry.side, entry.recordId)));
    if (fresh.length === 0) return;
    const known = new Map<string, FailedRecord>();
    for (const entry of fresh) {
      const key = failedKey(entry.side, entry.recordId);
      seen.add(key);
      known.set(key, entry);
    }
    for (const side of ['left', 'right'] as const) {
      const entries = fresh.filter((entry) => entry.side === side);
      if (entries.length > 0) await retrySide(context, side, entries, known);
    }
  }
}
