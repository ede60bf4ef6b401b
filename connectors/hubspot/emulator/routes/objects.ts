/**
 * Basic object endpoints: list (`after`/`limit`/`properties`/`archived`), get, create, update and
 * archive one record (https://developers.hubspot.com/docs/api/crm/contacts).
 */
import { type RouteAnswer, errorAnswer, listParam, recordJson } from '../responses';
import { type RouteContext, objectLabel, propertiesOf, writeFailure } from './context';

// https://developers.hubspot.com/docs/api/crm/understanding-the-crm#pagination: at most 100 per page.
const LIST_MAX_LIMIT = 100;
const LIST_DEFAULT_LIMIT = 10;

export function listObjects(context: RouteContext): RouteAnswer {
  const { query, store, type } = context;
  const limit = query.has('limit') ? Number(query.get('limit')) : LIST_DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > LIST_MAX_LIMIT)
    return errorAnswer(400, 'VALIDATION_ERROR', `limit must be between 1 and ${LIST_MAX_LIMIT}`);
  const archived = query.get('archived') === 'true';
  // `after` is opaque to clients; here it is the id the next page starts at (lists go in id order).
  const after = query.get('after');
  const afterId = after === null || after === '' ? 0 : Number(after);
  if (!Number.isFinite(afterId))
    return errorAnswer(400, 'VALIDATION_ERROR', `Invalid after: ${after}`);
  const properties = listParam(query, 'properties');
  const page: unknown[] = [];
  let next: string | undefined;
  for (const record of store.ordered(type)) {
    if (record.archived !== archived || Number(record.id) < afterId) continue;
    if (page.length === limit) {
      next = record.id;
      break;
    }
    page.push(recordJson(type, record, properties));
  }
  return {
    status: 200,
    body: {
      results: page,
      ...(next === undefined ? {} : { paging: { next: { after: next, link: `?after=${next}` } } }),
    },
  };
}

/** `idProperty` must name a unique property (https://developers.hubspot.com/docs/api/crm/contacts). */
function nonUniqueIdProperty(context: RouteContext): RouteAnswer | undefined {
  const idProperty = context.query.get('idProperty') ?? undefined;
  if (
    idProperty === undefined ||
    context.store.properties.of(context.type, idProperty)?.hasUniqueValue === true
  )
    return undefined;
  return errorAnswer(400, 'VALIDATION_ERROR', `${idProperty} is not a unique property`);
}

export function getObject(context: RouteContext): RouteAnswer {
  const refused = nonUniqueIdProperty(context);
  if (refused !== undefined) return refused;
  const { query, store, type } = context;
  const idProperty = query.get('idProperty') ?? undefined;
  const archived = query.get('archived') === 'true';
  const id = context.id ?? '';
  // A merged-away id answers the record it was merged into.
  const record =
    idProperty === undefined
      ? (store.get(type, id, archived) ?? (archived ? undefined : store.survivorOf(type, id)))
      : archived
        ? undefined
        : store.findBy(type, idProperty, id);
  if (record === undefined)
    return errorAnswer(404, 'OBJECT_NOT_FOUND', 'resource not found', {
      context: { id: [id], type: [objectLabel(context)] },
    });
  return { status: 200, body: recordJson(type, record, listParam(query, 'properties')) };
}

export function createObject(context: RouteContext): RouteAnswer {
  const properties = propertiesOf(context.body);
  if (properties === undefined)
    return errorAnswer(400, 'VALIDATION_ERROR', 'Invalid input JSON: properties is required');
  try {
    const record = context.store.create(context.type, properties);
    return { status: 201, body: recordJson(context.type, record, Object.keys(properties)) };
  } catch (error) {
    return writeFailure(error);
  }
}

export function updateObject(context: RouteContext): RouteAnswer {
  const refused = nonUniqueIdProperty(context);
  if (refused !== undefined) return refused;
  const properties = propertiesOf(context.body);
  if (properties === undefined)
    return errorAnswer(400, 'VALIDATION_ERROR', 'Invalid input JSON: properties is required');
  const idProperty = context.query.get('idProperty') ?? undefined;
  const id =
    idProperty === undefined
      ? context.id
      : context.store.findBy(context.type, idProperty, context.id ?? '')?.id;
  try {
    const record =
      id === undefined ? undefined : context.store.update(context.type, id, properties);
    if (record === undefined)
      return errorAnswer(404, 'OBJECT_NOT_FOUND', `resource not found`, {
        context: { id: [context.id ?? ''], type: [objectLabel(context)] },
      });
    return { status: 200, body: recordJson(context.type, record, Object.keys(properties)) };
  } catch (error) {
    return writeFailure(error);
  }
}

/** Archiving is idempotent: a missing id still answers 204. */
export function archiveObject(context: RouteContext): RouteAnswer {
  context.store.archive(context.type, context.id ?? '');
  return { status: 204 };
}
