/**
 * sObject resources: global describe, `/sobjects/{Object}/describe`, the `updated` and `deleted`
 * windows (`?start=&end=`), and single-record CRUD on `/sobjects/{Object}/{id}`.
 */
import { SCHEMA, describeBody, findField, findObject } from '../describe';
import {
  type EmulatorAnswer,
  type RouteContext,
  isRecord,
  json,
  notFound,
  parseJsonBody,
  recordErrors,
  restError,
} from '../http';
import { formatSfDatetime } from '../store';
import { applyWrite } from '../writes';

function windowOf(context: RouteContext): { start: number; end: number } | EmulatorAnswer {
  const start = Date.parse(context.query.get('start') ?? '');
  const end = Date.parse(context.query.get('end') ?? '');
  if (Number.isNaN(start) || Number.isNaN(end)) {
    return restError(
      400,
      'INVALID_DATE_FORMAT',
      'start and end must be dateTime values (yyyy-MM-ddTHH:mm:ss+hh:mm)',
    );
  }
  // "The specified startDate must chronologically precede the specified endDate value by more
  // than one minute" (SOAP API Developer Guide, "getDeleted()" and "getUpdated()").
  if (end - start <= 60_000)
    return restError(
      400,
      'INVALID_REPLICATION_DATE',
      'startDate must chronologically precede endDate by more than one minute',
    );
  return { start, end };
}

/** Salesforce's windows cover whole minutes: seconds are dropped from start and end. */
function floorMinute(ms: number): number {
  return Math.floor(ms / 60_000) * 60_000;
}

export function sobjectRoutes(context: RouteContext, segments: string[]): EmulatorAnswer {
  const name = segments.at(1);
  const third = segments.at(2);
  if (name === undefined) {
    if (context.method !== 'GET') return notFound();
    return json(200, {
      encoding: 'UTF-8',
      maxBatchSize: 200,
      sobjects: SCHEMA.map((object) => ({
        name: object.name,
        label: object.label,
        keyPrefix: object.keyPrefix,
        queryable: true,
      })),
    });
  }
  const object = findObject(name);
  if (object === undefined)
    return restError(404, 'NOT_FOUND', `The requested resource does not exist`);
  if (third === 'describe' && context.method === 'GET')
    return json(200, describeBody(object, context.version));
  if ((third === 'updated' || third === 'deleted') && context.method === 'GET') {
    const window = windowOf(context);
    if ('status' in window) return window;
    const start = floorMinute(window.start);
    const covered = context.store.latestDateCovered(window.end);
    const records = context.store
      .list(object.name, true)
      .filter((record) => record.SystemModstamp >= start && record.SystemModstamp < covered);
    if (third === 'updated') {
      return json(200, {
        ids: records.filter((record) => !record.IsDeleted).map((record) => record.Id),
        latestDateCovered: formatSfDatetime(covered),
      });
    }
    return json(200, {
      deletedRecords: records
        .filter((record) => record.IsDeleted)
        .map((record) => ({ id: record.Id, deletedDate: formatSfDatetime(record.SystemModstamp) })),
      earliestDateAvailable: formatSfDatetime(context.store.earliestDateAvailable(object.name)),
      latestDateCovered: formatSfDatetime(covered),
    });
  }
  const body = parseJsonBody(context);
  if (third === undefined) {
    if (context.method !== 'POST')
      return restError(
        405,
        'METHOD_NOT_ALLOWED',
        `HTTP Method '${context.method}' not allowed. Allowed are GET,POST`,
      );
    if (!isRecord(body))
      return restError(400, 'JSON_PARSER_ERROR', 'The request body is not a JSON object');
    const outcome = applyWrite(
      context.store,
      context.faults,
      object.name,
      { kind: 'create' },
      body,
    );
    return outcome.ok
      ? json(201, { id: outcome.id, success: true, errors: [] })
      : recordErrors(outcome.errors);
  }
  const record = context.store.get(third);
  switch (context.method) {
    case 'GET': {
      if (record === undefined || record.IsDeleted || record.object !== object.name)
        return notFound();
      const wanted =
        context.query.get('fields')?.split(',') ?? object.fields.map((field) => field.name);
      const result: Record<string, unknown> = {
        attributes: {
          type: object.name,
          url: `/services/data/v${context.version}/sobjects/${object.name}/${record.Id}`,
        },
      };
      for (const fieldName of wanted) {
        const field = findField(object, fieldName.trim());
        if (field === undefined)
          return restError(
            400,
            'INVALID_FIELD',
            `No such column '${fieldName}' on sobject of type ${object.name}`,
          );
        result[field.name] = context.store.valueOf(record, field);
      }
      return json(200, result);
    }
    case 'PATCH': {
      if (!isRecord(body))
        return restError(400, 'JSON_PARSER_ERROR', 'The request body is not a JSON object');
      if (record === undefined || record.object !== object.name) return notFound();
      const outcome = applyWrite(
        context.store,
        context.faults,
        object.name,
        { kind: 'update', id: third },
        body,
      );
      return outcome.ok ? { status: 204 } : recordErrors(outcome.errors);
    }
    case 'DELETE': {
      if (record === undefined || record.object !== object.name) return notFound();
      const outcome = applyWrite(
        context.store,
        context.faults,
        object.name,
        { kind: 'delete', id: third },
        {},
      );
      return outcome.ok ? { status: 204 } : recordErrors(outcome.errors);
    }
    default:
      return restError(
        405,
        'METHOD_NOT_ALLOWED',
        `HTTP Method '${context.method}' not allowed. Allowed are GET,PATCH,DELETE`,
      );
  }
}
