/**
 * Reads. Incremental: search on the last-modified property, ascending, ties in id order; before a
 * query reaches HubSpot's 10,000-result cap a new query starts from the last (timestamp, id) read
 * (`= T and id > last` OR `> T`). Full: list paging by `after`. Deletes: archived records.
 */
import type {
  Checkpoint,
  ConnectorRecord,
  DeletedPage,
  DeletedRecord,
  ReadDeletedRequest,
  ReadPage,
  ReadRequest,
} from '../sdk/contract';
import { ConnectorError } from '../sdk/errors';
import { normalizeDatetime } from '../sdk/normalize';
import { paginate } from '../sdk/paginate';
import type { HubSpotCalls } from './calls';
import { type SchemaCache, lastModifiedOf } from './discover';
import { HUBSPOT } from './limits';
import type { WireRecord, WireSearch } from './sdk-client';
import { type Schema, fieldsFromWire } from './values';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export interface ReadContext {
  calls: HubSpotCalls;
  schemas: SchemaCache;
}

/** (updatedAt, id) of a record, where search and the engine order it. */
interface Position {
  at: string;
  id: string;
}

export function toRecord(
  object: string,
  schema: Schema,
  wire: WireRecord,
  fields: readonly string[],
): ConnectorRecord {
  const stamp = wire.properties[lastModifiedOf(object)] ?? wire.updatedAt;
  return {
    id: wire.id,
    updatedAt: normalizeDatetime(stamp) ?? wire.updatedAt,
    fields: fieldsFromWire(schema, wire.properties, fields),
  };
}

function byCursor(a: ConnectorRecord, b: ConnectorRecord): number {
  if (a.updatedAt !== b.updatedAt) return a.updatedAt < b.updatedAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function sinceOf(since: string | undefined): string | undefined {
  if (since === undefined) return undefined;
  try {
    return normalizeDatetime(since) ?? undefined;
  } catch {
    throw new ConnectorError('bad_request', `since is not a datetime: ${since}`);
  }
}

/** Fields to ask for: the requested ones plus the cursor property. */
export function propertiesFor(object: string, fields: readonly string[]): string[] {
  return [...new Set([...fields, lastModifiedOf(object), 'hs_object_id'])];
}

/** Filter groups for "after (at, id)" or "at or after since". */
function windowFilters(
  object: string,
  start: { since?: string; after?: Position },
): WireSearch['filterGroups'] {
  const stamp = lastModifiedOf(object);
  if (start.after !== undefined) {
    const at = String(Date.parse(start.after.at));
    return [
      {
        filters: [
          { propertyName: stamp, operator: 'EQ', value: at },
          { propertyName: 'hs_object_id', operator: 'GT', value: start.after.id },
        ],
      },
      { filters: [{ propertyName: stamp, operator: 'GT', value: at }] },
    ];
  }
  if (start.since !== undefined)
    return [
      {
        filters: [{ propertyName: stamp, operator: 'GTE', value: String(Date.parse(start.since)) }],
      },
    ];
  return [];
}

/** The ids of the records merged into a record, `;`-separated. */
const MERGED_IDS = 'hs_merged_object_ids';

async function* searchChanges(
  context: ReadContext,
  request: ReadRequest,
  pageSize: number,
  start: { since?: string; after?: Position },
): AsyncGenerator<ReadPage> {
  const { object } = request;
  const schema = await context.schemas.schema(object);
  const limit = Math.min(pageSize, HUBSPOT.maxSearchPage);
  const properties = propertiesFor(object, request.fields);
  let window = start;
  // One query pages by `after` until its end; before a page would cross the 10,000-result cap,
  // a new query starts after the last (timestamp, id) read.
  for (let offset: string | undefined; ;) {
    const body: WireSearch = {
      filterGroups: windowFilters(object, window),
      sorts: [{ propertyName: lastModifiedOf(object), direction: 'ASCENDING' }],
      properties,
      limit,
      ...(offset === undefined ? {} : { after: offset }),
    };
    const answer = await context.calls.run(
      { endpoint: `POST /crm/v3/objects/${object}/search`, idempotent: true, family: 'search' },
      (sdk) => sdk.search(object, body),
    );
    const records = answer.results
      .map((wire) => toRecord(object, schema, wire, request.fields))
      .sort(byCursor);
    const tail = records.at(-1);
    if (tail === undefined) return;
    const last: Position = { at: tail.updatedAt, id: tail.id };
    yield { records, checkpoint: { mode: 'search', updatedAt: last.at, id: last.id } };
    if (answer.after === undefined) return;
    if (Number(answer.after) + limit > HUBSPOT.maxSearchResults) {
      window = { after: last };
      offset = undefined;
    } else {
      offset = answer.after;
    }
  }
}

async function* listAll(
  context: ReadContext,
  request: ReadRequest,
  pageSize: number,
  startAfter: string | undefined,
): AsyncGenerator<ReadPage> {
  const { object } = request;
  const schema = await context.schemas.schema(object);
  const properties = propertiesFor(object, request.fields);
  const pages = paginate<{ results: WireRecord[]; after?: string }, WireRecord>({
    paging: {
      type: 'cursor',
      cursorParam: 'after',
      limitParam: 'limit',
      nextCursor: (body) => body.after,
    },
    pageSize: Math.min(pageSize, HUBSPOT.maxListPage),
    ...(startAfter === undefined ? {} : { start: { type: 'cursor', cursor: startAfter } }),
    fetchPage: async ({ params, limit }) => ({
      body: await context.calls.run(
        { endpoint: `GET /crm/v3/objects/${object}`, idempotent: true },
        (sdk) =>
          sdk.listPage(object, {
            limit,
            after: typeof params['after'] === 'string' ? params['after'] : undefined,
            properties,
            archived: false,
          }),
      ),
    }),
    items: (body) => body.results,
  });
  for await (const page of pages) {
    if (page.items.length === 0) return;
    const records = page.items.map((wire) => toRecord(object, schema, wire, request.fields));
    // Lists go in id order; `after` is where the next page starts (empty once the list is done).
    yield {
      records,
      checkpoint: { mode: 'list', after: page.next?.type === 'cursor' ? page.next.cursor : '' },
    };
    if (page.next === undefined) return;
  }
}

/** The start a checkpoint encodes, or undefined when it is not one of ours. */
function parseCheckpoint(
  checkpoint: Checkpoint | undefined,
): { after: Position } | { list: string } | undefined {
  if (checkpoint === undefined) return undefined;
  if (checkpoint['mode'] === 'search') {
    const { updatedAt, id } = checkpoint;
    if (
      typeof updatedAt === 'string' &&
      ISO.test(updatedAt) &&
      typeof id === 'string' &&
      /^\d+$/.test(id)
    )
      return { after: { at: updatedAt, id } };
  }
  if (checkpoint['mode'] === 'list' && typeof checkpoint['after'] === 'string')
    return { list: checkpoint['after'] };
  return undefined;
}

export async function* readChanges(
  context: ReadContext,
  request: ReadRequest,
  pageSize: number,
): AsyncGenerator<ReadPage> {
  const resume = parseCheckpoint(request.checkpoint);
  const since = sinceOf(request.since);
  if (resume !== undefined && 'list' in resume) {
    // A finished list has nothing left to read.
    if (resume.list === '') return;
    yield* listAll(context, request, pageSize, resume.list);
    return;
  }
  if (resume !== undefined) {
    yield* searchChanges(context, request, pageSize, { after: resume.after });
    return;
  }
  if (since === undefined) {
    yield* listAll(context, request, pageSize, undefined);
    return;
  }
  yield* searchChanges(context, request, pageSize, { since });
}

/**
 * Records merged away since `since`: a merge leaves the loser in no archived list, and lists its
 * id in the survivor's `hs_merged_object_ids`, the survivor stamped as modified. Each merged id
 * is reported as deleted at the survivor's stamp, with the survivor it lives on in.
 */
async function mergedSince(
  context: ReadContext,
  object: string,
  since: string,
): Promise<DeletedRecord[]> {
  const stamp = lastModifiedOf(object);
  const merged: DeletedRecord[] = [];
  for (let after: string | undefined; ;) {
    const body: WireSearch = {
      filterGroups: [
        {
          filters: [
            { propertyName: MERGED_IDS, operator: 'HAS_PROPERTY' },
            { propertyName: stamp, operator: 'GTE', value: String(Date.parse(since)) },
          ],
        },
      ],
      sorts: [{ propertyName: stamp, direction: 'ASCENDING' }],
      properties: [MERGED_IDS, stamp],
      limit: HUBSPOT.maxSearchPage,
      ...(after === undefined ? {} : { after }),
    };
    const answer = await context.calls.run(
      { endpoint: `POST /crm/v3/objects/${object}/search`, idempotent: true, family: 'search' },
      (sdk) => sdk.search(object, body),
    );
    for (const wire of answer.results) {
      const at = normalizeDatetime(wire.updatedAt) ?? wire.updatedAt;
      for (const id of (wire.properties[MERGED_IDS] ?? '').split(';'))
        if (id !== '') merged.push({ id, deletedAt: at, mergedInto: wire.id });
    }
    if (answer.after === undefined || Number(answer.after) >= HUBSPOT.maxSearchResults)
      return merged;
    after = answer.after;
  }
}

/**
 * Archived records (HubSpot keeps them 90 days) deleted at or after `since`. The archived list goes
 * in id order, so all of it is read before the deletes are handed out in (deletedAt, id) order.
 */
export async function* readDeletions(
  context: ReadContext,
  request: ReadDeletedRequest,
): AsyncGenerator<DeletedPage> {
  const { object } = request;
  const since = sinceOf(request.since);
  const from = request.checkpoint;
  const fromAt = typeof from?.['deletedAt'] === 'string' ? from['deletedAt'] : undefined;
  const fromId = typeof from?.['id'] === 'string' ? from['id'] : '';
  const deleted: DeletedRecord[] = [];
  const pages = paginate<{ results: WireRecord[]; after?: string }, WireRecord>({
    paging: { type: 'cursor', cursorParam: 'after', nextCursor: (body) => body.after },
    pageSize: HUBSPOT.maxListPage,
    fetchPage: async ({ params, limit }) => ({
      body: await context.calls.run(
        { endpoint: `GET /crm/v3/objects/${object}`, idempotent: true },
        (sdk) =>
          sdk.listPage(object, {
            limit,
            after: typeof params['after'] === 'string' ? params['after'] : undefined,
            properties: ['hs_object_id'],
            archived: true,
          }),
      ),
    }),
    items: (body) => body.results,
  });
  const keep = (record: DeletedRecord): void => {
    const { deletedAt, id } = record;
    if (since !== undefined && deletedAt < since) return;
    if (fromAt !== undefined && (deletedAt < fromAt || (deletedAt === fromAt && id <= fromId)))
      return;
    deleted.push(record);
  };
  for await (const page of pages) {
    for (const wire of page.items) {
      const deletedAt = normalizeDatetime(wire.archivedAt ?? wire.updatedAt) ?? wire.updatedAt;
      keep({ id: wire.id, deletedAt });
    }
  }
  if (since !== undefined)
    for (const merged of await mergedSince(context, object, since)) keep(merged);
  deleted.sort((a, b) =>
    a.deletedAt !== b.deletedAt ? (a.deletedAt < b.deletedAt ? -1 : 1) : a.id < b.id ? -1 : 1,
  );
  for (let i = 0; i < deleted.length; i += HUBSPOT.maxListPage) {
    const records = deleted.slice(i, i + HUBSPOT.maxListPage);
    const last = records.at(-1);
    if (last !== undefined)
      yield { records, checkpoint: { deletedAt: last.deletedAt, id: last.id } };
  }
}
