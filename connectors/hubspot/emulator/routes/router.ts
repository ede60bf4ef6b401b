/** Which handler answers a CRM v3 path. */
import type { RouteAnswer } from '../responses';
import { batchArchive, batchCreate, batchRead, batchUpdate, batchUpsert } from './batch';
import type { RouteContext } from './context';
import { archiveObject, createObject, getObject, listObjects, updateObject } from './objects';
import { listProperties } from './properties';
import { searchObjects } from './search';

type Handler = (context: RouteContext) => RouteAnswer;

/** The handler for a CRM path, or an answer when there is none. */
export function route(
  method: string,
  segments: string[],
): { handler: Handler; type: string; id?: string } | RouteAnswer {
  // segments: ['crm','v3','objects'|'properties', type, ...rest]
  const [crm, version, kind, type, ...rest] = segments as (string | undefined)[];
  if (crm !== 'crm' || version !== 'v3' || type === undefined) return { status: 404 };
  if (kind === 'properties' && rest.length === 0 && method === 'GET')
    return { handler: listProperties, type };
  if (kind !== 'objects') return { status: 404 };
  if (rest.length === 0) {
    if (method === 'GET') return { handler: listObjects, type };
    if (method === 'POST') return { handler: createObject, type };
    return { status: 405 };
  }
  const [first, second] = rest;
  if (rest.length === 1 && first === 'search' && method === 'POST')
    return { handler: searchObjects, type };
  if (rest.length === 2 && first === 'batch' && method === 'POST') {
    const handlers: Record<string, Handler> = {
      read: batchRead,
      create: batchCreate,
      update: batchUpdate,
      upsert: batchUpsert,
      archive: batchArchive,
    };
    const handler: Handler | undefined = second === undefined ? undefined : handlers[second];
    return handler === undefined ? { status: 404 } : { handler, type };
  }
  if (rest.length === 1 && first !== undefined) {
    if (method === 'GET') return { handler: getObject, type, id: first };
    if (method === 'PATCH') return { handler: updateObject, type, id: first };
    if (method === 'DELETE') return { handler: archiveObject, type, id: first };
    return { status: 405 };
  }
  return { status: 404 };
}
