/** Which handler answers a CRM v3 path. */
import type { RouteAnswer } from '../responses';
import { batchArchive, batchCreate, batchRead, batchUpdate, batchUpsert } from './batch';
import type { RouteContext } from './context';
import { archiveObject, createObject, getObject, listObjects, updateObject } from './objects';
import { associateDefault, listAssociations, removeAssociation } from './associations';
import { gdprDelete, mergeObjects } from './merge';
import { createGroup, createProperty, getProperty, listGroups, listProperties } from './properties';
import { searchObjects } from './search';

type Handler = (context: RouteContext) => RouteAnswer;

type Found = { handler: Handler; type: string; id?: string; params?: string[] };

/** Properties API v3: `/crm/v3/properties/{type}[/groups | /{name}]`. */
function propertiesRoute(method: string, type: string, rest: string[]): Found | RouteAnswer {
  const first = rest.at(0);
  if (first === undefined) {
    if (method === 'GET') return { handler: listProperties, type };
    if (method === 'POST') return { handler: createProperty, type };
    return { status: 405 };
  }
  if (rest.length !== 1) return { status: 404 };
  if (first === 'groups') {
    if (method === 'GET') return { handler: listGroups, type };
    if (method === 'POST') return { handler: createGroup, type };
    return { status: 405 };
  }
  return method === 'GET' ? { handler: getProperty, type, id: first } : { status: 405 };
}

/** Associations v4: `/crm/v4/objects/{type}/{id}/associations/...`. */
function associationsRoute(method: string, segments: string[]): Found | RouteAnswer {
  const [, , kind, type, id, associations, ...rest] = segments as (string | undefined)[];
  if (kind !== 'objects' || type === undefined || id === undefined) return { status: 404 };
  if (associations !== 'associations') return { status: 404 };
  const [first, second, third] = rest;
  if (first === 'default' && second !== undefined && third !== undefined && rest.length === 3)
    return method === 'PUT'
      ? { handler: associateDefault, type, id, params: [second, third] }
      : { status: 405 };
  if (first !== undefined && rest.length === 1 && method === 'GET')
    return { handler: listAssociations, type, id, params: [first] };
  if (first !== undefined && second !== undefined && rest.length === 2 && method === 'DELETE')
    return { handler: removeAssociation, type, id, params: [first, second] };
  return { status: 404 };
}

/** The handler for a CRM path, or an answer when there is none. */
export function route(method: string, segments: string[]): Found | RouteAnswer {
  // segments: ['crm','v3','objects'|'properties', type, ...rest]
  const [crm, version, kind, type, ...rest] = segments as (string | undefined)[];
  if (crm === 'crm' && version === 'v4') return associationsRoute(method, segments);
  if (crm !== 'crm' || version !== 'v3' || type === undefined) return { status: 404 };
  if (kind === 'properties') return propertiesRoute(method, type, rest as string[]);
  if (kind !== 'objects') return { status: 404 };
  if (rest.length === 0) {
    if (method === 'GET') return { handler: listObjects, type };
    if (method === 'POST') return { handler: createObject, type };
    return { status: 405 };
  }
  const [first, second] = rest;
  if (rest.length === 1 && first === 'search' && method === 'POST')
    return { handler: searchObjects, type };
  if (rest.length === 1 && first === 'merge' && method === 'POST')
    return { handler: mergeObjects, type };
  if (rest.length === 1 && first === 'gdpr-delete' && method === 'POST')
    return { handler: gdprDelete, type };
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
