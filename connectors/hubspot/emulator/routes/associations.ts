/**
 * Associations v4 (https://developers.hubspot.com/docs/api/crm/associations): the default
 * (unlabelled) association between two records, listed from either side, and removed.
 */
import { type ObjectType, objectTypeOf } from '../properties';
import { type RouteAnswer, errorAnswer } from '../responses';
import type { RouteContext } from './context';

/**
 * HubSpot-defined ids of the default associations ("Association type IDs" in the v4 guide):
 * contact→company 279, company→contact 280, deal→contact 3, contact→deal 4, deal→company 341,
 * company→deal 342; between records of one type 449 (contacts), 450 (companies), 451 (deals).
 */
const DEFAULT_TYPE_IDS: Record<ObjectType, Record<ObjectType, number>> = {
  contacts: { contacts: 449, companies: 279, deals: 4 },
  companies: { contacts: 280, companies: 450, deals: 342 },
  deals: { contacts: 3, companies: 341, deals: 451 },
};

function target(
  context: RouteContext,
): { toType: ObjectType; toId: string | undefined } | RouteAnswer {
  const toTypeName = context.params?.at(0);
  const toId = context.params?.at(1);
  const toType = toTypeName === undefined ? undefined : objectTypeOf(toTypeName);
  if (toType === undefined)
    return errorAnswer(
      400,
      'VALIDATION_ERROR',
      `Unable to infer object type from: ${toTypeName ?? ''}`,
    );
  return { toType, toId };
}

function missing(ids: string[]): RouteAnswer {
  return errorAnswer(404, 'OBJECT_NOT_FOUND', 'One or more objects do not exist', {
    context: { id: ids },
  });
}

/** `PUT /crm/v4/objects/{fromType}/{fromId}/associations/default/{toType}/{toId}`. */
export function associateDefault(context: RouteContext): RouteAnswer {
  const found = target(context);
  if ('status' in found) return found;
  const { toType, toId } = found;
  const fromId = context.id ?? '';
  if (toId === undefined) return { status: 404 };
  if (context.store.get(context.type, fromId) === undefined) return missing([fromId]);
  if (context.store.get(toType, toId) === undefined) return missing([toId]);
  context.store.associate(context.type, fromId, toType, toId);
  const at = new Date().toISOString();
  return {
    status: 200,
    body: {
      status: 'COMPLETE',
      results: [
        {
          from: { id: fromId },
          to: { id: toId },
          associationSpec: {
            associationCategory: 'HUBSPOT_DEFINED',
            associationTypeId: DEFAULT_TYPE_IDS[context.type][toType],
          },
        },
      ],
      startedAt: at,
      completedAt: at,
    },
  };
}

/** `GET /crm/v4/objects/{fromType}/{fromId}/associations/{toType}`. */
export function listAssociations(context: RouteContext): RouteAnswer {
  const found = target(context);
  if ('status' in found) return found;
  const fromId = context.id ?? '';
  if (context.store.get(context.type, fromId) === undefined) return missing([fromId]);
  const typeId = DEFAULT_TYPE_IDS[context.type][found.toType];
  return {
    status: 200,
    body: {
      results: context.store
        .associationsOf(context.type, fromId, found.toType)
        .sort((a, b) => Number(a) - Number(b))
        .map((id) => ({
          toObjectId: Number(id),
          associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId, label: null }],
        })),
    },
  };
}

/** `DELETE /crm/v4/objects/{fromType}/{fromId}/associations/{toType}/{toId}`. */
export function removeAssociation(context: RouteContext): RouteAnswer {
  const found = target(context);
  if ('status' in found) return found;
  if (found.toId === undefined) return { status: 404 };
  context.store.dissociate(context.type, context.id ?? '', found.toType, found.toId);
  return { status: 204 };
}
