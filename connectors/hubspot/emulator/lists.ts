/**
 * Lists v3 ("Lists API", the `crm/v3/lists` spec of HubSpot's public API collection): a list of
 * contacts is MANUAL (members added and removed by hand or by the API), SNAPSHOT (filters once,
 * then like MANUAL) or DYNAMIC (its filters decide; the API cannot change its members). Create,
 * fetch by id or ids, search by name, memberships page by page (by record id, or by join order;
 * at most 250 a page), and add, remove or add-and-remove by record id on MANUAL and SNAPSHOT lists
 * only. Answers as the SDK's models have them (`recordsIdsAdded` is HubSpot's own spelling).
 */
import { type RouteAnswer, errorAnswer } from './responses';
import type { HubSpotStore } from './store';

export const PROCESSING_TYPES = ['MANUAL', 'SNAPSHOT', 'DYNAMIC'] as const;
export type ProcessingType = (typeof PROCESSING_TYPES)[number];

/** Contacts' object type id; the emulator's lists hold contacts. */
export const CONTACTS_TYPE_ID = '0-1';
/** Most memberships one page of `GET …/memberships` holds. */
export const MEMBERSHIPS_MAX_LIMIT = 250;
/** Most lists one search answers. */
const SEARCH_MAX_COUNT = 500;

export interface StoredList {
  listId: string;
  name: string;
  processingType: ProcessingType;
  objectTypeId: string;
  createdAt: string;
  updatedAt: string;
  listVersion: number;
  /** Record id → when it joined (ISO). */
  members: Map<string, string>;
  filterBranch?: unknown;
}

export class HubSpotLists {
  readonly lists = new Map<string, StoredList>();
  private next = 101;

  constructor(private readonly store: HubSpotStore) {}

  /** A list straight into the store (a list someone made in HubSpot). */
  create(name: string, processingType: ProcessingType, filterBranch?: unknown): StoredList {
    const now = this.store.clock.now().toISOString();
    const list: StoredList = {
      listId: String(this.next++),
      name,
      processingType,
      objectTypeId: CONTACTS_TYPE_ID,
      createdAt: now,
      updatedAt: now,
      listVersion: 1,
      members: new Map(),
      ...(filterBranch === undefined ? {} : { filterBranch }),
    };
    this.lists.set(list.listId, list);
    return list;
  }
}

function listJson(list: StoredList): Record<string, unknown> {
  return {
    listId: list.listId,
    name: list.name,
    processingType: list.processingType,
    processingStatus: 'COMPLETE',
    objectTypeId: list.objectTypeId,
    listVersion: list.listVersion,
    size: list.members.size,
    createdAt: list.createdAt,
    updatedAt: list.updatedAt,
  };
}

function searchJson(list: StoredList, additional: string[]): Record<string, unknown> {
  const { size: _size, ...rest } = listJson(list);
  const properties: Record<string, string> = { hs_list_size: String(list.members.size) };
  return {
    ...rest,
    additionalProperties: Object.fromEntries(
      additional.map((name) => [name, properties[name] ?? '']),
    ),
  };
}

const notFound = (listId: string): RouteAnswer =>
  errorAnswer(404, 'OBJECT_NOT_FOUND', `List with id ${listId} does not exist.`);

const invalid = (message: string): RouteAnswer => errorAnswer(400, 'VALIDATION_ERROR', message);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function strings(value: unknown): string[] | undefined {
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) return undefined;
  return value as string[];
}

function createList(lists: HubSpotLists, body: unknown): RouteAnswer {
  if (!isObject(body)) return invalid('Invalid input JSON: a ListCreateRequest is expected');
  const { name, objectTypeId, processingType, filterBranch } = body;
  const missing = ['name', 'objectTypeId', 'processingType'].filter(
    (key) => typeof body[key] !== 'string' || body[key] === '',
  );
  if (missing.length > 0) return invalid(`Missing required fields: ${missing.join(', ')}`);
  const type = PROCESSING_TYPES.find((candidate) => candidate === processingType);
  if (type === undefined)
    return invalid(`processingType must be one of ${PROCESSING_TYPES.join(', ')}`);
  if (objectTypeId !== CONTACTS_TYPE_ID)
    return invalid(`Lists of object type ${String(objectTypeId)} are not supported here`);
  if (type === 'DYNAMIC' && filterBranch === undefined)
    return invalid('A DYNAMIC list needs a filterBranch');
  if (type === 'MANUAL' && filterBranch !== undefined)
    return invalid('A MANUAL list cannot have a filterBranch');
  if ([...lists.lists.values()].some((list) => list.name === name))
    return invalid(`A list named "${String(name)}" already exists`);
  return { status: 200, body: { list: listJson(lists.create(String(name), type, filterBranch)) } };
}

function searchLists(lists: HubSpotLists, body: unknown): RouteAnswer {
  if (!isObject(body)) return invalid('Invalid input JSON: a ListSearchRequest is expected');
  const offset = body.offset;
  const additional = strings(body.additionalProperties);
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0)
    return invalid('offset is required: a whole number, 0 or more');
  if (additional === undefined) return invalid('additionalProperties is required: a list of names');
  const count = body.count === undefined ? 20 : body.count;
  if (
    typeof count !== 'number' ||
    !Number.isInteger(count) ||
    count < 1 ||
    count > SEARCH_MAX_COUNT
  )
    return invalid(`count must be between 1 and ${String(SEARCH_MAX_COUNT)}`);
  const query = typeof body.query === 'string' ? body.query.toLowerCase() : '';
  const types = strings(body.processingTypes);
  const ids = strings(body.listIds);
  const matching = [...lists.lists.values()].filter(
    (list) =>
      list.name.toLowerCase().includes(query) &&
      (types === undefined || types.length === 0 || types.includes(list.processingType)) &&
      (ids === undefined || ids.length === 0 || ids.includes(list.listId)),
  );
  const page = matching.slice(offset, offset + count);
  return {
    status: 200,
    body: {
      lists: page.map((list) => searchJson(list, additional)),
      offset: offset + page.length,
      hasMore: offset + page.length < matching.length,
      total: matching.length,
    },
  };
}

function memberships(list: StoredList, query: URLSearchParams, joinOrder: boolean): RouteAnswer {
  const limit = query.has('limit') ? Number(query.get('limit')) : 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > MEMBERSHIPS_MAX_LIMIT)
    return invalid(`limit must be between 1 and ${String(MEMBERSHIPS_MAX_LIMIT)}`);
  const entries = [...list.members.entries()].sort(([a, at], [b, bt]) =>
    joinOrder ? at.localeCompare(bt) || Number(a) - Number(b) : Number(a) - Number(b),
  );
  // `after` is opaque to clients; here it is the position the next page starts at.
  const start = Number(query.get('after') ?? '0');
  if (!Number.isInteger(start) || start < 0) return invalid('Invalid after');
  const page = entries.slice(start, start + limit);
  const next = start + page.length < entries.length ? String(start + page.length) : undefined;
  return {
    status: 200,
    body: {
      results: page.map(([recordId, joined]) => ({ recordId, membershipTimestamp: joined })),
      total: entries.length,
      ...(next === undefined ? {} : { paging: { next: { after: next } } }),
    },
  };
}

function changeMembers(
  store: HubSpotStore,
  list: StoredList,
  add: string[],
  remove: string[],
): RouteAnswer {
  if (list.processingType === 'DYNAMIC')
    return invalid(
      `List ${list.listId} is a DYNAMIC list: its filters decide its members; only MANUAL and SNAPSHOT lists can be changed`,
    );
  const added: string[] = [];
  const removed: string[] = [];
  const missing: string[] = [];
  const now = store.clock.now().toISOString();
  for (const id of add) {
    if (store.get('contacts', id) === undefined) missing.push(id);
    else if (!list.members.has(id)) {
      list.members.set(id, now);
      added.push(id);
    }
  }
  for (const id of remove) {
    if (store.get('contacts', id) === undefined) missing.push(id);
    else if (list.members.delete(id)) removed.push(id);
  }
  if (added.length + removed.length > 0) list.updatedAt = now;
  return {
    status: 200,
    body: { recordsIdsAdded: added, recordIdsRemoved: removed, recordIdsMissing: missing },
  };
}

/** The answer to a `/crm/v3/lists…` call (segments after `lists`). */
export function listsRoute(
  lists: HubSpotLists,
  store: HubSpotStore,
  method: string,
  rest: string[],
  query: URLSearchParams,
  body: unknown,
): RouteAnswer {
  const [first, second, third] = [rest.at(0), rest.at(1), rest.at(2)];
  if (first === undefined) {
    if (method === 'POST') return createList(lists, body);
    if (method !== 'GET') return { status: 405 };
    const ids = query.getAll('listIds');
    const found = ids.map((id) => lists.lists.get(id)).filter((list) => list !== undefined);
    return { status: 200, body: { lists: found.map(listJson) } };
  }
  if (first === 'search' && rest.length === 1)
    return method === 'POST' ? searchLists(lists, body) : { status: 405 };
  const list = lists.lists.get(first);
  if (list === undefined) return notFound(first);
  if (second === undefined)
    return method === 'GET' ? { status: 200, body: { list: listJson(list) } } : { status: 405 };
  if (second !== 'memberships') return { status: 404 };
  if (third === undefined)
    return method === 'GET' ? memberships(list, query, false) : { status: 405 };
  if (third === 'join-order' && method === 'GET') return memberships(list, query, true);
  if (method !== 'PUT') return { status: 405 };
  switch (third) {
    case 'add': {
      const ids = strings(body);
      return ids === undefined
        ? invalid('A list of record ids is expected')
        : changeMembers(store, list, ids, []);
    }
    case 'remove': {
      const ids = strings(body);
      return ids === undefined
        ? invalid('A list of record ids is expected')
        : changeMembers(store, list, [], ids);
    }
    case 'add-and-remove': {
      const add = isObject(body) ? strings(body.recordIdsToAdd) : undefined;
      const remove = isObject(body) ? strings(body.recordIdsToRemove) : undefined;
      if (add === undefined || remove === undefined)
        return invalid('recordIdsToAdd and recordIdsToRemove are required');
      return changeMembers(store, list, add, remove);
    }
    default:
      return { status: 404 };
  }
}
