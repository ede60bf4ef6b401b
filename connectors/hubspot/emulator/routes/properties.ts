/** `GET /crm/v3/properties/{type}` (https://developers.hubspot.com/docs/api/crm/properties). */
import { PROPERTIES, propertyJson } from '../properties';
import type { RouteAnswer } from '../responses';
import type { RouteContext } from './context';

export function listProperties(context: RouteContext): RouteAnswer {
  const at = '2020-01-01T00:00:00.000Z';
  return {
    status: 200,
    body: { results: PROPERTIES[context.type].map((definition) => propertyJson(definition, at)) },
  };
}
