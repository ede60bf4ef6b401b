/**
 * Write intents: Syncline knows what it may have written before it writes.
 *
 * Each batch's intended values are recorded before the batch is sent, and the commit of its page
 * closes the intent. An intent that is still open when a run starts belongs to a page whose
 * outcome no commit recorded: the worker was killed between the vendor's answer and the commit,
 * or the answer never came. The run reconciles those first: a current value equal to an intended
 * one is Syncline's own write (the snapshot takes it, a create that went through is linked), never
 * a person's edit; intents that did not reach the vendor are dropped (src/engine/reconcile.ts).
 * In the normal path this costs one insert per page's writes (all its batches) and no vendor call.
 */
import { randomUUID } from 'node:crypto';
import type { ConnectorRecord, Fields } from '../../connectors/sdk/contract';
import { type Side, otherSide } from './definition';
import { type CompiledSync, fieldOn } from './compile';
import { type RunContext, nowIso } from './context';
import type { IntendedWrite, WriteIntent } from './ports';
import { fieldOf, hasField } from './values';
import { type PendingWrite, type WriteJournal, executeWrites } from './write';

/**
 * The origin of a write from `source` to the other side: the source record's values of the
 * mappings whose target fields the write sets.
 */
export function originOf(
  sync: CompiledSync,
  source: Side,
  record: ConnectorRecord,
  written: Fields,
): { id: string; fields: Fields } {
  const target = otherSide(source);
  const fields: Fields = {};
  for (const mapping of sync.mappings) {
    if (!hasField(written, fieldOn(mapping, target))) continue;
    const name = fieldOn(mapping, source);
    fields[name] = fieldOf(record.fields, name);
  }
  return { id: record.id, fields };
}

function intentMode(mode: PendingWrite['mode']): WriteIntent['mode'] | null {
  switch (mode) {
    case 'create':
    case 'update':
    case 'upsert':
      return mode;
    // A delete that went through is found gone by the next run.
    case 'delete':
      return null;
    default: {
      const unreachable: never = mode;
      return unreachable;
    }
  }
}

/** A batch's intent: what it will write and from which source values; none without origins. */
function intentOf(context: RunContext, batch: readonly PendingWrite[]): WriteIntent | undefined {
  const first = batch.at(0);
  const mode = first === undefined ? null : intentMode(first.mode);
  if (first === undefined || mode === null) return undefined;
  const writes: IntendedWrite[] = [];
  for (const write of batch) {
    if (write.origin === undefined) continue;
    writes.push({
      sourceId: write.origin.id,
      targetId: write.operation.id ?? null,
      fields: write.operation.fields,
      sourceFields: write.origin.fields,
    });
  }
  if (writes.length === 0) return undefined;
  return {
    id: randomUUID(),
    syncId: context.sync.definition.id,
    runId: context.runId,
    side: first.side,
    mode,
    matchField: first.matchField ?? null,
    writes,
    at: nowIso(context),
  };
}

/**
 * The journal of a run: one intent per batch of writes that carry their origin, the intents of
 * a page's batches recorded together before the first is sent.
 */
export function journalOf(context: RunContext): WriteJournal {
  return {
    open: async (batches) => {
      const intents = batches.map((batch) => intentOf(context, batch));
      const recorded = intents.filter((intent): intent is WriteIntent => intent !== undefined);
      if (recorded.length > 0) await context.store.recordWriteIntents(recorded);
      return intents.map((intent) => intent?.id);
    },
    jobStarted: (intentId, ticket) => context.store.recordIntentJob(intentId, ticket),
    clock: context.clock,
  };
}

/** Intents whose batches were answered: the page's commit records their outcome and closes them. */
export function answeredIntents(writes: readonly PendingWrite[]): string[] {
  const answered = new Set<string>();
  const unanswered = new Set<string>();
  for (const write of writes) {
    if (write.intentId === undefined) continue;
    (write.unanswered === true ? unanswered : answered).add(write.intentId);
  }
  return [...answered].filter((id) => !unanswered.has(id));
}

/** Runs the run's pending writes, each batch journaled as an intent; none: no call. */
export async function writeInRun(context: RunContext, writes: PendingWrite[]): Promise<void> {
  if (writes.length === 0) return;
  await executeWrites(
    context.connectors,
    context.objects,
    writes,
    context.signal,
    journalOf(context),
  );
}
