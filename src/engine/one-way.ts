/**
 * What the two one-way kinds share (DESIGN-facing README, "Sync kinds"): events and audience syncs
 * read their left side incrementally from its cursor, as a records sync reads a side, and hand each
 * page to their own step; each page's outcome commits with the cursor in one transaction. The left
 * side is the source, the right side the destination; nothing is ever written to the left.
 */
import {
  type AnyConnector,
  type Capability,
  type Clock,
  type ConnectorCore,
  recordSideProblem,
} from '../../connectors/sdk/contract';
import type {
  ConnectorRecord,
  DeletedRecord,
  SourceCapability,
} from '../../connectors/sdk/contract';
import { type AnySyncDefinition, type Side, type SyncKind, kindOf } from './definition';
import { type ValidationProblem, validateSyncDefinition } from './validate';
import { consentProblems } from './identifiers';
import { DEFAULT_MAX_ATTEMPTS } from './definition';
import { readAhead } from './prefetch';
import { type RunProgress, throwIfCancelled } from './context';
import {
  advanceCursor,
  advanceDeletes,
  alreadyCommitted,
  completeRead,
  completeUnorderedRead,
  deletesStart,
  emptyCursor,
  fullReadCursor,
  holdCursor,
  overlapOf,
  readIsOrdered,
  readStart,
  readStartedAtOf,
  readTraitsOf,
} from './cursor';
import { type CompiledTransform, compileTransform } from './transforms';
import {
  type LedgerEvent,
  type LedgerMember,
  type RecordEvent,
  type RunCounters,
  type SyncCursor,
  type SyncStore,
  addCounters,
  emptyCounters,
} from './ports';

/**
 * Why a connector cannot be `side` of a sync of `kind`, or undefined when it can: a records sync
 * reads and writes records on both sides; an events or audience sync reads its left side and
 * sends events to, or keeps an audience of, its right side.
 */
export function sideProblem(
  kind: SyncKind,
  side: Side,
  connector: { kind: string; capabilities: readonly Capability[] },
): string | undefined {
  if (kind === 'records') return recordSideProblem(connector);
  const needs: Capability = side === 'left' ? 'source' : kind === 'events' ? 'events' : 'audiences';
  if (connector.capabilities.includes(needs)) return undefined;
  const has = connector.capabilities.length === 0 ? 'none' : connector.capabilities.join(', ');
  const role =
    side === 'left'
      ? `the source (left side) of an ${kind} sync, which reads its records`
      : kind === 'events'
        ? 'the destination (right side) of an events sync, which sends it events'
        : 'the destination (right side) of an audience sync, which changes the members of its audience';
  return `${connector.kind} connections cannot be ${role}: they lack the ${needs} capability (${connector.kind} has: ${has})`;
}

/**
 * Every problem of an events or audience definition with these connections: the engine's rules,
 * each side's capability for its part, and consent signals the destination does not take.
 */
export function oneWayProblems(
  definition: AnySyncDefinition,
  source: AnyConnector,
  destination: AnyConnector,
): ValidationProblem[] {
  const kind = kindOf(definition);
  const problems = validateSyncDefinition(definition);
  if (kind === 'records')
    problems.push({ path: 'kind', problem: 'a records sync is not one-way: it reads both sides' });
  else
    for (const [side, connector] of [
      ['left', source],
      ['right', destination],
    ] as const) {
      const problem = sideProblem(kind, side, connector);
      if (problem !== undefined) problems.push({ path: `${side}.connectionId`, problem });
    }
  if (definition.left.audience !== undefined && source.readAudience === undefined)
    problems.push({
      path: 'left.audience',
      problem: `${source.kind} connections cannot read the members of a list or tag: leave left.audience out to read every record of ${definition.left.object}`,
    });
  problems.push(...consentProblems(definition, destination));
  return problems;
}

/** What a caller gives to build a one-way run's context: connections of capabilities checked. */
export type OneWayBase = Omit<Parameters<typeof oneWayContext>[0], 'source' | 'destination'> & {
  source: AnyConnector;
  destination: AnyConnector;
};

/** The source of a one-way sync: a connector that reads. */
export type SourceConnector = ConnectorCore & SourceCapability;

export interface OneWayContext<D extends ConnectorCore> {
  definition: AnySyncDefinition;
  source: SourceConnector;
  destination: D;
  store: SyncStore;
  runId: string;
  clock: Clock;
  signal: AbortSignal | undefined;
  pageSize: number;
  overlapMs: number;
  maxAttempts: number;
  onProgress: ((progress: RunProgress) => void) | undefined;
  counters: RunCounters;
  callsSeen: { left: number; right: number };
  /** The mappings, compiled once: source field, destination field, transform. */
  mappings: Array<{ left: string; right: string; transform: CompiledTransform }>;
  /** The fields to read from the source. */
  readFields: string[];
}

export function oneWayContext<D extends ConnectorCore>(
  base: Pick<
    OneWayContext<D>,
    | 'definition'
    | 'source'
    | 'destination'
    | 'store'
    | 'runId'
    | 'clock'
    | 'signal'
    | 'pageSize'
    | 'onProgress'
    | 'counters'
  >,
  extraFields: readonly string[] = [],
): OneWayContext<D> {
  const { definition } = base;
  const mappings = definition.mappings
    .filter((mapping) => mapping.direction === 'both' || mapping.direction === 'left_to_right')
    .map((mapping) => ({
      left: mapping.left,
      right: mapping.right,
      transform: compileTransform(
        mapping.transforms?.leftToRight,
        `mappings[${String(definition.mappings.indexOf(mapping))}].transforms.leftToRight`,
      ),
    }));
  const readFields = new Set<string>([
    ...mappings.map((mapping) => mapping.left),
    ...Object.values(definition.identifiers ?? {}).filter(
      (field): field is string => typeof field === 'string',
    ),
    ...(definition.left.filter?.conditions ?? []).map((condition) => condition.field),
    ...Object.values(definition.consent ?? {}),
    ...extraFields,
  ]);
  return {
    ...base,
    overlapMs: overlapOf(definition.overlapMs, readTraitsOf(base.source, definition.left.object)),
    maxAttempts: definition.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    callsSeen: { left: base.source.callCount(), right: base.destination.callCount() },
    mappings,
    readFields: [...readFields],
  };
}

export function nowOf(context: { clock: Clock }): string {
  return context.clock.now().toISOString();
}

/** The destination's fields of a record, by the mappings; throws a transform's error. */
export async function mappedFields(
  context: Pick<OneWayContext<ConnectorCore>, 'mappings'>,
  record: ConnectorRecord,
): Promise<ConnectorRecord['fields']> {
  const fields: ConnectorRecord['fields'] = {};
  for (const mapping of context.mappings)
    fields[mapping.right] = await mapping.transform(
      record.fields[mapping.left] ?? null,
      record.fields,
    );
  return fields;
}

/** The outcome of some pages: log lines, counters, ledger rows and, when reading, the cursor. */
export interface OneWayPage {
  events: RecordEvent[];
  counters: RunCounters;
  cursor?: SyncCursor;
  /** The destination's cursor (an audience sync's open vendor job). */
  destinationCursor?: SyncCursor;
  settleEvents?: LedgerEvent[];
  settleMembers?: LedgerMember[];
}

export function emptyPage(): OneWayPage {
  return { events: [], counters: emptyCounters() };
}

/** Commits a page's outcome in one transaction and adds its counters to the run's. */
export async function commitOneWay<D extends ConnectorCore>(
  context: OneWayContext<D>,
  page: OneWayPage,
): Promise<void> {
  const left = context.source.callCount();
  const right = context.destination.callCount();
  page.counters.apiCalls = {
    left: left - context.callsSeen.left,
    right: right - context.callsSeen.right,
  };
  context.callsSeen = { left, right };
  await context.store.commitPage({
    syncId: context.definition.id,
    runId: context.runId,
    upsertLinks: [],
    removeLinks: [],
    events: page.events,
    upsertFailed: [],
    clearFailed: [],
    openConflicts: [],
    appliedConflicts: [],
    cursors: {
      ...(page.cursor === undefined ? {} : { left: page.cursor }),
      ...(page.destinationCursor === undefined ? {} : { right: page.destinationCursor }),
    },
    counters: page.counters,
    ...(page.settleEvents === undefined ? {} : { settleEvents: page.settleEvents }),
    ...(page.settleMembers === undefined ? {} : { settleMembers: page.settleMembers }),
  });
  addCounters(context.counters, page.counters);
  const { counters } = context;
  context.onProgress?.({
    runId: context.runId,
    read: counters.read,
    written: counters.sent + counters.duplicates + counters.added + counters.removed,
    counters: { ...counters, apiCalls: { ...counters.apiCalls } },
  });
}

/**
 * Where a one-way kind puts what it reads: pages are planned as they come (`add`), and what they
 * ask of the destination is sent in batches (`flush`), so a run of scattered changes costs about
 * one call per full batch, not one per page read. The cursor moves past the pages a flush covered,
 * in the flush's own commit: a change is never behind the cursor before it was asked for.
 */
export interface PageSink {
  add(records: ConnectorRecord[]): Promise<void>;
  /** Whether enough waits to fill a batch of the destination. */
  full(): boolean;
  /** Sends what waits; returns the outcome of the pages planned since the last flush. */
  flush(): Promise<OneWayPage>;
}

/** Pages read between two commits at most, whatever waits (a bound on what a crash re-reads). */
export const MAX_PAGES_PER_COMMIT = 20;

/** Reads the source's changes from its cursor page by page into `sink`. */
export async function readSource<D extends ConnectorCore>(
  context: OneWayContext<D>,
  sink: PageSink,
  options: { fromStart?: boolean } = {},
): Promise<void> {
  const { definition, source, store } = context;
  const object = definition.left.object;
  const traits = readTraitsOf(source, object);
  const stored = (await store.getCursor(definition.id, 'left')) ?? emptyCursor();
  // A full read keeps the deletes' cursor: only the changes' read starts over.
  const initial = options.fromStart === true ? fullReadCursor(stored) : stored;
  const ordered = readIsOrdered(initial, traits);
  const readStartedAt = readStartedAtOf(initial, nowOf(context));
  let cursor = initial;
  let read = 0;
  let pages = 0;
  const flush = async (at: SyncCursor): Promise<void> => {
    const outcome = await sink.flush();
    outcome.counters.read += read;
    read = 0;
    pages = 0;
    await commitOneWay(context, { ...outcome, cursor: at });
  };
  const reading = readAhead(
    source.read({
      object,
      fields: context.readFields,
      pageSize: context.pageSize,
      ...readStart(initial, context.overlapMs),
    }),
  );
  for await (const page of reading) {
    throwIfCancelled(context.signal);
    const fresh = page.records.filter(
      (record) => !alreadyCommitted(initial, record, context.overlapMs),
    );
    cursor = ordered
      ? advanceCursor(cursor, page.records, page.checkpoint)
      : holdCursor(cursor, page.checkpoint, readStartedAt);
    await sink.add(fresh);
    read += page.records.length;
    pages++;
    if (sink.full() || pages >= MAX_PAGES_PER_COMMIT) await flush(cursor);
  }
  await flush(
    ordered
      ? completeRead(cursor)
      : completeUnorderedRead(holdCursor(cursor, null, readStartedAt), traits.lagMs ?? 0),
  );
}

/** Reads the deletes the source reports since its cursor and hands each page to `handle`. */
export async function readSourceDeletes<D extends ConnectorCore>(
  context: OneWayContext<D>,
  handle: (deleted: DeletedRecord[]) => Promise<OneWayPage>,
): Promise<void> {
  const { definition, source, store } = context;
  if (source.readDeleted === undefined) return;
  let cursor = (await store.getCursor(definition.id, 'left')) ?? emptyCursor();
  const since = deletesStart(cursor, context.overlapMs);
  const pages = source.readDeleted({
    object: definition.left.object,
    pageSize: context.pageSize,
    ...(since === undefined ? {} : { since }),
  });
  for await (const page of pages) {
    throwIfCancelled(context.signal);
    cursor = advanceDeletes(
      cursor,
      page.records.map((record) => record.deletedAt),
    );
    await commitOneWay(context, { ...(await handle(page.records)), cursor });
  }
}
