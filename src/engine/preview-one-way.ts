/**
 * Preview of the one-way kinds: a sample of the source planned as a run would plan it (the same
 * filter, keys, identifiers, ledger lookups), reported instead of sent. Nothing is sent, and
 * nothing is committed: the events that would be sent, and the people who would be added to or
 * removed from the audience.
 */
import type {
  AnyConnector,
  Connector,
  ConnectorRecord,
  Identifiers,
} from '../../connectors/sdk/contract';
import { systemClock } from '../../connectors/sdk/clock';
import { ConnectorError } from '../../connectors/sdk/errors';
import type { AnySyncDefinition } from './definition';
import { kindOf } from './definition';
import { emptyPage, oneWayProblems } from './one-way';
import type { LedgerEvent, SyncStore } from './ports';
import { type SyncPreview, emptyPreview } from './preview';
import { type Change, audienceContext } from './audience-changes';
import { planMembers } from './audience-plan';
import { checkAudience } from './run-audience';
import { eventsContext, planEvents } from './run-events';

export interface OneWayPreviewOptions {
  definition: AnySyncDefinition;
  source: AnyConnector;
  destination: AnyConnector;
  /** Only read: the ledgers say what was sent or pushed already. */
  store: SyncStore;
  /** Records read from the start of a full read. Default 100. */
  sample?: number;
  /** Preview these source records (by id) instead of a sample. */
  recordIds?: string[];
}

async function* mapPages<T, U>(pages: AsyncIterable<T>, map: (page: T) => U): AsyncIterable<U> {
  for await (const page of pages) yield map(page);
}

function identifierTypes(identifiers: Identifiers): string[] {
  return Object.keys(identifiers).sort();
}

async function sampleOf(
  source: AnyConnector & Connector<'source'>,
  definition: AnySyncDefinition,
  fields: string[],
  options: OneWayPreviewOptions,
): Promise<ConnectorRecord[]> {
  const object = definition.left.object;
  if (options.recordIds !== undefined) {
    if (source.get === undefined)
      throw new ConnectorError(
        'bad_request',
        `${source.kind} connections cannot read records by id: preview a sample instead`,
      );
    return options.recordIds.length === 0 ? [] : source.get(object, options.recordIds, fields);
  }
  const limit = options.sample ?? 100;
  const records: ConnectorRecord[] = [];
  const list = definition.left.audience;
  // The first members of the source's list or tag, or the first records of a full read.
  const pages =
    list === undefined || source.readAudience === undefined
      ? mapPages(source.read({ object, fields, pageSize: limit }), (page) => page.records)
      : source.readAudience({ object, audience: list, fields, pageSize: limit });
  for await (const page of pages) {
    records.push(...page.slice(0, limit - records.length));
    if (records.length >= limit) break;
  }
  return records;
}

export async function previewOneWay(options: OneWayPreviewOptions): Promise<SyncPreview> {
  const { definition, source, destination } = options;
  const preview = emptyPreview(oneWayProblems(definition, source, destination));
  if (preview.problems.length > 0) return preview;
  const base = {
    definition,
    source,
    destination,
    store: options.store,
    runId: 'preview',
    clock: systemClock,
    signal: undefined,
    pageSize: options.sample ?? 100,
    onProgress: undefined,
    counters: emptyPage().counters,
  };
  const page = emptyPage();
  let planned: number;
  if (kindOf(definition) === 'events') {
    const context = eventsContext(base);
    const records = await sampleOf(context.source, definition, context.readFields, options);
    preview.read = records.length;
    const waiting = new Map<string, LedgerEvent>();
    await planEvents(context, records, page, waiting);
    planned = waiting.size;
    preview.events = [...waiting.values()].map((entry) => ({
      sourceId: entry.sourceId,
      key: entry.key,
      occurredAt: entry.occurredAt,
      fields: { ...(entry.payload?.fields ?? {}) },
      identifiers: identifierTypes(entry.payload?.identifiers ?? {}),
    }));
  } else {
    const context = audienceContext(base);
    try {
      await checkAudience(context);
    } catch (error) {
      preview.problems.push({
        path: 'right.object',
        problem: error instanceof Error ? error.message : String(error),
      });
      return preview;
    }
    const records = await sampleOf(context.source, definition, context.readFields, options);
    preview.read = records.length;
    const waiting = new Map<string, Change[]>();
    await planMembers(context, records, waiting, page);
    planned = waiting.size;
    for (const change of [...waiting.values()].flat()) {
      const member = {
        key: change.member.key,
        identifiers: identifierTypes(change.member.identifiers),
      };
      if (change.kind === 'add') preview.adds.push(member);
      else preview.removes.push(member);
    }
  }
  for (const line of page.events)
    if (line.action === 'failed' || line.action === 'too_old' || line.action === 'no_consent')
      preview.skipped.push({
        side: 'left',
        id: line.leftId ?? '',
        action: line.action,
        message: line.message ?? '',
      });
  preview.unchanged = Math.max(0, preview.read - planned - preview.skipped.length);
  return preview;
}
