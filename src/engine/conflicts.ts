/**
 * Conflicts a person resolved are applied by the next run: the chosen value is written to the
 * side(s) that do not hold it yet, the snapshot records it, the conflict is marked applied.
 *
 * A resolution is applied only while the field still holds the values the conflict saw (or the
 * chosen ones): a newer edit is never overwritten. Where only the kept side changed since, its
 * value of now is kept; otherwise the conflict opens again with the values of now, and its note
 * and the sync log say why.
 */
import type { ConnectorRecord, FieldValue, Fields } from '../../connectors/sdk/contract';
import { type Side, otherSide } from './definition';
import type { CompiledMapping } from './compile';
import { type RunContext, nowIso, throwIfCancelled } from './context';
import { commit } from './page';
import { answeredIntents, writeInRun, originOf } from './intents';
import type { Conflict, ConflictResolution, RecordLink, ReopenedConflict } from './ports';
import { CommitBuilder } from './record';
import { fieldOf, valuesEqual } from './values';
import { type PendingWrite } from './write';

/** The mapping a conflict was raised on, if the sync still has it. */
function mappingOf(context: RunContext, conflict: Conflict): CompiledMapping | undefined {
  return context.sync.mappings.find(
    (candidate) => candidate.left === conflict.leftField && candidate.right === conflict.rightField,
  );
}

/**
 * The value each side should hold, from the values `seen` on each side. A `{ value }` resolution
 * is in the left side's form.
 */
async function chosenValues(
  mapping: CompiledMapping,
  resolution: ConflictResolution,
  seen: Record<Side, FieldValue>,
  left: ConnectorRecord,
  right: ConnectorRecord,
): Promise<Record<Side, FieldValue>> {
  if ('side' in resolution) {
    if (resolution.side === 'left')
      return { left: seen.left, right: await mapping.toRight(seen.left, left.fields) };
    return { right: seen.right, left: await mapping.toLeft(seen.right, right.fields) };
  }
  return { left: resolution.value, right: await mapping.toRight(resolution.value, left.fields) };
}

/** What to do with one resolved conflict, given what both sides hold now. */
type Decision =
  | { kind: 'apply'; values: Record<Side, FieldValue>; message: string }
  | { kind: 'agree'; message: string }
  | { kind: 'reopen'; reopened: ReopenedConflict; current: Record<Side, FieldValue> };

function movedSides(moved: Record<Side, boolean>): string {
  if (moved.left && moved.right) return 'both sides';
  return moved.left ? 'the left side' : 'the right side';
}

async function decide(
  mapping: CompiledMapping,
  conflict: Conflict,
  resolution: ConflictResolution,
  left: ConnectorRecord,
  right: ConnectorRecord,
): Promise<Decision> {
  const current: Record<Side, FieldValue> = {
    left: fieldOf(left.fields, conflict.leftField),
    right: fieldOf(right.fields, conflict.rightField),
  };
  const seen: Record<Side, FieldValue> = { left: conflict.leftValue, right: conflict.rightValue };
  const chosen = await chosenValues(mapping, resolution, seen, left, right);
  // A side holding the value seen, or the chosen one (a half-applied earlier try), did not move.
  const moved: Record<Side, boolean> = {
    left: !valuesEqual(current.left, seen.left) && !valuesEqual(current.left, chosen.left),
    right: !valuesEqual(current.right, seen.right) && !valuesEqual(current.right, chosen.right),
  };
  if (!moved.left && !moved.right)
    return { kind: 'apply', values: chosen, message: 'resolved conflict applied' };
  if ('side' in resolution && moved[resolution.side] && !moved[otherSide(resolution.side)]) {
    const kept = resolution.side;
    return {
      kind: 'apply',
      values: await chosenValues(mapping, resolution, current, left, right),
      message: `resolved conflict applied with the ${kept} side's value of now (it changed since the conflict was raised)`,
    };
  }
  if (
    valuesEqual(current.left, current.right) ||
    (mapping.toRightEnabled &&
      valuesEqual(await mapping.toRight(current.left, left.fields), current.right))
  )
    return {
      kind: 'agree',
      message: `resolution not applied: ${movedSides(moved)} changed since the conflict was raised, and both sides agree now`,
    };
  return {
    kind: 'reopen',
    current,
    reopened: {
      id: conflict.id,
      leftValue: current.left,
      rightValue: current.right,
      note: `${movedSides(moved)} changed since the conflict was raised (left ${JSON.stringify(seen.left)} → ${JSON.stringify(current.left)}, right ${JSON.stringify(seen.right)} → ${JSON.stringify(current.right)}); the resolution was not applied, decide again`,
    },
  };
}

interface LinkWork {
  link: RecordLink;
  left: ConnectorRecord;
  right: ConnectorRecord;
  conflicts: Array<{ conflict: Conflict; values: Record<Side, FieldValue>; message: string }>;
  writes: Partial<Record<Side, PendingWrite>>;
  /** Conflicts opened again: the snapshot takes the values of now, so nothing flows meanwhile. */
  reopened: Array<{ conflict: Conflict; current: Record<Side, FieldValue> }>;
}

/** The links of the conflicts' pairs, and both sides' records as they are now. */
async function currentPairs(
  context: RunContext,
  conflicts: readonly Conflict[],
): Promise<{
  links: Map<string, RecordLink>;
  current: Record<Side, Map<string, ConnectorRecord>>;
}> {
  const { sync, store, connectors, objects } = context;
  const links = new Map<string, RecordLink>();
  for (const link of await store.findLinks(sync.definition.id, 'left', [
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
  return { links, current };
}

/** What becomes of each resolved conflict: applied to its pair, agreed already, reopened, stale. */
interface Decisions {
  stale: Conflict[];
  agreed: Array<{ conflict: Conflict; message: string }>;
  reopened: ReopenedConflict[];
  /** The pairs with a resolution to write or a conflict reopened, by left id. */
  work: Map<string, LinkWork>;
}

async function decideAll(
  context: RunContext,
  conflicts: readonly Conflict[],
  { links, current }: Awaited<ReturnType<typeof currentPairs>>,
): Promise<Decisions> {
  const decisions: Decisions = { stale: [], agreed: [], reopened: [], work: new Map() };
  for (const conflict of conflicts) {
    const link = links.get(conflict.leftId);
    const left = current.left.get(conflict.leftId);
    const right = current.right.get(conflict.rightId);
    const mapping = mappingOf(context, conflict);
    if (
      link?.rightId !== conflict.rightId ||
      left === undefined ||
      right === undefined ||
      mapping === undefined ||
      conflict.resolution === null
    ) {
      decisions.stale.push(conflict);
      continue;
    }
    const decision = await decide(mapping, conflict, conflict.resolution, left, right);
    const entry = decisions.work.get(link.leftId) ?? {
      link,
      left,
      right,
      conflicts: [],
      writes: {},
      reopened: [],
    };
    decisions.work.set(link.leftId, entry);
    switch (decision.kind) {
      case 'apply':
        entry.conflicts.push({ conflict, values: decision.values, message: decision.message });
        break;
      case 'agree':
        decisions.agreed.push({ conflict, message: decision.message });
        break;
      case 'reopen':
        decisions.reopened.push(decision.reopened);
        entry.reopened.push({ conflict, current: decision.current });
        break;
      default: {
        const unreachable: never = decision;
        return unreachable;
      }
    }
  }
  return decisions;
}

/** The writes of each pair's resolutions (sides that only create are left alone). */
function plannedWrites(context: RunContext, work: Map<string, LinkWork>): PendingWrite[] {
  const { sync } = context;
  for (const entry of work.values()) {
    for (const side of ['left', 'right'] as const) {
      if (sync.definition[side].writeMode === 'create') continue;
      const record = entry[side];
      const fields: Fields = {};
      for (const { conflict, values } of entry.conflicts) {
        const field = side === 'left' ? conflict.leftField : conflict.rightField;
        if (!valuesEqual(fieldOf(record.fields, field), values[side])) fields[field] = values[side];
      }
      if (Object.keys(fields).length > 0) {
        const from = otherSide(side);
        const source = entry[from];
        const sourceValues: Fields = {};
        for (const { conflict, values } of entry.conflicts)
          sourceValues[from === 'left' ? conflict.leftField : conflict.rightField] = values[from];
        entry.writes[side] = {
          side,
          mode: 'update',
          operation: { id: record.id, fields },
          origin: originOf(sync, from, { ...source, fields: sourceValues }, fields),
        };
      }
    }
  }
  return [...work.values()].flatMap((entry) =>
    [entry.writes.left, entry.writes.right].filter(
      (write): write is PendingWrite => write !== undefined,
    ),
  );
}

/** Log lines of the conflicts not written: stale and agreed ones end, reopened ones say why. */
function logUnwritten(
  builder: CommitBuilder,
  conflicts: readonly Conflict[],
  { stale, agreed, reopened }: Decisions,
  applied: string[],
): void {
  const skipped = [
    // Nothing left to apply it to: the records were unlinked or deleted, or the mapping is gone.
    ...stale.map((conflict) => ({ conflict, message: 'resolved conflict no longer applies' })),
    ...agreed,
  ];
  for (const { conflict, message } of skipped) {
    builder.event(
      'left',
      { leftId: conflict.leftId, rightId: conflict.rightId },
      'skipped',
      [conflict.leftField],
      null,
      message,
    );
    builder.counters.skipped++;
    applied.push(conflict.id);
  }
  for (const reopen of reopened) {
    const conflict = conflicts.find((candidate) => candidate.id === reopen.id) as Conflict;
    builder.event(
      'left',
      { leftId: conflict.leftId, rightId: conflict.rightId },
      'conflict',
      [conflict.leftField],
      null,
      reopen.note,
    );
    builder.counters.conflicts++;
  }
}

async function applyChunk(context: RunContext, conflicts: readonly Conflict[]): Promise<void> {
  const decisions = await decideAll(context, conflicts, await currentPairs(context, conflicts));
  const writes = plannedWrites(context, decisions.work);
  await writeInRun(context, writes);
  const builder = new CommitBuilder({
    sync: context.sync,
    runId: context.runId,
    now: nowIso(context),
    previousFailures: new Map(),
  });
  const applied: string[] = [];
  logUnwritten(builder, conflicts, decisions, applied);
  for (const entry of decisions.work.values()) applyEntry(builder, entry, applied);
  await commit(
    context,
    builder.build({
      appliedConflicts: applied,
      reopenedConflicts: decisions.reopened,
      closeIntents: answeredIntents(writes),
    }),
  );
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
      [...new Set(entry.conflicts.map((item) => item.message))].join('; '),
    );
  }
  for (const { conflict, current } of entry.reopened) {
    snapshot.left[conflict.leftField] = current.left;
    snapshot.right[conflict.rightField] = current.right;
  }
  // A failed write leaves the conflicts resolved but not applied: the next run tries again.
  if (!ok) {
    if (entry.reopened.length > 0) builder.addLink({ ...entry.link, snapshot });
    return;
  }
  if (entry.conflicts.length === 0 && entry.reopened.length === 0) return;
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
