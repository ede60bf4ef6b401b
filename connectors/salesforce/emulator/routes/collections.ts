/**
 * sObject Collections: `POST /composite/sobjects` (create), `PATCH /composite/sobjects` (update),
 * `PATCH /composite/sobjects/{Object}/{ExternalIdField}` (upsert), `DELETE /composite/sobjects?ids=`.
 * Up to 200 records a call; results in input order, `[{id, success, errors, created?}]`; with
 * `allOrNone` one failure rolls every record back (ALL_OR_NONE_OPERATION_ROLLED_BACK).
 */
import { findField, findObject } from '../describe';
import {
  type EmulatorAnswer,
  type RouteContext,
  isRecord,
  json,
  parseJsonBody,
  restError,
} from '../http';
import { type SfError, type WriteOutcome, sfError } from '../store';
import { type WriteKind, applyWrite } from '../writes';

/** "sObject Collections": a request holds up to 200 records (REST API Developer Guide). */
export const COLLECTION_LIMIT = 200;

interface Item {
  object: string | undefined;
  write: WriteKind | SfError;
  values: Record<string, unknown>;
}

function resultJson(
  outcome: WriteOutcome,
  id: string | undefined,
  upsert: boolean,
): Record<string, unknown> {
  if (outcome.ok) {
    return upsert
      ? { id: outcome.id, success: true, errors: [], created: outcome.created }
      : { id: outcome.id, success: true, errors: [] };
  }
  const errors = outcome.errors.map((error) => ({
    statusCode: error.statusCode,
    message: error.message,
    fields: error.fields,
  }));
  return id === undefined ? { success: false, errors } : { id, success: false, errors };
}

function run(
  context: RouteContext,
  items: Item[],
  allOrNone: boolean,
  upsert: boolean,
): EmulatorAnswer {
  if (items.length > COLLECTION_LIMIT) {
    return restError(
      400,
      'EXCEEDED_ID_LIMIT',
      `record limit reached. cannot submit more than ${COLLECTION_LIMIT} records into this call`,
    );
  }
  const before = allOrNone ? context.store.snapshot() : undefined;
  const outcomes = items.map((item): WriteOutcome => {
    if (item.object === undefined)
      return { ok: false, errors: [sfError('INVALID_TYPE', 'Must send a concrete entity type.')] };
    if ('statusCode' in item.write) return { ok: false, errors: [item.write] };
    return applyWrite(context.store, context.faults, item.object, item.write, item.values);
  });
  const ids = items.map((item) =>
    'statusCode' in item.write || item.write.kind === 'create' || item.write.kind === 'upsert'
      ? undefined
      : item.write.id,
  );
  if (before !== undefined && outcomes.some((outcome) => !outcome.ok)) {
    context.store.restore(before);
    return json(
      200,
      outcomes.map((outcome, index) =>
        resultJson(
          outcome.ok
            ? {
                ok: false,
                errors: [
                  sfError(
                    'ALL_OR_NONE_OPERATION_ROLLED_BACK',
                    'Record rolled back because not all records were valid and the request was using AllOrNone header',
                  ),
                ],
              }
            : outcome,
          ids[index],
          upsert,
        ),
      ),
    );
  }
  return json(
    200,
    outcomes.map((outcome, index) => resultJson(outcome, ids[index], upsert)),
  );
}

function typeOf(record: Record<string, unknown>): string | undefined {
  const attributes = record['attributes'];
  return isRecord(attributes) && typeof attributes['type'] === 'string'
    ? attributes['type']
    : undefined;
}

export function collectionRoutes(context: RouteContext, segments: string[]): EmulatorAnswer {
  // segments: ['composite', 'sobjects', Object?, ExternalIdField?]
  const objectName = segments.at(2);
  const keyField = segments.at(3);
  if (context.method === 'DELETE') {
    const ids = (context.query.get('ids') ?? '').split(',').filter((id) => id !== '');
    if (ids.length === 0) return restError(400, 'MISSING_ARGUMENT', 'ids parameter is required');
    const items = ids.map((id): Item => ({
      object: context.store.get(id)?.object ?? 'Unknown',
      write: { kind: 'delete', id },
      values: {},
    }));
    return run(context, items, context.query.get('allOrNone') === 'true', false);
  }
  const body = parseJsonBody(context);
  if (!isRecord(body) || !Array.isArray(body['records'])) {
    return restError(
      400,
      'JSON_PARSER_ERROR',
      'The request body must be an object with a records array',
    );
  }
  const allOrNone = body['allOrNone'] === true;
  const records = (body['records'] as unknown[]).map((record) => (isRecord(record) ? record : {}));
  if (context.method === 'POST' && objectName === undefined) {
    return run(
      context,
      records.map((values) => ({ object: typeOf(values), write: { kind: 'create' }, values })),
      allOrNone,
      false,
    );
  }
  if (context.method === 'PATCH' && objectName === undefined) {
    const items = records.map((values): Item => {
      const id = values['id'] ?? values['Id'];
      const write: WriteKind | SfError =
        typeof id === 'string'
          ? { kind: 'update', id }
          : sfError('MISSING_ARGUMENT', 'Id not specified in an update call');
      const rest = { ...values };
      delete rest['id'];
      return { object: typeOf(values), write, values: rest };
    });
    return run(context, items, allOrNone, false);
  }
  if (context.method === 'PATCH' && objectName !== undefined && keyField !== undefined) {
    const object = findObject(objectName);
    if (object === undefined)
      return restError(404, 'NOT_FOUND', 'The requested resource does not exist');
    const field = findField(object, keyField);
    // "Only external ids are supported. Don't use record ids." (REST API Developer Guide, "Upsert
    // Records Using sObject Collections"); Bulk API 2.0 and the single-record upsert take Id.
    if (field === undefined || !field.externalId) {
      return restError(
        400,
        'INVALID_FIELD',
        `Field ${keyField} is not an external id field or indexed field`,
        [keyField],
      );
    }
    const items = records.map((values): Item => {
      const type = typeOf(values);
      return {
        object:
          type === undefined || type.toLowerCase() === object.name.toLowerCase()
            ? object.name
            : undefined,
        write: { kind: 'upsert', keyField: field.name },
        values,
      };
    });
    return run(context, items, allOrNone, true);
  }
  return restError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${context.method}' not allowed.`);
}
