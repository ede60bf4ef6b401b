/**
 * Planning one page of source records (DESIGN.md steps 3 to 6 without the writes): filter, find
 * links in one store call, fetch the other side of changed linked records in one get, match the
 * unlinked in one lookup, merge, and turn the result into pending writes.
 */
import type { RecordConnector, ConnectorRecord, Fields } from '../../connectors/sdk/contract';
import { type Side, otherSide } from './definition';
import { type CompiledSync, fieldOn, flowsFrom, transformFrom } from './compile';
import { readTraitsOf } from './cursor';
import { passesFilter } from './filters';
import { TransformError } from './format';
import { originOf } from './intents';
import { matchRecords } from './match';
import { type PairMerge, hasChangesFrom, mergePair } from './merge';
import type { RecordLink, SyncStore } from './ports';
import type { PendingWrite } from './write';
import { fieldOf, isBlank } from './values';

export interface PlanContext {
  sync: CompiledSync;
  connectors: Record<Side, RecordConnector>;
  store: Pick<SyncStore, 'findLinks'>;
}

export type PlanItem =
  /** A linked (or just matched) pair after the merge; `writes` per side that gets one. */
  | {
      kind: 'pair';
      source: Side;
      left: ConnectorRecord;
      right: ConnectorRecord;
      /** null: linked just now by matching. */
      link: RecordLink | null;
      merge: PairMerge;
      writes: Partial<Record<Side, PendingWrite>>;
    }
  | { kind: 'create'; source: Side; record: ConnectorRecord; target: Side; write: PendingWrite }
  /** Linked, and nothing that can flow from it changed since the snapshot. */
  | { kind: 'unchanged'; source: Side; record: ConnectorRecord }
  | {
      kind: 'skipped';
      source: Side;
      record: ConnectorRecord;
      action: 'skipped' | 'ambiguous_match';
      message: string;
      otherId: string | null;
      /** Filtered out: counted, not logged (it would flood the sync log). */
      quiet: boolean;
    }
  /** A transform failed on this record's values. */
  | {
      kind: 'invalid';
      source: Side;
      record: ConnectorRecord;
      otherId: string | null;
      message: string;
    };

function pairOf(
  side: Side,
  record: ConnectorRecord,
  other: ConnectorRecord,
): { left: ConnectorRecord; right: ConnectorRecord } {
  return side === 'left' ? { left: record, right: other } : { left: other, right: record };
}

function otherIdOf(link: RecordLink, side: Side): string {
  return side === 'left' ? link.rightId : link.leftId;
}

/** The coarser of the two sides' updatedAt precisions (a vendor's whole seconds, say). */
function stampPrecisionOf(context: PlanContext): number {
  const { connectors, sync } = context;
  return Math.max(
    readTraitsOf(connectors.left, sync.definition.left.object).timestampPrecisionMs,
    readTraitsOf(connectors.right, sync.definition.right.object).timestampPrecisionMs,
  );
}

async function planPair(
  context: PlanContext,
  source: Side,
  record: ConnectorRecord,
  other: ConnectorRecord,
  link: RecordLink | null,
): Promise<PlanItem> {
  const { sync } = context;
  const { left, right } = pairOf(source, record, other);
  let merge: PairMerge;
  try {
    merge = await mergePair(sync, left, right, link?.snapshot ?? null, stampPrecisionOf(context));
  } catch (error) {
    if (!(error instanceof TransformError)) throw error;
    return { kind: 'invalid', source, record, otherId: other.id, message: error.message };
  }
  const writes: Partial<Record<Side, PendingWrite>> = {};
  for (const side of ['left', 'right'] as const) {
    if (sync.definition[side].writeMode === 'create') {
      // Insert-only side: existing records are never updated, so the change is absorbed.
      for (const decision of merge.decisions)
        if (decision.write?.side === side) decision.write = null;
      merge.writes[side] = {};
      continue;
    }
    const fields = merge.writes[side];
    if (Object.keys(fields).length === 0) continue;
    const from = otherSide(side);
    writes[side] = {
      side,
      mode: 'update',
      operation: { id: side === 'left' ? left.id : right.id, fields },
      origin: originOf(sync, from, from === 'left' ? left : right, fields),
    };
  }
  return { kind: 'pair', source, left, right, link, merge, writes };
}

async function planCreate(
  context: PlanContext,
  source: Side,
  record: ConnectorRecord,
): Promise<PlanItem> {
  const { sync } = context;
  const { definition } = sync;
  const target = otherSide(source);
  const mode = definition[target].writeMode;
  const skip = (message: string): PlanItem => ({
    kind: 'skipped',
    source,
    record,
    action: 'skipped',
    message,
    otherId: null,
    quiet: false,
  });
  if (mode === 'update')
    return skip(`no ${target} record matches and the ${target} side is update-only`);
  const key = fieldOf(record.fields, definition.match[source]);
  if (mode === 'upsert' && isBlank(key))
    return skip(`no match key (${definition.match[source]}) to upsert by`);
  const fields: Fields = {};
  try {
    for (const mapping of sync.mappings) {
      if (!flowsFrom(mapping, source)) continue;
      const value = await transformFrom(mapping, source)(
        fieldOf(record.fields, fieldOn(mapping, source)),
        record.fields,
      );
      if (!isBlank(value)) fields[fieldOn(mapping, target)] = value;
    }
  } catch (error) {
    if (!(error instanceof TransformError)) throw error;
    return { kind: 'invalid', source, record, otherId: null, message: error.message };
  }
  const matchField = definition.match[target];
  if (!isBlank(key) && !Object.prototype.hasOwnProperty.call(fields, matchField))
    fields[matchField] = key;
  const origin = originOf(sync, source, record, fields);
  const write: PendingWrite =
    mode === 'upsert'
      ? { side: target, mode: 'upsert', matchField, operation: { fields }, origin }
      : { side: target, mode: 'create', operation: { fields }, origin };
  return { kind: 'create', source, record, target, write };
}

/** Plans the linked records changed since their snapshot, with the other side's current version. */
async function planChangedLinked(
  context: PlanContext,
  source: Side,
  records: readonly ConnectorRecord[],
  changedLinked: readonly number[],
  links: ReadonlyMap<string, RecordLink>,
  items: Array<PlanItem | undefined>,
): Promise<void> {
  const { sync, connectors } = context;
  const { definition } = sync;
  const other = otherSide(source);
  // The other side's current version, so a record changed on both sides is merged once, with both.
  const otherIds = changedLinked.map((index) =>
    otherIdOf(links.get(records[index].id) as RecordLink, source),
  );
  const current = new Map<string, ConnectorRecord>();
  for (const found of await connectors[other].get(
    definition[other].object,
    otherIds,
    sync.readFields[other],
  ))
    current.set(found.id, found);
  for (const index of changedLinked) {
    const record = records[index];
    const link = links.get(record.id) as RecordLink;
    const otherId = otherIdOf(link, source);
    const otherRecord = current.get(otherId);
    items[index] =
      otherRecord === undefined
        ? {
            kind: 'skipped',
            source,
            record,
            action: 'skipped',
            message: `linked ${other} record ${otherId} not found`,
            otherId,
            quiet: false,
          }
        : await planPair(context, source, record, otherRecord, link);
  }
}

/** Plans the records with no link: paired with their match, created, or skipped as ambiguous. */
async function planUnlinked(
  context: PlanContext,
  source: Side,
  records: readonly ConnectorRecord[],
  unlinked: readonly number[],
  items: Array<PlanItem | undefined>,
): Promise<void> {
  const unlinkedRecords = unlinked.map((index) => records[index]);
  const outcomes = await matchRecords(context, source, unlinkedRecords);
  for (let position = 0; position < unlinked.length; position++) {
    const index = unlinked[position];
    const record = records[index];
    const outcome = outcomes[position];
    switch (outcome.kind) {
      case 'matched':
        items[index] = await planPair(context, source, record, outcome.other, null);
        break;
      case 'none':
      case 'no_key':
        items[index] = await planCreate(context, source, record);
        break;
      case 'ambiguous':
        items[index] = {
          kind: 'skipped',
          source,
          record,
          action: 'ambiguous_match',
          message: outcome.message,
          otherId: null,
          quiet: false,
        };
        break;
      default: {
        const unreachable: never = outcome;
        throw new Error(`Unknown match outcome ${JSON.stringify(unreachable)}`);
      }
    }
  }
}

/** Plans a page of records read on `source`; one item per record, in order. */
export async function planPage(
  context: PlanContext,
  source: Side,
  records: readonly ConnectorRecord[],
): Promise<PlanItem[]> {
  const { sync, store } = context;
  const { definition } = sync;
  const items: Array<PlanItem | undefined> = new Array<PlanItem | undefined>(records.length);

  const active: number[] = [];
  records.forEach((record, index) => {
    if (passesFilter(record.fields, definition[source].filter)) active.push(index);
    else
      items[index] = {
        kind: 'skipped',
        source,
        record,
        action: 'skipped',
        message: 'filtered out',
        otherId: null,
        quiet: true,
      };
  });
  const activeIds = active.map((index) => records[index].id);
  const links = new Map<string, RecordLink>();
  if (activeIds.length > 0) {
    for (const link of await store.findLinks(definition.id, source, activeIds))
      links.set(source === 'left' ? link.leftId : link.rightId, link);
  }

  const changedLinked: number[] = [];
  const unlinked: number[] = [];
  for (const index of active) {
    const record = records[index];
    const link = links.get(record.id);
    if (link === undefined) unlinked.push(index);
    else if (hasChangesFrom(sync, source, record.fields, link.snapshot)) changedLinked.push(index);
    else items[index] = { kind: 'unchanged', source, record };
  }

  if (changedLinked.length > 0)
    await planChangedLinked(context, source, records, changedLinked, links, items);
  if (unlinked.length > 0) await planUnlinked(context, source, records, unlinked, items);
  return items.map((item, index) => item ?? { kind: 'unchanged', source, record: records[index] });
}

/** The pending writes of planned items, in order. */
export function pendingWrites(items: readonly PlanItem[]): PendingWrite[] {
  const writes: PendingWrite[] = [];
  for (const item of items) {
    if (item.kind === 'create') writes.push(item.write);
    else if (item.kind === 'pair') {
      if (item.writes.left !== undefined) writes.push(item.writes.left);
      if (item.writes.right !== undefined) writes.push(item.writes.right);
    }
  }
  return writes;
}
