/**
 * `GET /query?q=` and `/queryAll?q=`, and `GET /query/{locator}` for the next batch:
 * `{totalSize, done, nextRecordsUrl?, records}` in batches of up to 2,000 (fewer when the
 * `Sforce-Query-Options: batchSize=` header asks, minimum 200, per the REST API docs).
 */
import { type EmulatorAnswer, type RouteContext, json, notFound, restError } from '../http';
import { SoqlError, parseSoql } from '../soql/parse';
import { type QueryResult, SoqlRejection, evaluateSoql } from '../soql/evaluate';
import type { OrgStore, SfRecord } from '../store';

interface Cursor {
  result: QueryResult;
  batchSize: number;
}

const cursors = new WeakMap<OrgStore, Map<string, Cursor>>();
let locatorSequence = 0;

export function recordJson(
  context: RouteContext,
  result: QueryResult,
  record: SfRecord,
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    attributes: {
      type: result.object.name,
      url: `/services/data/v${context.version}/sobjects/${result.object.name}/${record.Id}`,
    },
  };
  for (const field of result.fields) body[field.name] = context.store.valueOf(record, field);
  return body;
}

function batchSizeOf(context: RouteContext): number {
  const header = context.headers['sforce-query-options'];
  const match = /batchSize=(\d+)/i.exec(typeof header === 'string' ? header : '');
  const requested = match === null ? context.settings.queryBatchSize : Number(match[1]);
  return Math.max(200, Math.min(context.settings.queryBatchSize, requested));
}

function page(
  context: RouteContext,
  cursor: Cursor,
  locator: string,
  offset: number,
): EmulatorAnswer {
  const { records } = cursor.result;
  const end = Math.min(records.length, offset + cursor.batchSize);
  const done = end >= records.length;
  const body: Record<string, unknown> = { totalSize: records.length, done };
  if (!done) body['nextRecordsUrl'] = `/services/data/v${context.version}/query/${locator}-${end}`;
  body['records'] = records
    .slice(offset, end)
    .map((record) => recordJson(context, cursor.result, record));
  return json(200, body);
}

export function runQuery(context: RouteContext, queryAll: boolean): EmulatorAnswer {
  const soql = context.query.get('q');
  if (soql === null || soql.trim() === '') {
    return restError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
  }
  // SOQL and SOSL limits: "Maximum length of SOQL statements: by default, 100,000 characters".
  if (soql.length > 100_000) {
    return restError(
      400,
      'QUERY_TOO_COMPLICATED',
      'Query is either selecting too many fields or the filter conditions are too complicated.',
    );
  }
  let result: QueryResult;
  try {
    result = evaluateSoql(context.store, parseSoql(soql), queryAll);
  } catch (error) {
    if (error instanceof SoqlError)
      return restError(
        400,
        'MALFORMED_QUERY',
        `\n${soql.slice(0, 200)}\n^\nERROR at Row:1:Column:1\n${error.message}`,
      );
    if (error instanceof SoqlRejection) return restError(400, error.errorCode, error.message);
    throw error;
  }
  const cursor: Cursor = { result, batchSize: batchSizeOf(context) };
  const locator = `01gDn${String(++locatorSequence).padStart(11, '0')}`;
  let byLocator = cursors.get(context.store);
  if (byLocator === undefined) {
    byLocator = new Map();
    cursors.set(context.store, byLocator);
  }
  if (result.records.length > cursor.batchSize) byLocator.set(locator, cursor);
  return page(context, cursor, locator, 0);
}

export function queryMore(context: RouteContext, locatorWithOffset: string): EmulatorAnswer {
  const match = /^(01g\w+)-(\d+)$/.exec(locatorWithOffset);
  const cursor = match === null ? undefined : cursors.get(context.store)?.get(match[1]);
  if (match === null || cursor === undefined) {
    return match === null
      ? notFound()
      : restError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
  }
  return page(context, cursor, match[1], Number(match[2]));
}
