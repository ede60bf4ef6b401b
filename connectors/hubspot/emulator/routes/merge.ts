/**
 * Merging two records (`POST /crm/v3/objects/{objectType}/merge`, "Merge two objects with same
 * type") and deleting a contact for good (`POST /crm/v3/objects/contacts/gdpr-delete`, "GDPR
 * delete"), as HubSpot's CRM API reference describes them.
 */
import { type RouteAnswer, errorAnswer, recordJson } from '../responses';
import { type RouteContext, isRecord, objectLabel } from './context';

function idIn(body: unknown, name: string): string | undefined {
  if (!isRecord(body)) return undefined;
  const value = body[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function mergeObjects(context: RouteContext): RouteAnswer {
  const primaryId = idIn(context.body, 'primaryObjectId');
  const loserId = idIn(context.body, 'objectIdToMerge');
  if (primaryId === undefined || loserId === undefined)
    return errorAnswer(
      400,
      'VALIDATION_ERROR',
      'Invalid input JSON: primaryObjectId and objectIdToMerge are required',
    );
  if (primaryId === loserId)
    return errorAnswer(400, 'VALIDATION_ERROR', 'A record cannot be merged with itself');
  const merged = context.store.merge(context.type, primaryId, loserId);
  if (merged === undefined)
    return errorAnswer(404, 'OBJECT_NOT_FOUND', 'resource not found', {
      context: { id: [primaryId, loserId], type: [objectLabel(context)] },
    });
  return { status: 200, body: recordJson(context.type, merged, undefined) };
}

export function gdprDelete(context: RouteContext): RouteAnswer {
  if (context.type !== 'contacts') return { status: 404 };
  const objectId = idIn(context.body, 'objectId');
  if (objectId === undefined)
    return errorAnswer(400, 'VALIDATION_ERROR', 'Invalid input JSON: objectId is required');
  const idProperty = isRecord(context.body) ? context.body['idProperty'] : undefined;
  const id =
    typeof idProperty === 'string'
      ? context.store.findBy('contacts', idProperty, objectId)?.id
      : objectId;
  if (id === undefined || !context.store.gdprDelete('contacts', id))
    return errorAnswer(404, 'OBJECT_NOT_FOUND', 'resource not found', {
      context: { id: [objectId], type: ['CONTACT'] },
    });
  return { status: 204 };
}
