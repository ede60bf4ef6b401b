/**
 * Conflicts a person resolved are applied by the next run: the chosen value is written to the
 * side(s) that do not hold it yet, the snapshot records it, the conflict is marked applied.
 */
import type { ConnectorRecord, FieldValue, Fields } from '../../connectors/sdk/contract';
import type { Side } from './definition';
import { type RunContext, nowIso, throwIfCancelled } from './context';
import { commit } from './page';
import type { Conflict, RecordLink } from './ports';
import { CommitBuilder } from './record';
import { fieldOf, valuesEqual } from './values';
import { type PendingWrite, executeWrites } from './write';

/** The value each side should hold. A `{ value }` resolution is in the left side's form. */
async function chosenValues(
  context: RunContext,
  conflict: Conflict,
  left: ConnectorRecord,
  right: ConnectorRecord,
): Promise<Record<Side, FieldValue> | undefined> {
  const mapping = context.sync.mappings.find(
    (candidate) => candidate.left === conflict.leftField && candidate.right === conflict.rightField,
  );
  const resolution = conflict.resolution;
  if (mapping === undefined || resolution === null) return undefined;
  if ('side' in resolution) {
    if (resolution.side === 'left')
      return {
        left: conflict.leftValue,
        right: await mapping.toRight(conflict.leftValue, left.fields),
      };
    return {
      right: conflict.rightValue,
      left: await mapping.toLeft(conflict.rightValue, right.fields),
    };
  }
  return { left: resolution.value, right: await mapping.toRight(resolution.value, left.fields) };
}

interface LinkWork {
  link: RecordLink;
  left: ConnectorRecord;
  right: ConnectorRecord;
  conflicts: Array<{ conflict: Conflict; values: Record<Side, FieldValue> }>;
  writes: Partial<Record<Side, PendingWrite>>;
}

async function applyChunk(context: RunContext, conflicts: readonly Conflict[]): Promise<void> {
  const { sync, store, connectors, objects } = context;
  const syncId = sync.definition.id;
  const links = new Map<string, RecordLink>();
  for (const link of await store.findLinks(syncId, 'left', [
    ...new Set(conflicts.map((conflict) => conflict.leftId)),
  ]))
    links.set(link.leftId, link);
  const current: Record<Side, Map<string, ConnectorRecord>> = { left: new Map(), right: new Map() };
  for (const side of ['left', 'right'] as const) {
    const ids = [...links.values()].map((link) => (side === 'left' ? link.leftId : link.rightId));
    if (ids.length === 0) continue;
    for (const record of await connectors[side].get(objects[side], ids, sync.readFields[side]))
      current[side].set(record.id, record);
  }
  const stale: Conflict[] = [];
  const applied: string[] = [];
  const work = new Map<string, LinkWork>();
  for (const conflict of conflicts) {
    const link = links.get(conflict.leftId);
    const left = current.left.get(conflict.leftId);
    const right = current.right.get(conflict.rightId);
    const values =
      link?.rightId === conflict.rightId && left !== undefined && right !== undefined
        ? await chosenValues(context, conflict, left, right)
        : undefined;
    if (link === undefined || left === undefined || right === undefined || values === undefined) {
      stale.push(conflict);
      continue;
    }
    const entry = work.get(link.leftId) ?? { link, left, right, conflicts: [], writes: {} };
    entry.conflicts.push({ conflict, values });
    work.set(link.leftId, entry);
  }
  for (const entry of work.values()) {
    for (const side of ['left', 'right'] as const) {
      if (sync.definition[side].writeMode === 'create') continue;
      const record = entry[side];
      const fields: Fields = {};
      for (const { conflict, values } of entry.conflicts) {
        const field = side === 'left' ? conflict.leftField : conflict.rightField;
        if (!valuesEqual(fieldOf(record.fields, field), values[side])) fields[field] = values[side];
      }
      if (Object.keys(fields).length > 0)
        entry.writes[side] = { side, mode: 'update', operation: { id: record.id, fields } };
    }
  }
  const writes = [...work.values()].flatMap((entry) =>
    [entry.writes.left, entry.writes.right].filter(
      (write): write is PendingWrite => write !== undefined,
    ),
  );
  if (writes.length > 0) await executeWrites(connectors, objects, writes, context.signal);
  const builder = new CommitBuilder({
    sync,
    runId: context.runId,
    now: nowIso(context),
    previousFailures: new Map(),
  });
  for (const conflict of stale) {
    // Nothing left to apply it to: the records were unlinked or deleted, or the mapping is gone.
    builder.event(
      'left',
      { leftId: conflict.leftId, rightId: conflict.rightId },
      'skipped',
      [conflict.leftField],
      null,
      'resolved conflict no longer applies',
    );
    builder.counters.skipped++;
    applied.push(conflict.id);
  }
  for (const entry of work.values()) applyEntry(builder, entry, applied);
  await commit(context, builder.build({ appliedConflicts: applied }));
}

function applyEntry(builder: CommitBuilder, entry: LinkWork, applied: string[]): void {
  const ids = { leftId: entry.left.id, rightId: entry.right.id };
  const snapshot = {
    left: { ...entry.link.snapshot.left },
    right: { ...entry.link.snapshot.right },
  };
  const updatedAt: Record<Side, string> = {
    left: entry.left.updatedAt,
    right: entry.right.updatedAt,
  };
  let ok = true;
  for (const side of ['left', 'right'] as const) {
    const write = entry.writes[side];
    const result = write?.result;
    if (write === undefined || result === undefined) continue;
    if (result.status === 'failed') {
      ok = false;
      // Not queued as a failed record: the conflict itself stays resolved and is applied next run.
      builder.event(side, ids, 'failed', Object.keys(write.operation.fields), result.error);
      builder.counters.failed++;
      continue;
    }
    builder.counters.updated++;
    if (result.record !== undefined) updatedAt[side] = result.record.updatedAt;
    builder.event(
      side,
      ids,
      'updated',
      Object.keys(write.operation.fields),
      null,
      'resolved conflict applied',
    );
  }
  // A failed write leaves the conflicts resolved but not applied: the next run tries again.
  if (!ok) return;
  for (const { conflict, values } of entry.conflicts) {
    const stored = (side: Side, field: string): FieldValue => {
      const record = entry.writes[side]?.result;
      const fields =
        record !== undefined && record.status !== 'failed' ? record.record?.fields : undefined;
      return fields !== undefined && Object.prototype.hasOwnProperty.call(fields, field)
        ? fieldOf(fields, field)
        : values[side];
    };
    snapshot.left[conflict.leftField] =
      entry.writes.left === undefined
        ? fieldOf(entry.left.fields, conflict.leftField)
        : stored('left', conflict.leftField);
    snapshot.right[conflict.rightField] =
      entry.writes.right === undefined
        ? fieldOf(entry.right.fields, conflict.rightField)
        : stored('right', conflict.rightField);
    applied.push(conflict.id);
  }
  builder.addLink({
    ...entry.link,
    snapshot,
    leftUpdatedAt: updatedAt.left,
    rightUpdatedAt: updatedAt.right,
  });
}

export async function applyResolvedConflicts(context: RunContext): Promise<void> {
  const resolved = await context.store.resolvedConflicts(context.sync.definition.id);
  for (let start = 0; start < resolved.length; start += context.pageSize) {
    throwIfCancelled(context.signal);
    await applyChunk(context, resolved.slice(start, start + context.pageSize));
  }
}
