/**
 * Reads by SOQL: incremental pages ordered by `SystemModstamp, Id` with the tie-break for equal
 * stamps (`SystemModstamp > t OR (SystemModstamp = t AND Id > lastId)`), deletes by queryAll on
 * IsDeleted, and lookups / gets by `IN` lists chunked to fit the query URI.
 */
import type { Connection } from 'jsforce';
import type {
  Checkpoint,
  Clock,
  ConnectorRecord,
  DeletedPage,
  DeletedRecord,
  FieldDescriptor,
  ReadDeletedRequest,
  ReadPage,
  ReadRequest,
} from '../sdk/contract';
import { ConnectorError } from '../sdk/errors';
import { paginate } from '../sdk/paginate';
import type { DescribeCache } from './discover';
import { jsforceRequest } from './jsforce-bridge';
import { isSalesforceId, toId18 } from './ids';
import { QUERY_URI_MAX_BYTES, SOQL_MAX_LENGTH } from './limits';
import { fromSalesforce, salesforceDatetimeToIso, soqlDatetime, soqlString } from './values';
import { coveredUntil, deletesMissing } from './replication';

const MASTER_RECORD_ID = 'MasterRecordId';

interface QueryAnswer {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: Record<string, unknown>[];
}

function isQueryAnswer(value: unknown): value is QueryAnswer {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as { records?: unknown }).records)
  );
}

export interface QueryRunner {
  connection: Connection;
  version: string;
  describe: DescribeCache;
  clock: Clock;
}

async function runQuery(runner: QueryRunner, url: string): Promise<QueryAnswer> {
  const answer = await jsforceRequest(runner.connection, { method: 'GET', url });
  if (!isQueryAnswer(answer))
    throw new ConnectorError('unknown', `unexpected query answer from ${url}`);
  return answer;
}

export function queryUrl(runner: Pick<QueryRunner, 'version'>, soql: string, all = false): string {
  return `/services/data/v${runner.version}/${all ? 'queryAll' : 'query'}?q=${encodeURIComponent(soql)}`;
}

/** The describe entries of the fields asked for (case-insensitive), unknown names kept for Salesforce to refuse. */
async function selectFields(
  runner: QueryRunner,
  object: string,
  names: readonly string[],
): Promise<{ select: string[]; byName: Map<string, FieldDescriptor> }> {
  const described = await runner.describe.fields(object);
  const byLower = new Map(described.map((field) => [field.name.toLowerCase(), field]));
  const select: string[] = [];
  const byName = new Map<string, FieldDescriptor>();
  for (const name of ['Id', 'SystemModstamp', ...names]) {
    const field = byLower.get(name.toLowerCase());
    const canonical = field?.name ?? name;
    if (select.some((existing) => existing.toLowerCase() === canonical.toLowerCase())) continue;
    select.push(canonical);
    if (field !== undefined) byName.set(canonical, field);
  }
  return { select, byName };
}

function toRecord(
  raw: Record<string, unknown>,
  fields: readonly string[],
  byName: Map<string, FieldDescriptor>,
): ConnectorRecord {
  const id = raw['Id'];
  const stamp = raw['SystemModstamp'];
  if (typeof id !== 'string' || typeof stamp !== 'string') {
    throw new ConnectorError('unknown', 'a query record came back without Id or SystemModstamp');
  }
  const values: ConnectorRecord['fields'] = {};
  for (const name of fields) {
    const field = byName.get(name);
    values[field?.name ?? name] = fromSalesforce(
      field?.type ?? 'string',
      raw[field?.name ?? name] ?? null,
    );
  }
  return { id, updatedAt: salesforceDatetimeToIso(stamp) ?? '', fields: values };
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ID = /^[a-zA-Z0-9]{15,18}$/;

function positionOf(
  checkpoint: Checkpoint | undefined,
  stamp: string,
): { at: string; id: string } | undefined {
  const at = checkpoint?.[stamp];
  const id = checkpoint?.['id'];
  return typeof at === 'string' && ISO.test(at) && typeof id === 'string' && ID.test(id)
    ? { at, id }
    : undefined;
}

function after(position: { at: string; id: string }): string {
  const at = soqlDatetime(position.at);
  return `(SystemModstamp > ${at} OR (SystemModstamp = ${at} AND Id > ${soqlString(position.id)}))`;
}

async function* keysetPages(
  runner: QueryRunner,
  build: (position: { at: string; id: string } | undefined, limit: number) => string,
  options: { all: boolean; pageSize: number; start: { at: string; id: string } | undefined },
  toItem: (raw: Record<string, unknown>) => ConnectorRecord,
): AsyncGenerator<ConnectorRecord[]> {
  const pages = paginate<QueryAnswer, ConnectorRecord, { at: string; id: string }>({
    paging: {
      type: 'cursor',
      nextCursor: (body) => {
        const last = body.records.at(-1);
        if (last === undefined || (body.done && body.records.length < options.pageSize))
          return undefined;
        const record = toItem(last);
        return { at: record.updatedAt, id: record.id };
      },
    },
    pageSize: options.pageSize,
    ...(options.start === undefined
      ? {}
      : { start: { type: 'cursor' as const, cursor: options.start } }),
    fetchPage: async ({ position, limit }) => ({
      body: await runQuery(
        runner,
        queryUrl(
          runner,
          build(position?.type === 'cursor' ? position.cursor : undefined, limit),
          options.all,
        ),
      ),
    }),
    items: (body) => body.records.map(toItem),
  });
  for await (const page of pages) {
    if (page.items.length > 0) yield page.items;
  }
}

export async function* readChanges(
  runner: QueryRunner,
  request: ReadRequest,
  pageSize: number,
): AsyncGenerator<ReadPage> {
  const { select, byName } = await selectFields(runner, request.object, request.fields);
  const wanted = select.filter((name) =>
    request.fields.some((field) => field.toLowerCase() === name.toLowerCase()),
  );
  const start = positionOf(request.checkpoint, 'updatedAt');
  // An incremental read stops before what a transaction still open may yet commit.
  const incremental = start !== undefined || request.since !== undefined;
  const bound = incremental ? await coveredUntil(runner, request.object) : undefined;
  const before = bound === undefined ? '' : ` AND SystemModstamp < ${soqlDatetime(bound)}`;
  const build = (position: { at: string; id: string } | undefined, limit: number): string => {
    const where =
      position !== undefined
        ? ` WHERE ${after(position)}${before}`
        : request.since !== undefined
          ? ` WHERE SystemModstamp >= ${soqlDatetime(request.since)}${before}`
          : '';
    return `SELECT ${select.join(', ')} FROM ${request.object}${where} ORDER BY SystemModstamp, Id LIMIT ${limit}`;
  };
  for await (const records of keysetPages(runner, build, { all: false, pageSize, start }, (raw) =>
    toRecord(raw, wanted, byName),
  )) {
    const last = records.at(-1);
    if (last === undefined) continue;
    yield { records, checkpoint: { updatedAt: last.updatedAt, id: last.id } };
  }
}

export async function* readDeletions(
  runner: QueryRunner,
  request: ReadDeletedRequest,
  pageSize: number,
): AsyncGenerator<DeletedPage> {
  const start = positionOf(request.checkpoint, 'deletedAt');
  // Lead, Contact and Account records deleted by a merge name the survivor in MasterRecordId.
  const { select, byName } = await selectFields(runner, request.object, [MASTER_RECORD_ID]);
  const merges = byName.has(MASTER_RECORD_ID);
  const build = (position: { at: string; id: string } | undefined, limit: number): string => {
    const window =
      position !== undefined
        ? ` AND ${after(position)}`
        : request.since !== undefined
          ? ` AND SystemModstamp >= ${soqlDatetime(request.since)}`
          : '';
    return `SELECT ${(merges ? select : ['Id', 'SystemModstamp']).join(', ')} FROM ${request.object} WHERE IsDeleted = true${window} ORDER BY SystemModstamp, Id LIMIT ${limit}`;
  };
  const missing =
    request.since === undefined
      ? undefined
      : await deletesMissing(runner, request.object, request.since);
  if (missing !== undefined) yield { records: [], checkpoint: request.checkpoint ?? {}, missing };
  for await (const records of keysetPages(runner, build, { all: true, pageSize, start }, (raw) =>
    toRecord(raw, merges ? [MASTER_RECORD_ID] : [], byName),
  )) {
    const last = records.at(-1);
    if (last === undefined) continue;
    yield {
      records: records.map((record): DeletedRecord => {
        const master = record.fields[MASTER_RECORD_ID];
        return {
          id: record.id,
          deletedAt: record.updatedAt,
          ...(typeof master === 'string' && master !== '' ? { mergedInto: master } : {}),
        };
      }),
      checkpoint: { deletedAt: last.updatedAt, id: last.id },
    };
  }
}

/**
 * SOQL statements, each selecting records whose `field` is in a chunk of `values`, every one short
 * enough for a GET's URI and for the SOQL length limit.
 */
export function inQueries(
  runner: Pick<QueryRunner, 'version'>,
  head: string,
  field: string,
  values: readonly string[],
): string[] {
  const queries: string[] = [];
  const base = `${head} WHERE ${field} IN (`;
  const overhead = Buffer.byteLength(queryUrl(runner, `${base})`));
  let chunk: string[] = [];
  let bytes = overhead;
  let chars = base.length + 1;
  for (const value of [...new Set(values)]) {
    const literal = soqlString(value);
    const literalBytes = Buffer.byteLength(encodeURIComponent(`${literal},`));
    if (
      chunk.length > 0 &&
      (bytes + literalBytes > QUERY_URI_MAX_BYTES || chars + literal.length + 1 > SOQL_MAX_LENGTH)
    ) {
      queries.push(`${base}${chunk.join(',')})`);
      chunk = [];
      bytes = overhead;
      chars = base.length + 1;
    }
    if (overhead + literalBytes > QUERY_URI_MAX_BYTES) {
      throw new ConnectorError('bad_request', `a ${field} value is too long to look up`);
    }
    chunk.push(literal);
    bytes += literalBytes;
    chars += literal.length + 1;
  }
  if (chunk.length > 0) queries.push(`${base}${chunk.join(',')})`);
  return queries;
}

/** Records whose `field` is one of `values`, every batch of every chunk (nextRecordsUrl followed). */
export async function findIn(
  runner: QueryRunner,
  object: string,
  field: string,
  values: readonly string[],
  fields: readonly string[],
): Promise<ConnectorRecord[]> {
  if (values.length === 0) return [];
  const { select, byName } = await selectFields(runner, object, [...fields, field]);
  const wanted = select.filter((name) =>
    [...fields, field].some((candidate) => candidate.toLowerCase() === name.toLowerCase()),
  );
  const key = select.find((name) => name.toLowerCase() === field.toLowerCase()) ?? field;
  // Salesforce answers ids in 18 characters; a key asked for in its 15-character form is given
  // back in that form, so the caller finds the record under the key it holds.
  const asked = new Map<string, string>();
  for (const value of values)
    if (value.length === 15 && isSalesforceId(value)) asked.set(toId18(value), value);
  const askedForm = (record: ConnectorRecord): ConnectorRecord => {
    const value = record.fields[key];
    const form = typeof value === 'string' ? asked.get(value) : undefined;
    return form === undefined || values.includes(value as string)
      ? record
      : { ...record, fields: { ...record.fields, [key]: form } };
  };
  const found: ConnectorRecord[] = [];
  const seen = new Set<string>();
  for (const soql of inQueries(runner, `SELECT ${select.join(', ')} FROM ${object}`, key, values)) {
    const pages = paginate<QueryAnswer, Record<string, unknown>>({
      paging: { type: 'link', nextUrl: (body) => body.nextRecordsUrl },
      pageSize: 2000,
      fetchPage: async ({ position }) => ({
        body: await runQuery(
          runner,
          position?.type === 'link' ? position.url : queryUrl(runner, soql),
        ),
      }),
      items: (body) => body.records,
    });
    for await (const page of pages) {
      for (const raw of page.items) {
        const record = toRecord(raw, wanted, byName);
        if (seen.has(record.id)) continue;
        seen.add(record.id);
        found.push(askedForm(record));
      }
    }
  }
  return found;
}
