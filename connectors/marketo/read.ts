/**
 * Reading leads. Marketo has no endpoint that lists every lead, but it keeps each lead's New Lead
 * activity for ever (its activity retention policy), so a full read is the incremental read from
 * the beginning: Get Lead Changes from a paging token (New Lead and Data Value Change activities
 * of the fields read), the changed leads fetched by id 300 at a time. The activity token is the
 * checkpoint; its order is Marketo's (`unordered`). Deletes come from Get Deleted Leads, whose
 * activities Marketo keeps 14 days.
 */
import type {
  Checkpoint,
  ConnectorRecord,
  DeletedPage,
  LookupRequest,
  ReadPage,
  ReadRequest,
  ReadDeletedRequest,
} from '../sdk/contract';
import { ConnectorError } from '../sdk/errors';
import type { MarketoClient } from './client';
import { wireText } from './errors';
import { LEADS, type LeadSchema, fieldName, isoInstant, leadFields } from './schema';

/** Leads per Get Leads call, values per filter, activities per page ("Leads", "Activities"). */
export const MARKETO_BATCH = 300;
/** The start of a full read: before any Marketo instance existed. */
const BEGINNING = '2000-01-01T00:00:00Z';
/** Fields Marketo manages itself, whose changes no activity reports. */
const SYSTEM_FIELDS = new Set(['id', 'createdAt', 'updatedAt']);

interface RawLead {
  id?: unknown;
  updatedAt?: unknown;
  [field: string]: unknown;
}

interface RawActivity {
  leadId?: unknown;
  activityDate?: unknown;
}

export interface ReadParts {
  client: MarketoClient;
  schema: () => Promise<LeadSchema>;
  now: () => Date;
}

/** Marketo keeps Delete Lead activities 14 days: no read of deletes looks further back. */
const DELETES_KEPT_MS = 14 * 24 * 60 * 60 * 1000;

function requireLeads(object: string): void {
  if (object !== LEADS)
    throw new ConnectorError(
      'bad_request',
      `Marketo connections read and write ${LEADS}, not ${object}`,
    );
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size)
    out.push(items.slice(start, start + size));
  return out;
}

/** (updatedAt, id): the order records of one page are given in. */
function byStamp(a: ConnectorRecord, b: ConnectorRecord): number {
  if (a.updatedAt !== b.updatedAt) return a.updatedAt < b.updatedAt ? -1 : 1;
  return Number(a.id) - Number(b.id);
}

function toRecord(schema: LeadSchema, raw: RawLead, names: readonly string[]): ConnectorRecord {
  if (raw.id === undefined || typeof raw.updatedAt !== 'string')
    throw new ConnectorError('unknown', 'Marketo returned a lead without its id or updatedAt');
  return {
    id: wireText(raw.id),
    updatedAt: isoInstant(raw.updatedAt),
    fields: leadFields(schema, raw, names),
  };
}

/** The fields a read returns, in the schema's spelling, with the stamp every record needs. */
function readFields(schema: LeadSchema, requested: readonly string[]): string[] {
  const names = new Set(requested.map((name) => fieldName(schema, name)));
  names.add('updatedAt');
  return [...names];
}

/** Leads whose `filterType` is one of `values`, every page of each batch of 300 values. */
async function leadsWhere(
  parts: ReadParts,
  schema: LeadSchema,
  filterType: string,
  values: readonly string[],
  names: readonly string[],
): Promise<ConnectorRecord[]> {
  const records: ConnectorRecord[] = [];
  for (const batch of chunks(values, MARKETO_BATCH)) {
    let token: string | undefined;
    do {
      const answer = await parts.client.get<RawLead>('v1/leads.json', {
        filterType,
        filterValues: batch,
        fields: names,
        batchSize: MARKETO_BATCH,
        nextPageToken: token,
      });
      for (const raw of answer.result ?? []) records.push(toRecord(schema, raw, names));
      token = answer.nextPageToken;
    } while (token !== undefined && token !== '');
  }
  return records;
}

async function pagingToken(client: MarketoClient, since: string): Promise<string> {
  // Activities carry whole seconds: the second `since` falls in is read again, never skipped.
  const second = `${new Date(Math.floor(Date.parse(since) / 1000) * 1000).toISOString().slice(0, 19)}Z`;
  const answer = await client.get<never>('v1/activities/pagingtoken.json', {
    sinceDatetime: second,
  });
  if (typeof answer.nextPageToken !== 'string')
    throw new ConnectorError('unknown', 'Marketo Get Paging Token answered without a token');
  return answer.nextPageToken;
}

/** The activity token a read resumes from: a valid checkpoint's, else one for `since`. */
async function startToken(
  client: MarketoClient,
  request: { since?: string; checkpoint?: Checkpoint },
): Promise<string> {
  const held = request.checkpoint?.token;
  if (typeof held === 'string' && held !== '') return held;
  return pagingToken(client, request.since ?? BEGINNING);
}

export async function* readLeads(parts: ReadParts, request: ReadRequest): AsyncIterable<ReadPage> {
  requireLeads(request.object);
  const schema = await parts.schema();
  const names = readFields(schema, request.fields);
  // Changes of the fields read; `fields` is required, so the email stands in when only system fields are read.
  const watched = names.filter((name) => !SYSTEM_FIELDS.has(name));
  const pageSize = Math.min(request.pageSize ?? MARKETO_BATCH, MARKETO_BATCH);
  let token = await startToken(parts.client, request);
  const seen = new Set<string>();
  for (;;) {
    const answer = await parts.client.get<RawActivity>('v1/activities/leadchanges.json', {
      nextPageToken: token,
      fields: watched.length === 0 ? ['email'] : watched,
      batchSize: pageSize,
    });
    const next = answer.nextPageToken;
    const ids = [
      ...new Set((answer.result ?? []).map((activity) => wireText(activity.leadId))),
    ].filter((id) => id !== '' && !seen.has(id));
    const checkpoint: Checkpoint = { token: next ?? token };
    if (ids.length > 0) {
      const records = await leadsWhere(parts, schema, 'id', ids, names);
      for (const id of ids) seen.add(id);
      // A lead deleted since its activity is simply not found.
      if (records.length > 0) yield { records: records.sort(byStamp), checkpoint };
    }
    if (answer.moreResult !== true || next === undefined || next === token) return;
    token = next;
  }
}

export async function* readDeletedLeads(
  parts: ReadParts,
  request: ReadDeletedRequest,
): AsyncIterable<DeletedPage> {
  requireLeads(request.object);
  const oldest = new Date(parts.now().getTime() - DELETES_KEPT_MS).toISOString();
  const since =
    request.since === undefined || Date.parse(request.since) < Date.parse(oldest)
      ? oldest
      : request.since;
  let token = await startToken(parts.client, { ...request, since });
  for (;;) {
    const answer = await parts.client.get<RawActivity>('v1/activities/deletedleads.json', {
      nextPageToken: token,
      batchSize: Math.min(request.pageSize ?? MARKETO_BATCH, MARKETO_BATCH),
    });
    const next = answer.nextPageToken;
    const records = (answer.result ?? []).flatMap((activity) =>
      activity.leadId === undefined || typeof activity.activityDate !== 'string'
        ? []
        : [{ id: wireText(activity.leadId), deletedAt: isoInstant(activity.activityDate) }],
    );
    if (records.length > 0) yield { records, checkpoint: { token: next ?? token } };
    if (answer.moreResult !== true || next === undefined || next === token) return;
    token = next;
  }
}

export async function lookupLeads(
  parts: ReadParts,
  request: LookupRequest,
): Promise<ConnectorRecord[]> {
  requireLeads(request.object);
  if (request.values.length === 0) return [];
  const schema = await parts.schema();
  const field = fieldName(schema, request.field);
  if (!schema.searchable.has(field))
    throw new ConnectorError(
      'bad_request',
      `Marketo cannot look leads up by ${field}: its searchable fields are ${[...schema.searchable].join(', ')}`,
    );
  return leadsWhere(
    parts,
    schema,
    field,
    request.values,
    readFields(schema, [field, ...request.fields]),
  );
}

export async function getLeads(
  parts: ReadParts,
  object: string,
  ids: readonly string[],
  fields: readonly string[],
): Promise<ConnectorRecord[]> {
  requireLeads(object);
  const wanted = ids.filter((id) => /^\d+$/.test(id));
  if (wanted.length === 0) return [];
  const schema = await parts.schema();
  return leadsWhere(parts, schema, 'id', wanted, readFields(schema, fields));
}
