/**
 * Preview (dry run): the pipeline up to the planned writes (DESIGN.md steps 2 to 6) on a sample or
 * on given records, without writing to a vendor and without committing anything.
 */
import type { RecordConnector, ConnectorRecord, FieldValue } from '../../connectors/sdk/contract';
import type { Side, SyncDefinition } from './definition';
import { otherSide } from './definition';
import { compileSync, fieldOn, optOutLookup } from './compile';
import { planPage, type PlanItem } from './plan';
import type { SyncStore } from './ports';
import { type ValidationProblem, validateSyncDefinition } from './validate';
import { fieldOf } from './values';

export interface PreviewOptions {
  definition: SyncDefinition;
  left: RecordConnector;
  right: RecordConnector;
  /** Only read: links decide what is an update and what a create. */
  store: Pick<SyncStore, 'findLinks'>;
  /** Records per source side, from the start of a full read. Default 100. */
  sample?: number;
  /** Preview these records instead of a sample. */
  recordIds?: Partial<Record<Side, string[]>>;
  pageSize?: number;
}

export interface PlannedCreate {
  /** The side the record would be created on. */
  side: Side;
  sourceId: string;
  fields: Record<string, FieldValue>;
}

export interface FieldDiff {
  field: string;
  from: FieldValue;
  to: FieldValue;
}

export interface PlannedUpdate {
  /** The side written. */
  side: Side;
  id: string;
  sourceId: string;
  /** True when the pair would be linked by matching first. */
  newLink: boolean;
  changes: FieldDiff[];
}

export interface PlannedConflict {
  leftId: string;
  rightId: string;
  leftField: string;
  rightField: string;
  leftValue: FieldValue;
  rightValue: FieldValue;
}

export interface PlannedSkip {
  side: Side;
  id: string;
  action: 'skipped' | 'ambiguous_match' | 'failed' | 'too_old' | 'no_consent';
  message: string;
}

/** An event an events sync would send. */
export interface PlannedEvent {
  sourceId: string;
  key: string;
  occurredAt: string;
  fields: Record<string, FieldValue>;
  /** The identifier types it would carry (their values leave only hashed, and are not shown). */
  identifiers: string[];
}

/** A person an audience sync would add or remove. */
export interface PlannedMember {
  /** The source record. */
  key: string;
  identifiers: string[];
}

/**
 * How the records read on one side fared against the other side: the match-rate estimate shown
 * before a first run. Records a filter leaves out are not counted.
 */
export interface MatchEstimate {
  /** Records of this side considered (read, less those filtered out). */
  considered: number;
  /** Already linked to a record of the other side. */
  linked: number;
  /** Would be linked by matching. */
  matched: number;
  /** No match: would be created on the other side. */
  created: number;
  /** More than one candidate, or one already linked elsewhere: left alone. */
  ambiguous: number;
}

export interface SyncPreview {
  problems: ValidationProblem[];
  read: number;
  creates: PlannedCreate[];
  updates: PlannedUpdate[];
  conflicts: PlannedConflict[];
  skipped: PlannedSkip[];
  unchanged: number;
  /** Events syncs: what would be sent. */
  events: PlannedEvent[];
  /** Audience syncs: who would be added and removed. */
  adds: PlannedMember[];
  removes: PlannedMember[];
  /** Records syncs: per source side, how its records would match (zero for a side not read). */
  matching: Record<Side, MatchEstimate>;
}

function noEstimate(): MatchEstimate {
  return { considered: 0, linked: 0, matched: 0, created: 0, ambiguous: 0 };
}

/** A preview with nothing in it yet. */
export function emptyPreview(problems: ValidationProblem[]): SyncPreview {
  return {
    problems,
    read: 0,
    creates: [],
    updates: [],
    conflicts: [],
    skipped: [],
    unchanged: 0,
    events: [],
    adds: [],
    removes: [],
    matching: { left: noEstimate(), right: noEstimate() },
  };
}

/** Counts the item in its source side's match estimate. */
function estimate(preview: SyncPreview, item: PlanItem): void {
  const counts = preview.matching[item.source];
  if (item.kind === 'skipped' && item.quiet) return;
  counts.considered++;
  if (item.kind === 'unchanged' || (item.kind === 'pair' && item.link !== null)) counts.linked++;
  else if (item.kind === 'pair') counts.matched++;
  else if (item.kind === 'create') counts.created++;
  else if (item.kind === 'skipped' && item.action === 'ambiguous_match') counts.ambiguous++;
}

async function* sampleOf(
  options: PreviewOptions,
  side: Side,
  fields: string[],
  limit: number,
): AsyncGenerator<ConnectorRecord[]> {
  const connector = options[side];
  const object = options.definition[side].object;
  const ids = options.recordIds?.[side];
  if (options.recordIds !== undefined) {
    if (ids !== undefined && ids.length > 0) yield await connector.get(object, ids, fields);
    return;
  }
  let left = limit;
  const pages = connector.read({
    object,
    fields,
    pageSize: Math.min(limit, options.pageSize ?? limit),
  });
  for await (const page of pages) {
    const records = page.records.slice(0, left);
    left -= records.length;
    if (records.length > 0) yield records;
    if (left <= 0) return;
  }
}

function addItem(preview: SyncPreview, item: PlanItem, seenPairs: Set<string>): void {
  switch (item.kind) {
    case 'unchanged':
      preview.unchanged++;
      return;
    case 'skipped':
      if (!item.quiet)
        preview.skipped.push({
          side: item.source,
          id: item.record.id,
          action: item.action,
          message: item.message,
        });
      return;
    case 'invalid':
      preview.skipped.push({
        side: item.source,
        id: item.record.id,
        action: 'failed',
        message: item.message,
      });
      return;
    case 'create':
      preview.creates.push({
        side: item.target,
        sourceId: item.record.id,
        fields: { ...item.write.operation.fields },
      });
      return;
    case 'pair': {
      const key = `${item.left.id}\u0000${item.right.id}`;
      // In a run the second side finds the snapshot the first committed; here nothing is committed.
      if (seenPairs.has(key)) return;
      seenPairs.add(key);
      for (const side of ['left', 'right'] as const) {
        const write = item.writes[side];
        if (write === undefined) continue;
        const record = side === 'left' ? item.left : item.right;
        const changes = Object.entries(write.operation.fields).map(([field, to]) => ({
          field,
          from: fieldOf(record.fields, field),
          to,
        }));
        const source = otherSide(side);
        preview.updates.push({
          side,
          id: record.id,
          sourceId: (source === 'left' ? item.left : item.right).id,
          newLink: item.link === null,
          changes,
        });
      }
      for (const conflict of item.merge.conflicts) {
        preview.conflicts.push({
          leftId: item.left.id,
          rightId: item.right.id,
          leftField: fieldOn(conflict.mapping, 'left'),
          rightField: fieldOn(conflict.mapping, 'right'),
          leftValue: conflict.leftValue,
          rightValue: conflict.rightValue,
        });
      }
      if (
        item.writes.left === undefined &&
        item.writes.right === undefined &&
        item.merge.conflicts.length === 0
      )
        preview.unchanged++;
      return;
    }
    default: {
      const unreachable: never = item;
      return unreachable;
    }
  }
}

export async function previewSync(options: PreviewOptions): Promise<SyncPreview> {
  const preview = emptyPreview(validateSyncDefinition(options.definition));
  if (preview.problems.length > 0) return preview;
  const connectors = { left: options.left, right: options.right };
  const sync = compileSync(
    options.definition,
    optOutLookup(connectors, {
      left: options.definition.left.object,
      right: options.definition.right.object,
    }),
  );
  const context = {
    sync,
    connectors,
    store: options.store,
  };
  const seenPairs = new Set<string>();
  for (const side of sync.sourceSides) {
    for await (const records of sampleOf(
      options,
      side,
      sync.readFields[side],
      options.sample ?? 100,
    )) {
      preview.read += records.length;
      for (const item of await planPage(context, side, records)) {
        estimate(preview, item);
        addItem(preview, item, seenPairs);
      }
    }
  }
  return preview;
}
