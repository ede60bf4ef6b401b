/** `POST /crm/v3/objects/{type}/search`, over the lagging search index. */
import { type RouteAnswer, errorAnswer, recordJson } from '../responses';
import { SEARCH_LIMITS, SearchRefusal, parseSearch, runSearch } from '../search';
import type { RouteContext } from './context';

export function searchObjects(context: RouteContext): RouteAnswer {
  let query;
  try {
    query = parseSearch(context.type, context.body, context.store.properties);
  } catch (error) {
    if (error instanceof SearchRefusal) return errorAnswer(400, 'VALIDATION_ERROR', error.message);
    throw error;
  }
  const found = runSearch(
    context.type,
    context.store.searchable(context.type),
    query,
    context.store.properties,
  );
  const end = Math.min(query.after + query.limit, found.length, SEARCH_LIMITS.maxResults);
  const page = found.slice(query.after, end);
  const more = end < found.length;
  return {
    status: 200,
    body: {
      total: found.length,
      results: page.map((record) => recordJson(context.type, record, query.properties)),
      ...(more ? { paging: { next: { after: String(end) } } } : {}),
    },
  };
}
